//! Supervision and notifications: overdue demands are notified once to the
//! lead department and, later, to the leaders, however many instances run
//! the job; steps notify the people who must act, who may mute kinds.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, set_city_time};
use liaison::demands::categories::CategoryDraft;

async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_overdue_demand_is_supervised_once_then_escalated_once_even_from_two_instances() {
    let t = TestApp::spawn().await;
    set_city_time(&t, "2026-11-16 10:00"); // a Monday
    let city = t.department("大连市人民政府", "city", None).await;
    let dept = t.department("大连市税务局", "bureau", Some(city)).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let leader = t.user("mayor", "leader", None, None).await;
    let category = t
        .category(CategoryDraft {
            name_zh: "税费".into(),
            lead_department_id: Some(dept),
            ..Default::default()
        })
        .await;
    let coord = t.api(&t.token(coord.id).await);
    let (_, d) = coord
        .post("/api/v1/demands", json!({"enterprise_id": e, "title": "出口退税", "body": "到账慢", "category_id": category}))
        .await;
    let id = d["id"].as_i64().unwrap();
    coord
        .post(
            &format!("/api/v1/demands/{id}/steps"),
            json!({"action": "accept"}),
        )
        .await;
    let (_, d) = coord
        .post(
            &format!("/api/v1/demands/{id}/steps"),
            json!({"action": "assign"}),
        )
        .await;
    assert_eq!(d["sign_for_due"], "2026-11-17");
    let officer_api = t.api(&t.token(officer.id).await);
    let (_, bell) = officer_api.get("/api/v1/notifications").await;
    assert_eq!(
        (bell["unread"].as_i64(), bell["items"][0]["kind"].as_str()),
        (Some(1), Some("assigned"))
    );
    // The bell on every page counts it, read with the session.
    let (_, page) = t.signed_in(&officer.username).await.page("/demands").await;
    assert!(
        page.contains(r#"<span class="count">1</span></a>"#),
        "{page}"
    );

    // Not signed for by Tuesday: on Wednesday it is overdue.
    set_city_time(&t, "2026-11-18 09:00");
    let second = liaison::App::open_with_clock(t.app.config.as_ref().clone(), t.app.clock.clone())
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        liaison::demands::supervision::supervise(&t.app),
        liaison::demands::supervision::supervise(&second)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one notice from two instances");
    assert_eq!(
        liaison::demands::supervision::supervise(&t.app)
            .await
            .unwrap(),
        0,
        "and not again"
    );
    let overdue = "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue'";
    assert_eq!(
        count(&t, overdue).await,
        1,
        "to the lead department's officer"
    );
    let (_, view) = coord.get(&format!("/api/v1/demands/{id}")).await;
    assert!(
        view["supervised_at"].is_string(),
        "late demands are supervised"
    );
    let leader_api = t.api(&t.token(leader.id).await);
    let (_, leader_bell) = leader_api.get("/api/v1/notifications").await;
    assert_eq!(leader_bell["unread"], 0, "leaders hear only of escalations");

    // Two more working days overdue (Thu, Fri): escalated to the leaders once.
    set_city_time(&t, "2026-11-20 09:00");
    assert_eq!(
        liaison::demands::supervision::supervise(&t.app)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        liaison::demands::supervision::supervise(&second)
            .await
            .unwrap(),
        0
    );
    let (_, leader_bell) = leader_api.get("/api/v1/notifications").await;
    assert_eq!(
        (
            leader_bell["unread"].as_i64(),
            leader_bell["items"][0]["kind"].as_str()
        ),
        (Some(1), Some("escalated"))
    );
    let events = count(&t, &format!("SELECT COUNT(*) FROM events WHERE entity_type = 'demand' AND entity_id = {id} AND action = 'supervise'")).await;
    assert_eq!(events, 2, "every notice is an event");

    // The job runs through the queue like any other.
    liaison::jobs::worker::schedule_periodic(&t.app)
        .await
        .unwrap();
    assert_eq!(
        liaison::jobs::worker::drain(&t.app).await.unwrap(),
        2,
        "the housekeeping and supervision jobs ran"
    );
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM supervision_notices").await,
        2,
        "and sent no notice twice"
    );
}

#[tokio::test]
async fn people_hear_of_what_they_must_do_and_may_mute_it() {
    let t = TestApp::spawn().await;
    let city = t.department("大连市人民政府", "city", None).await;
    let dept = t.department("大连市税务局", "bureau", Some(city)).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let other = t.enterprise("Hanseong Materials", "KR").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let ent = t.user("ent", "enterprise", None, Some(e)).await;
    let ent2 = t.user("ent2", "enterprise", None, Some(other)).await;
    let coord = t.api(&t.token(coord.id).await);
    let officer_api = t.api(&t.token(officer.id).await);
    let ent_api = t.api(&t.token(ent.id).await).lang("ko");
    let (_, d) = ent_api
        .post(
            "/api/v1/demands",
            json!({"title": "환급 지연", "body": "수출 환급이 늦습니다"}),
        )
        .await;
    let id = d["id"].as_i64().unwrap();
    let steps = format!("/api/v1/demands/{id}/steps");

    let (status, _) = officer_api
        .put_json(
            "/api/v1/notifications/mutes",
            json!({"kinds": ["assigned"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        t.events_of("user", officer.id).await.last(),
        Some(&("set_mutes".to_string(), officer.username.clone())),
        "choosing what one hears of is recorded like choosing a language"
    );
    let (_, bad) = officer_api
        .put_json(
            "/api/v1/notifications/mutes",
            json!({"kinds": ["everything"]}),
        )
        .await;
    assert_eq!(bad["errors"][0]["code"], "invalid_choice");
    let category = t
        .category(CategoryDraft {
            name_zh: "税费".into(),
            ..Default::default()
        })
        .await;
    coord
        .post(&steps, json!({"action": "accept", "category_id": category}))
        .await;
    let (status, _) = coord
        .post(
            &steps,
            json!({"action": "assign", "lead_department_id": dept}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, bell) = officer_api.get("/api/v1/notifications").await;
    assert_eq!(bell["unread"], 0, "muted");

    officer_api
        .post(&steps, json!({"action": "sign_for"}))
        .await;
    officer_api
        .post(
            &steps,
            json!({"action": "ask", "question": "몇 월분입니까?"}),
        )
        .await;
    let (_, bell) = ent_api.get("/api/v1/notifications").await;
    assert_eq!(
        (bell["unread"].as_i64(), bell["items"][0]["kind"].as_str()),
        (Some(1), Some("question"))
    );
    let (_, none) = t
        .api(&t.token(ent2.id).await)
        .get("/api/v1/notifications")
        .await;
    assert_eq!(none["unread"], 0, "another enterprise hears nothing");

    let browser = t.signed_in("ent").await;
    let (_, page) = browser.page("/").await;
    assert!(
        page.contains("class=\"count\">1<"),
        "the bell shows one unread"
    );
    let (_, page) = browser.page("/notifications").await;
    assert!(page.contains(&format!("/demands/{id}")) && page.contains("환급 지연"));
    let r = browser.post("/notifications/read", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, bell) = ent_api.get("/api/v1/notifications").await;
    assert_eq!(bell["unread"], 0);
}
