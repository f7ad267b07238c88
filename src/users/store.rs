//! SQL for accounts.

use crate::db::{Conn, Timestamp};
use crate::users::model::{User, ValidProfile};

const COLUMNS: &str = "id, username, display_name, email, role, department_id, enterprise_id, locale, \
     password_hash, created_at, updated_at, password_changed_at, disabled_at";

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The names people go by, for showing who did what.
pub async fn display_names(
    conn: &mut Conn,
    ids: &[i64],
) -> sqlx::Result<std::collections::HashMap<i64, (String, Option<i64>)>> {
    let sql = "SELECT id, display_name, enterprise_id FROM users WHERE id IN ({in})";
    let rows: Vec<(i64, String, Option<i64>)> = crate::db::select_in(conn, sql, ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, enterprise)| (id, (name, enterprise)))
        .collect())
}

/// Reads an account and locks its row until the transaction ends (a no-op
/// UPDATE locks on both backends; SQLite has no SELECT … FOR UPDATE).
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!(
        "UPDATE users SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_username(conn: &mut Conn, username: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub role: Option<crate::auth::Role>,
    pub department_id: Option<i64>,
    pub include_disabled: bool,
    pub text: Option<String>,
}

pub async fn list(conn: &mut Conn, filter: &Filter) -> sqlx::Result<Vec<User>> {
    let pattern = filter
        .text
        .as_ref()
        .map(|t| format!("%{}%", crate::db::escape_like(&t.to_lowercase())));
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE ($1 IS NULL OR role = $1) \
         AND ($2 IS NULL OR department_id = $2) AND ($3 = 1 OR disabled_at IS NULL) \
         AND ($4 IS NULL OR LOWER(username) LIKE $4 ESCAPE '\\' OR LOWER(display_name) LIKE $4 ESCAPE '\\') \
         ORDER BY username"
    ))
    .bind(filter.role)
    .bind(filter.department_id)
    .bind(i64::from(filter.include_disabled))
    .bind(pattern)
    .fetch_all(conn)
    .await
}

pub async fn insert(
    conn: &mut Conn,
    username: &str,
    profile: &ValidProfile,
    password_hash: &str,
    now: Timestamp,
) -> sqlx::Result<User> {
    sqlx::query_as(&format!(
        "INSERT INTO users (username, display_name, email, role, department_id, enterprise_id, locale, \
         password_hash, created_at, updated_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING {COLUMNS}"
    ))
    .bind(username)
    .bind(&profile.display_name)
    .bind(&profile.email)
    .bind(profile.role)
    .bind(profile.department_id)
    .bind(profile.enterprise_id)
    .bind(profile.locale.map(|l| l.tag()))
    .bind(password_hash)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update_profile(
    conn: &mut Conn,
    id: i64,
    profile: &ValidProfile,
    now: Timestamp,
) -> sqlx::Result<User> {
    sqlx::query_as(&format!(
        "UPDATE users SET display_name = $1, email = $2, role = $3, department_id = $4, \
         enterprise_id = $5, locale = $6, updated_at = $7 WHERE id = $8 RETURNING {COLUMNS}"
    ))
    .bind(&profile.display_name)
    .bind(&profile.email)
    .bind(profile.role)
    .bind(profile.department_id)
    .bind(profile.enterprise_id)
    .bind(profile.locale.map(|l| l.tag()))
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn set_password(
    conn: &mut Conn,
    id: i64,
    hash: &str,
    now: Timestamp,
) -> sqlx::Result<User> {
    sqlx::query_as(&format!(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 \
         WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(hash)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn set_disabled(
    conn: &mut Conn,
    id: i64,
    disabled_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<User> {
    sqlx::query_as(&format!(
        "UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(disabled_at)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn set_locale(
    conn: &mut Conn,
    id: i64,
    locale: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<User> {
    sqlx::query_as(&format!(
        "UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(locale)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Enabled accounts per role.
pub async fn count_by_role(conn: &mut Conn) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT role, COUNT(*) FROM users WHERE disabled_at IS NULL GROUP BY role ORDER BY role",
    )
    .fetch_all(conn)
    .await
}

pub async fn count_active_admins(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
        .fetch_one(conn)
        .await
}

pub async fn count_in_department(conn: &mut Conn, department_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE department_id = $1 AND disabled_at IS NULL",
    )
    .bind(department_id)
    .fetch_one(conn)
    .await
}
