//! Sending (inside the caller's transaction) and reading notifications.
//! A user reads only their own.

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::{Timestamp, Tx};
use crate::error::{Code, Error, Result};
use crate::notifications::model::{Kind, Notification, Recipients};
use crate::notifications::store;

/// Tells `to` of `kind` about a subject, in the caller's transaction: the
/// notice (and its email, when mail is on) exists exactly when the change
/// does.
pub async fn send(
    app: &App,
    tx: &mut Tx,
    to: &Recipients,
    kind: Kind,
    subject: (&str, i64),
    title: &str,
    now: Timestamp,
) -> Result<usize> {
    let users = store::recipients(tx, to, kind).await?;
    let by_mail = app.config.mail.enabled();
    store::insert(tx, &users, kind, subject, title, now, by_mail).await?;
    Ok(users.len())
}

fn own(actor: &Actor) -> Result<i64> {
    authorize(actor, Action::UseOwnAccount)?;
    actor.user_id.ok_or(Error::Forbidden)
}

pub async fn list(app: &App, actor: &Actor, before: Option<i64>) -> Result<Vec<Notification>> {
    let user = own(actor)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, user, before, 50).await?)
}

pub async fn unread(app: &App, actor: &Actor) -> Result<i64> {
    let user = own(actor)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::unread_count(&mut conn, user).await?)
}

/// Marks these (or, with none, all) of the actor's notifications read.
pub async fn mark_read(app: &App, actor: &Actor, ids: &[i64]) -> Result<u64> {
    let user = own(actor)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::mark_read(&mut conn, user, ids, app.now()).await?)
}

pub async fn mutes(app: &App, actor: &Actor) -> Result<Vec<Kind>> {
    let user = own(actor)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::mutes(&mut conn, user)
        .await?
        .iter()
        .filter_map(|k| Kind::parse(k))
        .collect())
}

/// The kinds the actor no longer wants to hear of.
pub async fn set_mutes(app: &App, actor: &Actor, kinds: &[String]) -> Result<Vec<Kind>> {
    let user = own(actor)?;
    let parsed = kinds
        .iter()
        .map(|k| Kind::parse(k).ok_or(Error::field("kinds", Code::InvalidChoice)))
        .collect::<Result<Vec<_>>>()?;
    let mut tx = app.db.begin().await?;
    let before = store::mutes(&mut tx, user).await?;
    store::set_mutes(&mut tx, user, &parsed).await?;
    let after: Vec<&str> = parsed.iter().map(|k| k.as_str()).collect();
    crate::db::events::record(
        &mut tx,
        actor,
        app.now(),
        crate::db::events::Entity::new("user", user),
        "set_mutes",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(parsed)
}
