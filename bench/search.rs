//! Search at scale: the time to rebuild the index from 1,000,000 demands,
//! search latency for words in the four languages, and similar-demand
//! suggestions — on the database `cargo bench --bench demands` leaves.
//!
//!     BENCH_DATABASE_URL=sqlite:///work/benchdb/1m.db cargo bench --bench search
//!
//! The demands bench writes short English texts; this one first gives each
//! demand the title and body of one of the labelled demands in
//! `bench/cluster/` (four languages), numbered, so that queries meet real
//! text. Set BENCH_KEEP_TEXT=1 to skip that step on a second run.

#[path = "common.rs"]
mod common;

use std::time::{Duration, Instant};

use liaison::auth::Actor;
use liaison::search::service::SearchRequest;

fn texts() -> Vec<(String, String)> {
    ["bench/cluster/dev.jsonl", "bench/cluster/holdout.jsonl"]
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .expect("the labelled sets")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
                    (
                        v["title"].as_str().unwrap_or_default().to_string(),
                        v["body"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn give_real_text(app: &liaison::App) -> anyhow::Result<()> {
    let texts = texts();
    let mut tx = app.db.begin().await?;
    sqlx::query("CREATE TEMPORARY TABLE bench_texts (k BIGINT PRIMARY KEY, title TEXT, body TEXT)")
        .execute(&mut *tx)
        .await?;
    for (k, (title, body)) in texts.iter().enumerate() {
        sqlx::query("INSERT INTO bench_texts (k, title, body) VALUES ($1, $2, $3)")
            .bind(k as i64)
            .bind(title)
            .bind(body)
            .execute(&mut *tx)
            .await?;
    }
    let n = texts.len() as i64;
    let start = Instant::now();
    sqlx::query(&format!(
        "UPDATE demands SET title = (SELECT t.title FROM bench_texts t WHERE t.k = demands.id % {n}) \
         || ' ' || CAST(id AS TEXT), body = (SELECT t.body FROM bench_texts t WHERE t.k = demands.id % {n})"
    ))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    println!(
        "texts of {} labelled demands given to every demand: {:.1} s",
        texts.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "| {name} | {} | {} | {} |",
        times.len(),
        common::ms(common::percentile(&times, 0.5)),
        common::ms(common::percentile(&times, 0.99))
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (_dir, app) = common::open_app().await?;
    if std::env::var("BENCH_KEEP_TEXT").is_err() {
        give_real_text(&app).await?;
    }
    let start = Instant::now();
    let items = liaison::search::follower::rebuild(&app).await?;
    println!(
        "reindex: {items} items in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let system = Actor::system();
    let queries = [
        "通关",
        "留抵退税",
        "出口退税",
        "停电",
        "宿舍",
        "排污许可证",
        "暖气",
        "工作许可",
        "通関",
        "還付",
        "停電",
        "就労許可",
        "社会保険",
        "電力",
        "補助金",
        "駐在員",
        "통관",
        "환급",
        "취업허가",
        "정전",
        "기숙사",
        "보조금",
        "폐수",
        "스팀",
        "customs",
        "refund",
        "power outage",
        "work permit",
        "fapiao",
        "heating",
        "VAT",
        "税",
        "检查 延误",
        "RCEP",
    ];
    println!("| measure | runs | p50 | p99 |\n|---|---|---|---|");
    let mut times = Vec::new();
    for round in 0..20 {
        for q in queries {
            let request = SearchRequest {
                q: q.into(),
                ..Default::default()
            };
            let start = Instant::now();
            let results = liaison::search::service::search(&app, &system, &request).await?;
            times.push(start.elapsed());
            if round == 0 && results.groups.is_empty() {
                println!("(no results for {q})");
            }
        }
    }
    report("search, 34 queries in 4 languages, all kinds", times);
    let mut times = Vec::new();
    for i in 0..200u64 {
        let id = (i * 4999 % 1_000_000 + 1) as i64;
        let start = Instant::now();
        liaison::problems::similar::similar(&app, &system, id, liaison::i18n::Locale::En).await?;
        times.push(start.elapsed());
    }
    report("similar demands for one demand", times);
    Ok(())
}
