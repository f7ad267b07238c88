//! The job queue: retries with back-off, the dead state, the purge job, and
//! two worker processes sharing one database running each job exactly once.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use liaison::jobs::queue::{self, JobState};
use liaison::jobs::{Job, PurgeExpired, worker};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use crate::helpers::{TestApp, advance, codes};

/// A job kind the dispatcher does not know, so it always fails.
#[derive(Serialize, Deserialize)]
struct NoSuchKind {}

impl Job for NoSuchKind {
    const KIND: &'static str = "no_such_kind";
    async fn run(&self, _: &liaison::App) -> anyhow::Result<()> {
        Ok(())
    }
}

async fn enqueue<J: Job>(t: &TestApp, job: &J, key: Option<&str>) -> Option<i64> {
    let mut conn = t.app.db.pool().acquire().await.unwrap();
    queue::enqueue(&mut conn, &t.app, job, t.app.now(), key)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_failing_job_backs_off_then_dies_and_an_admin_can_retry_it() {
    let t = TestApp::builder()
        .config(|c| c.jobs.max_attempts = 3)
        .spawn()
        .await;
    let id = enqueue(&t, &NoSuchKind {}, None).await.unwrap();
    assert_eq!(worker::drain(&t.app).await.unwrap(), 1);
    assert_eq!(
        worker::drain(&t.app).await.unwrap(),
        0,
        "backing off: not due yet"
    );
    advance(&t, 1);
    assert_eq!(
        worker::drain(&t.app).await.unwrap(),
        1,
        "second try after 10 s"
    );
    advance(&t, 1);
    assert_eq!(
        worker::drain(&t.app).await.unwrap(),
        1,
        "third and last try"
    );
    advance(&t, 60);
    assert_eq!(
        worker::drain(&t.app).await.unwrap(),
        0,
        "dead jobs are not run"
    );

    let admin = t.user("root", "admin", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    let (status, dead) = api.get("/api/v1/jobs?state=dead").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dead[0]["id"], id);
    assert_eq!(dead[0]["attempts"], 3);
    assert!(
        dead[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("unknown job kind")
    );
    let browser = t.signed_in("root").await;
    let (_, page) = browser.page("/admin/jobs?state=dead").await;
    assert!(page.contains("no_such_kind") && page.contains(&format!("/admin/jobs/{id}/retry")));

    let (status, retried) = api
        .post(&format!("/api/v1/jobs/{id}/retry"), serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(retried["state"], "queued");
    assert_eq!(retried["attempts"], 0);
    let (status, body) = api
        .post(&format!("/api/v1/jobs/{id}/retry"), serde_json::json!({}))
        .await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::CONFLICT, vec!["job_not_dead".to_string()])
    );
    assert_eq!(t.events_of("job", id).await.len(), 1);
}

#[tokio::test]
async fn the_purge_job_removes_expired_sessions_and_tokens() {
    let t = TestApp::spawn().await;
    let amy = t.user("amy", "admin", None, None).await;
    let _browser = t.signed_in("amy").await;
    liaison::auth::tokens::issue(
        &t.app,
        &liaison::auth::Actor::system(),
        amy.id,
        "short",
        Some(1),
    )
    .await
    .unwrap();
    let pool = t.app.db.pool().clone();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            n
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 1);
    advance(&t, 40 * 24 * 60);
    worker::schedule_periodic(&t.app).await.unwrap();
    worker::schedule_periodic(&t.app).await.unwrap();
    let queued: Vec<_> = queue::list(
        &t.app,
        &liaison::auth::Actor::system(),
        Some(JobState::Queued),
        10,
    )
    .await
    .unwrap();
    let kinds: Vec<&str> = queued.iter().map(|j| j.kind.as_str()).collect();
    assert_eq!(
        kinds.len(),
        2,
        "scheduling twice in one slot queues each periodic job once: {kinds:?}"
    );
    assert!(kinds.contains(&"purge_expired") && kinds.contains(&"supervise_demands"));
    assert_eq!(worker::drain(&t.app).await.unwrap(), 2);
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM api_tokens").await, 0);
    let events = t.events_of("system", 0).await;
    assert_eq!(events, [("purge".to_string(), "system".to_string())]);
}

#[tokio::test]
async fn the_event_log_is_append_only() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let update = sqlx::query("UPDATE events SET action = 'forged'")
        .execute(t.app.db.pool())
        .await;
    assert!(update.is_err(), "events cannot be changed");
    let delete = sqlx::query("DELETE FROM events")
        .execute(t.app.db.pool())
        .await;
    assert!(delete.is_err(), "events cannot be deleted");
}

#[tokio::test]
async fn two_worker_processes_run_each_job_exactly_once() {
    let t = TestApp::spawn().await;
    let spawn = || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("worker")
            .env("LIAISON_DATABASE_URL", &t.database_url)
            .env("LIAISON_JOBS__POLL_INTERVAL_MS", "20")
            .env("LIAISON_LOG__LEVEL", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the worker says it runs, so both are polling before work arrives.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut said = Vec::new();
        let started = lines.any(|l| {
            let l = l.unwrap_or_default();
            said.push(l.clone());
            l.contains("job worker started")
        });
        assert!(
            started,
            "the worker starts; it said:\n{}\nexit: {:?}",
            said.join("\n"),
            child.wait()
        );
        std::thread::spawn(move || lines.for_each(drop));
        child
    };
    let mut workers = [spawn(), spawn()];
    let mut tx = t.app.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..JOBS {
        let key = format!("test-{i}");
        ids.push(
            queue::enqueue(&mut tx, &t.app, &PurgeExpired {}, t.app.now(), Some(&key))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND dedupe_key LIKE 'test-%'",
        )
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
        if done == JOBS {
            break;
        }
        assert!(Instant::now() < deadline, "only {done} of {JOBS} jobs done");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for w in &mut workers {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(w.id().to_string())
            .status();
    }
    for w in &mut workers {
        let status = w.wait().unwrap();
        assert!(
            status.success(),
            "a worker stops cleanly on SIGTERM: {status}"
        );
    }
    let runs: Vec<(i64, i64)> =
        sqlx::query_as("SELECT job_id, COUNT(*) FROM job_runs GROUP BY job_id ORDER BY job_id")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap();
    for id in &ids {
        let run = runs
            .iter()
            .find(|r| r.0 == *id)
            .unwrap_or_else(|| panic!("job {id} never ran"));
        assert_eq!(run.1, 1, "job {id} was started {} times", run.1);
    }
    let workers_used: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT r.worker) FROM job_runs r JOIN jobs j ON j.id = r.job_id WHERE j.dedupe_key LIKE 'test-%'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    // On PostgreSQL the two claim side by side (SKIP LOCKED); SQLite's write
    // lock is not fair between processes, so there one may do all the work.
    if t.db.is_postgres() {
        assert_eq!(workers_used, 2, "both workers took part");
    } else {
        assert!((1..=2).contains(&workers_used));
    }
}

const JOBS: i64 = 300;
