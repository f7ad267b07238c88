//! Background jobs: a table-backed queue of typed, idempotent jobs.
//!
//! `serve` runs a worker in-process (unless `--no-jobs`); `liaison worker`
//! runs one alone. On PostgreSQL several workers share the queue and each job
//! is claimed by exactly one of them (`FOR UPDATE SKIP LOCKED`); a job that
//! fails is retried with back-off and marked dead after `jobs.max_attempts`.
//! A job may still run twice if a worker dies between doing the work and
//! recording it, so every job must be idempotent.

mod purge;
pub mod queue;
pub mod web;
pub mod worker;

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::app::App;

pub use purge::PurgeExpired;

/// A kind of work. Its payload is the job value itself, stored as JSON.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stored in `jobs.kind`; never rename one that may be queued.
    const KIND: &'static str;

    fn run(&self, app: &App) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Runs a stored job by its kind. Every job type is listed here once.
pub(crate) async fn dispatch(app: &App, kind: &str, payload: &str) -> anyhow::Result<()> {
    match kind {
        PurgeExpired::KIND => run_stored::<PurgeExpired>(app, payload).await,
        crate::demands::supervision::SuperviseDemands::KIND => {
            run_stored::<crate::demands::supervision::SuperviseDemands>(app, payload).await
        }
        crate::problems::service::DeliverReply::KIND => {
            run_stored::<crate::problems::service::DeliverReply>(app, payload).await
        }
        crate::notifications::mail::DeliverMail::KIND => {
            run_stored::<crate::notifications::mail::DeliverMail>(app, payload).await
        }
        other => anyhow::bail!("unknown job kind {other:?}"),
    }
}

async fn run_stored<J: Job>(app: &App, payload: &str) -> anyhow::Result<()> {
    let job: J = serde_json::from_str(payload)?;
    job.run(app).await
}
