//! The API's shape: the OpenAPI document, error bodies, health checks.

use reqwest::StatusCode;

use crate::helpers::{TestApp, codes};

#[tokio::test]
async fn the_openapi_document_is_valid_and_lists_every_api_route() {
    let t = TestApp::spawn().await;
    let response = reqwest::get(t.url("/api/openapi.json")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["info"]["title"], "Liaison API");
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for expected in [
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/departments",
        "/api/v1/departments/{id}",
        "/api/v1/departments/{id}/retire",
        "/api/v1/departments/{id}/reinstate",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/password",
        "/api/v1/users/{id}/disable",
        "/api/v1/users/{id}/enable",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{id}",
        "/api/v1/jobs",
        "/api/v1/jobs/{id}/retry",
        "/api/v1/events",
        "/api/v1/enterprises/bulk-tag",
        "/api/v1/tags",
        "/api/v1/tags/{id}",
        "/api/v1/enterprises/{id}/contacts",
        "/api/v1/enterprises/{id}/contacts/{contact_id}",
        "/api/v1/enterprises/{id}/contacts/{contact_id}/user",
        "/api/v1/enterprises/{id}/indicators",
        "/api/v1/enterprises/import",
        "/api/v1/enterprises/export",
        "/api/v1/enterprises/contacts/export",
        "/api/v1/enterprises/contacts/import",
        "/api/v1/enterprises/indicators/export",
        "/api/v1/enterprises/indicators/import",
        "/api/v1/engagements",
        "/api/v1/engagements/{id}",
        "/api/v1/engagements/{id}/follow-ups",
        "/api/v1/follow-ups/{id}/done",
        "/api/v1/engagements/{id}/attachments",
        "/api/v1/attachments/{id}",
        "/api/v1/demands",
        "/api/v1/demands/{id}",
        "/api/v1/demands/{id}/steps",
        "/api/v1/demand-categories",
        "/api/v1/demand-categories/{id}",
        "/api/v1/sla-policies",
        "/api/v1/sla-policies/{kind}",
        "/api/v1/calendar",
        "/api/v1/calendar/{day}",
        "/api/v1/calendar/import",
        "/api/v1/notifications",
        "/api/v1/demands/figures",
        "/api/v1/demands/import",
        "/api/v1/demands/{id}/attachments",
        "/api/v1/notifications/read",
        "/api/v1/notifications/mutes",
        "/api/v1/search",
        "/api/v1/glossary",
        "/api/v1/glossary/{id}",
        "/api/v1/common-problems",
        "/api/v1/common-problems/proposals",
        "/api/v1/common-problems/{id}",
        "/api/v1/common-problems/{id}/reply",
        "/api/v1/common-problems/{id}/members",
        "/api/v1/common-problems/{id}/close",
        "/api/v1/plans",
        "/api/v1/plans/{id}",
        "/api/v1/plans/{id}/steps",
        "/api/v1/plans/{id}/goals",
        "/api/v1/plans/{id}/tasks",
        "/api/v1/goals/{id}",
        "/api/v1/goals/{id}/kpis",
        "/api/v1/kpis/{id}",
        "/api/v1/kpis/{id}/values",
        "/api/v1/tasks",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/{id}/reports",
        "/api/v1/milestones/{id}",
        "/api/v1/plans/{id}/import",
        "/api/v1/plans/{id}/export",
        "/api/v1/plans/{id}/instructions",
        "/api/v1/goals/{id}/instructions",
        "/api/v1/tasks/{id}/instructions",
        "/api/v1/tasks/{id}/links",
        "/api/v1/tasks/{id}/attachments",
        "/api/v1/demands/{id}/similar",
    ] {
        assert!(paths.contains(&expected), "{expected} is documented");
    }
    assert!(paths.iter().all(|p| p.starts_with("/api/v1/")));
    // Every documented operation has a response and a tag.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            assert!(op["tags"].is_array(), "{method} {path}");
        }
    }
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn every_api_v1_route_answers_from_the_documented_set() {
    // A route that exists but is undocumented would answer something other
    // than 404 here; every path below is undocumented.
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    for path in [
        "/api/v1/nothing",
        "/api/v1/users/1/nothing",
        "/api/v2/users",
    ] {
        let (status, body) = api.get(path).await;
        assert_eq!(
            (status, codes(&body)),
            (StatusCode::NOT_FOUND, vec!["not_found".to_string()]),
            "{path}"
        );
    }
}

#[tokio::test]
async fn malformed_bodies_get_the_standard_error_body() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let token = t.token(admin.id).await;
    let response = reqwest::Client::new()
        .post(t.url("/api/v1/departments"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(codes(&body), ["invalid_body"]);
    assert!(body["errors"][0]["detail"].is_string());
    assert!(body["errors"][0].as_object().unwrap().contains_key("field"));
}

#[tokio::test]
async fn health_and_readiness() {
    let t = TestApp::spawn().await;
    let response = reqwest::get(t.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = reqwest::get(t.url("/readyz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().contains_key("x-request-id"),
        "every response carries its request id"
    );
    t.app.db.close().await;
    let response = reqwest::get(t.url("/readyz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        reqwest::get(t.url("/healthz")).await.unwrap().status(),
        StatusCode::OK,
        "alive without a database"
    );
}

#[tokio::test]
async fn a_wrong_method_gets_the_standard_error_body() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let (status, body) = t
        .api(&t.token(admin.id).await)
        .delete("/api/v1/departments")
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            vec!["method_not_allowed".to_string()]
        )
    );
}

#[tokio::test]
async fn control_characters_are_refused_before_they_reach_the_database() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    let (status, body) = api
        .post(
            "/api/v1/departments",
            serde_json::json!({"kind": "city", "name_zh": "a\u{0}b"}),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["control_character".to_string()]
        )
    );
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("name_zh")
    );
    let (status, body) = api.get("/api/v1/users?q=a%00b").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["control_character".to_string()]
        )
    );

    let browser = t.browser();
    browser.page("/login").await;
    let response = browser
        .post("/login", &[("username", "a\u{0}b"), ("password", "x")])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "anonymous forms too, with a page"
    );
    assert!(response.text().await.unwrap().contains("<html"));
    // Tabs and line breaks are ordinary text.
    let (status, _) = api
        .post(
            "/api/v1/departments",
            serde_json::json!({"kind": "city", "name_zh": "大连\t市"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}
