//! The registry at scale (issue 4): 100,000 enterprises with contacts and
//! indicators. Measures the XLSX import of 100,000 rows, the filtered list
//! (API and page) and the enterprise page, against the real server.
//!
//! Run: `cargo bench --bench registry` (SQLite in a temporary directory),
//! or with `BENCH_DATABASE_URL=postgres://…/db` on PostgreSQL
//! (the database must exist and be empty). `BENCH_ROWS` changes
//! the size (default 100000).

use std::time::Instant;

use common::{measure, ms, uscc};

use liaison::auth::{Actor, tokens};
use liaison::sheets::{self, Format};

#[path = "common.rs"]
mod common;

const COUNTRIES: [&str; 6] = ["JP", "KR", "JP", "KR", "US", "DE"];
const DIVISIONS: [&str; 8] = ["13", "26", "34", "36", "38", "39", "59", "65"];
const DISTRICTS: [&str; 6] = [
    "jinpu",
    "ganjingzi",
    "hitech",
    "zhongshan",
    "jinzhou",
    "lushunkou",
];

fn sheet(rows: usize) -> Vec<Vec<String>> {
    let mut out = vec![
        [
            "uscc",
            "name_zh",
            "name_en",
            "country",
            "industry_code",
            "district",
            "employees",
            "main_products",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>(),
    ];
    for n in 0..rows {
        out.push(vec![
            uscc(n),
            format!("大连测试企业{n}有限公司"),
            format!("Dalian Test Enterprise {n} Co., Ltd."),
            COUNTRIES[n % COUNTRIES.len()].into(),
            DIVISIONS[n % DIVISIONS.len()].into(),
            DISTRICTS[n % DISTRICTS.len()].into(),
            (20 + n % 3000).to_string(),
            format!("零部件 {n}"),
        ]);
    }
    out
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let (_dir, app) = common::open_app().await?;

    // The import, measured end to end: reading the XLSX, checking every
    // row, and writing enterprises and events in one transaction.
    let file = sheets::write_xlsx("enterprises", &sheet(rows))?;
    println!(
        "xlsx file: {} rows, {:.1} MB",
        rows,
        file.len() as f64 / 1e6
    );
    let start = Instant::now();
    let report =
        liaison::enterprises::transfer::import(&app, &Actor::system(), &file, Format::Xlsx, false)
            .await?;
    let import_time = start.elapsed();
    assert!(
        report.imported && report.created == rows,
        "import failed: {} problems",
        report.problems.len()
    );
    println!(
        "import of {rows} rows (xlsx): {:.1} s",
        import_time.as_secs_f64()
    );

    // Contacts and indicators for every enterprise (set-up, not measured).
    let start = Instant::now();
    let mut tx = app.db.begin().await?;
    let now = app.now();
    for id in 1..=rows as i64 {
        sqlx::query("INSERT INTO contacts (enterprise_id, name, phone, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(id)
            .bind(format!("联系人 {id}"))
            .bind("0411-8765-4321")
            .bind(format!("c{id}@example.invalid"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (q, quarter) in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
            .iter()
            .enumerate()
        {
            sqlx::query(
                "INSERT INTO indicators (enterprise_id, period, metric, value, unit, currency, created_at, updated_at) \
                 VALUES ($1, $2, 'revenue', $3, 'ten_thousand', 'CNY', $4, $4)",
            )
            .bind(id)
            .bind(*quarter)
            .bind(format!("{}", 1000 + (id as usize * 7 + q * 13) % 5000))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    println!(
        "set-up of contacts and indicators: {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let user = common::user(&app, "bench", "coordinator", None, "bench-password-1").await?;
    let token = tokens::issue(&app, &Actor::system(), user, "bench", None)
        .await?
        .1;
    let base = common::serve(&app).await?;
    let client = reqwest::Client::new();

    let session = common::session(&base, "bench", "bench-password-1").await?;

    let n = 200;
    let cases = [
        ("API, no filter", format!("{base}/api/v1/enterprises")),
        (
            "API, country",
            format!("{base}/api/v1/enterprises?country=KR"),
        ),
        (
            "API, country + industry section + district",
            format!("{base}/api/v1/enterprises?country=JP&industry=C&district=jinpu"),
        ),
        (
            "API, status + sort by employees",
            format!("{base}/api/v1/enterprises?status=operating&sort=employees"),
        ),
        (
            "API, country + industry division (no match)",
            format!("{base}/api/v1/enterprises?country=JP&industry=36"),
        ),
        (
            "API, text search",
            format!("{base}/api/v1/enterprises?q=Enterprise%2099"),
        ),
        (
            "API, deep page (after id 90000)",
            format!("{base}/api/v1/enterprises?sort=newest&after=90000"),
        ),
    ];
    println!("\n| request ({n} each) | median | p99 |\n|---|---|---|");
    for (name, url) in &cases {
        let (median, p99) = measure(&client, url, Some(&token), None, n).await;
        println!("| {name} | {} | {} |", ms(median), ms(p99));
    }
    let pages = [
        (
            "page, list with country + industry filter",
            format!("{base}/enterprises?country=JP&industry=36"),
        ),
        (
            "page, one enterprise (profile, contacts, chart, timeline)",
            format!("{base}/enterprises/{}", rows / 2),
        ),
    ];
    for (name, url) in &pages {
        let (median, p99) = measure(&client, url, None, Some(&session), n).await;
        println!("| {name} | {} | {} |", ms(median), ms(p99));
    }
    Ok(())
}
