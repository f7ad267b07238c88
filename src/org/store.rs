//! SQL for departments.

use crate::db::{Conn, Timestamp};
use crate::org::model::{Department, ValidDepartment};

const COLUMNS: &str =
    "id, parent_id, kind, name_zh, name_ja, name_ko, name_en, created_at, updated_at, retired_at";

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Department>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM departments WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Reads a department and locks its row until the transaction ends, so an
/// edit built on what was read cannot overwrite a concurrent one. A no-op
/// UPDATE locks on both backends (SQLite has no SELECT … FOR UPDATE).
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Department>> {
    sqlx::query_as(&format!(
        "UPDATE departments SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn list(conn: &mut Conn, include_retired: bool) -> sqlx::Result<Vec<Department>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM departments WHERE ($1 = 1 OR retired_at IS NULL) ORDER BY name_zh, id"
    ))
    .bind(i64::from(include_retired))
    .fetch_all(conn)
    .await
}

pub async fn insert(
    conn: &mut Conn,
    d: &ValidDepartment,
    now: Timestamp,
) -> sqlx::Result<Department> {
    sqlx::query_as(&format!(
        "INSERT INTO departments (parent_id, kind, name_zh, name_ja, name_ko, name_en, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
    ))
    .bind(d.parent_id)
    .bind(d.kind)
    .bind(&d.name_zh)
    .bind(&d.name_ja)
    .bind(&d.name_ko)
    .bind(&d.name_en)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    d: &ValidDepartment,
    now: Timestamp,
) -> sqlx::Result<Department> {
    sqlx::query_as(&format!(
        "UPDATE departments SET parent_id = $1, kind = $2, name_zh = $3, name_ja = $4, name_ko = $5, \
         name_en = $6, updated_at = $7 WHERE id = $8 RETURNING {COLUMNS}"
    ))
    .bind(d.parent_id)
    .bind(d.kind)
    .bind(&d.name_zh)
    .bind(&d.name_ja)
    .bind(&d.name_ko)
    .bind(&d.name_en)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn set_retired(
    conn: &mut Conn,
    id: i64,
    retired_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<Department> {
    sqlx::query_as(&format!(
        "UPDATE departments SET retired_at = $1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(retired_at)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn active_children(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<Department>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM departments WHERE parent_id = $1 AND retired_at IS NULL"
    ))
    .bind(id)
    .fetch_all(conn)
    .await
}

pub async fn count_active(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM departments WHERE retired_at IS NULL")
        .fetch_one(conn)
        .await
}
