//! What the benchmarks share: timing requests one after another, signing in
//! a browser session, and load from `wrk`.

#![allow(dead_code)]

use std::time::{Duration, Instant};

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Sends `n` GETs one after another; the median and 99th percentile.
pub async fn measure(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    cookie: Option<&str>,
    n: usize,
) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let mut request = client.get(url);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        let start = Instant::now();
        let response = request.send().await.expect("a response");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        let _ = response.bytes().await.expect("a body");
        times.push(start.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Signs in through the login form; the session cookie as a header value.
pub async fn session(base: &str, username: &str, password: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login_page = client.get(format!("{base}/login")).send().await?;
    let csrf = login_page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("liaison_csrf="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    let login = client
        .post(format!("{base}/login"))
        .header("cookie", format!("liaison_csrf={csrf}"))
        .form(&[
            ("username", username),
            ("password", password),
            ("_csrf", csrf.as_str()),
        ])
        .send()
        .await?;
    login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("liaison_session="))
        .map(|c| {
            format!(
                "liaison_session={}",
                c.split(';').next().unwrap_or_default()
            )
        })
        .ok_or_else(|| anyhow::anyhow!("{username} could not sign in"))
}

/// What `wrk` measured.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Socket errors plus non-2xx/3xx answers.
    pub errors: u64,
}

/// `wrk -t2 -c16 -d{seconds}s --latency` with a cookie, parsed.
pub fn wrk(url: &str, cookie: &str, seconds: u64) -> anyhow::Result<Load> {
    let output = std::process::Command::new("wrk")
        .args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency"])
        .args(["-H", &format!("Cookie: {cookie}")])
        .arg(url)
        .output()
        .map_err(|e| anyhow::anyhow!("wrk did not run ({e}); install it: apt-get install wrk"))?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let number_after = |label: &str| -> Option<String> {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .and_then(|l| l.trim_start()[label.len()..].split_whitespace().next())
            .map(str::to_string)
    };
    let latency = |label: &str| -> anyhow::Result<f64> {
        let raw = number_after(label).ok_or_else(|| anyhow::anyhow!("no {label} in:\n{text}"))?;
        let (value, unit) =
            raw.split_at(raw.find(|c: char| c.is_alphabetic()).unwrap_or(raw.len()));
        let value: f64 = value.parse()?;
        Ok(match unit {
            "us" => value / 1000.0,
            "s" => value * 1000.0,
            _ => value,
        })
    };
    let count = |label: &str| -> u64 {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| {
                l.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum()
            })
            .unwrap_or(0)
    };
    Ok(Load {
        requests_per_second: number_after("Requests/sec:")
            .ok_or_else(|| anyhow::anyhow!("wrk printed no rate:\n{text}"))?
            .parse()?,
        p50_ms: latency("50%")?,
        p99_ms: latency("99%")?,
        errors: count("Socket errors:") + count("Non-2xx or 3xx responses:"),
    })
}

/// The `n`th made-up unified social credit code (valid check character).
pub fn uscc(n: usize) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut first = String::from("91210200MA");
    let mut rest = n;
    for _ in 0..7 {
        first.push(A[rest % 31] as char);
        rest /= 31;
    }
    liaison::enterprises::uscc::with_check_character(&first).expect("a valid prefix")
}

/// The app on `BENCH_DATABASE_URL`, or on SQLite in a temporary
/// directory (kept alive by the returned guard), logging warnings only.
pub async fn open_app() -> anyhow::Result<(tempfile::TempDir, liaison::App)> {
    let dir = tempfile::tempdir()?;
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let overrides = liaison::config::Overrides {
        database_url: Some(url.clone()),
        addr: Some("127.0.0.1:0".into()),
    };
    let mut config = liaison::config::Config::load_from(None, Vec::new(), &overrides)?;
    config.log.level = "warn".into();
    let app =
        liaison::App::open_with_clock(config, std::sync::Arc::new(liaison::clock::SystemClock))
            .await?;
    println!("database: {}", liaison::config::redact_url(&url));
    Ok((dir, app))
}

/// Serves `app` on a free loopback port; the base URL.
pub async fn serve(app: &liaison::App) -> anyhow::Result<String> {
    let server = liaison::startup::Server::bind(app.clone(), "127.0.0.1:0".parse()?, false).await?;
    let base = format!("http://{}", server.local_addr());
    tokio::spawn(server.run(std::future::pending()));
    Ok(base)
}

/// An account with `password`; its id.
pub async fn user(
    app: &liaison::App,
    name: &str,
    role: &str,
    department: Option<i64>,
    password: &str,
) -> anyhow::Result<i64> {
    let profile = liaison::users::Profile {
        display_name: name.into(),
        role: role.into(),
        department_id: department,
        ..liaison::users::Profile::default()
    };
    let system = liaison::auth::Actor::system();
    Ok(
        liaison::users::service::create(app, &system, name, password, &profile)
            .await?
            .id,
    )
}
