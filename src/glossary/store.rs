//! The glossary's SQL.

use serde::Serialize;

use super::model::{Concept, split_terms};
use crate::db::{Conn, Timestamp};

/// A kept concept.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Row {
    pub id: i64,
    pub key: String,
    pub domain: String,
    pub terms_zh: String,
    pub terms_ja: String,
    pub terms_ko: String,
    pub terms_en: String,
    #[schema(value_type = Option<String>)]
    pub retired_at: Option<Timestamp>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

impl Row {
    pub fn concept(&self) -> Concept {
        Concept {
            key: self.key.clone(),
            domain: self.domain.clone(),
            zh: split_terms(&self.terms_zh),
            ja: split_terms(&self.terms_ja),
            ko: split_terms(&self.terms_ko),
            en: split_terms(&self.terms_en),
        }
    }
}

const COLUMNS: &str =
    "id, key, domain, terms_zh, terms_ja, terms_ko, terms_en, retired_at, created_at, updated_at";

pub async fn all(conn: &mut Conn) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM glossary_concepts ORDER BY domain, key"
    ))
    .fetch_all(&mut *conn)
    .await
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Row>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM glossary_concepts WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM glossary_concepts")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Holds off other instances' seeding until this transaction ends
/// (PostgreSQL only; SQLite's writer is already alone).
pub async fn lock(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("LOCK TABLE glossary_concepts IN EXCLUSIVE MODE")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn joined(terms: &[String]) -> String {
    terms.join("|")
}

pub async fn insert(conn: &mut Conn, c: &Concept, now: Timestamp) -> sqlx::Result<Row> {
    sqlx::query_as(&format!(
        "INSERT INTO glossary_concepts (key, domain, terms_zh, terms_ja, terms_ko, terms_en, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
    ))
    .bind(&c.key)
    .bind(&c.domain)
    .bind(joined(&c.zh))
    .bind(joined(&c.ja))
    .bind(joined(&c.ko))
    .bind(joined(&c.en))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn update(conn: &mut Conn, id: i64, c: &Concept, now: Timestamp) -> sqlx::Result<Row> {
    sqlx::query_as(&format!(
        "UPDATE glossary_concepts SET key = $1, domain = $2, terms_zh = $3, terms_ja = $4, \
         terms_ko = $5, terms_en = $6, updated_at = $7 WHERE id = $8 RETURNING {COLUMNS}"
    ))
    .bind(&c.key)
    .bind(&c.domain)
    .bind(joined(&c.zh))
    .bind(joined(&c.ja))
    .bind(joined(&c.ko))
    .bind(joined(&c.en))
    .bind(now)
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}

pub async fn set_retired(
    conn: &mut Conn,
    id: i64,
    retired_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<Row> {
    sqlx::query_as(&format!(
        "UPDATE glossary_concepts SET retired_at = $1, updated_at = $2 WHERE id = $3 \
         RETURNING {COLUMNS}"
    ))
    .bind(retired_at)
    .bind(now)
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}
