//! Importing and exporting enterprises: headers in any language, dry runs
//! that list every bad row, all-or-nothing imports, updates by credit code,
//! and exports that import again.

use liaison::sheets::{self, Format};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, uscc};

/// A sheet with Japanese headers: five enterprises, rows 3, 5 and 6 wrong.
fn japanese_sheet(codes: &[String], broken: bool) -> Vec<Vec<String>> {
    let header = [
        "統一社会信用コード",
        "会社名",
        "国・地域",
        "業種",
        "設立日",
        "従業員数",
        "備考",
    ];
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let data = [
        (
            codes[0].clone(),
            "大連海岳精密部品",
            "日本",
            "36 汽车制造业",
            "2004-05-18",
            "860",
        ),
        (
            if broken {
                // A check character that is not this code's.
                let wrong = if codes[1].ends_with('X') { 'Y' } else { 'X' };
                format!("{}{wrong}", &codes[1][..17])
            } else {
                codes[1].clone()
            },
            "韓星電子材料",
            "KR",
            "39",
            "2011-03-01",
            "420",
        ),
        (
            codes[2].clone(),
            "青松食品",
            "JP",
            "14",
            "1998-10-10",
            "310",
        ),
        (
            codes[3].clone(),
            "東丘物流",
            if broken { "ナルニア" } else { "韓国" },
            "59",
            "2015-07-20",
            "95",
        ),
        (
            codes[4].clone(),
            "北星化学",
            "JP",
            "26",
            if broken { "2015/13/40" } else { "2015-12-01" },
            "150",
        ),
    ];
    for (code, name, country, industry, founded, employees) in data {
        rows.push(vec![
            code,
            name.into(),
            country.into(),
            industry.into(),
            founded.into(),
            employees.into(),
            "メモ".into(),
        ]);
    }
    rows
}

async fn count(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn upload(t: &TestApp, token: &str, query: &str, body: Vec<u8>) -> (StatusCode, Value) {
    upload_to(t, token, "/api/v1/enterprises/import", query, body).await
}

async fn upload_to(
    t: &TestApp,
    token: &str,
    path: &str,
    query: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(t.url(&format!("{path}?{query}")))
        .bearer_auth(token)
        .header("accept-language", "ja")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_japanese_sheet_with_three_bad_rows_is_reported_then_imported_once_fixed() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let codes: Vec<String> = (0..5).map(|_| uscc()).collect();
    let broken = sheets::write_xlsx("sheet", &japanese_sheet(&codes, true)).unwrap();

    let (status, report) = upload(&t, &token, "format=xlsx&dry_run=true", broken.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows: Vec<i64> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, [3, 5, 6], "exactly the three bad rows: {report}");
    let columns: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["統一社会信用コード", "国・地域", "設立日"]);
    assert!(
        report["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("営業許可証"),
        "reasons in the reader's language"
    );
    assert_eq!(report["ignored_columns"], serde_json::json!(["備考"]));
    assert_eq!(count(&t).await, 0, "a dry run imports nothing");

    let (status, report) = upload(&t, &token, "format=xlsx", broken).await;
    assert_eq!(
        (status, report["imported"].as_bool()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(false))
    );
    assert_eq!(count(&t).await, 0, "all or nothing");

    let fixed = sheets::write_xlsx("sheet", &japanese_sheet(&codes, false)).unwrap();
    let (status, report) = upload(&t, &token, "format=xlsx", fixed.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(5), Some(0))
    );
    let (status, report) = upload(&t, &token, "format=xlsx", fixed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(5)),
        "re-import updates"
    );
    assert_eq!(count(&t).await, 5, "no duplicates");
    let imported: Vec<(String, i64)> = sqlx::query_as(
        "SELECT action, COUNT(*) FROM events WHERE entity_type = 'enterprise' AND action LIKE 'import_%' GROUP BY action ORDER BY action",
    )
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        imported,
        [
            ("import_create".to_string(), 5),
            ("import_update".to_string(), 5)
        ],
        "one event per row and import"
    );

    let (_, page) = t.api(&token).get("/api/v1/enterprises?country=KR").await;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name_ja"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["東丘物流", "韓星電子材料"],
        "country names in Japanese became codes"
    );
    let (_, page) = t.api(&token).get("/api/v1/enterprises?industry=36").await;
    assert_eq!(page["items"][0]["founded_on"], "2004-05-18");
}

#[tokio::test]
async fn exports_follow_the_filters_and_import_again() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let codes: Vec<String> = (0..5).map(|_| uscc()).collect();
    let sheet = sheets::write_csv(&japanese_sheet(&codes, false)).unwrap();
    assert_eq!(
        upload(&t, &token, "format=csv", sheet).await.0,
        StatusCode::OK
    );

    let response = reqwest::Client::new()
        .get(t.url("/api/v1/enterprises/export?format=xlsx&country=JP"))
        .bearer_auth(&token)
        .header("accept-language", "ko")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("enterprises.xlsx")
    );
    let bytes = response.bytes().await.unwrap();
    let rows = sheets::read(&bytes, Format::Xlsx).unwrap();
    assert_eq!(rows.len(), 4, "a header and the three Japanese enterprises");
    assert_eq!(
        rows[0][0], "통일사회신용코드",
        "headers in the reader's language"
    );
    let (status, report) = upload(&t, &token, "format=xlsx", bytes.to_vec()).await;
    assert_eq!(
        (status, report["updated"].as_i64()),
        (StatusCode::OK, Some(3)),
        "an export imports again: {report}"
    );

    // An enterprise user's export holds their own enterprise only.
    let own: i64 = sqlx::query_scalar("SELECT MIN(id) FROM enterprises")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let ent = t.user("ent", "enterprise", None, Some(own)).await;
    let response = reqwest::Client::new()
        .get(t.url("/api/v1/enterprises/export?format=csv"))
        .bearer_auth(t.token(ent.id).await)
        .send()
        .await
        .unwrap();
    let rows = sheets::read(&response.bytes().await.unwrap(), Format::Csv).unwrap();
    assert_eq!(rows.len(), 2, "their own enterprise and nothing else");
    let (status, _) = upload(&t, &t.token(ent.id).await, "format=csv", b"x".to_vec()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "enterprise users do not import"
    );
}

#[tokio::test]
async fn the_import_page_reports_problems_beside_their_rows() {
    let t = TestApp::spawn().await;
    t.user("coord", "coordinator", None, None).await;
    let browser = t.signed_in("coord").await;
    let (status, page) = browser.page("/enterprises/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let codes: Vec<String> = (0..5).map(|_| uscc()).collect();
    let file = sheets::write_xlsx("sheet", &japanese_sheet(&codes, true)).unwrap();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name("企業一覧.xlsx"),
        )
        .text("dry_run", "1");
    let csrf = browser.csrf().await;
    let response = browser
        .client
        .post(t.url(&format!("/enterprises/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert_eq!(
        page.matches("<tr><td>").count(),
        3,
        "one table row per problem"
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"a,b".to_vec()).file_name("list.pdf"),
    );
    let response = browser
        .client
        .post(t.url(&format!("/enterprises/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.text().await.unwrap().contains("id=\"e-file\""),
        "a wrong file type is explained beside the field"
    );
    let response = browser
        .client
        .post(t.url("/enterprises/import"))
        .multipart(reqwest::multipart::Form::new().text("dry_run", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "uploads need the CSRF token too"
    );
}

fn rows_of(report: &Value) -> Vec<(i64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

async fn download(t: &TestApp, token: &str, path: &str, lang: &str) -> Vec<Vec<String>> {
    let response = reqwest::Client::new()
        .get(t.url(path))
        .bearer_auth(token)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    sheets::read(&response.bytes().await.unwrap(), Format::Xlsx).unwrap()
}

#[tokio::test]
async fn contacts_import_by_credit_code_in_korean_and_update_by_name() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let codes: Vec<String> = (0..5).map(|_| uscc()).collect();
    let sheet = sheets::write_csv(&japanese_sheet(&codes, false)).unwrap();
    assert_eq!(
        upload(&t, &token, "format=csv", sheet).await.0,
        StatusCode::OK
    );
    let unknown = uscc();
    let sheet = |broken: bool| {
        let rows = vec![
            vec![
                "신용코드",
                "이름",
                "직책",
                "이메일",
                "선호 언어",
                "주 담당자",
            ],
            vec![
                &codes[0],
                "佐藤 一郎",
                "総経理",
                "sato@example.jp",
                "日本語",
                "예",
            ],
            vec![
                if broken { &unknown } else { &codes[0] },
                "王 芳",
                "行政经理",
                "wang@example.cn",
                "zh-CN",
                "",
            ],
            vec![
                &codes[1],
                "김 민수",
                "법인장",
                if broken { "kim@" } else { "kim@example.kr" },
                "ko",
                "1",
            ],
        ];
        rows.into_iter()
            .map(|r| r.into_iter().map(|c| c.to_string()).collect())
            .collect::<Vec<Vec<String>>>()
    };
    let path = "/api/v1/enterprises/contacts/import";
    let broken = sheets::write_xlsx("contacts", &sheet(true)).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rows_of(&report),
        [(3, "uscc".to_string()), (4, "email".to_string())],
        "{report}"
    );
    assert_eq!(report["errors"][0]["column"], "신용코드");
    let contacts = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap()
    };
    assert_eq!(contacts().await, 0, "nothing imported");

    let fixed = sheets::write_xlsx("contacts", &sheet(false)).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", fixed.clone()).await;
    assert_eq!(
        (status, report["created"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{report}"
    );
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", fixed).await;
    assert_eq!(
        (status, report["updated"].as_i64()),
        (StatusCode::OK, Some(3))
    );
    assert_eq!(
        contacts().await,
        3,
        "matched by enterprise and name, no duplicates"
    );

    let (_, list) = t.api(&token).get("/api/v1/enterprises?q=大連海岳").await;
    let first = list["items"][0]["id"].as_i64().unwrap();
    let (_, people) = t
        .api(&token)
        .get(&format!("/api/v1/enterprises/{first}/contacts"))
        .await;
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0]["name"], "佐藤 一郎", "the primary contact first");
    assert_eq!(people[0]["preferred_locale"], "ja", "日本語 became ja");

    // The export reads back as it is.
    let exported = download(
        &t,
        &token,
        "/api/v1/enterprises/contacts/export?format=xlsx",
        "ja",
    )
    .await;
    assert_eq!(exported.len(), 4);
    let again = sheets::write_xlsx("contacts", &exported).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", again).await;
    assert_eq!(
        (
            status,
            report["updated"].as_i64(),
            report["created"].as_i64()
        ),
        (StatusCode::OK, Some(3), Some(0)),
        "{report}"
    );

    let ent = t.user("ent", "enterprise", None, Some(first)).await;
    let (status, _) = upload_to(
        &t,
        &t.token(ent.id).await,
        path,
        "format=csv",
        b"x".to_vec(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "enterprise users do not import"
    );
}

#[tokio::test]
async fn indicators_import_with_labels_in_any_language_and_replace_by_period() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let codes: Vec<String> = (0..5).map(|_| uscc()).collect();
    let sheet = sheets::write_csv(&japanese_sheet(&codes, false)).unwrap();
    assert_eq!(
        upload(&t, &token, "format=csv", sheet).await.0,
        StatusCode::OK
    );
    let sheet = |broken: bool, revenue: &str| {
        let rows = vec![
            vec!["统一社会信用代码", "期间", "指标", "数值", "单位", "币种"],
            vec![&codes[0], "2025-Q1", "売上高", revenue, "万", "CNY"],
            vec![&codes[0], "2025-Q1", "직원 수", "860", "", ""],
            vec![
                &codes[1],
                if broken { "2099" } else { "2025" },
                "tax paid",
                "320.5",
                "ten_thousand",
                "CNY",
            ],
            vec![
                &codes[1],
                "2025",
                if broken { "profit" } else { "exports" },
                "1.2",
                "亿",
                "USD",
            ],
            vec![
                &codes[0],
                "2025-Q1",
                if broken { "revenue" } else { "imports" },
                "10",
                "万",
                "CNY",
            ],
        ];
        rows.into_iter()
            .map(|r| r.into_iter().map(|c| c.to_string()).collect())
            .collect::<Vec<Vec<String>>>()
    };
    let path = "/api/v1/enterprises/indicators/import";
    let broken = sheets::write_xlsx("figures", &sheet(true, "1500")).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx&dry_run=true", broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rows_of(&report),
        [
            (4, "period".to_string()),
            (5, "metric".to_string()),
            (6, "period".to_string())
        ],
        "a future period, an unknown metric, the same figure twice: {report}"
    );

    let fixed = sheets::write_xlsx("figures", &sheet(false, "1500")).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", fixed).await;
    assert_eq!(
        (status, report["created"].as_i64()),
        (StatusCode::OK, Some(5)),
        "{report}"
    );
    let changed = sheets::write_xlsx("figures", &sheet(false, "1750")).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", changed).await;
    assert_eq!(
        (status, report["updated"].as_i64()),
        (StatusCode::OK, Some(5))
    );

    let (_, list) = t.api(&token).get("/api/v1/enterprises?q=大連海岳").await;
    let first = list["items"][0]["id"].as_i64().unwrap();
    let (_, figures) = t
        .api(&token)
        .get(&format!("/api/v1/enterprises/{first}/indicators"))
        .await;
    let revenue = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["metric"] == "revenue")
        .unwrap();
    assert_eq!(
        (
            revenue["value"].as_str(),
            revenue["unit"].as_str(),
            revenue["period"].as_str()
        ),
        (Some("1750"), Some("ten_thousand"), Some("2025-Q1")),
        "replaced, not duplicated"
    );

    let exported = download(
        &t,
        &token,
        "/api/v1/enterprises/indicators/export?format=xlsx",
        "ko",
    )
    .await;
    assert_eq!(exported.len(), 6, "a header and five figures");
    assert!(
        exported.iter().any(|r| r.contains(&"매출액".to_string())),
        "metrics in Korean"
    );
    let again = sheets::write_xlsx("figures", &exported).unwrap();
    let (status, report) = upload_to(&t, &token, path, "format=xlsx", again).await;
    assert_eq!(
        (status, report["updated"].as_i64()),
        (StatusCode::OK, Some(5)),
        "{report}"
    );

    let ent = t.user("ent", "enterprise", None, Some(first)).await;
    let own = download(
        &t,
        &t.token(ent.id).await,
        "/api/v1/enterprises/indicators/export?format=xlsx",
        "en",
    )
    .await;
    assert_eq!(own.len(), 4, "their own three figures and nothing else");
    assert!(own[1..].iter().all(|r| r[0] == codes[0]));
}

#[tokio::test]
async fn the_import_page_takes_contacts_and_indicators_too() {
    let t = TestApp::spawn().await;
    t.user("coord", "coordinator", None, None).await;
    let browser = t.signed_in("coord").await;
    let (_, page) = browser.page("/enterprises/import?dataset=indicators").await;
    assert!(
        page.contains("<option value=\"indicators\" selected>"),
        "{page}"
    );
    let rows = vec![
        vec!["uscc".to_string(), "name".into()],
        vec![uscc(), "Tanaka".into()],
    ];
    let form = reqwest::multipart::Form::new()
        .text("dataset", "contacts")
        .part(
            "file",
            reqwest::multipart::Part::bytes(sheets::write_csv(&rows).unwrap()).file_name("c.csv"),
        );
    let csrf = browser.csrf().await;
    let response = browser
        .client
        .post(t.url(&format!("/enterprises/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert_eq!(
        page.matches("<tr><td>2</td>").count(),
        1,
        "the unknown enterprise's row: {page}"
    );

    // Demands collected elsewhere go through the same page.
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let code: String = sqlx::query_scalar("SELECT uscc FROM enterprises WHERE id = $1")
        .bind(e)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let rows = vec![
        vec!["统一社会信用代码".to_string(), "标题".into(), "内容".into()],
        vec![
            code,
            "通关时间长".into(),
            "进口零部件通关平均需要五天。".into(),
        ],
    ];
    let form = reqwest::multipart::Form::new()
        .text("dataset", "demands")
        .part(
            "file",
            reqwest::multipart::Part::bytes(sheets::write_csv(&rows).unwrap()).file_name("d.csv"),
        );
    let response = browser
        .client
        .post(t.url(&format!("/enterprises/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let (_, queue) = browser.page("/demands?state=submitted").await;
    assert!(queue.contains("通关时间长"), "in the intake queue: {queue}");
    let export = browser
        .get("/enterprises/export?dataset=demands&format=csv")
        .await;
    assert_eq!(
        export.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "demands are exported from their own list"
    );
}

#[tokio::test]
async fn contacts_and_indicators_export_every_enterprise_not_only_the_first_page() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let codes: Vec<String> = (0..250).map(|_| uscc()).collect();
    let mut enterprises = vec![vec!["uscc".to_string(), "name_zh".into(), "country".into()]];
    for (n, code) in codes.iter().enumerate() {
        enterprises.push(vec![code.clone(), format!("大连测试企业{n}"), "JP".into()]);
    }
    let sheet = sheets::write_csv(&enterprises).unwrap();
    let (status, report) = upload(&t, &token, "format=csv", sheet).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let mut contacts = vec![vec!["uscc".to_string(), "name".into()]];
    let mut figures = vec![vec![
        "uscc".to_string(),
        "period".into(),
        "metric".into(),
        "value".into(),
        "unit".into(),
        "currency".into(),
    ]];
    for code in &codes {
        contacts.push(vec![code.clone(), "Tanaka".into()]);
        figures.push(vec![
            code.clone(),
            "2025".into(),
            "revenue".into(),
            "100".into(),
            "ten_thousand".into(),
            "CNY".into(),
        ]);
    }
    for (path, rows) in [
        ("/api/v1/enterprises/contacts/import", contacts),
        ("/api/v1/enterprises/indicators/import", figures),
    ] {
        let body = sheets::write_csv(&rows).unwrap();
        let (status, report) = upload_to(&t, &token, path, "format=csv", body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {report}");
    }
    for path in [
        "/api/v1/enterprises/contacts/export?format=xlsx",
        "/api/v1/enterprises/indicators/export?format=xlsx",
    ] {
        let rows = download(&t, &token, path, "en").await;
        assert_eq!(
            rows.len(),
            1 + 250,
            "{path}: a header and every enterprise's row"
        );
    }
}
