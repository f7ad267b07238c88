//! Signing in and out.

use crate::app::App;
use crate::auth::{Actor, password, sessions, throttle};
use crate::db::events::{self, Entity};
use crate::error::{Code, Error, FieldError, Result};
use crate::users;

pub struct SignedIn {
    pub actor: Actor,
    pub session: sessions::NewSession,
}

/// Checks the throttle, then the password, then opens a session.
/// Unknown names and wrong passwords get the same answer in the same time.
/// The slow password check happens outside any transaction, so it holds no
/// database lock.
pub async fn login(
    app: &App,
    username: &str,
    given_password: &str,
    address: &str,
) -> Result<SignedIn> {
    let username = users::model::normalise_username(username);
    let mut conn = app.db.pool().acquire().await?;
    throttle::check(&mut conn, app, &username, address).await?;
    let user = users::service::find_for_login(&mut conn, &username).await?;
    drop(conn);
    let verified = match &user {
        Some(u) => password::verify(given_password, &u.password_hash).await,
        None => {
            password::verify_nothing(given_password).await;
            false
        }
    };
    let mut tx = app.db.begin().await?;
    let Some(user) = user.filter(|_| verified) else {
        throttle::record_failure(&mut tx, app, &username, address).await?;
        tx.commit().await?;
        return Err(Error::Invalid(vec![FieldError::general(Code::LoginFailed)]));
    };
    if user.disabled_at.is_some() {
        return Err(Error::Invalid(vec![FieldError::general(
            Code::AccountDisabled,
        )]));
    }
    throttle::clear(&mut tx, &username, address).await?;
    let session = sessions::create(&mut tx, app, user.id, address).await?;
    let actor = user.actor(&app.config.privacy);
    let entity = Entity::new("user", user.id);
    events::record(
        &mut tx,
        &actor,
        app.now(),
        entity,
        "login",
        None::<&()>,
        Some(&address),
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn { actor, session })
}

pub async fn logout(app: &App, actor: &Actor, session_token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    sessions::end(&mut tx, session_token).await?;
    if let Some(id) = actor.user_id {
        let entity = Entity::new("user", id);
        events::record(
            &mut tx,
            actor,
            app.now(),
            entity,
            "logout",
            None::<&()>,
            None::<&()>,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Housekeeping for the purge job: expired sessions and stale failures.
pub(crate) async fn purge(conn: &mut crate::db::Conn, app: &App) -> Result<(u64, u64)> {
    let sessions = sessions::purge_expired(conn, app.now()).await?;
    let failures = throttle::purge_old(conn, app).await?;
    Ok((sessions, failures))
}
