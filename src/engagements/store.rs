//! SQL for engagements and follow-ups.

use crate::db::{Conn, Timestamp};
use crate::engagements::model::{
    Engagement, EngagementKind, EngagementRecord, FollowUp, ValidEngagement,
};

const COLUMNS: &str =
    "id, kind, held_on, place, purpose, guests, findings, created_by, created_at, updated_at";
const FOLLOW_UP_COLUMNS: &str =
    "id, engagement_id, description, owner_id, due_on, done_at, created_at, updated_at";

async fn ids(conn: &mut Conn, sql: &str, id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(sql).bind(id).fetch_all(conn).await
}

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<EngagementRecord>> {
    let engagement: Option<Engagement> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM engagements WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(engagement) = engagement else {
        return Ok(None);
    };
    Ok(Some(EngagementRecord {
        official_ids: ids(conn, "SELECT user_id FROM engagement_officials WHERE engagement_id = $1 ORDER BY user_id", id).await?,
        enterprise_ids: ids(conn, "SELECT enterprise_id FROM engagement_enterprises WHERE engagement_id = $1 ORDER BY enterprise_id", id).await?,
        attendee_ids: ids(conn, "SELECT contact_id FROM engagement_attendees WHERE engagement_id = $1 ORDER BY contact_id", id).await?,
        engagement,
    }))
}

/// The newest first, optionally of one kind or one enterprise, before a
/// keyset cursor (the last id of the previous page).
pub async fn list(
    conn: &mut Conn,
    kind: Option<EngagementKind>,
    enterprise_id: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Engagement>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("g.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "SELECT {columns} FROM engagements g WHERE ($1 IS NULL OR g.kind = $1) \
         AND ($2 IS NULL OR EXISTS (SELECT 1 FROM engagement_enterprises x WHERE x.engagement_id = g.id AND x.enterprise_id = $2)) \
         AND ($3 IS NULL OR (g.held_on, g.id) < (SELECT a.held_on, a.id FROM engagements a WHERE a.id = $3)) \
         ORDER BY g.held_on DESC, g.id DESC LIMIT $4"
    ))
    .bind(kind)
    .bind(enterprise_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The enterprises of each engagement in `ids`.
pub async fn enterprises_of(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Integers from our own rows: safe inline.
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "SELECT engagement_id, enterprise_id FROM engagement_enterprises WHERE engagement_id IN ({list})"
    ))
    .fetch_all(conn)
    .await
}

pub async fn insert(
    conn: &mut Conn,
    v: &ValidEngagement,
    by: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO engagements (kind, held_on, place, purpose, guests, findings, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(v.kind)
    .bind(&v.held_on)
    .bind(&v.place)
    .bind(&v.purpose)
    .bind(&v.guests)
    .bind(&v.findings)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    link(conn, id, v).await?;
    Ok(id)
}

pub async fn update(
    conn: &mut Conn,
    id: i64,
    v: &ValidEngagement,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE engagements SET kind = $1, held_on = $2, place = $3, purpose = $4, guests = $5, findings = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(v.kind)
    .bind(&v.held_on)
    .bind(&v.place)
    .bind(&v.purpose)
    .bind(&v.guests)
    .bind(&v.findings)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for table in [
        "engagement_officials",
        "engagement_enterprises",
        "engagement_attendees",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE engagement_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    link(conn, id, v).await
}

async fn link(conn: &mut Conn, id: i64, v: &ValidEngagement) -> sqlx::Result<()> {
    let links = [
        ("engagement_officials", "user_id", &v.official_ids),
        ("engagement_enterprises", "enterprise_id", &v.enterprise_ids),
        ("engagement_attendees", "contact_id", &v.attendee_ids),
    ];
    for (table, column, values) in links {
        for value in values.iter() {
            sqlx::query(&format!(
                "INSERT INTO {table} (engagement_id, {column}) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(value)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Locks the engagement row until the transaction ends.
pub async fn lock(conn: &mut Conn, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE engagements SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn follow_ups(conn: &mut Conn, engagement_id: i64) -> sqlx::Result<Vec<FollowUp>> {
    sqlx::query_as(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE engagement_id = $1 ORDER BY COALESCE(due_on, '9999'), id"
    ))
    .bind(engagement_id)
    .fetch_all(conn)
    .await
}

pub async fn insert_follow_up(
    conn: &mut Conn,
    engagement_id: i64,
    description: &str,
    owner_id: Option<i64>,
    due_on: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<FollowUp> {
    sqlx::query_as(&format!(
        "INSERT INTO follow_ups (engagement_id, description, owner_id, due_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {FOLLOW_UP_COLUMNS}"
    ))
    .bind(engagement_id)
    .bind(description)
    .bind(owner_id)
    .bind(due_on)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn follow_up_for_update(conn: &mut Conn, id: i64) -> sqlx::Result<Option<FollowUp>> {
    sqlx::query_as(&format!(
        "UPDATE follow_ups SET updated_at = updated_at WHERE id = $1 RETURNING {FOLLOW_UP_COLUMNS}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn set_follow_up_done(
    conn: &mut Conn,
    id: i64,
    done_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<FollowUp> {
    sqlx::query_as(&format!(
        "UPDATE follow_ups SET done_at = $1, updated_at = $2 WHERE id = $3 RETURNING {FOLLOW_UP_COLUMNS}"
    ))
    .bind(done_at)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}
