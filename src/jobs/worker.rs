//! The worker loop: schedule periodic jobs, claim one, run it, record it.

use std::time::Duration as StdDuration;

use chrono::Duration;
use tokio::sync::watch;

use crate::app::App;
use crate::db::Timestamp;
use crate::jobs::{PurgeExpired, dispatch, queue};

/// A name for this worker in job history: host, process and a counter.
pub fn worker_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "liaison".into());
    format!(
        "{host}:{}:{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs until `shutdown` turns true. A job in progress is finished first.
pub async fn run(app: App, worker: String, mut shutdown: watch::Receiver<bool>) {
    tracing::info!(worker, "job worker started");
    let poll = StdDuration::from_millis(app.config.jobs.poll_interval_ms.unsigned_abs());
    let mut next_schedule = tokio::time::Instant::now();
    while !*shutdown.borrow() {
        if tokio::time::Instant::now() >= next_schedule {
            if let Err(e) = schedule_periodic(&app).await {
                tracing::error!(error = format!("{e:#}"), "scheduling periodic jobs failed");
            }
            next_schedule = tokio::time::Instant::now() + StdDuration::from_secs(30);
        }
        match run_one(&app, &worker).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = format!("{e:#}"), "job queue unavailable"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!(worker, "job worker stopped");
}

/// Claims and runs one due job. Returns whether there was one.
pub async fn run_one(app: &App, worker: &str) -> anyhow::Result<bool> {
    let Some(claimed) = queue::claim(app, worker).await? else {
        return Ok(false);
    };
    let job = &claimed.job;
    let started = std::time::Instant::now();
    match dispatch(app, &job.kind, &job.payload).await {
        Ok(()) => {
            if !queue::complete(app, &claimed, worker).await? {
                tracing::warn!(
                    job_id = job.id,
                    kind = job.kind,
                    "job finished after its lease passed on"
                );
            }
            tracing::info!(
                job_id = job.id,
                kind = job.kind,
                ms = started.elapsed().as_millis() as u64,
                "job done"
            );
        }
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(
                job_id = job.id,
                kind = job.kind,
                attempt = job.attempts,
                error,
                "job failed"
            );
            queue::fail(app, &claimed, worker, &error).await?;
        }
    }
    Ok(true)
}

/// Runs due jobs until none is left; for tests and one-off maintenance.
pub async fn drain(app: &App) -> anyhow::Result<usize> {
    let worker = worker_name();
    let mut count = 0;
    while run_one(app, &worker).await? {
        count += 1;
    }
    Ok(count)
}

/// Enqueues the periodic jobs of the current time slot. The slot's dedupe
/// key makes this safe to call from every instance, as often as we like.
pub async fn schedule_periodic(app: &App) -> anyhow::Result<()> {
    let purge = app.config.jobs.purge_interval_minutes;
    enqueue_in_slot(app, &PurgeExpired {}, purge).await?;
    let supervise = app.config.demands.supervise_interval_minutes;
    enqueue_in_slot(
        app,
        &crate::demands::supervision::SuperviseDemands {},
        supervise,
    )
    .await
}

/// Enqueues `job` once for the current slot of `minutes`.
async fn enqueue_in_slot<J: crate::jobs::Job>(
    app: &App,
    job: &J,
    minutes: i64,
) -> anyhow::Result<()> {
    let minutes = minutes.max(1);
    let now = app.now();
    let slot = now.0.timestamp() / (minutes * 60);
    let slot_start =
        Timestamp(chrono::DateTime::from_timestamp(slot * minutes * 60, 0).unwrap_or(now.0));
    let key = format!("{}:{slot}", J::KIND);
    let mut conn = app.db.pool().acquire().await?;
    queue::enqueue(
        &mut conn,
        app,
        job,
        slot_start.min(now + Duration::zero()),
        Some(&key),
    )
    .await?;
    Ok(())
}
