//! Account rules: who may create and change accounts, in one transaction
//! with the event that records it.

use crate::app::App;
use crate::auth::{Action, Actor, Role, authorize, password, sessions};
use crate::db::events::{self, Entity};
use crate::db::{Conn, is_unique_violation};
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::users::model::{self, Profile, User, ValidProfile};
use crate::users::store::{self, Filter};
use crate::{enterprises, org};

fn entity(id: i64) -> Entity {
    Entity::new("user", id)
}

pub async fn create(
    app: &App,
    actor: &Actor,
    username: &str,
    password: &str,
    profile: &Profile,
) -> Result<User> {
    authorize(actor, Action::ManageUsers)?;
    let mut problems = Problems::default();
    let username = problems.check(model::parse_username(username));
    problems.check(model::check_password(
        "password",
        password,
        app.config.auth.min_password_length,
    ));
    let profile = match profile.parse() {
        Ok(p) => Some(p),
        Err(Error::Invalid(errors)) => {
            errors.into_iter().for_each(|e| problems.add(e));
            None
        }
        Err(e) => return Err(e),
    };
    problems.finish()?;
    let (username, profile) = (username.expect("checked"), profile.expect("checked"));
    let hash = password::hash(password).await?;
    let mut tx = app.db.begin().await?;
    check_references(&mut tx, &profile).await?;
    let user = match store::insert(&mut tx, &username, &profile, &hash, app.now()).await {
        Ok(user) => user,
        Err(e) if is_unique_violation(&e) => {
            return Err(Error::field("username", Code::UsernameTaken));
        }
        Err(e) => return Err(e.into()),
    };
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(user.id),
        "create",
        None::<&()>,
        Some(&user),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn list(app: &App, actor: &Actor, filter: &Filter) -> Result<Vec<User>> {
    authorize(actor, Action::ListUsers)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, filter).await?)
}

/// The names these people go by, with the enterprise each belongs to, for
/// showing who took the steps of a record the reader may already see. The
/// caller decides whose names the reader may know: not for other features'
/// lists of people.
pub(crate) async fn display_names(
    app: &App,
    actor: &Actor,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, (String, Option<i64>)>> {
    authorize(actor, Action::UseOwnAccount)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::display_names(&mut conn, ids).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<User> {
    authorize(actor, Action::ViewUser { user_id: id })?;
    let mut conn = app.db.pool().acquire().await?;
    store::get(&mut conn, id).await?.ok_or(Error::NotFound)
}

pub async fn find_by_username(app: &App, actor: &Actor, username: &str) -> Result<User> {
    let mut conn = app.db.pool().acquire().await?;
    let user = store::find_by_username(&mut conn, &model::normalise_username(username))
        .await?
        .ok_or(Error::field("username", Code::UserNotFound))?;
    authorize(actor, Action::ViewUser { user_id: user.id })?;
    Ok(user)
}

/// Changes an account's profile. `edit` changes the current values, read
/// under a row lock, so concurrent edits of different fields both stay.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: impl FnOnce(&mut Profile),
) -> Result<User> {
    authorize(actor, Action::ManageUsers)?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut profile = before.profile();
    edit(&mut profile);
    let profile = profile.parse()?;
    if before.role == Role::Admin && profile.role != Role::Admin && before.disabled_at.is_none() {
        ensure_another_admin(&mut tx).await?;
    }
    check_references(&mut tx, &profile).await?;
    let after = store::update_profile(&mut tx, id, &profile, app.now()).await?;
    if before.role != after.role || before.enterprise_id != after.enterprise_id {
        // A session must not keep powers its user no longer has.
        sessions::end_all_for_user(&mut tx, id).await?;
    }
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

/// An administrator sets someone's password; their sessions end.
pub async fn set_password(app: &App, actor: &Actor, id: i64, new_password: &str) -> Result<User> {
    authorize(actor, Action::ManageUsers)?;
    model::check_password(
        "password",
        new_password,
        app.config.auth.min_password_length,
    )
    .map_err(|e| Error::Invalid(vec![e]))?;
    replace_password(app, actor, id, new_password, "set_password").await
}

/// A user changes their own password, proving they know the current one.
pub async fn change_own_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new_password: &str,
    confirm: &str,
) -> Result<User> {
    authorize(actor, Action::UseOwnAccount)?;
    let id = actor.user_id.ok_or(Error::Forbidden)?;
    let mut problems = Problems::default();
    problems.check(model::check_password(
        "new_password",
        new_password,
        app.config.auth.min_password_length,
    ));
    if new_password != confirm {
        problems.add(FieldError::new("confirm_password", Code::PasswordMismatch));
    }
    let mut conn = app.db.pool().acquire().await?;
    let user = store::get(&mut conn, id).await?.ok_or(Error::NotFound)?;
    drop(conn);
    if !password::verify(current, &user.password_hash).await {
        problems.add(FieldError::new(
            "current_password",
            Code::CurrentPasswordWrong,
        ));
    }
    problems.finish()?;
    replace_password(app, actor, id, new_password, "change_password").await
}

async fn replace_password(
    app: &App,
    actor: &Actor,
    id: i64,
    new_password: &str,
    action: &str,
) -> Result<User> {
    let hash = password::hash(new_password).await?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let after = store::set_password(&mut tx, id, &hash, app.now()).await?;
    sessions::end_all_for_user(&mut tx, id).await?;
    // The hash is never serialised; the event says that, and when.
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
    Ok(after)
}

pub async fn set_disabled(app: &App, actor: &Actor, id: i64, disabled: bool) -> Result<User> {
    authorize(actor, Action::ManageUsers)?;
    if disabled && actor.user_id == Some(id) {
        return Err(Error::Conflict(FieldError::general(
            Code::CannotDisableSelf,
        )));
    }
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    if before.disabled_at.is_some() == disabled {
        return Ok(before);
    }
    if disabled && before.role == Role::Admin {
        ensure_another_admin(&mut tx).await?;
    }
    let now = app.now();
    let after = store::set_disabled(&mut tx, id, disabled.then_some(now), now).await?;
    if disabled {
        sessions::end_all_for_user(&mut tx, id).await?;
    }
    let action = if disabled { "disable" } else { "enable" };
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
    Ok(after)
}

/// A user picks the language of their pages and messages.
pub async fn set_own_locale(app: &App, actor: &Actor, locale: &str) -> Result<User> {
    authorize(actor, Action::UseOwnAccount)?;
    let id = actor.user_id.ok_or(Error::Forbidden)?;
    // Empty means "follow the browser" (no preference).
    let locale =
        model::parse_locale("locale", Some(locale)).map_err(|e| Error::Invalid(vec![e]))?;
    let mut tx = app.db.begin().await?;
    let before = store::get_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    let after = store::set_locale(&mut tx, id, locale.map(|l| l.tag()), app.now()).await?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        entity(id),
        "set_locale",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn count_by_role(app: &App, actor: &Actor) -> Result<Vec<(String, i64)>> {
    authorize(actor, Action::ListUsers)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::count_by_role(&mut conn).await?)
}

/// Someone must always be able to administer Liaison.
async fn ensure_another_admin(conn: &mut Conn) -> Result<()> {
    if store::count_active_admins(conn).await? <= 1 {
        return Err(Error::Conflict(FieldError::general(Code::LastAdmin)));
    }
    Ok(())
}

async fn check_references(conn: &mut Conn, profile: &ValidProfile) -> Result<()> {
    let mut problems = Problems::default();
    if let Some(id) = profile.department_id {
        problems.check(org::service::check_assignable(conn, "department_id", id).await);
    }
    if let Some(id) = profile.enterprise_id {
        problems.check(enterprises::service::check_exists(conn, "enterprise_id", id).await);
    }
    problems.finish()
}

/// Enabled accounts placed in a department (a retired one must have none).
pub(crate) async fn count_active_in_department(conn: &mut Conn, department_id: i64) -> Result<i64> {
    Ok(store::count_in_department(conn, department_id).await?)
}

/// The account behind a login name, with its password hash, for signing in.
pub(crate) async fn find_for_login(conn: &mut Conn, username: &str) -> Result<Option<User>> {
    Ok(store::find_by_username(conn, username).await?)
}

pub(crate) async fn exists(conn: &mut Conn, id: i64) -> Result<bool> {
    Ok(store::get(conn, id).await?.is_some())
}
