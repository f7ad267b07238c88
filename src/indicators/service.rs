//! Indicator rules: coordinators enter figures for any enterprise, an
//! enterprise reports its own (and is marked as the source), everyone who
//! may see the enterprise may see them.

use crate::app::App;
use crate::auth::{Action, Actor, Role, authorize};
use crate::db::events::{self, Entity};
use crate::error::{Error, Result};
use crate::indicators::model::{Indicator, IndicatorDraft};
use crate::indicators::store;

pub async fn list(app: &App, actor: &Actor, enterprise_id: i64) -> Result<Vec<Indicator>> {
    authorize(actor, Action::ViewEnterprise { enterprise_id })?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, enterprise_id).await?)
}

/// Records one period's value of one metric; a second entry for the same
/// period and metric replaces the first (both are in the event log).
pub async fn record(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    draft: &IndicatorDraft,
) -> Result<Indicator> {
    let mut recorded = record_many(app, actor, enterprise_id, std::slice::from_ref(draft)).await?;
    Ok(recorded.remove(0))
}

/// Records several figures of one enterprise in one transaction: all of
/// them, or none when any is invalid.
pub async fn record_many(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    drafts: &[IndicatorDraft],
) -> Result<Vec<Indicator>> {
    authorize(actor, Action::EditEnterprise { enterprise_id })?;
    let today = app.now().0.date_naive();
    let valid = drafts
        .iter()
        .map(|d| d.parse(today))
        .collect::<Result<Vec<_>>>()?;
    let mut tx = app.db.begin().await?;
    if crate::enterprises::service::check_exists(&mut tx, "enterprise_id", enterprise_id)
        .await
        .is_err()
    {
        return Err(Error::NotFound);
    }
    let now = app.now();
    let by_enterprise = (actor.role == Role::Enterprise).then_some(now);
    let mut recorded = Vec::with_capacity(valid.len());
    for v in &valid {
        let before =
            store::find(&mut tx, enterprise_id, &v.period.label(), v.metric.as_str()).await?;
        let after =
            store::upsert(&mut tx, enterprise_id, v, by_enterprise, actor.user_id, now).await?;
        let action = if before.is_some() { "update" } else { "create" };
        let entity = Entity::new("indicator", after.id);
        events::record(
            &mut tx,
            actor,
            now,
            entity,
            action,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        // The enterprise's own timeline shows it too.
        let on_enterprise = Entity::new("enterprise", enterprise_id);
        events::record(
            &mut tx,
            actor,
            now,
            on_enterprise,
            "record_indicator",
            None::<&()>,
            Some(&after),
        )
        .await?;
        recorded.push(after);
    }
    tx.commit().await?;
    Ok(recorded)
}
