//! Signing in and out, sessions, CSRF, and login throttling.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, advance};

#[tokio::test]
async fn login_sets_a_safe_session_cookie_and_logout_ends_it() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.browser();
    let response = browser.login("amy", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("liaison_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "not Secure unless configured: {cookie}"
    );

    let (status, home) = browser.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("amy name"));

    let response = browser.post("/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = browser.get("/").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "signed out: home redirects to login"
    );
    assert_eq!(
        t.events_of("user", 1)
            .await
            .iter()
            .map(|e| e.0.as_str())
            .collect::<Vec<_>>(),
        ["create", "login", "logout"]
    );
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let t = TestApp::builder()
        .config(|c| c.server.secure_cookies = true)
        .spawn()
        .await;
    t.user("amy", "admin", None, None).await;
    let response = t.browser().login("amy", PASSWORD).await;
    let cookies: Vec<_> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("liaison_session=") && c.contains("; Secure")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_message_in_the_page_language() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.browser();
    browser.page("/login").await;
    let response = browser
        .client
        .post(t.url("/login"))
        .header("accept-language", "en")
        .form(&[
            ("username", "amy"),
            ("password", "nope-nope-nope"),
            ("_csrf", &browser.csrf().await),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("Wrong username or password."), "{body}");
    // Unknown users get the very same answer.
    let response = browser
        .post(
            "/login",
            &[("username", "nobody"), ("password", "whatever-else")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.signed_in("amy").await;
    let response = browser
        .client
        .post(t.url("/departments"))
        .form(&[("kind", "city"), ("name_zh", "某市"), ("_csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser
        .client
        .post(t.url("/departments"))
        .form(&[("kind", "city"), ("name_zh", "某市")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser
        .post("/departments", &[("kind", "city"), ("name_zh", "某市")])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "with the token it works"
    );
}

#[tokio::test]
async fn fifty_wrong_passwords_for_one_account_do_not_stop_another() {
    let t = TestApp::spawn().await;
    t.user(
        "victim",
        "officer",
        Some(t.department("某局", "city", None).await),
        None,
    )
    .await;
    t.user("other", "admin", None, None).await;
    let attacker = t.browser();
    let mut statuses = Vec::new();
    for _ in 0..50 {
        statuses.push(attacker.login("victim", "wrong-password!").await.status());
    }
    assert!(
        statuses[..5]
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
    );
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "locked after 5: {statuses:?}"
    );

    // Another account signs in from the same address.
    assert_eq!(
        t.browser().login("other", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn throttling_names_the_wait_and_ends_with_the_window() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.browser();
    for _ in 0..5 {
        browser.login("amy", "wrong-password!").await;
    }
    browser.page("/login").await;
    let response = browser
        .client
        .post(t.url("/login"))
        .header("accept-language", "en")
        .form(&[
            ("username", "amy"),
            ("password", PASSWORD),
            ("_csrf", &browser.csrf().await),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains("try again in 15 minutes"), "{body}");

    advance(&t, 16);
    assert_eq!(
        browser.login("amy", PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the lock is not forever"
    );
}

#[tokio::test]
async fn an_attacker_elsewhere_cannot_lock_out_the_real_user() {
    let t = TestApp::builder()
        .config(|c| c.server.trust_forwarded_for = true)
        .spawn()
        .await;
    t.user("amy", "admin", None, None).await;
    let attacker = t.browser();
    attacker.page("/login").await;
    let csrf = attacker.csrf().await;
    for _ in 0..20 {
        attacker
            .client
            .post(t.url("/login"))
            .header("x-forwarded-for", "203.0.113.9")
            .form(&[
                ("username", "amy"),
                ("password", "guess-guess-guess"),
                ("_csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
    }
    let real = t.browser();
    real.page("/login").await;
    let response = real
        .client
        .post(t.url("/login"))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[
            ("username", "amy"),
            ("password", PASSWORD),
            ("_csrf", real.csrf().await.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_address_spraying_many_accounts_is_slowed() {
    let t = TestApp::builder()
        .config(|c| c.auth.login_max_accounts_per_address = 10)
        .spawn()
        .await;
    t.user("amy", "admin", None, None).await;
    let browser = t.browser();
    for i in 0..10 {
        browser.login(&format!("guess{i}"), "password123!").await;
    }
    assert_eq!(
        browser.login("amy", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    let browser = t.signed_in("amy").await;
    advance(&t, 60);
    assert_eq!(
        browser.get("/").await.status(),
        StatusCode::OK,
        "an hour is fine"
    );
    advance(&t, 9 * 60);
    assert_eq!(
        browser.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "nine idle hours end it"
    );
}

#[tokio::test]
async fn api_tokens_work_until_revoked_and_are_stored_hashed() {
    let t = TestApp::spawn().await;
    let amy = t.user("amy", "coordinator", None, None).await;
    let token = t.token(amy.id).await;
    let api = t.api(&token);
    let (status, me) = api.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "amy");
    assert_eq!(me["role"], "coordinator");

    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert!(
        !stored.iter().any(|h| h == &token),
        "the secret itself is never stored"
    );

    let (status, issued) = api
        .post(
            "/api/v1/tokens",
            serde_json::json!({"name": "bot", "days": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let second = issued["secret"].as_str().unwrap().to_string();
    let id = issued["token"]["id"].as_i64().unwrap();
    let (status, _) = api.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = t.api(&second).get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(crate::helpers::codes(&body), ["unauthenticated"]);
    let (status, _) = t.api("lia_not-a-token").get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_ends_sessions_and_needs_the_current_one() {
    let t = TestApp::spawn().await;
    t.user("amy", "viewer", None, None).await;
    let browser = t.signed_in("amy").await;
    browser.page("/profile").await;
    let response = browser
        .post(
            "/profile/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "short"),
                ("confirm_password", "other"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    for field in ["current_password", "new_password", "confirm_password"] {
        assert!(
            body.contains(&format!("id=\"e-{field}\"")),
            "an error next to {field}"
        );
    }
    browser.page("/profile").await;
    let response = browser
        .post(
            "/profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a-new-long-secret"),
                ("confirm_password", "a-new-long-secret"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "signed out"
    );
    assert_eq!(
        t.browser().login("amy", "a-new-long-secret").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sign_in_only_returns_to_pages_on_this_site() {
    let t = TestApp::spawn().await;
    t.user("amy", "admin", None, None).await;
    for crafted in [
        "//evil.example/x",
        "/\t/evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "/ /evil",
    ] {
        let browser = t.browser();
        browser
            .page(&format!(
                "/login?next={}",
                liaison::web::context::url_encode(crafted)
            ))
            .await;
        let response = browser
            .post(
                "/login",
                &[
                    ("username", "amy"),
                    ("password", PASSWORD),
                    ("next", crafted),
                ],
            )
            .await;
        assert_eq!(
            response.headers()["location"],
            "/",
            "{crafted:?} is not followed"
        );
    }
    let browser = t.browser();
    let response = browser.get("/users?role=officer").await;
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fusers%3Frole%3Dofficer",
        "the query is kept"
    );
    browser.page("/login").await;
    let response = browser
        .post(
            "/login",
            &[
                ("username", "amy"),
                ("password", PASSWORD),
                ("next", "/users?role=officer"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/users?role=officer");
}

#[tokio::test]
async fn the_language_switcher_returns_to_a_page_that_answers() {
    let t = TestApp::spawn().await;
    t.user("amy", "viewer", None, None).await;
    let browser = t.signed_in("amy").await;
    let (_, page) = browser.page("/users?role=officer&q=x").await;
    assert!(
        page.contains("name=\"back\" value=\"/users?role=officer&#38;q=x\""),
        "GET pages come back with their query"
    );
    browser.page("/profile").await;
    // A failed form post renders the profile at /profile/password, a POST-only address.
    let response = browser
        .client
        .post(t.url("/profile/password"))
        .header("referer", t.url("/profile"))
        .form(&[
            ("current_password", "wrong"),
            ("new_password", "x"),
            ("confirm_password", "y"),
            ("_csrf", &browser.csrf().await),
        ])
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(
        body.contains("name=\"back\" value=\"/profile\""),
        "back to the page the form was on"
    );
}
