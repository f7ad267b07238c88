//! Enterprise rules: an enterprise user sees only their own enterprise.

use crate::app::App;
use crate::auth::permission::enterprise_scope;
use crate::auth::{Action, Actor, authorize};
use crate::db::Conn;
use crate::db::events::{self, Entity};
use crate::enterprises::model::{Enterprise, EnterpriseDraft};
use crate::enterprises::store;
use crate::error::{Code, Error, FieldError, Result};

/// The most a list returns until the registry gets real paging.
pub const LIST_LIMIT: i64 = 500;

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Enterprise>> {
    authorize(actor, Action::ListEnterprises)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, enterprise_scope(actor), LIST_LIMIT).await?)
}

pub async fn count(app: &App, actor: &Actor) -> Result<i64> {
    authorize(actor, Action::ListEnterprises)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::count(&mut conn, enterprise_scope(actor)).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Enterprise> {
    authorize(actor, Action::ViewEnterprise { enterprise_id: id })?;
    let mut conn = app.db.pool().acquire().await?;
    store::get(&mut conn, id).await?.ok_or(Error::NotFound)
}

pub async fn create(app: &App, actor: &Actor, draft: &EnterpriseDraft) -> Result<Enterprise> {
    authorize(actor, Action::ManageEnterprises)?;
    let draft = draft.parse()?;
    let mut tx = app.db.begin().await?;
    let created = store::insert(&mut tx, &draft, app.now()).await?;
    let entity = Entity::new("enterprise", created.id);
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity,
        "create",
        None::<&()>,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Whether `id` names an enterprise (for linking accounts to it).
pub(crate) async fn check_exists(
    conn: &mut Conn,
    field: &'static str,
    id: i64,
) -> Result<(), FieldError> {
    match store::get(conn, id).await {
        Ok(Some(_)) => Ok(()),
        _ => Err(FieldError::new(field, Code::EnterpriseNotFound)),
    }
}
