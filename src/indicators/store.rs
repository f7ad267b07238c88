//! SQL for indicators.

use crate::db::{Conn, Timestamp};
use crate::indicators::model::{Indicator, ValidIndicator};

const COLUMNS: &str = "id, enterprise_id, period, metric, value, unit, currency, reported_by_enterprise_at, \
     entered_by, created_at, updated_at";

pub async fn list(conn: &mut Conn, enterprise_id: i64) -> sqlx::Result<Vec<Indicator>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM indicators WHERE enterprise_id = $1 ORDER BY metric, period"
    ))
    .bind(enterprise_id)
    .fetch_all(conn)
    .await
}

pub async fn find(
    conn: &mut Conn,
    enterprise_id: i64,
    period: &str,
    metric: &str,
) -> sqlx::Result<Option<Indicator>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM indicators WHERE enterprise_id = $1 AND period = $2 AND metric = $3"
    ))
    .bind(enterprise_id)
    .bind(period)
    .bind(metric)
    .fetch_optional(conn)
    .await
}

/// Writes the value of one period and metric, replacing an earlier one.
pub async fn upsert(
    conn: &mut Conn,
    enterprise_id: i64,
    v: &ValidIndicator,
    reported_by_enterprise_at: Option<Timestamp>,
    entered_by: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<Indicator> {
    sqlx::query_as(&format!(
        "INSERT INTO indicators (enterprise_id, period, metric, value, unit, currency, reported_by_enterprise_at, \
         entered_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (enterprise_id, period, metric) DO UPDATE SET value = excluded.value, unit = excluded.unit, \
         currency = excluded.currency, reported_by_enterprise_at = excluded.reported_by_enterprise_at, \
         entered_by = excluded.entered_by, updated_at = excluded.updated_at RETURNING {COLUMNS}"
    ))
    .bind(enterprise_id)
    .bind(v.period.label())
    .bind(v.metric)
    .bind(&v.value)
    .bind(v.unit)
    .bind(&v.currency)
    .bind(reported_by_enterprise_at)
    .bind(entered_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Every figure of these enterprises, 500 enterprises per query.
pub async fn list_for(conn: &mut Conn, enterprise_ids: &[i64]) -> sqlx::Result<Vec<Indicator>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM indicators WHERE enterprise_id IN ({{in}}) \
         ORDER BY enterprise_id, metric, period"
    );
    crate::db::select_in(conn, &sql, enterprise_ids).await
}
