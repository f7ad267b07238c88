//! Contacts: personal data only for those granted it, one primary contact,
//! removal that keeps the record, and no enterprise reaching another's.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, codes};

#[tokio::test]
async fn coordinators_keep_contacts_with_one_primary() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let api = t.api(&t.token(coord.id).await);
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let path = format!("/api/v1/enterprises/{e}/contacts");
    let (status, sato) = api.post(&path, json!({"name": "佐藤 健", "title": "総経理", "phone": "+86 411 8765 4321", "email": "sato@example.jp", "preferred_locale": "ja", "primary": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{sato}");
    let (_, li) = api
        .post(&path, json!({"name": "李娜", "email": "li@example.cn"}))
        .await;
    let (status, err) = api
        .post(
            &path,
            json!({"name": "", "phone": "call me", "email": "nope", "preferred_locale": "fr"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "phone", "email", "preferred_locale"]);

    let (status, li) = api
        .patch(&format!("{path}/{}", li["id"]), json!({"primary": true}))
        .await;
    assert_eq!(
        (status, li["primary"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    let (_, list) = api.get(&path).await;
    let primaries: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["primary"] == true)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(primaries, ["李娜"], "one primary contact");

    let (status, _) = api.delete(&format!("{path}/{}", sato["id"])).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = api.get(&path).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "removed contacts leave the list"
    );
    let actions: Vec<String> = t
        .events_of("contact", sato["id"].as_i64().unwrap())
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["create", "remove"]);
}

#[tokio::test]
async fn officers_see_enterprises_but_not_personal_data_unless_granted() {
    let t = TestApp::spawn().await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    t.api(&t.token(coord.id).await)
        .post(
            &format!("/api/v1/enterprises/{e}/contacts"),
            json!({"name": "佐藤 健", "phone": "0411-8765-4321"}),
        )
        .await;
    let dept = t.department("商务局", "city", None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let viewer = t.user("view", "viewer", None, None).await;
    for user in [&officer, &viewer] {
        let api = t.api(&t.token(user.id).await);
        assert_eq!(
            api.get(&format!("/api/v1/enterprises/{e}")).await.0,
            StatusCode::OK
        );
        let (status, body) = api.get(&format!("/api/v1/enterprises/{e}/contacts")).await;
        assert_eq!(
            (status, codes(&body)),
            (StatusCode::FORBIDDEN, vec!["forbidden".to_string()])
        );
    }
    let browser = t.signed_in("off").await;
    let (status, page) = browser.page(&format!("/enterprises/{e}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("佐藤") && !page.contains("8765"),
        "no personal data on the page"
    );

    let granted = TestApp::builder()
        .config(|c| c.privacy.officers_see_contacts = true)
        .spawn()
        .await;
    let e = granted.enterprise("Kaigaku Precision", "JP").await;
    let dept = granted.department("商务局", "city", None).await;
    let officer = granted.user("off", "officer", Some(dept), None).await;
    let api = granted.api(&granted.token(officer.id).await);
    assert_eq!(
        api.get(&format!("/api/v1/enterprises/{e}/contacts"))
            .await
            .0,
        StatusCode::OK,
        "granted by the setting"
    );
    let (status, _) = api
        .post(
            &format!("/api/v1/enterprises/{e}/contacts"),
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "seeing is not editing");
}

#[tokio::test]
async fn an_enterprise_user_keeps_their_own_contacts_and_no_others() {
    let t = TestApp::spawn().await;
    let own = t.enterprise("Own Co", "JP").await;
    let other = t.enterprise("Other Co", "KR").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let coord_api = t.api(&t.token(coord.id).await);
    let (_, theirs) = coord_api
        .post(
            &format!("/api/v1/enterprises/{other}/contacts"),
            json!({"name": "김민수"}),
        )
        .await;
    let ent = t.user("ent", "enterprise", None, Some(own)).await;
    let api = t.api(&t.token(ent.id).await);
    let (status, mine) = api
        .post(
            &format!("/api/v1/enterprises/{own}/contacts"),
            json!({"name": "田中 一郎", "email": "tanaka@example.jp"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        api.get(&format!("/api/v1/enterprises/{other}/contacts"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.post(
            &format!("/api/v1/enterprises/{other}/contacts"),
            json!({"name": "x"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // Another enterprise's contact through one's own enterprise: not found.
    let (status, _) = api
        .patch(
            &format!("/api/v1/enterprises/{own}/contacts/{}", theirs["id"]),
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .put_json(
            &format!("/api/v1/enterprises/{own}/contacts/{}/user", mine["id"]),
            json!({"user_id": ent.id}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "linking accounts is for coordinators"
    );
    let (status, linked) = coord_api
        .put_json(
            &format!("/api/v1/enterprises/{own}/contacts/{}/user", mine["id"]),
            json!({"user_id": ent.id}),
        )
        .await;
    assert_eq!(
        (status, linked["user_id"].as_i64()),
        (StatusCode::OK, Some(ent.id))
    );
    let (status, err) = coord_api
        .put_json(
            &format!("/api/v1/enterprises/{other}/contacts/{}/user", theirs["id"]),
            json!({"user_id": ent.id}),
        )
        .await;
    assert_eq!(
        (status, codes(&err)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["contact_user_mismatch".to_string()]
        )
    );

    let browser = t.signed_in("ent").await;
    let (_, page) = browser.page(&format!("/enterprises/{own}")).await;
    assert!(
        page.contains("田中 一郎") && page.contains(&format!("/enterprises/{own}/contacts/new"))
    );
    browser
        .page(&format!("/enterprises/{own}/contacts/new"))
        .await;
    let response = browser
        .post(
            &format!("/enterprises/{own}/contacts"),
            &[("name", "鈴木 花子"), ("phone", "bad phone")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.text().await.unwrap().contains("id=\"e-phone\""),
        "the error sits by the phone field"
    );
}

#[tokio::test]
async fn exporting_personal_data_is_recorded_and_needs_the_grant() {
    let t = TestApp::spawn().await;
    let jp = t.enterprise("Kaigaku Precision", "JP").await;
    let kr = t.enterprise("Hanseong Materials", "KR").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let api = t.api(&t.token(coord.id).await);
    api.post(
        &format!("/api/v1/enterprises/{jp}/contacts"),
        json!({"name": "佐藤 健", "phone": "0411-8765-4321", "primary": true}),
    )
    .await;
    api.post(
        &format!("/api/v1/enterprises/{kr}/contacts"),
        json!({"name": "김민준", "email": "kim@example.invalid"}),
    )
    .await;
    let token = t.token(coord.id).await;
    let response = reqwest::Client::new()
        .get(t.url("/api/v1/enterprises/contacts/export?format=csv&country=JP"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let rows = liaison::sheets::read(
        &response.bytes().await.unwrap(),
        liaison::sheets::Format::Csv,
    )
    .unwrap();
    assert_eq!(
        rows.len(),
        2,
        "a header and the one Japanese enterprise's contact"
    );
    assert_eq!(rows[1][2], "佐藤 健");
    let exports: Vec<(String, String)> = t
        .events_of("user", coord.id)
        .await
        .into_iter()
        .filter(|e| e.0 == "export_contacts")
        .collect();
    assert_eq!(exports.len(), 1, "the export of personal data is an event");
    let after: Option<String> =
        sqlx::query_scalar("SELECT after_json FROM events WHERE action = 'export_contacts'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    let after: serde_json::Value = serde_json::from_str(&after.unwrap()).unwrap();
    assert_eq!(
        (after["contacts"].as_i64(), after["country"].as_str()),
        (Some(1), Some("JP"))
    );

    let dept = t.department("商务局", "city", None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let response = reqwest::Client::new()
        .get(t.url("/api/v1/enterprises/contacts/export?format=csv"))
        .bearer_auth(t.token(officer.id).await)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "no grant, no export"
    );
    let ent = t.user("ent", "enterprise", None, Some(kr)).await;
    let response = reqwest::Client::new()
        .get(t.url("/api/v1/enterprises/contacts/export?format=csv"))
        .bearer_auth(t.token(ent.id).await)
        .send()
        .await
        .unwrap();
    let rows = liaison::sheets::read(
        &response.bytes().await.unwrap(),
        liaison::sheets::Format::Csv,
    )
    .unwrap();
    assert_eq!(
        (rows.len(), rows[1][2].as_str()),
        (2, "김민준"),
        "an enterprise exports only its own contacts"
    );
}
