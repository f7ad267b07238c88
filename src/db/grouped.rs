//! Group commit: small writes that arrive together share one transaction.
//!
//! A durable commit costs a flush to disk (at SQLite's `synchronous = FULL`
//! one fsync, a few milliseconds), whatever it holds. Writes handed to
//! [`GroupCommit::write`] go to one writer task; it runs every write that is
//! waiting, each inside its own savepoint (one that fails is undone alone),
//! commits them together and only then answers each caller. While a batch
//! is being flushed the next one gathers, so under load the flush is shared
//! and when idle a write waits for no one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{Mutex, mpsc, oneshot};

use sqlx::pool::PoolConnection;
use sqlx::{AnyPool, Connection};

use super::{Backend, Conn};

/// At most this many writes share a commit, so one batch cannot hold the
/// write lock for long.
const MAX_BATCH: usize = 128;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a write does inside the shared transaction.
pub type Work<T, E> =
    Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, E>> + Send + 'static>;

/// A write type-erased for the writer: run it, learn whether it succeeded,
/// and hand it the commit's fate to answer its caller with.
type Job = Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Ran> + Send + 'static>;

struct Ran {
    succeeded: bool,
    answer: Answer,
}

/// Tells a caller how its write ended, given whether the batch committed.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

#[derive(Clone)]
pub struct GroupCommit {
    sender: mpsc::UnboundedSender<Job>,
    committed: Arc<AtomicU64>,
}

impl GroupCommit {
    /// Starts the writer task (needs a Tokio runtime). It ends when the
    /// last handle is dropped.
    pub(super) fn start(pool: AnyPool, backend: Backend) -> GroupCommit {
        let (sender, receiver) = mpsc::unbounded_channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let committed = Arc::new(AtomicU64::new(0));
        let counter = committed.clone();
        tokio::spawn(async move {
            // A write that panics takes its batch down (nothing in it was
            // acknowledged) but not the writer: start it again.
            loop {
                let run = tokio::spawn(write_batches(
                    pool.clone(),
                    backend,
                    receiver.clone(),
                    counter.clone(),
                ));
                match run.await {
                    Ok(()) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "group commit writer stopped; restarting")
                    }
                }
            }
        });
        GroupCommit { sender, committed }
    }

    /// How many batches have been committed since start.
    pub fn batches_committed(&self) -> u64 {
        self.committed.load(Ordering::Relaxed)
    }

    /// Runs `work` in a transaction shared with the writes waiting beside
    /// it; its result once that transaction is committed. An error from
    /// `work` undoes its own changes only.
    pub async fn write<T, E>(&self, work: Work<T, E>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<anyhow::Error> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn: &mut Conn| {
            Box::pin(async move {
                let outcome = work(conn).await;
                let succeeded = outcome.is_ok();
                let answer = Box::new(move |committed: Result<(), String>| {
                    let result = match committed {
                        Ok(()) => outcome,
                        Err(e) => Err(E::from(anyhow::anyhow!("the write was not committed: {e}"))),
                    };
                    let _ = reply.send(result);
                }) as Answer;
                Ran { succeeded, answer }
            }) as BoxFuture<'_, Ran>
        });
        self.sender
            .send(job)
            .map_err(|_| E::from(anyhow::anyhow!("the writer has stopped")))?;
        answer
            .await
            .map_err(|_| E::from(anyhow::anyhow!("the write was abandoned")))?
    }
}

async fn write_batches(
    pool: AnyPool,
    backend: Backend,
    receiver: Arc<Mutex<mpsc::UnboundedReceiver<Job>>>,
    committed: Arc<AtomicU64>,
) {
    let mut receiver = receiver.lock().await;
    // The writer keeps its connection: taking one from the pool for each
    // batch would queue it behind every reader of a busy server.
    let mut held: Option<PoolConnection<sqlx::Any>> = None;
    loop {
        let first = tokio::select! {
            job = receiver.recv() => job,
            // A closing pool closes its connections as they come back.
            _ = pool.close_event(), if held.is_some() => {
                held = None;
                continue;
            }
        };
        let Some(first) = first else { break };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut answers = Vec::with_capacity(batch.len());
        let outcome = match held.take() {
            Some(conn) => Ok(conn),
            None => pool.acquire().await,
        };
        let outcome = match outcome {
            Ok(mut conn) => {
                let outcome = run_batch(&mut conn, backend, batch, &mut answers).await;
                // A connection that failed a batch may be broken: the next
                // batch takes a fresh one.
                if outcome.is_ok() {
                    held = Some(conn);
                }
                outcome
            }
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(()) => {
                committed.fetch_add(1, Ordering::Relaxed);
            }
            // Every caller of the batch hears of it, but only as "not
            // committed" or "abandoned": the cause is told here, once.
            Err(e) => tracing::error!(error = %e, "a group commit batch failed"),
        }
        let outcome = outcome.map_err(|e| e.to_string());
        for answer in answers {
            answer(outcome.clone());
        }
    }
}

/// Runs each job in its own savepoint of one transaction and commits it;
/// collects how to answer each job that ran (one that never ran is dropped,
/// and its caller hears the write was abandoned).
async fn run_batch(
    conn: &mut Conn,
    backend: Backend,
    batch: Vec<Job>,
    answers: &mut Vec<Answer>,
) -> sqlx::Result<()> {
    // A job dropped before it ran answers its caller "abandoned".
    let mut tx = match backend {
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => conn.begin().await?,
    };
    let mut jobs = batch.into_iter().peekable();
    // Each job runs inside the savepoint `job`. Closing one and opening the
    // next go to the database together: a round trip to it costs more than
    // the statements.
    if jobs.peek().is_some() {
        statements(&mut tx, "SAVEPOINT job").await?;
    }
    while let Some(job) = jobs.next() {
        let ran = job(&mut tx).await;
        let close = if ran.succeeded {
            "RELEASE SAVEPOINT job"
        } else {
            "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job"
        };
        let open_next = if jobs.peek().is_some() {
            "; SAVEPOINT job"
        } else {
            ""
        };
        statements(&mut tx, &format!("{close}{open_next}")).await?;
        answers.push(ran.answer);
    }
    tx.commit().await
}

/// Runs `sql`, which may hold several statements, in one round trip.
fn statements<'c>(conn: &'c mut Conn, sql: &'c str) -> BoxFuture<'c, sqlx::Result<()>> {
    Box::pin(async move {
        sqlx::Executor::execute(conn, sqlx::raw_sql(sql)).await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    async fn insert(db: &Db, n: i64, gate: Option<oneshot::Receiver<()>>) -> anyhow::Result<i64> {
        db.grouped()
            .write(Box::new(move |conn: &mut Conn| {
                Box::pin(async move {
                    if let Some(gate) = gate {
                        let _ = gate.await;
                    }
                    anyhow::ensure!(n != 3, "three is refused");
                    sqlx::query("INSERT INTO t (n) VALUES ($1)")
                        .bind(n)
                        .execute(&mut *conn)
                        .await?;
                    Ok(n)
                })
            }))
            .await
    }

    #[tokio::test]
    async fn writes_waiting_together_commit_together_and_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("g.db").display());
        let db = Db::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(db.pool())
            .await
            .unwrap();
        // The first write holds its batch open until the others queue up.
        let (open, gate) = oneshot::channel();
        let first = tokio::spawn({
            let db = db.clone();
            async move { insert(&db, 0, Some(gate)).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let rest: Vec<_> = (1..=9)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move { insert(&db, n, None).await })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(db.grouped().batches_committed(), 0, "nothing committed yet");
        open.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 0);
        let mut answers = Vec::new();
        for r in rest {
            answers.push(r.await.unwrap().map_err(|e| e.to_string()));
        }
        assert_eq!(answers[2], Err("three is refused".to_string()));
        assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 8);
        assert_eq!(
            db.grouped().batches_committed(),
            2,
            "the first write alone, then the nine that waited"
        );
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(stored, [0, 1, 2, 4, 5, 6, 7, 8, 9]);
    }
}
