//! Accounts: creation rules, editing, disabling, passwords.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, codes};

#[tokio::test]
async fn create_and_edit_accounts_through_the_api() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let dept = t.department("商务局", "city", None).await;
    let api = t.api(&t.token(admin.id).await);
    let (status, user) = api
        .post("/api/v1/users", json!({"username": "Li.Wei", "password": "long-enough-pw", "display_name": "李伟", "role": "officer", "department_id": dept, "locale": "ja"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    assert_eq!(user["username"], "li.wei");
    assert!(user.get("password_hash").is_none());

    let (status, body) = api
        .post("/api/v1/users", json!({"username": "li.wei", "password": "long-enough-pw", "display_name": "x", "role": "viewer"}))
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["username_taken".to_string()]
        )
    );
    assert_eq!(body["errors"][0]["field"], "username");

    let (status, body) = api
        .post(
            "/api/v1/users",
            json!({"username": "x", "password": "short", "display_name": "", "role": "officer"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut got = codes(&body);
    got.sort();
    assert_eq!(
        got,
        [
            "officer_needs_department",
            "password_too_short",
            "required",
            "username_invalid"
        ]
    );

    let id = user["id"].as_i64().unwrap();
    let (status, changed) = api
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"role": "coordinator", "department_id": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["role"], "coordinator");
    assert!(changed["department_id"].is_null());
    assert_eq!(changed["display_name"], "李伟", "absent fields stay");

    let (status, body) = api.post("/api/v1/users/bad", json!({})).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let (status, body) = api.get("/api/v1/users/not-a-number").await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::NOT_FOUND, vec!["not_found".to_string()])
    );
    let actions: Vec<String> = t
        .events_of("user", id)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["create", "update"]);
}

#[tokio::test]
async fn disabling_ends_sessions_and_tokens() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let amy = t.user("amy", "viewer", None, None).await;
    let browser = t.signed_in("amy").await;
    let amy_api = t.api(&t.token(amy.id).await);
    let api = t.api(&t.token(admin.id).await);
    let (status, _) = api
        .post(&format!("/api/v1/users/{}/disable", amy.id), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(browser.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(amy_api.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    let response = t.browser().login("amy", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = api
        .post(&format!("/api/v1/users/{}/disable", admin.id), json!({}))
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::CONFLICT,
            vec!["cannot_disable_self".to_string()]
        )
    );
    api.post(&format!("/api/v1/users/{}/enable", amy.id), json!({}))
        .await;
    assert_eq!(
        t.browser().login("amy", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_user_admin_pages_create_and_edit() {
    let t = TestApp::spawn().await;
    t.user("root", "admin", None, None).await;
    let ent = t.enterprise("Aomatsu Foods", "JP").await;
    let browser = t.signed_in("root").await;
    let (status, form) = browser.page("/users/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("<label for=\"f-username\">"),
        "inputs have labels"
    );
    let response = browser
        .post(
            "/users",
            &[
                ("username", "sato"),
                ("password", "pw"),
                ("display_name", "佐藤"),
                ("role", "enterprise"),
                ("enterprise_id", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("id=\"e-password\"") && body.contains("id=\"e-enterprise_id\""),
        "errors beside the fields"
    );
    assert!(body.contains("value=\"sato\""), "typed values are kept");

    let ent_id = ent.to_string();
    let response = browser
        .post(
            "/users",
            &[
                ("username", "sato"),
                ("password", "long-enough-pw"),
                ("display_name", "佐藤"),
                ("role", "enterprise"),
                ("enterprise_id", &ent_id),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = browser.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("佐藤"));
    let response = browser
        .post(
            &format!("{location}/password"),
            &[("password", "another-long-pw")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        t.browser().login("sato", "another-long-pw").await.status(),
        StatusCode::SEE_OTHER
    );
    let (status, list) = browser.page("/users?role=enterprise").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("sato") && !list.contains(">root<"));
}

#[tokio::test]
async fn the_last_administrator_cannot_be_demoted_or_disabled() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    let (status, body) = api
        .patch(
            &format!("/api/v1/users/{}", admin.id),
            json!({"role": "viewer"}),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::CONFLICT, vec!["last_admin".to_string()])
    );
    let other = t.user("deputy", "admin", None, None).await;
    let (status, _) = api
        .patch(
            &format!("/api/v1/users/{}", other.id),
            json!({"role": "leader"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "with two, one may step down");
}

#[tokio::test]
async fn searches_and_filters_mean_what_they_say() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    t.user("li_wei", "viewer", None, None).await;
    t.user("liuwei", "viewer", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    let (_, found) = api.get("/api/v1/users?q=li_").await;
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["li_wei"], "an underscore is not a wildcard");
    let (_, found) = api.get("/api/v1/users?q=%25").await;
    assert!(
        found.as_array().unwrap().is_empty(),
        "nor is a percent sign"
    );
    let (status, body) = api.get("/api/v1/users?role=mayor").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["invalid_choice".to_string()]
        )
    );
    assert_eq!(body["errors"][0]["field"], "role");
}

#[tokio::test]
async fn api_bodies_name_the_field_that_is_wrong() {
    let t = TestApp::spawn().await;
    let admin = t.user("root", "admin", None, None).await;
    let api = t.api(&t.token(admin.id).await);
    let (status, body) = api
        .post("/api/v1/departments", json!({"kind": "city"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (
            body["errors"][0]["code"].as_str(),
            body["errors"][0]["field"].as_str()
        ),
        (Some("required"), Some("name_zh"))
    );
    let (_, body) = api
        .post("/api/v1/departments", json!({"kind": 7, "name_zh": "x"}))
        .await;
    assert_eq!(
        (
            body["errors"][0]["code"].as_str(),
            body["errors"][0]["field"].as_str()
        ),
        (Some("invalid_format"), Some("kind"))
    );
    let (status, body) = api.get("/api/v1/events?limit=many").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "limit", "{body}");
}
