//! SQL for the calendar's exceptions.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::model::DayKind;
use crate::db::{Conn, Timestamp};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CalendarDay {
    /// YYYY-MM-DD.
    pub day: String,
    pub kind: DayKind,
    /// What the day is, e.g. 国庆节.
    pub name: Option<String>,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

impl CalendarDay {
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.day, "%Y-%m-%d").ok()
    }
}

/// The exceptions of one year, or of all years.
pub async fn list(conn: &mut Conn, year: Option<i32>) -> sqlx::Result<Vec<CalendarDay>> {
    match year {
        Some(y) => {
            sqlx::query_as(
                "SELECT day, kind, name, updated_at FROM calendar_days \
                 WHERE day >= $1 AND day < $2 ORDER BY day",
            )
            .bind(format!("{y:04}-01-01"))
            .bind(format!("{:04}-01-01", y + 1))
            .fetch_all(conn)
            .await
        }
        None => {
            sqlx::query_as("SELECT day, kind, name, updated_at FROM calendar_days ORDER BY day")
                .fetch_all(conn)
                .await
        }
    }
}

pub async fn get(conn: &mut Conn, day: &str) -> sqlx::Result<Option<CalendarDay>> {
    sqlx::query_as("SELECT day, kind, name, updated_at FROM calendar_days WHERE day = $1")
        .bind(day)
        .fetch_optional(conn)
        .await
}

pub async fn upsert(
    conn: &mut Conn,
    day: NaiveDate,
    kind: DayKind,
    name: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<CalendarDay> {
    sqlx::query_as(
        "INSERT INTO calendar_days (day, kind, name, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         updated_at = excluded.updated_at RETURNING day, kind, name, updated_at",
    )
    .bind(day.format("%Y-%m-%d").to_string())
    .bind(kind)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn delete(conn: &mut Conn, day: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
