//! Departments: create, rename, move, retire; the hierarchy's rules; events.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, codes};

async fn admin_api(t: &TestApp) -> crate::helpers::Api {
    let admin = t.user("root", "admin", None, None).await;
    t.api(&t.token(admin.id).await)
}

#[tokio::test]
async fn create_rename_move_and_retire_through_the_api() {
    let t = TestApp::spawn().await;
    let api = admin_api(&t).await;
    let (status, city) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "city", "name_zh": "大连市人民政府", "name_en": "Dalian"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{city}");
    let city = city["id"].as_i64().unwrap();
    let (_, a) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "bureau", "name_zh": "商务局", "parent_id": city}),
        )
        .await;
    let (_, b) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "bureau", "name_zh": "外事办", "parent_id": city}),
        )
        .await;
    let (status, division) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "division", "name_zh": "外资处", "parent_id": a["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let division = division["id"].as_i64().unwrap();

    let (status, renamed) = api
        .patch(
            &format!("/api/v1/departments/{division}"),
            json!({"name_zh": "外资服务处", "name_ja": "外資サービス処"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(renamed["name_zh"], "外资服务处");
    assert_eq!(renamed["parent_id"], a["id"], "absent fields stay");

    let (status, moved) = api
        .patch(
            &format!("/api/v1/departments/{division}"),
            json!({"parent_id": b["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(moved["parent_id"], b["id"]);

    let (status, body) = api
        .post(
            &format!("/api/v1/departments/{}/retire", b["id"]),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::CONFLICT,
            vec!["department_has_active_children".to_string()]
        )
    );
    let (status, retired) = api
        .post(&format!("/api/v1/departments/{division}/retire"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(retired["retired_at"].is_string());

    let (_, active) = api.get("/api/v1/departments").await;
    assert!(
        !active
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == division),
        "retired ones are hidden by default"
    );
    let (_, all) = api.get("/api/v1/departments?include_retired=true").await;
    assert!(
        all.as_array().unwrap().iter().any(|d| d["id"] == division),
        "but never deleted"
    );

    let actions: Vec<String> = t
        .events_of("department", division)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["create", "update", "move", "retire"]);
}

#[tokio::test]
async fn the_hierarchy_rules_are_enforced() {
    let t = TestApp::spawn().await;
    let api = admin_api(&t).await;
    let (_, city) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "city", "name_zh": "市"}),
        )
        .await;
    let (status, body) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "division", "name_zh": "处", "parent_id": city["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "parent_id");
    assert_eq!(codes(&body), ["department_parent_invalid"]);
    let (status, body) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "bureau", "name_zh": "局", "parent_id": 999}),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["department_not_found".to_string()]
        )
    );
    let (status, body) = api
        .post(
            "/api/v1/departments",
            json!({"kind": "ministry", "name_zh": " "}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name_zh", "kind"]);
    let (status, body) = api
        .patch(
            &format!("/api/v1/departments/{}", city["id"]),
            json!({"parent_id": city["id"]}),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["department_parent_invalid".to_string()]
        )
    );
}

#[tokio::test]
async fn a_department_with_people_is_not_retired() {
    let t = TestApp::spawn().await;
    let api = admin_api(&t).await;
    let dept = t.department("某局", "city", None).await;
    t.user("off", "officer", Some(dept), None).await;
    let (status, body) = api
        .post(&format!("/api/v1/departments/{dept}/retire"), json!({}))
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::CONFLICT,
            vec!["department_has_users".to_string()]
        )
    );
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains('1'));
}

#[tokio::test]
async fn the_admin_page_shows_errors_next_to_fields_in_the_users_language() {
    let t = TestApp::spawn().await;
    t.user("root", "admin", None, None).await;
    let browser = t.signed_in("root").await;
    browser
        .post("/language", &[("lang", "ko"), ("back", "/")])
        .await;
    browser.page("/departments/new").await;
    let response = browser
        .post(
            "/departments",
            &[("kind", "bureau"), ("name_zh", ""), ("parent_id", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    let name_error = body
        .split("id=\"e-name_zh\">")
        .nth(1)
        .expect("an error next to the Chinese name")
        .split('<')
        .next()
        .unwrap();
    let i18n = liaison::i18n::I18n::load().unwrap();
    assert_eq!(
        name_error,
        i18n.t(liaison::i18n::Locale::Ko, "error-required")
    );
    assert!(
        body.contains("id=\"e-parent_id\""),
        "and next to the parent"
    );

    let response = browser
        .post(
            "/departments",
            &[("kind", "city"), ("name_zh", "大连市"), ("parent_id", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = browser.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("大连市"));
    let id = location.rsplit('/').next().unwrap();
    let response = browser
        .post(
            &format!("/departments/{id}"),
            &[
                ("kind", "city"),
                ("name_zh", "大连市人民政府"),
                ("name_en", "Dalian"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = browser
        .post(&format!("/departments/{id}/retire"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, list) = browser.page("/departments?retired=1").await;
    assert!(list.contains("大连市人民政府"));
}

#[tokio::test]
async fn concurrent_edits_all_succeed() {
    let t = TestApp::spawn().await;
    let api = std::sync::Arc::new(admin_api(&t).await);
    let city = t.department("市", "city", None).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(t.department(&format!("局{i}"), "bureau", Some(city)).await);
    }
    let mut tasks = Vec::new();
    for round in 0..10 {
        for id in &ids {
            let (api, id) = (api.clone(), *id);
            tasks.push(tokio::spawn(async move {
                api.patch(
                    &format!("/api/v1/departments/{id}"),
                    json!({"name_en": format!("Bureau {id} v{round}")}),
                )
                .await
                .0
            }));
        }
    }
    for task in tasks {
        assert_eq!(
            task.await.unwrap(),
            StatusCode::OK,
            "no edit fails because another was writing"
        );
    }
    for id in ids {
        assert_eq!(
            t.events_of("department", id).await.len(),
            11,
            "one event per edit"
        );
    }
}

#[tokio::test]
async fn concurrent_edits_of_different_fields_both_stay() {
    let t = TestApp::spawn().await;
    let api = std::sync::Arc::new(admin_api(&t).await);
    let id = t.department("市", "city", None).await;
    let mut tasks = Vec::new();
    for field in ["name_ja", "name_ko", "name_en"] {
        for round in 0..6 {
            let api = api.clone();
            tasks.push(tokio::spawn(async move {
                api.patch(
                    &format!("/api/v1/departments/{id}"),
                    json!({ field: format!("{field} {round}") }),
                )
                .await
                .0
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let (_, d) = api.get(&format!("/api/v1/departments/{id}")).await;
    for field in ["name_ja", "name_ko", "name_en"] {
        assert!(
            d[field].as_str().is_some_and(|v| v.starts_with(field)),
            "{field} kept: {d}"
        );
    }
}

#[tokio::test]
async fn those_who_may_not_edit_see_the_department_read_only() {
    let t = TestApp::spawn().await;
    let dept = t.department("大连市", "city", None).await;
    t.user("off", "officer", Some(dept), None).await;
    let browser = t.signed_in("off").await;
    let (status, page) = browser.page(&format!("/departments/{dept}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<dl class=\"facts\">") && page.contains("大连市"));
    assert!(
        !page.contains(&format!("action=\"/departments/{dept}\"")),
        "no edit form"
    );
    assert!(!page.contains("/retire"), "no retire button");
}

#[tokio::test]
async fn a_refused_retirement_is_explained_on_the_department_page() {
    let t = TestApp::spawn().await;
    t.user("root", "admin", None, None).await;
    let dept = t.department("某局", "city", None).await;
    t.user("off", "officer", Some(dept), None).await;
    let browser = t.signed_in("root").await;
    browser.page(&format!("/departments/{dept}")).await;
    let response = browser
        .post(&format!("/departments/{dept}/retire"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = response.text().await.unwrap();
    let i18n = liaison::i18n::I18n::load().unwrap();
    let expected = i18n.t_args(
        liaison::i18n::Locale::ZhCn,
        "error-department-has-users",
        &[("count", "1".into())],
    );
    assert!(
        page.contains(&expected),
        "the reason, on the department's own page"
    );
    assert!(
        page.contains("name=\"name_zh\""),
        "with the form still there: {page}"
    );
}
