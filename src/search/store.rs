//! Reading what the index holds, kind by kind, either the rows named by
//! changes (ids) or a stretch of ids (a rebuild walks each table in order).

use crate::db::{Conn, select_in};

/// Which rows to read.
#[derive(Debug, Clone)]
pub enum Rows {
    Ids(Vec<i64>),
    /// Ids after the first, up to and including the second.
    Range(i64, i64),
}

async fn fetch<T>(conn: &mut Conn, sql: &str, id_column: &str, rows: &Rows) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    match rows {
        Rows::Ids(ids) => {
            let sql = sql.replace("{where}", &format!("{id_column} IN ({{in}})"));
            select_in(conn, &sql, ids).await
        }
        Rows::Range(after, last) => {
            let sql = sql.replace(
                "{where}",
                &format!("{id_column} > $1 AND {id_column} <= $2"),
            );
            sqlx::query_as(&sql)
                .bind(*after)
                .bind(*last)
                .fetch_all(&mut *conn)
                .await
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct EnterpriseRow {
    pub id: i64,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub uscc: Option<String>,
    pub parent_company: Option<String>,
    pub main_products: Option<String>,
    pub address: Option<String>,
    pub country: String,
}

pub async fn enterprises(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<EnterpriseRow>> {
    fetch(
        conn,
        "SELECT id, name_zh, name_ja, name_ko, name_en, uscc, parent_company, main_products, \
         address, country FROM enterprises WHERE {where}",
        "id",
        rows,
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Contacts still kept (removed ones leave the index).
pub async fn contacts(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<ContactRow>> {
    fetch(
        conn,
        "SELECT id, enterprise_id, name, title, phone, email FROM contacts \
         WHERE {where} AND removed_at IS NULL",
        "id",
        rows,
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct EngagementRow {
    pub id: i64,
    pub kind: String,
    pub held_on: String,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub findings: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Link {
    pub owner: i64,
    pub target: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Text {
    pub owner: i64,
    pub body: String,
}

pub async fn engagements(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<EngagementRow>> {
    fetch(
        conn,
        "SELECT id, kind, held_on, place, purpose, findings FROM engagements WHERE {where}",
        "id",
        rows,
    )
    .await
}

pub async fn engagement_enterprises(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<Link>> {
    fetch(
        conn,
        "SELECT engagement_id AS owner, enterprise_id AS target FROM engagement_enterprises \
         WHERE {where}",
        "engagement_id",
        rows,
    )
    .await
}

pub async fn follow_ups(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<Text>> {
    fetch(
        conn,
        "SELECT engagement_id AS owner, description AS body FROM follow_ups WHERE {where}",
        "engagement_id",
        rows,
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct DemandRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub state: String,
    pub lead_department_id: Option<i64>,
    pub confidential_at: Option<String>,
    pub submitted_at: crate::db::Timestamp,
    pub reply: Option<String>,
    pub policy_basis: Option<String>,
}

pub async fn demands(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<DemandRow>> {
    fetch(
        conn,
        "SELECT id, enterprise_id, title, body, lang, state, lead_department_id, \
         confidential_at, submitted_at, reply, policy_basis FROM demands WHERE {where}",
        "id",
        rows,
    )
    .await
}

pub async fn demand_co_departments(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<Link>> {
    fetch(
        conn,
        "SELECT demand_id AS owner, department_id AS target FROM demand_co_departments \
         WHERE {where}",
        "demand_id",
        rows,
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct EntryRow {
    pub demand_id: i64,
    pub kind: String,
    pub body: String,
}

pub async fn demand_entries(conn: &mut Conn, rows: &Rows) -> sqlx::Result<Vec<EntryRow>> {
    fetch(
        conn,
        "SELECT demand_id, kind, body FROM demand_entries WHERE {where} ORDER BY id",
        "demand_id",
        rows,
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
}

/// Events after `after` of the kinds the index holds, oldest first.
pub async fn events_after(conn: &mut Conn, after: i64, limit: i64) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT id, entity_type, entity_id FROM events WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

pub async fn last_event(conn: &mut Conn) -> sqlx::Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM events")
        .fetch_one(&mut *conn)
        .await?;
    Ok(last.unwrap_or(0))
}

/// The highest id of a table the index holds (where a rebuild stops).
pub async fn last_id(conn: &mut Conn, table: &str) -> sqlx::Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(&mut *conn)
        .await?;
    Ok(last.unwrap_or(0))
}
