//! API tokens for `/api/v1` (`Authorization: Bearer lia_…`). The secret is
//! shown once when issued; the database keeps its SHA-256 and a short prefix
//! by which people recognise it.

use chrono::Duration;
use serde::Serialize;

use crate::app::App;
use crate::auth::{ACTOR_COLUMNS, Action, Actor, ActorRow, authorize, secret};
use crate::db::events::{self, Entity};
use crate::db::{Conn, Timestamp};
use crate::error::{Code, Error, FieldError, Result};

const SECRET_PREFIX: &str = "lia_";
const MAX_NAME: usize = 100;
const MAX_DAYS: i64 = 3650;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

const COLUMNS: &str = "id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at";

fn may_manage_tokens_of(actor: &Actor, user_id: i64) -> Result<()> {
    if actor.user_id == Some(user_id) {
        authorize(actor, Action::UseOwnAccount)
    } else {
        authorize(actor, Action::ManageUsers)
    }
}

/// Issues a token for `user_id`; returns it with the secret (shown once).
pub async fn issue(
    app: &App,
    actor: &Actor,
    user_id: i64,
    name: &str,
    days: Option<i64>,
) -> Result<(ApiToken, String)> {
    may_manage_tokens_of(actor, user_id)?;
    let name = name.trim();
    let days = days.unwrap_or(app.config.auth.token_days);
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(FieldError::new("name", Code::Required));
    } else if name.chars().count() > MAX_NAME {
        problems.push(FieldError::new("name", Code::TooLong).with("max", MAX_NAME));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        problems.push(FieldError::new("days", Code::DaysOutOfRange));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let mut tx = app.db.begin().await?;
    if !crate::users::service::exists(&mut tx, user_id).await? {
        return Err(Error::NotFound);
    }
    let now = app.now();
    let secret = secret::generate(SECRET_PREFIX);
    let prefix: String = secret.chars().take(SECRET_PREFIX.len() + 8).collect();
    let token: ApiToken = sqlx::query_as(&format!(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    ))
    .bind(user_id)
    .bind(name)
    .bind(secret::digest(&secret))
    .bind(&prefix)
    .bind(now)
    .bind(now + Duration::days(days))
    .fetch_one(&mut *tx)
    .await?;
    let entity = Entity::new("api_token", token.id);
    events::record(
        &mut tx,
        actor,
        now,
        entity,
        "issue",
        None::<&()>,
        Some(&token),
    )
    .await?;
    tx.commit().await?;
    Ok((token, secret))
}

pub async fn list(app: &App, actor: &Actor, user_id: i64) -> Result<Vec<ApiToken>> {
    may_manage_tokens_of(actor, user_id)?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
    ))
    .bind(user_id)
    .fetch_all(app.db.pool())
    .await?)
}

pub async fn revoke(app: &App, actor: &Actor, token_id: i64) -> Result<ApiToken> {
    let mut tx = app.db.begin().await?;
    let before: ApiToken =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
            .bind(token_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::field("token", Code::TokenNotFound))?;
    // Someone else's token is "not found" rather than "forbidden": its
    // existence is nobody else's business.
    if may_manage_tokens_of(actor, before.user_id).is_err() {
        return Err(Error::field("token", Code::TokenNotFound));
    }
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    let now = app.now();
    let after: ApiToken = sqlx::query_as(&format!(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(token_id)
    .fetch_one(&mut *tx)
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new("api_token", token_id),
        "revoke",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The actor behind a bearer secret, if the token is live and its user enabled.
pub async fn authenticate(app: &App, bearer: &str) -> Result<Option<Actor>> {
    if !bearer.starts_with(SECRET_PREFIX) {
        return Ok(None);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        last_used_at: Option<Timestamp>,
        #[sqlx(flatten)]
        actor: ActorRow,
    }
    let now = app.now();
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT t.id, t.last_used_at, {ACTOR_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL"
    ))
    .bind(secret::digest(bearer))
    .bind(now)
    .fetch_optional(app.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    // One write per token per minute at most, not one per request.
    if row
        .last_used_at
        .is_none_or(|t| now.0 - t.0 > Duration::minutes(1))
    {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(row.id)
            .execute(app.db.pool())
            .await?;
    }
    Ok(Some(row.actor.into_actor(&app.config.privacy)?))
}

/// Deletes tokens that expired more than 30 days ago (kept a while for the record).
pub(crate) async fn purge_expired(conn: &mut Conn, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE expires_at <= $1")
        .bind(now - Duration::days(30))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
