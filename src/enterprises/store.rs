//! SQL for enterprises.

use crate::auth::permission::EnterpriseScope;
use crate::db::{Conn, Timestamp};
use crate::enterprises::model::{Enterprise, EnterpriseDraft};

const COLUMNS: &str = "id, name_zh, name_ja, name_ko, name_en, country, created_at, updated_at";

/// The scope as SQL parameters: (restrict, id). `Nothing` matches no row.
fn scope_params(scope: EnterpriseScope) -> (i64, i64) {
    match scope {
        EnterpriseScope::All => (0, 0),
        EnterpriseScope::Only(id) => (1, id),
        EnterpriseScope::Nothing => (1, -1),
    }
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Enterprise>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM enterprises WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn list(
    conn: &mut Conn,
    scope: EnterpriseScope,
    limit: i64,
) -> sqlx::Result<Vec<Enterprise>> {
    let (restrict, only) = scope_params(scope);
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM enterprises WHERE ($1 = 0 OR id = $2) ORDER BY id LIMIT $3"
    ))
    .bind(restrict)
    .bind(only)
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn count(conn: &mut Conn, scope: EnterpriseScope) -> sqlx::Result<i64> {
    let (restrict, only) = scope_params(scope);
    sqlx::query_scalar("SELECT COUNT(*) FROM enterprises WHERE ($1 = 0 OR id = $2)")
        .bind(restrict)
        .bind(only)
        .fetch_one(conn)
        .await
}

pub async fn insert(
    conn: &mut Conn,
    d: &EnterpriseDraft,
    now: Timestamp,
) -> sqlx::Result<Enterprise> {
    sqlx::query_as(&format!(
        "INSERT INTO enterprises (name_zh, name_ja, name_ko, name_en, country, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
    ))
    .bind(&d.name_zh)
    .bind(&d.name_ja)
    .bind(&d.name_ko)
    .bind(&d.name_en)
    .bind(&d.country)
    .bind(now)
    .fetch_one(conn)
    .await
}
