//! The enterprise registry: validation, the list's filters, order and
//! paging, tags, the enterprise's page, and who may see and change what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, codes, uscc};

async fn coordinator_api(t: &TestApp) -> crate::helpers::Api {
    let user = t.user("coord", "coordinator", None, None).await;
    t.api(&t.token(user.id).await)
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name_en"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn a_wrong_credit_code_is_explained_and_nothing_is_saved() {
    let t = TestApp::spawn().await;
    t.user("coord", "coordinator", None, None).await;
    let browser = t.signed_in("coord").await;
    browser
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    browser.page("/enterprises/new").await;
    let fields = [
        ("uscc", "91350100M000100Y44"),
        ("name_ja", "大連海岳精密部品有限公司"),
        ("country", "JP"),
        ("industry_code", "34"),
    ];
    let response = browser.post("/enterprises", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let error = page
        .split("id=\"e-uscc\">")
        .nth(1)
        .expect("an error beside the code")
        .split('<')
        .next()
        .unwrap();
    assert!(error.contains("last character does not match"), "{error}");
    assert!(
        page.contains("value=\"大連海岳精密部品有限公司\""),
        "what was typed is kept"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing saved");

    let fields = [
        ("uscc", "91350100M000100Y43"),
        ("name_ja", "大連海岳精密部品有限公司"),
        ("country", "JP"),
        ("industry_code", "34"),
    ];
    let response = browser.post("/enterprises", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = browser.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("91350100M000100Y43") && page.contains("Japan (JP)"));
    let division = liaison::reference::industry("34").unwrap();
    assert!(
        page.contains(&format!("34 {}", division.names.name_en)),
        "industry by its English name"
    );
    assert!(page.contains("Created"), "the timeline shows the creation");
}

#[tokio::test]
async fn credit_codes_are_unique_and_the_api_names_the_fields() {
    let t = TestApp::spawn().await;
    let api = coordinator_api(&t).await;
    let code = uscc();
    let body = json!({"uscc": code, "name_en": "Aomatsu Foods", "country": "JP", "employees": 310, "registered_capital": "5,000,000", "capital_currency": "JPY"});
    let (status, created) = api.post("/api/v1/enterprises", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["registered_capital"], "5000000");
    let (status, err) = api.post("/api/v1/enterprises", body).await;
    assert_eq!(
        (status, codes(&err)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["uscc_taken".to_string()]
        )
    );
    assert_eq!(err["errors"][0]["field"], "uscc");
    let (status, err) = api
        .post(
            "/api/v1/enterprises",
            json!({"uscc": "123", "country": "ZZ", "founded_on": "31/03/2024"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["uscc", "name_zh", "country", "founded_on"]);

    let id = created["id"].as_i64().unwrap();
    let (status, changed) = api
        .patch(
            &format!("/api/v1/enterprises/{id}"),
            json!({"status": "suspended", "district": "jinpu"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["status"].as_str(), changed["employees"].as_i64()),
        (Some("suspended"), Some(310))
    );
    let actions: Vec<String> = t
        .events_of("enterprise", id)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["create", "update"]);
}

async fn seed(t: &TestApp, api: &crate::helpers::Api) -> Vec<i64> {
    let rows = [
        ("Alpha Motors", "JP", "36", "jinpu", 900),
        ("Beta Chips", "KR", "39", "jinpu", 1500),
        ("Gamma Foods", "JP", "14", "ganjingzi", 120),
        ("Delta Logistics", "KR", "59", "hitech", 80),
        ("Epsilon Parts", "JP", "36", "jinzhou", 450),
    ];
    let mut ids = Vec::new();
    for (name, country, industry, district, employees) in rows {
        let body = json!({"uscc": uscc(), "name_en": name, "country": country, "industry_code": industry, "district": district, "employees": employees, "main_products": format!("{name} products")});
        let (status, created) = api.post("/api/v1/enterprises", body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(created["id"].as_i64().unwrap());
    }
    let _ = t;
    ids
}

#[tokio::test]
async fn the_list_filters_orders_and_pages() {
    let t = TestApp::spawn().await;
    let api = coordinator_api(&t).await;
    seed(&t, &api).await;
    let (_, page) = api.get("/api/v1/enterprises?country=jp").await;
    assert_eq!(
        names(&page),
        ["Alpha Motors", "Epsilon Parts", "Gamma Foods"]
    );
    let (_, page) = api.get("/api/v1/enterprises?industry=C").await;
    assert_eq!(
        names(&page),
        ["Alpha Motors", "Beta Chips", "Epsilon Parts", "Gamma Foods"],
        "a section holds its divisions"
    );
    let (_, page) = api
        .get("/api/v1/enterprises?industry=36&district=jinpu")
        .await;
    assert_eq!(names(&page), ["Alpha Motors"]);
    let (_, page) = api.get("/api/v1/enterprises?q=chips").await;
    assert_eq!(names(&page), ["Beta Chips"]);
    let (_, page) = api.get("/api/v1/enterprises?sort=employees").await;
    assert_eq!(
        names(&page),
        [
            "Beta Chips",
            "Alpha Motors",
            "Epsilon Parts",
            "Gamma Foods",
            "Delta Logistics"
        ]
    );

    // Keyset pages: two at a time, every enterprise exactly once, in order.
    for sort in ["name", "employees", "newest"] {
        let (_, all) = api.get(&format!("/api/v1/enterprises?sort={sort}")).await;
        let mut seen = Vec::new();
        let mut after: Option<i64> = None;
        loop {
            let cursor = after.map(|a| format!("&after={a}")).unwrap_or_default();
            let (status, page) = api
                .get(&format!("/api/v1/enterprises?sort={sort}&limit=2{cursor}"))
                .await;
            assert_eq!(status, StatusCode::OK);
            seen.extend(names(&page));
            match page["next_after"].as_i64() {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, names(&all), "paging by {sort}");
    }
    let (status, err) = api.get("/api/v1/enterprises?country=XX&sort=size").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["country", "sort"]);
}

#[tokio::test]
async fn tags_are_added_in_bulk_and_filter_the_list() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let admin_api = t.api(&t.token(admin.id).await);
    let api = coordinator_api(&t).await;
    let ids = seed(&t, &api).await;
    let (status, tag) = admin_api
        .post(
            "/api/v1/tags",
            json!({"name_zh": "重点企业", "name_en": "Key enterprise"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tag}");
    let tag_id = tag["id"].as_i64().unwrap();
    let (status, _) = api.post("/api/v1/tags", json!({"name_zh": "x"})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only administrators edit tags"
    );

    let (status, result) = api
        .post(
            "/api/v1/enterprises/bulk-tag",
            json!({"ids": [ids[0], ids[1]], "tag_id": tag_id}),
        )
        .await;
    assert_eq!(
        (status, result["changed"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    let (_, again) = api
        .post(
            "/api/v1/enterprises/bulk-tag",
            json!({"ids": [ids[0]], "tag_id": tag_id}),
        )
        .await;
    assert_eq!(again["changed"], 0, "tagging twice changes nothing");
    let (_, page) = api.get(&format!("/api/v1/enterprises?tag={tag_id}")).await;
    assert_eq!(names(&page), ["Alpha Motors", "Beta Chips"]);

    // The same through the page, with the checkboxes.
    let browser = t.signed_in("coord").await;
    browser.page("/enterprises").await;
    let response = browser
        .post(
            "/enterprises/bulk-tag",
            &[
                ("ids", &ids[2].to_string()),
                ("ids", &ids[3].to_string()),
                ("tag_id", &tag_id.to_string()),
                ("mode", "add"),
                ("back", "/enterprises"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.page(&format!("/enterprises?tag={tag_id}")).await;
    assert_eq!(page.matches("class=\"tag\"").count(), 4, "four tagged rows");
    let actions: Vec<String> = t
        .events_of("enterprise", ids[2])
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["create", "tag"]);
}

#[tokio::test]
async fn an_enterprise_user_sees_and_edits_only_their_own() {
    let t = TestApp::spawn().await;
    let api = coordinator_api(&t).await;
    let ids = seed(&t, &api).await;
    let ent = t.user("sato", "enterprise", None, Some(ids[0])).await;
    let own = t.api(&t.token(ent.id).await);
    let (_, page) = own.get("/api/v1/enterprises?sort=employees").await;
    assert_eq!(names(&page), ["Alpha Motors"]);
    let (_, page) = own.get("/api/v1/enterprises?q=chips").await;
    assert!(
        names(&page).is_empty(),
        "search does not reach other enterprises"
    );
    let (status, changed) = own
        .patch(
            &format!("/api/v1/enterprises/{}", ids[0]),
            json!({"employees": 950}),
        )
        .await;
    assert_eq!(
        (status, changed["employees"].as_i64()),
        (StatusCode::OK, Some(950))
    );
    for path in [format!("/api/v1/enterprises/{}", ids[1])] {
        assert_eq!(own.get(&path).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            own.patch(&path, json!({"employees": 1})).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let (status, _) = own
        .post(
            "/api/v1/enterprises",
            json!({"uscc": uscc(), "name_en": "Mine Too", "country": "JP"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = own
        .post(
            "/api/v1/enterprises/bulk-tag",
            json!({"ids": [ids[0]], "tag_id": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let browser = t.signed_in("sato").await;
    let (status, list) = browser.page("/enterprises").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains("Alpha Motors")
            && !list.contains("Beta Chips")
            && !list.contains("name=\"ids\"")
    );
    assert_eq!(
        browser.page(&format!("/enterprises/{}", ids[1])).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        browser
            .page(&format!("/enterprises/{}/edit", ids[1]))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        browser
            .page(&format!("/enterprises/{}/edit", ids[0]))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        browser.page("/enterprises/new").await.0,
        StatusCode::FORBIDDEN
    );

    let officer_dept = t.department("商务局", "city", None).await;
    let officer = t.user("off", "officer", Some(officer_dept), None).await;
    let officer_api = t.api(&t.token(officer.id).await);
    let (_, page) = officer_api.get("/api/v1/enterprises").await;
    assert_eq!(names(&page).len(), 5, "officers see enterprises");
    assert_eq!(
        officer_api
            .patch(
                &format!("/api/v1/enterprises/{}", ids[0]),
                json!({"employees": 1})
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}
