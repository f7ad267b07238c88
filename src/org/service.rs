//! Department rules: the hierarchy's shape, and retiring instead of deleting.

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::Conn;
use crate::db::events::{self, Entity};
use crate::error::{Code, Error, FieldError, Result};
use crate::org::model::{Department, DepartmentDraft, DepartmentKind, ValidDepartment};
use crate::org::store;

fn entity(id: i64) -> Entity {
    Entity::new("department", id)
}

pub async fn list(app: &App, actor: &Actor, include_retired: bool) -> Result<Vec<Department>> {
    authorize(actor, Action::ViewOrganisation)?;
    let all = app
        .cache
        .departments
        .get(|| async {
            let mut conn = app.db.pool().acquire().await?;
            Ok::<_, Error>(store::list(&mut conn, true).await?)
        })
        .await?;
    Ok(all
        .iter()
        .filter(|d| include_retired || d.retired_at.is_none())
        .cloned()
        .collect())
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Department> {
    authorize(actor, Action::ViewOrganisation)?;
    let mut conn = app.db.pool().acquire().await?;
    store::get(&mut conn, id).await?.ok_or(Error::NotFound)
}

pub async fn count_active(app: &App, actor: &Actor) -> Result<i64> {
    authorize(actor, Action::ViewOrganisation)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::count_active(&mut conn).await?)
}

pub async fn create(app: &App, actor: &Actor, draft: &DepartmentDraft) -> Result<Department> {
    authorize(actor, Action::ManageOrganisation)?;
    let mut tx = app.db.begin().await?;
    let valid = validate(&mut tx, None, draft).await?;
    let created = store::insert(&mut tx, &valid, app.now()).await?;
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
    app.cache.departments.forget();
    Ok(created)
}

/// Renames, moves (a new parent) or re-kinds a department. `edit` changes
/// the current values, read under a row lock, so concurrent edits of
/// different fields do not undo each other.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: impl FnOnce(&mut DepartmentDraft),
) -> Result<Department> {
    authorize(actor, Action::ManageOrganisation)?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut draft = DepartmentDraft::from_department(&before);
    edit(&mut draft);
    let valid = validate(&mut tx, Some(id), &draft).await?;
    if valid.kind != before.kind {
        let children = store::active_children(&mut tx, id).await?;
        if children
            .iter()
            .any(|c| !c.kind.may_hang_under(Some(valid.kind)))
        {
            return Err(Error::field("kind", Code::DepartmentParentInvalid));
        }
    }
    let after = store::update(&mut tx, id, &valid, app.now()).await?;
    let action = if before.parent_id != after.parent_id {
        "move"
    } else {
        "update"
    };
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        action,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    app.cache.departments.forget();
    Ok(after)
}

/// Retires a department that has no active units under it and no active users.
pub async fn retire(app: &App, actor: &Actor, id: i64) -> Result<Department> {
    set_retired(app, actor, id, true).await
}

pub async fn reinstate(app: &App, actor: &Actor, id: i64) -> Result<Department> {
    set_retired(app, actor, id, false).await
}

async fn set_retired(app: &App, actor: &Actor, id: i64, retire: bool) -> Result<Department> {
    authorize(actor, Action::ManageOrganisation)?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    if before.retired_at.is_some() == retire {
        return Ok(before);
    }
    if retire {
        if !store::active_children(&mut tx, id).await?.is_empty() {
            return Err(Error::Conflict(FieldError::general(
                Code::DepartmentHasActiveChildren,
            )));
        }
        let users = crate::users::service::count_active_in_department(&mut tx, id).await?;
        if users > 0 {
            return Err(Error::Conflict(
                FieldError::general(Code::DepartmentHasUsers).with("count", users),
            ));
        }
    } else if let Some(parent_id) = before.parent_id {
        let parent = store::get(&mut tx, parent_id).await?;
        if parent.is_none_or(|p| !p.is_active()) {
            return Err(Error::Conflict(FieldError::new(
                "parent_id",
                Code::DepartmentRetired,
            )));
        }
    }
    let now = app.now();
    let after = store::set_retired(&mut tx, id, retire.then_some(now), now).await?;
    let action = if retire { "retire" } else { "reinstate" };
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        action,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    app.cache.departments.forget();
    Ok(after)
}

/// Whether `id` names an active department that people may be placed in.
pub(crate) async fn check_assignable(
    conn: &mut Conn,
    field: &'static str,
    id: i64,
) -> Result<(), FieldError> {
    match store::get(conn, id).await {
        Ok(Some(d)) if d.is_active() => Ok(()),
        Ok(Some(_)) => Err(FieldError::new(field, Code::DepartmentRetired)),
        Ok(None) | Err(_) => Err(FieldError::new(field, Code::DepartmentNotFound)),
    }
}

/// Checks the draft's own fields and where it hangs, reporting all problems at once.
async fn validate(
    conn: &mut Conn,
    own_id: Option<i64>,
    draft: &DepartmentDraft,
) -> Result<ValidDepartment> {
    let parsed = draft.parse();
    let parent_problem = match DepartmentKind::parse(&draft.kind) {
        Some(kind) => check_parent(conn, own_id, draft.parent_id, kind)
            .await
            .err(),
        None => None,
    };
    match (parsed, parent_problem) {
        (Ok(valid), None) => Ok(valid),
        (Ok(_), Some(problem)) => Err(Error::Invalid(vec![problem])),
        (Err(Error::Invalid(mut problems)), Some(problem)) => {
            problems.push(problem);
            Err(Error::Invalid(problems))
        }
        (Err(e), _) => Err(e),
    }
}

async fn check_parent(
    conn: &mut Conn,
    own_id: Option<i64>,
    parent_id: Option<i64>,
    kind: DepartmentKind,
) -> Result<(), FieldError> {
    let invalid = FieldError::new("parent_id", Code::DepartmentParentInvalid);
    let parent_kind = match parent_id {
        None => None,
        Some(parent_id) if Some(parent_id) == own_id => return Err(invalid),
        Some(parent_id) => {
            check_assignable(conn, "parent_id", parent_id).await?;
            store::get(conn, parent_id)
                .await
                .ok()
                .flatten()
                .map(|p| p.kind)
        }
    };
    if kind.may_hang_under(parent_kind) {
        Ok(())
    } else {
        Err(invalid)
    }
}
