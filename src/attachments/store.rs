//! SQL for attachments and their bytes.

use crate::attachments::model::{Attachment, Owner};
use crate::db::{Conn, Timestamp};

const COLUMNS: &str = "id, owner_type, owner_id, file_name, content_type, size, sha256, uploaded_by, \
     created_at, removed_at";

/// Stores the bytes once per content; a second upload of the same file
/// shares them.
pub async fn put_blob(
    conn: &mut Conn,
    sha256: &str,
    content: &[u8],
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO attachment_blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn blob(conn: &mut Conn, sha256: &str) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar("SELECT content FROM attachment_blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(conn)
        .await
}

pub struct NewAttachment<'a> {
    pub owner: Owner,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub uploaded_by: Option<i64>,
}

pub async fn insert(
    conn: &mut Conn,
    a: &NewAttachment<'_>,
    now: Timestamp,
) -> sqlx::Result<Attachment> {
    sqlx::query_as(&format!(
        "INSERT INTO attachments (owner_type, owner_id, file_name, content_type, size, sha256, uploaded_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(a.owner.kind())
    .bind(a.owner.id())
    .bind(a.file_name)
    .bind(a.content_type)
    .bind(a.size)
    .bind(a.sha256)
    .bind(a.uploaded_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The owner's current files, oldest first.
pub async fn list(conn: &mut Conn, owner: Owner) -> sqlx::Result<Vec<Attachment>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE owner_type = $1 AND owner_id = $2 \
         AND removed_at IS NULL ORDER BY id"
    ))
    .bind(owner.kind())
    .bind(owner.id())
    .fetch_all(conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Attachment>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE id = $1 AND removed_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Takes the file off its record; the bytes stay for the event log.
pub async fn remove(conn: &mut Conn, id: i64, now: Timestamp) -> sqlx::Result<Option<Attachment>> {
    sqlx::query_as(&format!(
        "UPDATE attachments SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await
}
