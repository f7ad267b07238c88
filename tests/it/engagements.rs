//! Visits and symposiums: recorded through the page and the API, shown on
//! the calendar and on each enterprise's page, follow-ups, and access.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, codes};

#[tokio::test]
async fn a_coordinator_records_a_visit_with_attendees_and_follow_ups() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let dept = t.department("商务局", "city", None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let api = t.api(&t.token(coord.id).await);
    let (_, sato) = api
        .post(
            &format!("/api/v1/enterprises/{e}/contacts"),
            json!({"name": "佐藤 健"}),
        )
        .await;

    let browser = t.signed_in("coord").await;
    browser
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let (status, form) = browser
        .page(&format!("/engagements/new?kind=visit&enterprise={e}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(&format!("<option value=\"{e}\" selected>")),
        "the enterprise is preselected"
    );
    let e_id = e.to_string();
    let coord_id = coord.id.to_string();
    let response = browser
        .post(
            "/engagements",
            &[
                ("kind", "visit"),
                ("held_on", "2030-01-01"),
                ("enterprise_ids", &e_id),
                ("enterprise_ids", "999999"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for field in ["held_on", "enterprise_ids", "official_ids"] {
        assert!(
            page.contains(&format!("id=\"e-{field}\"")),
            "an error beside {field}"
        );
    }
    let response = browser
        .post(
            "/engagements",
            &[
                ("kind", "visit"),
                ("held_on", "2026-11-18"),
                ("place", "金普新区"),
                ("enterprise_ids", &e_id),
                ("official_ids", &coord_id),
                ("guests", "谭市长"),
                ("purpose", "了解生产经营情况"),
                (
                    "findings",
                    "Orders are up.\nPower supply in winter is a worry.",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();

    // Attendees are ticked from the enterprise's contacts once saved.
    let (_, edit) = browser.page(&format!("/engagements/{id}/edit")).await;
    assert!(edit.contains("佐藤 健"));
    let (status, updated) = api
        .patch(
            &format!("/api/v1/engagements/{id}"),
            json!({"attendee_ids": [sato["id"]]}),
        )
        .await;
    assert_eq!(
        (status, updated["attendee_ids"].clone()),
        (StatusCode::OK, json!([sato["id"]]))
    );
    let (status, err) = api
        .patch(
            &format!("/api/v1/engagements/{id}"),
            json!({"attendee_ids": [424242]}),
        )
        .await;
    assert_eq!(
        (status, codes(&err)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["attendee_invalid".to_string()]
        )
    );

    let (status, follow_up) = api
        .post(&format!("/api/v1/engagements/{id}/follow-ups"), json!({"description": "Ask the grid company about winter supply", "owner_id": officer.id, "due_on": "2026-12-01"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{follow_up}");
    let officer_api = t.api(&t.token(officer.id).await);
    let (status, done) = officer_api
        .put_json(
            &format!("/api/v1/follow-ups/{}/done", follow_up["id"]),
            json!({"done": true}),
        )
        .await;
    assert_eq!(
        (status, done["done"].as_bool()),
        (StatusCode::OK, Some(true)),
        "the owner marks it done"
    );
    let (status, _) = officer_api.post("/api/v1/engagements", json!({"kind": "visit", "held_on": "2026-11-01", "enterprise_ids": [e], "official_ids": [officer.id]})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "officers read visits but do not record them"
    );

    let (_, page) = browser.page(&format!("/engagements/{id}")).await;
    assert!(
        page.contains("谭市长")
            && page.contains("Power supply in winter")
            && page.contains("佐藤 健")
    );
    let (_, calendar) = browser.page("/engagements").await;
    assert!(calendar.contains("2026-11") && calendar.contains("Kaigaku Precision"));
    let (_, enterprise) = browser.page(&format!("/enterprises/{e}")).await;
    assert!(
        enterprise.contains(&format!("/engagements/{id}")),
        "the visit is on the enterprise's page"
    );
    assert!(enterprise.contains("Visited"), "and on its timeline");
}

#[tokio::test]
async fn a_symposium_gathers_several_enterprises_and_stays_with_staff() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let a = t.enterprise("Alpha", "JP").await;
    let b = t.enterprise("Beta", "KR").await;
    let api = t.api(&t.token(coord.id).await);
    let (status, symposium) = api
        .post("/api/v1/engagements", json!({"kind": "symposium", "held_on": "2026-10-15", "enterprise_ids": [a, b], "official_ids": [coord.id], "findings": "Minutes: customs clearance times were raised by both."}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{symposium}");
    let (_, visit_err) = api.post("/api/v1/engagements", json!({"kind": "visit", "held_on": "2026-10-15", "enterprise_ids": [a, b], "official_ids": [coord.id]})).await;
    assert_eq!(codes(&visit_err), ["visit_needs_one_enterprise"]);
    let (_, of_b) = api
        .get(&format!("/api/v1/engagements?enterprise={b}"))
        .await;
    assert_eq!(of_b[0]["id"], symposium["id"]);
    assert_eq!(
        t.events_of("enterprise", a).await.last().unwrap().0,
        "symposium"
    );

    let ent = t.user("ent", "enterprise", None, Some(a)).await;
    let own = t.api(&t.token(ent.id).await);
    assert_eq!(
        own.get("/api/v1/engagements").await.0,
        StatusCode::FORBIDDEN,
        "officials' notes are for staff"
    );
    let browser = t.signed_in("ent").await;
    let (_, page) = browser.page(&format!("/enterprises/{a}")).await;
    assert!(!page.contains("customs clearance") && !page.contains("/engagements/"));
}

#[tokio::test]
async fn findings_keep_their_formatting_and_lose_anything_that_could_run() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let api = t.api(&t.token(coord.id).await);
    let findings = r#"<p>冬季の<strong>電力</strong>供給</p><ul><li>変電所</li></ul><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>"#;
    let (status, visit) = api
        .post(
            "/api/v1/engagements",
            json!({"kind": "visit", "held_on": "2026-11-01", "enterprise_ids": [e], "official_ids": [coord.id], "findings": findings}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{visit}");
    let stored = visit["findings"].as_str().unwrap();
    assert!(
        stored.starts_with("<p>冬季の<strong>電力</strong>供給</p><ul><li>変電所</li></ul>"),
        "{stored}"
    );
    assert!(
        !stored.contains("script") && !stored.contains("onerror") && !stored.contains("javascript"),
        "{stored}"
    );

    let browser = t.signed_in("coord").await;
    let id = visit["id"].as_i64().unwrap();
    let (_, page) = browser.page(&format!("/engagements/{id}")).await;
    assert!(
        page.contains("<strong>電力</strong>"),
        "formatting shown as formatting"
    );
    assert!(!page.contains("alert("), "nothing that runs");

    let (_, plain) = api
        .patch(
            &format!("/api/v1/engagements/{id}"),
            json!({"findings": "一行目\n電圧 3 < 5\n\n次の段落"}),
        )
        .await;
    assert_eq!(
        plain["findings"], "<p>一行目<br>電圧 3 &lt; 5</p><p>次の段落</p>",
        "plain text keeps its lines and shows angle brackets as text"
    );
}
