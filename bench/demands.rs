//! Demands at scale (issue 5): 1,000,000 demands with their events, four
//! years of a city's history. Measures, against the real server:
//! the department inbox and the coordinator's queue under `wrk -t2 -c16`,
//! the demand page and the figures page one request after another, and
//! durable creation from 16 concurrent API clients (SQLite with
//! `synchronous = FULL`: a demand is on disk before it is acknowledged).
//!
//! Run: `cargo bench --bench demands` (SQLite in a temporary directory;
//! needs `wrk`: `apt-get install wrk`). `BENCH_DEMANDS` changes the
//! size (default 1000000), `BENCH_SECONDS` each load's length
//! (default 10), `BENCH_DATABASE_URL` the database (an empty one).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use liaison::App;
use liaison::auth::{Actor, tokens};
use liaison::db::Timestamp;
use liaison::demands::categories::{self, CategoryDraft};
use liaison::org::DepartmentDraft;
use liaison::sheets::{self, Format};

#[path = "common.rs"]
mod common;
use common::{measure, ms, uscc, wrk};

const BUREAUS: usize = 12;
const ENTERPRISES: usize = 2000;
const PASSWORD: &str = "bench-password-1";
const YEARS: i64 = 4;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator; the data need not be random, only varied.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn day(t: chrono::DateTime<Utc>, plus_days: i64) -> String {
    (t + chrono::Duration::days(plus_days) + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

fn quoted(t: Option<chrono::DateTime<Utc>>) -> String {
    t.map_or("NULL".into(), |t| format!("'{}'", Timestamp(t).to_db()))
}

fn text(s: Option<&str>) -> String {
    s.map_or("NULL".into(), |s| format!("'{s}'"))
}

/// Writes `count` demands and their events in bulk (set-up, not measured):
/// old ones mostly closed and rated, recent ones in every open state, a few
/// old ones left overdue.
async fn generate(
    app: &App,
    count: u64,
    departments: &[i64],
    categories: &[i64],
    coordinator: i64,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let span = chrono::Duration::days(365 * YEARS);
    let mut mix = Mix(0x5eed_1234_abcd_ef01);
    let batch = 400;
    let mut id: u64 = 0;
    let mut tx = app.db.begin().await?;
    while id < count {
        let mut demand_rows = Vec::with_capacity(batch);
        let mut event_rows = Vec::with_capacity(batch * 2);
        for _ in 0..batch.min((count - id) as usize) {
            id += 1;
            let submitted = now - span + span * (id as i32) / (count as i32).max(1);
            let age_days = (now - submitted).num_days();
            let which = mix.below(BUREAUS as u64) as usize;
            let (department, category) = (departments[which], categories[which]);
            let enterprise = 1 + mix.below(ENTERPRISES as u64);
            let roll = mix.below(100);
            // Old demands are closed but for a few left overdue; recent
            // ones spread over the open states.
            let state = if age_days > 30 {
                match roll {
                    0 => "assigned",
                    1 => "in_progress",
                    2..=4 => "rejected",
                    _ => "closed",
                }
            } else {
                match roll {
                    0..=9 => "submitted",
                    10..=14 => "accepted",
                    15..=29 => "assigned",
                    30..=54 => "in_progress",
                    55..=59 => "awaiting_enterprise",
                    60..=74 => "replied",
                    75..=77 => "rejected",
                    _ => "closed",
                }
            };
            let h = |hours: i64| Some(submitted + chrono::Duration::hours(hours));
            let reached = |s: &[&str]| s.contains(&state);
            let accepted = reached(&[
                "accepted",
                "assigned",
                "in_progress",
                "awaiting_enterprise",
                "replied",
                "closed",
            ]);
            let assigned = accepted && state != "accepted";
            let signed = reached(&["in_progress", "awaiting_enterprise", "replied", "closed"]);
            let replied = reached(&["replied", "closed"]);
            let late = mix.below(10) == 0;
            let reply_after = 24 * (1 + mix.below(if late { 30 } else { 10 }) as i64);
            let rating = match (state, mix.below(10)) {
                ("closed", 0) => Some("unsatisfied"),
                ("closed", 1..=2) => Some("basically_satisfied"),
                ("closed", 3..=8) => Some("satisfied"),
                _ => None,
            };
            let closure = match (state, rating) {
                ("closed", Some(_)) => Some("rated"),
                ("closed", None) => Some("not_rated"),
                _ => None,
            };
            let outcome = replied.then(|| match mix.below(10) {
                0 => "explained",
                1..=2 => "partly_resolved",
                _ => "resolved",
            });
            let lang = ["ja", "ko", "zh-CN", "en"][mix.below(4) as usize];
            demand_rows.push(format!(
                "({enterprise}, '[{lang}] demand {id}', 'Bench demand {id}: supply, customs or permits.', '{lang}', \
                 {category}, 'normal', 'portal', '{state}', {lead}, {coordinator}, {submitted_at}, {accepted_at}, \
                 {rejected_at}, {assigned_at}, {sign_for_due}, {signed_at}, {reply_due}, {replied_at}, {outcome}, \
                 {reply}, {feedback_due}, {rating}, {rated_at}, {closed_at}, {closure}, 0, {returns}, \
                 {submitted_at}, {updated_at}, {signed_on_time}, {replied_on_time}, {handling_days})",
                lead = if assigned { department.to_string() } else { "NULL".into() },
                submitted_at = quoted(Some(submitted)),
                accepted_at = quoted(if accepted { h(3) } else { None }),
                rejected_at = quoted(if state == "rejected" { h(3) } else { None }),
                assigned_at = quoted(if assigned { h(5) } else { None }),
                sign_for_due = text(assigned.then(|| day(submitted, 1)).as_deref()),
                signed_at = quoted(if signed { h(if late { 60 } else { 20 }) } else { None }),
                reply_due = text(assigned.then(|| day(submitted, 5)).as_deref()),
                replied_at = quoted(if replied { h(reply_after) } else { None }),
                outcome = text(outcome),
                reply = text(replied.then_some("Handled with the departments concerned.")),
                feedback_due = text(replied.then(|| day(submitted, reply_after / 24 + 7)).as_deref()),
                rating = text(rating),
                rated_at = quoted(if rating.is_some() { h(reply_after + 48) } else { None }),
                closed_at = quoted(if closure.is_some() { h(reply_after + 48) } else { None }),
                closure = text(closure),
                returns = u64::from(mix.below(20) == 0),
                updated_at = quoted(Some(submitted)),
                signed_on_time = if signed { u8::from(!late).to_string() } else { "NULL".into() },
                replied_on_time = if replied {
                    u8::from(reply_after <= 24 * 5).to_string()
                } else {
                    "NULL".into()
                },
                handling_days = if replied {
                    (reply_after / 24 * 5 / 7).to_string()
                } else {
                    "NULL".into()
                },
            ));
            let at = quoted(Some(submitted));
            event_rows.push(format!(
                "({at}, {coordinator}, 'bench', 'demand', {id}, 'submit', NULL, \
                 '{{\"id\":{id},\"enterprise_id\":{enterprise},\"state\":\"submitted\",\"lang\":\"{lang}\",\"category_id\":{category}}}')"
            ));
            if state != "submitted" {
                event_rows.push(format!(
                    "({at}, {coordinator}, 'bench', 'demand', {id}, 'step', \
                     '{{\"id\":{id},\"state\":\"submitted\"}}', '{{\"id\":{id},\"state\":\"{state}\",\"lead_department_id\":{department}}}')"
                ));
            }
        }
        sqlx::query(&format!(
            "INSERT INTO demands (enterprise_id, title, body, lang, category_id, priority, source, state, \
             lead_department_id, submitted_by, submitted_at, accepted_at, rejected_at, assigned_at, sign_for_due, \
             signed_at, reply_due, replied_at, outcome, reply, feedback_due, rating, rated_at, closed_at, closure, \
             reopen_count, return_count, created_at, updated_at, signed_on_time, replied_on_time, \
             handling_days) VALUES {}",
            demand_rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO events (at, actor_user_id, actor_name, entity_type, entity_id, action, before_json, \
             after_json) VALUES {}",
            event_rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        if id % 50_000 < batch as u64 {
            tx.commit().await?;
            tx = app.db.begin().await?;
            eprint!("\r{id} demands");
        }
    }
    tx.commit().await?;
    eprintln!();
    // Written in bulk past the store: the figures' tallies are built once.
    let mut tx = app.db.begin().await?;
    liaison::demands::tally::rebuild(&mut tx).await?;
    tx.commit().await?;
    app.db.refresh_statistics().await?;
    Ok(())
}

/// 16 clients create demands through the API for `seconds`; returns the
/// acknowledged creations, the errors, and the elapsed time.
async fn create_concurrently(
    base: &str,
    token: &str,
    seconds: u64,
) -> anyhow::Result<(u64, u64, Duration)> {
    let acknowledged = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::new();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut clients = Vec::new();
    for c in 0..16u64 {
        let (client, acknowledged, errors) = (client.clone(), acknowledged.clone(), errors.clone());
        let url = format!("{base}/api/v1/demands");
        let token = token.to_string();
        clients.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let body = serde_json::json!({
                    "enterprise_id": 1 + (c * 7919 + n) % ENTERPRISES as u64,
                    "title": format!("通关延误 {c}-{n}"),
                    "body": "进口零部件通关时间较长，希望协调。",
                    "priority": "normal",
                    "source": "phone",
                });
                match client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => {
                        if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                            eprintln!(
                                "create failed: {} {}",
                                r.status(),
                                r.text().await.unwrap_or_default()
                            );
                        }
                    }
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                            eprintln!("create failed: {e}");
                        }
                    }
                }
            }
        }));
    }
    for c in clients {
        c.await?;
    }
    Ok((
        acknowledged.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
        start.elapsed(),
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count = env_number("BENCH_DEMANDS", 1_000_000);
    let seconds = env_number("BENCH_SECONDS", 10);
    let (_dir, app) = common::open_app().await?;

    let system = Actor::system();
    let city = liaison::org::service::create(
        &app,
        &system,
        &DepartmentDraft {
            parent_id: None,
            kind: "city".into(),
            name_zh: "大连市人民政府".into(),
            name_ja: None,
            name_ko: None,
            name_en: None,
        },
    )
    .await?
    .id;
    let mut departments = Vec::new();
    let mut categories_ = Vec::new();
    for n in 0..BUREAUS {
        let d = liaison::org::service::create(
            &app,
            &system,
            &DepartmentDraft {
                parent_id: Some(city),
                kind: "bureau".into(),
                name_zh: format!("大连市第{n}局"),
                name_ja: None,
                name_ko: None,
                name_en: None,
            },
        )
        .await?
        .id;
        departments.push(d);
        let c = categories::create(
            &app,
            &system,
            &CategoryDraft {
                parent_id: None,
                name_zh: format!("诉求类别{n}"),
                name_ja: None,
                name_ko: None,
                name_en: None,
                lead_department_id: Some(d),
                sla_kind: ["enquiry", "coordination", "complaint"][n % 3].into(),
            },
        )
        .await?;
        categories_.push(c.id);
    }
    let mut sheet = vec![vec![
        "uscc".to_string(),
        "name_zh".into(),
        "country".into(),
        "district".into(),
    ]];
    for n in 0..ENTERPRISES {
        sheet.push(vec![
            uscc(n),
            format!("大连测试企业{n}有限公司"),
            ["JP", "KR", "JP", "KR", "US", "DE"][n % 6].into(),
            ["jinpu", "ganjingzi", "hitech", "zhongshan"][n % 4].into(),
        ]);
    }
    let file = sheets::write(Format::Csv, "enterprises", &sheet)?;
    let report =
        liaison::enterprises::transfer::import(&app, &system, &file, Format::Csv, false).await?;
    anyhow::ensure!(report.imported, "enterprises did not import");
    let coordinator = common::user(&app, "coord", "coordinator", None, PASSWORD).await?;
    common::user(&app, "officer", "officer", Some(departments[0]), PASSWORD).await?;
    common::user(&app, "leader", "leader", None, PASSWORD).await?;

    let start = Instant::now();
    generate(&app, count, &departments, &categories_, coordinator).await?;
    println!(
        "set-up: {count} demands with their events in {:.0} s",
        start.elapsed().as_secs_f64()
    );

    let base = common::serve(&app).await?;
    let officer = common::session(&base, "officer", PASSWORD).await?;
    let coord = common::session(&base, "coord", PASSWORD).await?;
    let leader = common::session(&base, "leader", PASSWORD).await?;

    println!(
        "\n| under wrk -t2 -c16 -d{seconds}s | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|"
    );
    let loads = [
        (
            "department inbox: to sign for",
            format!("{base}/demands?state=assigned"),
            &officer,
        ),
        (
            "department inbox: in progress",
            format!("{base}/demands?state=in_progress%2Cawaiting_enterprise"),
            &officer,
        ),
        (
            "department inbox: overdue",
            format!("{base}/demands?overdue=true"),
            &officer,
        ),
        (
            "coordinator queue",
            format!("{base}/demands?state=submitted%2Creturned%2Cunsatisfied"),
            &coord,
        ),
    ];
    for (name, url, cookie) in &loads {
        // Measured warm, as a server runs: the first seconds after the bulk
        // set-up also compete with the kernel writing it to disk.
        wrk(url, cookie, 2)?;
        let load = wrk(url, cookie, seconds)?;
        println!(
            "| {name} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            load.requests_per_second, load.p50_ms, load.p99_ms, load.errors
        );
    }

    let client = reqwest::Client::new();
    println!("\n| one after another | n | median | p99 |\n|---|---|---|---|");
    let middle = count / 2;
    let (median, p99) = measure(
        &client,
        &format!("{base}/demands/{middle}"),
        None,
        Some(&coord),
        200,
    )
    .await;
    println!("| demand page | 200 | {} | {} |", ms(median), ms(p99));
    for (name, query) in [
        ("figures page, this year by department", ""),
        ("figures page, this year by country", "?by=country"),
        ("figures page, all four years", "?from=2022-01-01"),
    ] {
        let (median, p99) = measure(
            &client,
            &format!("{base}/demands/figures{query}"),
            None,
            Some(&leader),
            10,
        )
        .await;
        println!("| {name} | 10 | {} | {} |", ms(median), ms(p99));
    }

    let token = tokens::issue(&app, &system, coordinator, "bench", None)
        .await?
        .1;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM demands")
        .fetch_one(app.db.pool())
        .await?;
    let (acknowledged, errors, elapsed) = create_concurrently(&base, &token, seconds).await?;
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM demands")
        .fetch_one(app.db.pool())
        .await?;
    println!(
        "\ncreation, 16 clients for {seconds} s: {acknowledged} acknowledged ({:.0}/s), {errors} errors, {} new rows",
        acknowledged as f64 / elapsed.as_secs_f64(),
        after - before
    );
    anyhow::ensure!(
        after - before == acknowledged as i64,
        "every acknowledged demand is stored"
    );
    Ok(())
}
