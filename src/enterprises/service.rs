//! Enterprise rules: who may see and change which enterprise, a unique
//! credit code, and every change an event.

use crate::app::App;
use crate::auth::permission::enterprise_scope;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Conn, is_unique_violation};
use crate::enterprises::model::{Enterprise, EnterpriseDraft, Place, ValidEnterprise};
use crate::enterprises::store::{self, ListQuery};
use crate::error::{Code, Error, FieldError, Result};

/// The most rows one page of a list may have.
pub const MAX_PAGE: i64 = 200;

fn entity(id: i64) -> Entity {
    Entity::new("enterprise", id)
}

/// A page of the enterprises the actor may see, as filtered and ordered.
pub async fn list(app: &App, actor: &Actor, query: &ListQuery) -> Result<Vec<Enterprise>> {
    authorize(actor, Action::ListEnterprises)?;
    let query = ListQuery {
        limit: query.limit.clamp(1, MAX_PAGE),
        ..query.clone()
    };
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, enterprise_scope(actor), &query).await?)
}

/// Every enterprise the actor may see that matches `query`, in its order,
/// read a thousand at a time (for exports).
pub async fn all(app: &App, actor: &Actor, query: &ListQuery) -> Result<Vec<Enterprise>> {
    authorize(actor, Action::ListEnterprises)?;
    let mut page = ListQuery {
        after: None,
        limit: 1000,
        ..query.clone()
    };
    let mut conn = app.db.pool().acquire().await?;
    let mut all = Vec::new();
    loop {
        let batch = store::list(&mut conn, enterprise_scope(actor), &page).await?;
        let full = batch.len() as i64 == page.limit;
        page.after = batch.last().map(|e| e.id);
        all.extend(batch);
        if !full {
            return Ok(all);
        }
    }
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

/// Each of `ids` once, if the actor may see it.
fn visible(actor: &Actor, ids: &[i64]) -> Vec<i64> {
    let mut visible: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| {
            crate::auth::permission::allows(actor, Action::ViewEnterprise { enterprise_id: *id })
        })
        .collect();
    visible.sort_unstable();
    visible.dedup();
    visible
}

/// The names in `locale` of the enterprises `ids` the actor may see (one
/// query per 500); enterprises out of sight are left out.
pub async fn names(
    app: &App,
    actor: &Actor,
    locale: crate::i18n::Locale,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::names(&mut conn, &visible(actor, ids))
        .await?
        .into_iter()
        .map(|e| (e.id, e.name(locale).to_string()))
        .collect())
}

/// The tag ids of each enterprise in `ids` that the actor may see.
pub async fn tag_ids(app: &App, actor: &Actor, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let visible: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| {
            crate::auth::permission::allows(actor, Action::ViewEnterprise { enterprise_id: *id })
        })
        .collect();
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::tag_ids_of(&mut conn, &visible).await?)
}

pub async fn create(app: &App, actor: &Actor, draft: &EnterpriseDraft) -> Result<Enterprise> {
    authorize(actor, Action::ManageEnterprises)?;
    let valid = draft.parse(app.now().0.date_naive())?;
    let mut tx = app.db.begin().await?;
    let created = match store::insert(&mut tx, &valid, app.now()).await {
        Ok(e) => e,
        Err(e) if is_unique_violation(&e) => return Err(Error::field("uscc", Code::UsccTaken)),
        Err(e) => return Err(e.into()),
    };
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(created.id),
        "create",
        None::<&()>,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Changes an enterprise's profile. `edit` changes the current values, read
/// under a row lock, so concurrent edits of different fields both stay.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: impl FnOnce(&mut EnterpriseDraft),
) -> Result<Enterprise> {
    authorize(actor, Action::EditEnterprise { enterprise_id: id })?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut draft = EnterpriseDraft::from_enterprise(&before);
    edit(&mut draft);
    let valid = draft.parse(app.now().0.date_naive())?;
    let after = save(&mut tx, id, &valid, app).await?;
    crate::demands::tally::enterprise_moved(&mut tx, id, &Place::of(&before), &Place::of(&after))
        .await?;
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

async fn save(conn: &mut Conn, id: i64, valid: &ValidEnterprise, app: &App) -> Result<Enterprise> {
    match store::update(conn, id, valid, app.now()).await {
        Ok(e) => Ok(e),
        Err(e) if is_unique_violation(&e) => Err(Error::field("uscc", Code::UsccTaken)),
        Err(e) => Err(e.into()),
    }
}

/// Adds (or removes) one tag on many enterprises at once; each change is an
/// event on its enterprise. Returns how many enterprises changed.
pub async fn bulk_tag(
    app: &App,
    actor: &Actor,
    ids: &[i64],
    tag_id: i64,
    add: bool,
) -> Result<usize> {
    authorize(actor, Action::ManageEnterprises)?;
    let mut tx = app.db.begin().await?;
    let tag = store::tag(&mut tx, tag_id).await?;
    if tag.as_ref().is_none_or(|t| add && t.retired_at.is_some()) {
        return Err(Error::field("tag_id", Code::TagNotFound));
    }
    let mut changed = 0;
    for &id in ids {
        if store::get(&mut tx, id).await?.is_none() {
            return Err(Error::Invalid(vec![FieldError::general(
                Code::EnterpriseNotFound,
            )]));
        }
        let did = if add {
            store::add_tag(&mut tx, id, tag_id).await?
        } else {
            store::remove_tag(&mut tx, id, tag_id).await?
        };
        if did {
            changed += 1;
            let action = if add { "tag" } else { "untag" };
            events::record(
                &mut tx,
                actor,
                app.now(),
                entity(id),
                action,
                None::<&()>,
                Some(&tag),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(changed)
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

/// Where the enterprise is, if it exists (a demand's figures group by it).
pub(crate) async fn place(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Place>> {
    store::place(conn, id).await
}

/// Every event about the enterprise, oldest first ("one enterprise, one file").
pub async fn timeline(app: &App, actor: &Actor, id: i64) -> Result<Vec<events::Event>> {
    authorize(actor, Action::ViewEnterprise { enterprise_id: id })?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(events::for_entity(&mut conn, entity(id)).await?)
}
