//! The glossary: shipped with Liaison, kept by administrators, read by
//! staff; a concept added by hand is found in text at once.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, codes};

#[tokio::test]
async fn administrators_keep_the_glossary_and_staff_read_it() {
    let t = TestApp::spawn().await;
    let admin = t.user("admin1", "admin", None, None).await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let ent = t.user("ent", "enterprise", None, Some(e)).await;
    let admin = t.api(&t.token(admin.id).await);
    let coord = t.api(&t.token(coord.id).await);
    let ent = t.api(&t.token(ent.id).await);

    let (status, shipped) = coord.get("/api/v1/glossary").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shipped.as_array().unwrap().len() >= 150,
        "the default glossary is loaded"
    );
    let (_, customs) = coord.get("/api/v1/glossary?q=通関").await;
    assert!(
        customs
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["terms_ko"].as_str().unwrap().contains("통관")),
        "{customs}"
    );
    assert_eq!(ent.get("/api/v1/glossary").await.0, StatusCode::FORBIDDEN);

    let concept = json!({"key": "utilities_district_cooling", "domain": "utilities", "zh": "区域供冷\n集中供冷", "ja": "地域冷房", "ko": "지역냉방", "en": "district cooling"});
    assert_eq!(
        coord.post("/api/v1/glossary", concept.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, created) = admin.post("/api/v1/glossary", concept.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["terms_zh"], "区域供冷|集中供冷");
    let (status, again) = admin.post("/api/v1/glossary", concept).await;
    assert_eq!(
        (status, codes(&again)),
        (StatusCode::CONFLICT, vec!["glossary_key_taken".to_string()])
    );
    let (status, bad) = admin
        .post(
            "/api/v1/glossary",
            json!({"key": "Bad Key", "domain": "", "zh": "税", "ja": "", "ko": "", "en": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&bad),
        [
            "invalid_format",
            "invalid_format",
            "glossary_term_too_short"
        ]
    );
    assert!(
        bad["errors"][2]["detail"].as_str().unwrap().contains("税"),
        "{bad}"
    );

    // The new concept is found in text from now on, in any of its languages.
    let matcher = liaison::glossary::service::matcher(&t.app).await.unwrap();
    let found = |text: &str| -> Vec<String> {
        matcher
            .concepts_in(text)
            .into_iter()
            .map(|i| matcher.concepts()[i].key.clone())
            .collect()
    };
    assert!(found("园区的集中供冷经常中断").contains(&"utilities_district_cooling".to_string()));
    assert!(
        found("지역냉방 공급이 중단되었습니다").contains(&"utilities_district_cooling".to_string())
    );

    // Retired: no longer found; the change is in the event log.
    let id = created["id"].as_i64().unwrap();
    let (status, retired) = admin
        .put_json(&format!("/api/v1/glossary/{id}"), json!({"key": "utilities_district_cooling", "domain": "utilities", "zh": "区域供冷", "ja": "地域冷房", "ko": "지역냉방", "en": "district cooling", "retired": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{retired}");
    assert!(retired["retired_at"].is_string());
    let matcher = liaison::glossary::service::matcher(&t.app).await.unwrap();
    assert!(matcher.concepts_in("지역냉방").is_empty());
    let actions: Vec<String> = t
        .events_of("glossary_concept", id)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["create", "update", "retire"]);

    // The pages: staff read, administrators edit; bad input is explained.
    let reader = t.signed_in("coord").await;
    let (status, page) = reader.page("/admin/glossary?q=customs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("通関") && !page.contains(r#"method="post" action="/admin/glossary""#),
        "read only"
    );
    let editor = t.signed_in("admin1").await;
    let response = editor
        .post(
            "/admin/glossary",
            &[("key", "x"), ("domain", "tax"), ("zh", "税"), ("en", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains(r#"aria-invalid="true""#), "{body}");
    let (status, _) = editor.page(&format!("/admin/glossary/{id}")).await;
    assert_eq!(status, StatusCode::OK);
}
