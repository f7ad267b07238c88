//! Engagement rules: coordinators record visits and symposiums; staff read
//! them; each is on the timeline of every enterprise involved.

use crate::app::App;
use crate::auth::{Action, Actor, Role, authorize};
use crate::db::Tx;
use crate::db::events::{self, Entity};
use crate::engagements::model::{
    Engagement, EngagementDraft, EngagementKind, EngagementRecord, FollowUp, ValidEngagement,
};
use crate::engagements::store;
use crate::error::{Code, Error, FieldError, Problems, Result};

pub const MAX_PAGE: i64 = 200;

fn entity(id: i64) -> Entity {
    Entity::new("engagement", id)
}

pub async fn list(
    app: &App,
    actor: &Actor,
    kind: Option<EngagementKind>,
    enterprise_id: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Engagement>> {
    authorize(actor, Action::ViewEngagements)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(
        &mut conn,
        kind,
        enterprise_id,
        after,
        limit.clamp(1, MAX_PAGE),
    )
    .await?)
}

pub async fn enterprises_of(app: &App, actor: &Actor, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    authorize(actor, Action::ViewEngagements)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::enterprises_of(&mut conn, ids).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<(EngagementRecord, Vec<FollowUp>)> {
    authorize(actor, Action::ViewEngagements)?;
    let mut conn = app.db.pool().acquire().await?;
    let record = store::get(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let follow_ups = store::follow_ups(&mut conn, id).await?;
    Ok((record, follow_ups))
}

/// Officials must be staff accounts; attendees contacts of the enterprises.
async fn check_links(tx: &mut Tx, app: &App, actor: &Actor, v: &ValidEngagement) -> Result<()> {
    let mut p = Problems::default();
    for id in &v.official_ids {
        match crate::users::service::get(app, actor, *id).await {
            Ok(u) if u.role != Role::Enterprise && u.disabled_at.is_none() => {}
            _ => p.add(FieldError::new("official_ids", Code::OfficialInvalid)),
        }
    }
    for id in &v.enterprise_ids {
        if crate::enterprises::service::check_exists(tx, "enterprise_ids", *id)
            .await
            .is_err()
        {
            p.add(FieldError::new("enterprise_ids", Code::EnterpriseNotFound));
        }
    }
    let mut contacts = Vec::new();
    for id in &v.enterprise_ids {
        contacts.extend(
            crate::contacts::service::list(app, actor, *id)
                .await
                .unwrap_or_default(),
        );
    }
    if v.attendee_ids
        .iter()
        .any(|a| !contacts.iter().any(|c| c.id == *a))
    {
        p.add(FieldError::new("attendee_ids", Code::AttendeeInvalid));
    }
    p.finish()
}

async fn record_on_enterprises(
    tx: &mut Tx,
    actor: &Actor,
    app: &App,
    record: &EngagementRecord,
    action: &str,
) -> Result<()> {
    for id in &record.enterprise_ids {
        let entity = Entity::new("enterprise", *id);
        events::record(
            tx,
            actor,
            app.now(),
            entity,
            action,
            None::<&()>,
            Some(&record.engagement),
        )
        .await?;
    }
    Ok(())
}

pub async fn create(app: &App, actor: &Actor, draft: &EngagementDraft) -> Result<EngagementRecord> {
    authorize(actor, Action::ManageEngagements)?;
    let valid = draft.parse(app.now().0.date_naive())?;
    let mut tx = app.db.begin().await?;
    check_links(&mut tx, app, actor, &valid).await?;
    let id = store::insert(&mut tx, &valid, actor.user_id, app.now()).await?;
    let record = store::get(&mut tx, id).await?.ok_or(Error::NotFound)?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        "create",
        None::<&()>,
        Some(&record),
    )
    .await?;
    let action = match valid.kind {
        EngagementKind::Visit => "visited",
        EngagementKind::Symposium => "symposium",
    };
    record_on_enterprises(&mut tx, actor, app, &record, action).await?;
    tx.commit().await?;
    Ok(record)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: impl FnOnce(&mut EngagementDraft),
) -> Result<EngagementRecord> {
    authorize(actor, Action::ManageEngagements)?;
    let mut tx = app.db.begin().await?;
    if !store::lock(&mut tx, id).await? {
        return Err(Error::NotFound);
    }
    let before = store::get(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let mut draft = EngagementDraft::from_record(&before);
    edit(&mut draft);
    let valid = draft.parse(app.now().0.date_naive())?;
    check_links(&mut tx, app, actor, &valid).await?;
    store::update(&mut tx, id, &valid, app.now()).await?;
    let after = store::get(&mut tx, id).await?.ok_or(Error::NotFound)?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        "update",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn add_follow_up(
    app: &App,
    actor: &Actor,
    engagement_id: i64,
    description: &str,
    owner_id: Option<i64>,
    due_on: Option<&str>,
) -> Result<FollowUp> {
    authorize(actor, Action::ManageEngagements)?;
    let mut p = Problems::default();
    let description = crate::fields::text(&mut p, "description", Some(description), 2000);
    if description.is_none() {
        p.add(FieldError::new("description", Code::Required));
    }
    let due_on = match due_on.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => p.check(crate::engagements::model::parse_date(
            "due_on",
            d,
            app.now().0.date_naive(),
        )),
    };
    if let Some(owner) = owner_id {
        if !matches!(crate::users::service::get(app, actor, owner).await, Ok(u) if u.role != Role::Enterprise)
        {
            p.add(FieldError::new("owner_id", Code::OfficialInvalid));
        }
    }
    p.finish()?;
    let mut tx = app.db.begin().await?;
    if !store::lock(&mut tx, engagement_id).await? {
        return Err(Error::NotFound);
    }
    let now = app.now();
    let follow_up = store::insert_follow_up(
        &mut tx,
        engagement_id,
        &description.expect("checked"),
        owner_id,
        due_on.as_deref(),
        now,
    )
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new("follow_up", follow_up.id),
        "create",
        None::<&()>,
        Some(&follow_up),
    )
    .await?;
    tx.commit().await?;
    Ok(follow_up)
}

/// Marks a follow-up done (or not): its owner or a coordinator.
pub async fn set_follow_up_done(app: &App, actor: &Actor, id: i64, done: bool) -> Result<FollowUp> {
    authorize(actor, Action::ViewEngagements)?;
    let mut tx = app.db.begin().await?;
    let before = store::follow_up_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let is_owner = before.owner_id.is_some() && before.owner_id == actor.user_id;
    if !is_owner {
        authorize(actor, Action::ManageEngagements)?;
    }
    let now = app.now();
    let after = store::set_follow_up_done(
        &mut tx,
        id,
        done.then_some(before.done_at.unwrap_or(now)),
        now,
    )
    .await?;
    let action = if done { "done" } else { "reopen" };
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new("follow_up", id),
        action,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
