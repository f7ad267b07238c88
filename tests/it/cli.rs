//! The binary: operator commands, `serve --demo`, clean shutdown, and one
//! clear line for each kind of bad start-up input.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::helpers::TestApp;

fn liaison() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_liaison"));
    // Settings from the environment of whoever runs the tests stay out.
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("LIAISON_")) {
        command.env_remove(name);
    }
    command.env("LANG", "en_US.UTF-8");
    command
}

fn run_with_stdin(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn operators_manage_accounts_from_the_command_line() {
    let t = TestApp::spawn().await;
    let url = t.database_url.clone();
    let mut create = liaison();
    create.args([
        "--database-url",
        &url,
        "user",
        "create",
        "--username",
        "ops",
        "--role",
        "admin",
        "--password-stdin",
    ]);
    let out = run_with_stdin(create, "a-long-enough-password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created user ops"));

    let mut again = liaison();
    again.args([
        "--database-url",
        &url,
        "user",
        "create",
        "--username",
        "ops",
        "--role",
        "admin",
        "--password",
        "a-long-enough-password",
    ]);
    let out = again.output().unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("username") && err.contains("username_taken"),
        "{err}"
    );

    let out = liaison()
        .args(["--database-url", &url, "user", "list"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("ops"));

    let out = liaison()
        .args([
            "--database-url",
            &url,
            "user",
            "issue-token",
            "ops",
            "--name",
            "ci",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_string();
    let (status, me) = t.api(&token).get("/api/v1/me").await;
    assert_eq!(
        status,
        reqwest::StatusCode::OK,
        "the CLI's token works on the API"
    );
    assert_eq!(me["username"], "ops");

    let out = liaison()
        .args(["--database-url", &url, "user", "disable", "ops"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the last administrator stays");
    assert!(
        text(&out.stderr).contains("last_admin"),
        "{}",
        text(&out.stderr)
    );
    t.user("second", "admin", None, None).await;
    let out = liaison()
        .args(["--database-url", &url, "user", "disable", "ops"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        t.api(&token).get("/api/v1/me").await.0,
        reqwest::StatusCode::UNAUTHORIZED
    );
    let out = liaison()
        .args(["--database-url", &url, "user", "enable", "ops"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut set = liaison();
    set.args([
        "--database-url",
        &url,
        "user",
        "set-password",
        "ops",
        "--password-stdin",
    ]);
    assert!(
        run_with_stdin(set, "another-long-password\n")
            .status
            .success()
    );
    assert_eq!(
        t.browser()
            .login("ops", "another-long-password")
            .await
            .status(),
        reqwest::StatusCode::SEE_OTHER
    );
    let out = liaison()
        .args(["--database-url", &url, "user", "revoke-token", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let actors: Vec<String> = t
        .events_of("user", 1)
        .await
        .into_iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(
        actors[0], "system",
        "CLI changes are recorded as the system operator"
    );
}

#[test]
fn config_print_shows_effective_settings_with_secrets_hidden() {
    let out = liaison()
        .args(["config", "print"])
        .env(
            "LIAISON_DATABASE_URL",
            "postgres://app:hunter2@db.example/liaison",
        )
        .env("LIAISON_SERVER__ADDR", "0.0.0.0:9000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown = text(&out.stdout);
    assert!(shown.contains("addr = \"0.0.0.0:9000\""), "{shown}");
    assert!(
        shown.contains("app:***@db.example") && !shown.contains("hunter2"),
        "{shown}"
    );
}

fn assert_one_clear_line(out: &Output, mentions: &str) {
    assert!(!out.status.success(), "exits non-zero");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(mentions),
        "names the problem ({mentions}): {err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn bad_start_up_input_gives_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = liaison();
        c.current_dir(dir.path()).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = run(
        &["serve", "--database-url", "mysql://root@localhost/x"],
        &[],
    );
    assert_one_clear_line(&out, "unsupported database scheme \"mysql\"");

    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let url = format!("sqlite://{}/data/liaison.db", blocker.display());
    let out = run(&["serve", "--database-url", &url], &[]);
    assert_one_clear_line(&out, "cannot create data directory");

    let out = run(
        &[
            "serve",
            "--database-url",
            "postgres://postgres@127.0.0.1:1/liaison",
        ],
        &[],
    );
    assert_one_clear_line(
        &out,
        "cannot connect to the database at postgres://postgres@127.0.0.1:1/liaison",
    );

    let out = run(&["serve"], &[("LIAISON_JOBS__POLL_INTERVAL_MS", "soon")]);
    assert_one_clear_line(&out, "LIAISON_JOBS__POLL_INTERVAL_MS");
    let out = run(&["serve", "--addr", "everywhere"], &[]);
    assert_one_clear_line(&out, "server.addr");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = format!("sqlite://{}/port/liaison.db", dir.path().display());
    let out = run(&["serve", "--database-url", &db, "--addr", &addr], &[]);
    assert_one_clear_line(
        &out,
        &format!("cannot listen on {addr}: the address is already in use"),
    );
}

#[test]
fn serve_demo_creates_its_data_prints_logins_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = liaison()
        .current_dir(dir.path())
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("LIAISON_LOG__LEVEL", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines
            .next()
            .expect("output until the server is up")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Liaison is serving on ") {
            break rest.trim_end_matches('/').to_string();
        }
        printed.push(line);
    };
    let printed = printed.join("\n");
    for (role, username) in liaison::demo::LOGINS {
        assert!(
            printed.contains(role.as_str()) && printed.contains(username),
            "{printed}"
        );
    }
    assert!(printed.contains(liaison::demo::PASSWORD));
    assert!(
        dir.path().join("liaison-data/liaison.db").exists(),
        "the default data directory is created"
    );
    let login = reqwest::blocking_get(&format!("{url}/login"));
    assert_eq!(login, 200);
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = wait_timeout(&mut child, Duration::from_secs(20));
    assert!(
        status.is_some_and(|s| s.success()),
        "exits 0 after SIGTERM: {status:?}"
    );
}

fn wait_timeout(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

mod reqwest {
    /// A tiny blocking GET for the synchronous test above, without pulling
    /// in reqwest's blocking feature: status code only.
    pub fn blocking_get(url: &str) -> u16 {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            ::reqwest::get(url)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        })
    }
    pub use ::reqwest::StatusCode;
}

#[tokio::test]
async fn logs_carry_request_facts_as_json_and_never_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/liaison.db", dir.path().display());
    let password = "log-secret-password-123";
    let mut create = liaison();
    create.args([
        "--database-url",
        &url,
        "user",
        "create",
        "--username",
        "amy",
        "--role",
        "admin",
        "--password-stdin",
    ]);
    assert!(
        run_with_stdin(create, &format!("{password}\n"))
            .status
            .success()
    );

    let log_path = dir.path().join("server.log");
    let mut child = liaison()
        .args([
            "--database-url",
            &url,
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--no-jobs",
        ])
        .env("LIAISON_LOG__FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(&log_path).unwrap()))
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the serving line").unwrap();
        if let Some(rest) = line.strip_prefix("Liaison is serving on ") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    let browser = crate::helpers::Browser::new(base);
    let response = browser.login("amy", password).await;
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("liaison_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("a session cookie");
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    assert!(wait_timeout(&mut child, Duration::from_secs(20)).is_some_and(|s| s.success()));

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains(password), "no password in the log");
    assert!(!log.contains(&session), "no session id in the log");
    let responses: Vec<serde_json::Value> = log
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|_| panic!("not JSON: {l}"))
        })
        .filter(|v| v["message"] == "response")
        .collect();
    let login = responses
        .iter()
        .find(|v| v["span"]["path"] == "/login" && v["span"]["method"] == "POST")
        .unwrap_or_else(|| panic!("a log line for POST /login in {log}"));
    assert_eq!(login["status"], 303);
    assert!(login["latency_ms"].is_u64());
    assert!(
        login["span"]["id"]
            .as_str()
            .is_some_and(|id| id.len() >= 16),
        "a request id: {login}"
    );
}

#[tokio::test]
async fn operators_import_and_export_enterprises_from_the_command_line() {
    let t = TestApp::spawn().await;
    let url = t.database_url.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("enterprises.csv");
    let good = crate::helpers::uscc();
    let rows = vec![
        vec!["uscc".to_string(), "name_en".into(), "country".into()],
        vec![good.clone(), "Aomatsu Foods".into(), "Japan".into()],
        vec!["12345".into(), "Broken Co".into(), "JP".into()],
    ];
    std::fs::write(&file, liaison::sheets::write_csv(&rows).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "enterprises"])
        .arg(&file)
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("row 3, uscc") && err.contains("nothing was imported"),
        "{err}"
    );

    std::fs::write(&file, liaison::sheets::write_csv(&rows[..2]).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "enterprises"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("created 1"),
        "{}",
        text(&out.stdout)
    );

    let export = dir.path().join("out.xlsx");
    let out = liaison()
        .args([
            "--database-url",
            &url,
            "export",
            "enterprises",
            "--format",
            "xlsx",
            "--output",
        ])
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = liaison::sheets::read(
        &std::fs::read(&export).unwrap(),
        liaison::sheets::Format::Xlsx,
    )
    .unwrap();
    assert_eq!((rows.len(), rows[1][0].as_str()), (2, good.as_str()));

    // Contacts and indicators go the same way, named by the credit code.
    let contacts = dir.path().join("contacts.csv");
    let rows = vec![
        vec!["uscc".to_string(), "担当者".into(), "email".into()],
        vec![
            good.clone(),
            "Tanaka Aki".into(),
            "tanaka@example.jp".into(),
        ],
    ];
    std::fs::write(&contacts, liaison::sheets::write_csv(&rows).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "contacts"])
        .arg(&contacts)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let figures = dir.path().join("figures.csv");
    let rows = vec![
        vec![
            "uscc".to_string(),
            "period".into(),
            "metric".into(),
            "value".into(),
        ],
        vec![
            good.clone(),
            "2025".into(),
            "employees".into(),
            "abc".into(),
        ],
    ];
    std::fs::write(&figures, liaison::sheets::write_csv(&rows).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "indicators"])
        .arg(&figures)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("row 2, value"),
        "{}",
        text(&out.stderr)
    );
    let out = liaison()
        .current_dir(dir.path())
        .args([
            "--database-url",
            &url,
            "export",
            "contacts",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = liaison::sheets::read(
        &std::fs::read(dir.path().join("contacts.csv")).unwrap(),
        liaison::sheets::Format::Csv,
    )
    .unwrap();
    assert_eq!(rows[1][2], "Tanaka Aki");

    // Demands collected elsewhere come in as submitted, all or nothing.
    let demands = dir.path().join("demands.csv");
    let rows = vec![
        vec![
            "信用コード".to_string(),
            "件名".into(),
            "内容".into(),
            "言語".into(),
        ],
        vec![
            good.clone(),
            "冬季の電力".into(),
            "受電容量が不足".into(),
            "日本語".into(),
        ],
        vec![
            crate::helpers::uscc(),
            "未登録".into(),
            "x".into(),
            "ja".into(),
        ],
    ];
    std::fs::write(&demands, liaison::sheets::write_csv(&rows).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "demands"])
        .arg(&demands)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("row 3, 信用コード"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&demands, liaison::sheets::write_csv(&rows[..2]).unwrap()).unwrap();
    let out = liaison()
        .args(["--database-url", &url, "import", "demands"])
        .arg(&demands)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (lang, source, state): (String, String, String) =
        sqlx::query_as("SELECT lang, source, state FROM demands")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (lang.as_str(), source.as_str(), state.as_str()),
        ("ja", "import", "submitted")
    );
    let on_enterprise: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE entity_type = 'enterprise' AND action = 'demand'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        on_enterprise, 1,
        "imported demands show on their enterprise's timeline too"
    );
}

#[test]
fn cluster_groups_the_same_problem_across_languages_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("demands.jsonl");
    std::fs::write(
        &input,
        [
            r#"{"id": "a", "title": "进口零部件通关太慢", "body": "海关查验需要三周。", "lang": "zh"}"#,
            r#"{"id": "b", "title": "輸入部品の通関が遅い", "body": "税関検査で三週間止まっています。"}"#,
            r#"{"id": 3, "title": "부품 통관 지연", "body": "세관 검사가 너무 오래 걸립니다."}"#,
            "",
            r#"{"id": "d", "title": "Broadband keeps dropping", "body": "Our fibre internet line goes down every afternoon."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    // No database is configured where this runs: the shipped glossary is
    // used, and nothing is created.
    let out = liaison()
        .current_dir(dir.path())
        .args(["cluster", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.path().join("liaison-data").exists());
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<String> = lines.iter().map(|l| l["id"].to_string()).collect();
    assert_eq!(
        ids,
        [r#""a""#, r#""b""#, "3", r#""d""#],
        "one line per input, ids as given"
    );
    let cluster = |i: usize| lines[i]["cluster"].as_str().unwrap().to_string();
    assert_eq!(cluster(0), cluster(1));
    assert_eq!(cluster(0), cluster(2));
    assert_ne!(cluster(0), cluster(3));

    std::fs::write(&input, "{\"id\": \"a\", \"title\": \"x\"}\nnot json\n").unwrap();
    let out = liaison()
        .current_dir(dir.path())
        .args(["cluster", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    assert!(
        text(&out.stdout).is_empty(),
        "nothing is written before the input is read whole"
    );
}

#[tokio::test]
async fn reindex_rebuilds_the_search_index_from_the_database() {
    let t = TestApp::spawn().await;
    t.enterprise("Kaigaku Precision", "JP").await;
    let out = liaison()
        .args(["--database-url", &t.database_url, "reindex"])
        .env("LIAISON_SEARCH__INDEX_DIR", t.index_dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("search index rebuilt: 1 items"),
        "{}",
        text(&out.stdout)
    );
    // The running app follows the new generation (its follower may have
    // switched to it already).
    t.app.search.refresh().unwrap();
    liaison::search::follower::catch_up(&t.app).await.unwrap();
    let coord = t.user("coord", "coordinator", None, None).await;
    let (status, found) = t
        .api(&t.token(coord.id).await)
        .get("/api/v1/search?q=Kaigaku")
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(found["groups"][0]["total"], 1, "{found}");
}

#[tokio::test]
async fn plan_show_prints_the_task_book_with_progress() {
    let t = TestApp::spawn().await;
    let city = t.department("大连市人民政府", "city", None).await;
    let commerce = t.department("大连市商务局", "bureau", Some(city)).await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let coord = t.api(&t.token(coord.id).await);
    let (_, plan) = coord
        .post(
            "/api/v1/plans",
            serde_json::json!({"title": "深耕日韩行动计划", "horizon": "medium",
                "starts_on": "2025-01-01", "ends_on": "2027-12-31"}),
        )
        .await;
    let plan = plan["id"].as_i64().unwrap();
    let (_, goal) = coord
        .post(
            &format!("/api/v1/plans/{plan}/goals"),
            serde_json::json!({"title": "重点企业全覆盖走访"}),
        )
        .await;
    let (status, _) = coord
        .post(
            &format!("/api/v1/plans/{plan}/tasks"),
            serde_json::json!({"goal_id": goal["id"], "title": "走访重点日资企业",
                "lead_department_id": commerce, "starts_on": "2025-03-01", "due_on": "2027-06-30"}),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED);
    let out = liaison()
        .args([
            "--database-url",
            &t.database_url,
            "plan",
            "show",
            &plan.to_string(),
        ])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("重点企业全覆盖走访\t0%"), "{printed}");
    assert!(
        printed.contains("走访重点日资企业\t大连市商务局\t2027-06-30\t0%"),
        "{printed}"
    );
    let out = liaison()
        .args(["--database-url", &t.database_url, "plan", "list"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("深耕日韩行动计划\tdraft"));

    // Exported and imported again, in one more goal's name: the book
    // round-trips through its own file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("book.csv");
    let out = liaison()
        .args([
            "--database-url",
            &t.database_url,
            "plan",
            "export",
            &plan.to_string(),
            "--format",
            "csv",
            "--output",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = liaison()
        .args([
            "--database-url",
            &t.database_url,
            "plan",
            "import",
            &plan.to_string(),
        ])
        .arg(&file)
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 rows checked; would create 1"),
        "{}",
        text(&out.stdout)
    );
}
