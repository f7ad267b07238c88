//! Contact rules: personal data only for those granted it, one primary
//! contact per enterprise, removal keeps the record, every change an event.

use crate::app::App;
use crate::auth::{Action, Actor, Role, authorize};
use crate::contacts::model::{Contact, ContactDraft};
use crate::contacts::store;
use crate::db::events::{self, Entity};
use crate::error::{Code, Error, FieldError, Result};

fn entity(id: i64) -> Entity {
    Entity::new("contact", id)
}

pub async fn list(app: &App, actor: &Actor, enterprise_id: i64) -> Result<Vec<Contact>> {
    authorize(actor, Action::ViewContacts { enterprise_id })?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, enterprise_id).await?)
}

pub async fn create(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    draft: &ContactDraft,
) -> Result<Contact> {
    authorize(actor, Action::ManageContacts { enterprise_id })?;
    let valid = draft.parse()?;
    let mut tx = app.db.begin().await?;
    if crate::enterprises::service::check_exists(&mut tx, "enterprise_id", enterprise_id)
        .await
        .is_err()
    {
        return Err(Error::NotFound);
    }
    let now = app.now();
    let created = store::insert(&mut tx, enterprise_id, &valid, now).await?;
    if valid.primary {
        store::clear_primary(&mut tx, enterprise_id, created.id, now).await?;
    }
    events::record(
        &mut tx,
        actor,
        now,
        entity(created.id),
        "create",
        None::<&()>,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Loads a contact of `enterprise_id` under a lock, or "not found" (also
/// when it belongs to another enterprise: its existence is not shown).
async fn locked(tx: &mut crate::db::Tx, enterprise_id: i64, id: i64) -> Result<Contact> {
    match store::get_for_update(tx, id).await? {
        Some(c) if c.enterprise_id == enterprise_id && c.removed_at.is_none() => Ok(c),
        _ => Err(Error::NotFound),
    }
}

pub async fn update(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    id: i64,
    edit: impl FnOnce(&mut ContactDraft),
) -> Result<Contact> {
    authorize(actor, Action::ManageContacts { enterprise_id })?;
    let mut tx = app.db.begin().await?;
    let before = locked(&mut tx, enterprise_id, id).await?;
    let mut draft = ContactDraft::from_contact(&before);
    edit(&mut draft);
    let valid = draft.parse()?;
    let now = app.now();
    let primary_since = match (valid.primary, before.primary_since) {
        (true, Some(since)) => Some(since),
        (true, None) => Some(now),
        (false, _) => None,
    };
    let after = store::update(&mut tx, id, &valid, primary_since, now).await?;
    if valid.primary {
        store::clear_primary(&mut tx, enterprise_id, id, now).await?;
    }
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        "update",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes a contact from the enterprise's list; the record stays for the
/// events that point at it.
pub async fn remove(app: &App, actor: &Actor, enterprise_id: i64, id: i64) -> Result<Contact> {
    authorize(actor, Action::ManageContacts { enterprise_id })?;
    let mut tx = app.db.begin().await?;
    let before = locked(&mut tx, enterprise_id, id).await?;
    let after = store::remove(&mut tx, id, app.now()).await?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        "remove",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Links the contact to an enterprise user account of the same enterprise
/// (or unlinks it with `None`). Coordinators and administrators only.
pub async fn link_user(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    id: i64,
    user_id: Option<i64>,
) -> Result<Contact> {
    authorize(actor, Action::ManageEnterprises)?;
    let mut tx = app.db.begin().await?;
    let before = locked(&mut tx, enterprise_id, id).await?;
    if let Some(user_id) = user_id {
        let user = crate::users::service::get(app, actor, user_id)
            .await
            .map_err(|_| Error::field("user_id", Code::UserNotFound))?;
        if user.role != Role::Enterprise || user.enterprise_id != Some(enterprise_id) {
            return Err(Error::Invalid(vec![FieldError::new(
                "user_id",
                Code::ContactUserMismatch,
            )]));
        }
    }
    let after = store::link_user(&mut tx, id, user_id, app.now()).await?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        "link_user",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
