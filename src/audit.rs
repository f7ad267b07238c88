//! The audit trail: reading the event log, for those allowed to.

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Event};
use crate::error::Result;

pub const MAX_PAGE: i64 = 500;

pub async fn latest(app: &App, actor: &Actor, limit: i64) -> Result<Vec<Event>> {
    authorize(actor, Action::ViewAudit)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(events::latest(&mut conn, limit.clamp(1, MAX_PAGE)).await?)
}
