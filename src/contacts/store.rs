//! SQL for contacts.

use crate::contacts::model::{Contact, ValidContact};
use crate::db::{Conn, Timestamp};

const COLUMNS: &str = "id, enterprise_id, name, title, phone, email, preferred_locale, primary_since, user_id, \
     created_at, updated_at, removed_at";

/// The enterprise's current contacts, primary first.
pub async fn list(conn: &mut Conn, enterprise_id: i64) -> sqlx::Result<Vec<Contact>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE enterprise_id = $1 AND removed_at IS NULL \
         ORDER BY CASE WHEN primary_since IS NULL THEN 1 ELSE 0 END, name, id"
    ))
    .bind(enterprise_id)
    .fetch_all(conn)
    .await
}

/// Reads a contact and locks it until the transaction ends.
pub async fn get_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Contact>> {
    sqlx::query_as(&format!(
        "UPDATE contacts SET updated_at = updated_at WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut Conn,
    enterprise_id: i64,
    c: &ValidContact,
    now: Timestamp,
) -> sqlx::Result<Contact> {
    sqlx::query_as(&format!(
        "INSERT INTO contacts (enterprise_id, name, title, phone, email, preferred_locale, primary_since, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {COLUMNS}"
    ))
    .bind(enterprise_id)
    .bind(&c.name)
    .bind(&c.title)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(c.preferred_locale.map(|l| l.tag()))
    .bind(c.primary.then_some(now))
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    c: &ValidContact,
    primary_since: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<Contact> {
    sqlx::query_as(&format!(
        "UPDATE contacts SET name = $1, title = $2, phone = $3, email = $4, preferred_locale = $5, \
         primary_since = $6, updated_at = $7 WHERE id = $8 RETURNING {COLUMNS}"
    ))
    .bind(&c.name)
    .bind(&c.title)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(c.preferred_locale.map(|l| l.tag()))
    .bind(primary_since)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Makes every other contact of the enterprise not primary.
pub async fn clear_primary(
    conn: &mut Conn,
    enterprise_id: i64,
    except: i64,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE contacts SET primary_since = NULL, updated_at = $1 \
         WHERE enterprise_id = $2 AND id <> $3 AND primary_since IS NOT NULL",
    )
    .bind(now)
    .bind(enterprise_id)
    .bind(except)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut Conn, id: i64, now: Timestamp) -> sqlx::Result<Contact> {
    sqlx::query_as(&format!(
        "UPDATE contacts SET removed_at = $1, primary_since = NULL, user_id = NULL, updated_at = $1 \
         WHERE id = $2 RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn link_user(
    conn: &mut Conn,
    id: i64,
    user_id: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<Contact> {
    sqlx::query_as(&format!(
        "UPDATE contacts SET user_id = $1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(user_id)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Current contacts of these enterprises, 500 enterprises per query.
pub async fn list_for(conn: &mut Conn, enterprise_ids: &[i64]) -> sqlx::Result<Vec<Contact>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts WHERE removed_at IS NULL AND enterprise_id IN ({{in}}) \
         ORDER BY enterprise_id, id"
    );
    crate::db::select_in(conn, &sql, enterprise_ids).await
}

/// The enterprise a current contact belongs to.
pub async fn enterprise_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT enterprise_id FROM contacts WHERE id = $1 AND removed_at IS NULL")
        .bind(id)
        .fetch_optional(conn)
        .await
}
