//! Access is enforced on every surface: pages (403 page), API (JSON 403),
//! lists (scoped), and navigation (by role).

use reqwest::StatusCode;

use crate::helpers::{TestApp, codes};

#[tokio::test]
async fn each_demo_login_works_and_sees_its_roles_navigation() {
    let t = TestApp::spawn().await;
    assert!(liaison::demo::load_if_empty(&t.app).await.unwrap());
    assert!(
        !liaison::demo::load_if_empty(&t.app).await.unwrap(),
        "loaded only into an empty database"
    );
    let states: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM demands GROUP BY state ORDER BY state")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap();
    assert!(states.len() >= 8, "demo demands in many states: {states:?}");
    // The road map: eight goals, about forty tasks, some done, some late.
    let tasks: std::collections::HashMap<String, i64> =
        sqlx::query_as("SELECT status, COUNT(*) FROM plan_tasks GROUP BY status")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert!(tasks.values().sum::<i64>() >= 40, "{tasks:?}");
    for status in ["done", "late", "on_track"] {
        assert!(
            tasks.get(status).is_some_and(|&n| n > 0),
            "{status}: {tasks:?}"
        );
    }
    let goals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_goals")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(goals, 8);
    // Fed KPIs have a month-end history recorded by Liaison itself.
    let fed_history: Vec<i64> = sqlx::query_scalar(
        "SELECT COUNT(v.id) FROM goal_kpis k JOIN kpi_values v ON v.kpi_id = k.id \
         WHERE k.source <> 'manual' AND v.entered_by IS NULL GROUP BY k.id",
    )
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert!(
        fed_history.len() == 2 && fed_history.iter().all(|&n| n >= 12),
        "{fed_history:?}"
    );
    let expected: [(&str, &[&str], &[&str]); 6] = [
        (
            "admin",
            &[
                "/enterprises",
                "/departments",
                "/users",
                "/admin/jobs",
                "/admin/events",
                "/demands",
                "/admin/calendar",
            ],
            &[],
        ),
        (
            "leader",
            &[
                "/enterprises",
                "/departments",
                "/users",
                "/admin/events",
                "/plans",
            ],
            &["/admin/jobs"],
        ),
        (
            "coordinator",
            &["/enterprises", "/departments", "/users"],
            &["/admin/jobs", "/admin/events"],
        ),
        (
            "officer",
            &["/enterprises", "/departments"],
            &["/users", "/admin/jobs"],
        ),
        (
            "enterprise",
            &["/enterprises/1"],
            &[
                "/departments",
                "/users",
                "/admin/jobs",
                "href=\"/enterprises\"",
                "href=\"/plans\"",
            ],
        ),
        (
            "viewer",
            &["/enterprises", "/departments"],
            &["/users", "/admin/jobs"],
        ),
    ];
    for (username, shown, hidden) in expected {
        let browser = t.browser();
        let response = browser.login(username, liaison::demo::PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{username} signs in"
        );
        let (status, home) = browser.page("/").await;
        assert_eq!(status, StatusCode::OK);
        let nav = &home[home.find("<nav").unwrap()..home.find("</nav>").unwrap()];
        for href in shown {
            assert!(nav.contains(href), "{username} sees {href}");
        }
        for href in hidden {
            assert!(!nav.contains(href), "{username} does not see {href}");
        }
    }
}

#[tokio::test]
async fn an_enterprise_user_gets_403_on_admin_pages_and_other_enterprises() {
    let t = TestApp::spawn().await;
    let own = t.enterprise("Own Co", "JP").await;
    let other = t.enterprise("Other Co", "KR").await;
    t.user("ent", "enterprise", None, Some(own)).await;
    let browser = t.signed_in("ent").await;
    for path in [
        "/users".to_string(),
        "/users/1".to_string(),
        "/users/new".to_string(),
        "/departments".to_string(),
        "/departments/new".to_string(),
        "/admin/jobs".to_string(),
        "/admin/events".to_string(),
        format!("/enterprises/{other}"),
    ] {
        let (status, body) = browser.page(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("<html"), "{path}: a page, not a bare status");
    }
    let (status, _) = browser.page(&format!("/enterprises/{own}")).await;
    assert_eq!(status, StatusCode::OK);
    let response = browser
        .post("/departments", &[("kind", "city"), ("name_zh", "某市")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_enterprise_user_gets_json_403_from_the_api() {
    let t = TestApp::spawn().await;
    let own = t.enterprise("Own Co", "JP").await;
    let other = t.enterprise("Other Co", "KR").await;
    let ent = t.user("ent", "enterprise", None, Some(own)).await;
    let someone = t.user("someone", "viewer", None, None).await;
    let api = t.api(&t.token(ent.id).await);
    for path in [
        "/api/v1/users".to_string(),
        format!("/api/v1/users/{}", someone.id),
        "/api/v1/departments".to_string(),
        "/api/v1/jobs".to_string(),
        "/api/v1/events".to_string(),
        format!("/api/v1/enterprises/{other}"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(codes(&body), ["forbidden"], "{path}");
        assert!(body["errors"][0]["detail"].as_str().unwrap().len() > 3);
    }
    let (status, list) = api.get("/api/v1/enterprises").await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [own], "only their own enterprise is listed");
    let (status, _) = api.get(&format!("/api/v1/enterprises/{own}")).await;
    assert_eq!(status, StatusCode::OK);
    let new_user = serde_json::json!({"username": "xavier", "password": "long-enough-pw", "display_name": "X", "role": "admin"});
    let (status, body) = api.post("/api/v1/users", new_user).await;
    assert_eq!(
        (status, codes(&body)),
        (StatusCode::FORBIDDEN, vec!["forbidden".to_string()])
    );
    let (status, _) = api.get(&format!("/api/v1/users/{}", ent.id)).await;
    assert_eq!(status, StatusCode::OK, "their own account");
}

#[tokio::test]
async fn officers_and_viewers_read_but_do_not_administer() {
    let t = TestApp::spawn().await;
    let dept = t.department("某局", "city", None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let viewer = t.user("view", "viewer", None, None).await;
    for user in [officer, viewer] {
        let api = t.api(&t.token(user.id).await);
        assert_eq!(api.get("/api/v1/departments").await.0, StatusCode::OK);
        assert_eq!(api.get("/api/v1/users").await.0, StatusCode::FORBIDDEN);
        let (status, _) = api
            .post(
                "/api/v1/departments",
                serde_json::json!({"kind": "city", "name_zh": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let t = TestApp::spawn().await;
    let browser = t.browser();
    let response = browser.get("/users").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=%2Fusers");
    let response = reqwest::get(t.url("/api/v1/users")).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(codes(&body), ["unauthenticated"]);
    let response = reqwest::Client::new()
        .post(t.url("/api/v1/departments"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "an anonymous API write is told to sign in"
    );
}

#[tokio::test]
async fn demo_data_loads_once_even_when_started_three_times_at_once() {
    let t = TestApp::spawn().await;
    let app = t.app.clone();
    let loads = futures_join3(
        liaison::demo::load_if_empty(&app),
        liaison::demo::load_if_empty(&app),
        liaison::demo::load_if_empty(&app),
    )
    .await;
    assert_eq!(
        loads.iter().filter(|l| *l.as_ref().unwrap()).count(),
        1,
        "{loads:?}"
    );
    let departments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM departments")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let enterprises: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enterprises")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!((departments, enterprises), (15, 60));
    let count = |sql: &'static str| {
        let pool = app.db.pool().clone();
        async move {
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            n
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM contacts").await, 120);
    assert_eq!(
        count("SELECT COUNT(*) FROM indicators").await,
        60 * 8 * 4,
        "two years of quarters, four metrics"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM engagements").await,
        14,
        "a dozen visits and two symposiums"
    );
    assert!(liaison::demo::logins_exist(&app).await.unwrap());
}

async fn futures_join3<A: std::future::Future>(a: A, b: A, c: A) -> [A::Output; 3] {
    let (a, b, c) = tokio::join!(a, b, c);
    [a, b, c]
}

#[tokio::test]
async fn the_audit_trail_speaks_the_readers_language() {
    let t = TestApp::spawn().await;
    t.user("root", "admin", None, None).await;
    let browser = t.signed_in("root").await;
    browser
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let (status, page) = browser.page("/admin/events").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Signed in") && page.contains("Created") && page.contains("User #1"),
        "{page}"
    );
    assert!(
        page.contains("System (operator or scheduled job)"),
        "the CLI/system actor is named"
    );
}
