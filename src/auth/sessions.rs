//! Server-side sessions. The browser holds a random id in an HttpOnly cookie;
//! the database holds its SHA-256, the user, a CSRF token and the expiry.

use chrono::Duration;

use crate::app::App;
use crate::auth::{ACTOR_COLUMNS, Actor, ActorRow, secret};
use crate::db::{Conn, Timestamp};
use crate::error::Result;

/// What a fresh session gives the browser.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// A live session resolved from its cookie.
pub struct Session {
    pub actor: Actor,
    pub csrf_token: String,
    /// The user's unread notifications (the bell on every page), read with
    /// the session rather than by a query of its own.
    pub unread_notifications: i64,
}

pub(crate) async fn create(
    conn: &mut Conn,
    app: &App,
    user_id: i64,
    address: &str,
) -> Result<NewSession> {
    let now = app.now();
    let token = secret::generate("");
    let csrf_token = secret::generate("");
    let expires = expiry(app, now, now);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, address, created_at, last_seen_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(secret::digest(&token))
    .bind(user_id)
    .bind(&csrf_token)
    .bind(address)
    .bind(now)
    .bind(expires)
    .execute(conn)
    .await?;
    Ok(NewSession { token, csrf_token })
}

/// The session behind a cookie value, if it is live and its user enabled.
/// Slides the idle expiry forward, at most once a minute per session.
pub async fn resolve(app: &App, token: &str) -> Result<Option<Session>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        csrf_token: String,
        created_at: Timestamp,
        last_seen_at: Timestamp,
        unread: i64,
        #[sqlx(flatten)]
        actor: ActorRow,
    }
    let now = app.now();
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, {ACTOR_COLUMNS}, \
         {} AS unread \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
        crate::notifications::store::UNREAD_OF_USER_U
    ))
    .bind(secret::digest(token))
    .bind(now)
    .fetch_optional(app.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    if now.0 - row.last_seen_at.0 > Duration::minutes(1) {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .bind(now)
            .bind(expiry(app, row.created_at, now))
            .bind(row.id)
            .execute(app.db.pool())
            .await?;
    }
    Ok(Some(Session {
        actor: row.actor.into_actor(&app.config.privacy)?,
        csrf_token: row.csrf_token,
        unread_notifications: row.unread,
    }))
}

pub(crate) async fn end(conn: &mut Conn, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(secret::digest(token))
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user (after a password change or disabling).
pub(crate) async fn end_all_for_user(conn: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn purge_expired(conn: &mut Conn, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

fn expiry(app: &App, created: Timestamp, now: Timestamp) -> Timestamp {
    let auth = &app.config.auth;
    let idle = now + Duration::minutes(auth.session_idle_minutes);
    let absolute = created + Duration::hours(auth.session_max_hours);
    idle.min(absolute)
}
