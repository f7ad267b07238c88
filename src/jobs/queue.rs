//! The `jobs` table: enqueue, claim, finish, and the admin's view of it.

use chrono::Duration;
use serde::Serialize;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Backend, Conn, Timestamp};
use crate::error::{Code, Error, FieldError, Result};
use crate::jobs::Job;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Dead,
}

crate::text_column!(JobState);

impl JobState {
    pub const ALL: [JobState; 4] = [
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
    pub locked_by: Option<String>,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, kind, payload, state, attempts, max_attempts, run_at, locked_by, locked_until, \
     last_error, dedupe_key, created_at, updated_at, finished_at";

/// Queues `job` to run at `run_at`. With a `dedupe_key`, a second enqueue of
/// the same key (from any instance) is ignored and returns `None`.
pub async fn enqueue<J: Job>(
    conn: &mut Conn,
    app: &App,
    job: &J,
    run_at: Timestamp,
    dedupe_key: Option<&str>,
) -> anyhow::Result<Option<i64>> {
    let now = app.now();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, dedupe_key, created_at, \
         updated_at) VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6, $6) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(J::KIND)
    .bind(serde_json::to_string(job)?)
    .bind(app.config.jobs.max_attempts)
    .bind(run_at)
    .bind(dedupe_key)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

/// A job taken by one worker, with the history row of this attempt.
#[derive(Debug)]
pub struct Claimed {
    pub job: JobRecord,
    pub run_id: i64,
}

/// Takes the next due job (or one whose worker's lease ran out) for `worker`.
pub async fn claim(app: &App, worker: &str) -> anyhow::Result<Option<Claimed>> {
    let now = app.now();
    let lease_end = now + Duration::seconds(app.config.jobs.lease_seconds);
    // PostgreSQL: skip rows another worker is claiming instead of waiting for
    // them. SQLite has one writer at a time, which gives the same guarantee.
    let lock = match app.db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut tx = app.db.begin().await?;
    let job: Option<JobRecord> = sqlx::query_as(&format!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, \
         updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $3) \
         OR (state = 'running' AND locked_until <= $3) ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING {COLUMNS}"
    ))
    .bind(worker)
    .bind(lease_end)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(job) = job else { return Ok(None) };
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO job_runs (job_id, worker, started_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(job.id)
    .bind(worker)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Claimed { job, run_id }))
}

/// Records success. Returns false when the lease had passed to another worker.
pub async fn complete(app: &App, claimed: &Claimed, worker: &str) -> anyhow::Result<bool> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE jobs SET state = 'done', finished_at = $1, updated_at = $1, locked_by = NULL, \
         locked_until = NULL, last_error = NULL WHERE id = $2 AND locked_by = $3 AND state = 'running'",
    )
    .bind(now)
    .bind(claimed.job.id)
    .bind(worker)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    finish_run(&mut tx, claimed.run_id, now, "done", None).await?;
    tx.commit().await?;
    Ok(updated == 1)
}

/// Records a failure: back to the queue after a back-off, or dead.
pub async fn fail(app: &App, claimed: &Claimed, worker: &str, error: &str) -> anyhow::Result<()> {
    let now = app.now();
    let job = &claimed.job;
    let dead = job.attempts >= job.max_attempts;
    let state = if dead {
        JobState::Dead
    } else {
        JobState::Queued
    };
    let error: String = error.chars().take(2000).collect();
    let mut tx = app.db.begin().await?;
    sqlx::query(
        "UPDATE jobs SET state = $1, run_at = $2, last_error = $3, updated_at = $4, locked_by = NULL, \
         locked_until = NULL, finished_at = $5 WHERE id = $6 AND locked_by = $7",
    )
    .bind(state)
    .bind(now + backoff(job.attempts))
    .bind(&error)
    .bind(now)
    .bind(dead.then_some(now))
    .bind(job.id)
    .bind(worker)
    .execute(&mut *tx)
    .await?;
    finish_run(&mut tx, claimed.run_id, now, "failed", Some(&error)).await?;
    tx.commit().await?;
    Ok(())
}

/// 10 s, 20 s, 40 s, … up to an hour between tries.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    Duration::seconds((10i64 << exponent).min(3600))
}

async fn finish_run(
    conn: &mut Conn,
    run_id: i64,
    now: Timestamp,
    outcome: &str,
    error: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE job_runs SET finished_at = $1, outcome = $2, error = $3 WHERE id = $4")
        .bind(now)
        .bind(outcome)
        .bind(error)
        .bind(run_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list(
    app: &App,
    actor: &Actor,
    state: Option<JobState>,
    limit: i64,
) -> Result<Vec<JobRecord>> {
    authorize(actor, Action::ViewJobs)?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR state = $1) ORDER BY id DESC LIMIT $2"
    ))
    .bind(state)
    .bind(limit)
    .fetch_all(app.db.pool())
    .await?)
}

pub async fn counts(app: &App, actor: &Actor) -> Result<Vec<(JobState, i64)>> {
    authorize(actor, Action::ViewJobs)?;
    let rows: Vec<(JobState, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state")
            .fetch_all(app.db.pool())
            .await?;
    Ok(JobState::ALL
        .into_iter()
        .map(|s| (s, rows.iter().find(|(r, _)| *r == s).map_or(0, |(_, n)| *n)))
        .collect())
}

/// Puts a dead job back in the queue with a fresh set of tries.
pub async fn retry(app: &App, actor: &Actor, id: i64) -> Result<JobRecord> {
    authorize(actor, Action::ManageJobs)?;
    let mut tx = app.db.begin().await?;
    let before: JobRecord = sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    if before.state != JobState::Dead {
        return Err(Error::Conflict(FieldError::general(Code::JobNotDead)));
    }
    let now = app.now();
    let after: JobRecord = sqlx::query_as(&format!(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1, finished_at = NULL \
         WHERE id = $2 RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new("job", id),
        "retry",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(super::backoff(1).num_seconds(), 10);
        assert_eq!(super::backoff(2).num_seconds(), 20);
        assert_eq!(super::backoff(4).num_seconds(), 80);
        assert_eq!(super::backoff(30).num_seconds(), 3600);
    }
}
