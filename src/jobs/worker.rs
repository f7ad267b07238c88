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
            next_schedule = tokio::time::Instant::now() + schedule_every(&app);
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

/// How often periodic jobs are looked at: every 30 s, or more often when
/// email is to go out sooner.
fn schedule_every(app: &App) -> StdDuration {
    let mut seconds = 30;
    if app.config.mail.enabled() {
        seconds = seconds.min(app.config.mail.interval_seconds.max(1));
    }
    StdDuration::from_secs(seconds.unsigned_abs())
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
    .await?;
    // Only when there is something to send, so an idle queue adds no rows.
    if app.config.mail.enabled() && crate::notifications::mail::any_due(app).await? {
        let seconds = app.config.mail.interval_seconds;
        enqueue_in_slot_of_seconds(app, &crate::notifications::mail::DeliverMail {}, seconds)
            .await?;
    }
    Ok(())
}

/// Enqueues `job` once for the current slot of `minutes`.
async fn enqueue_in_slot<J: crate::jobs::Job>(
    app: &App,
    job: &J,
    minutes: i64,
) -> anyhow::Result<()> {
    enqueue_in_slot_of_seconds(app, job, minutes.max(1) * 60).await
}

/// Enqueues `job` once for the current slot of `seconds`.
async fn enqueue_in_slot_of_seconds<J: crate::jobs::Job>(
    app: &App,
    job: &J,
    seconds: i64,
) -> anyhow::Result<()> {
    let seconds = seconds.max(1);
    let now = app.now();
    let slot = now.0.timestamp() / seconds;
    let slot_start =
        Timestamp(chrono::DateTime::from_timestamp(slot * seconds, 0).unwrap_or(now.0));
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
