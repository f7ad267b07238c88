//! Files attached to visits: only accepted types, within the size limit,
//! stored with the record, downloaded as files, and seen only by those who
//! may see the visit.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, codes};

async fn visit(t: &TestApp, token: &str, official: i64) -> i64 {
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let (status, v) = t
        .api(token)
        .post(
            "/api/v1/engagements",
            json!({"kind": "visit", "held_on": "2026-11-01", "enterprise_ids": [e], "official_ids": [official]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn attach(
    t: &TestApp,
    token: &str,
    visit: i64,
    name: &str,
    body: Vec<u8>,
) -> (StatusCode, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(t.url(&format!("/api/v1/engagements/{visit}/attachments")))
        .query(&[("file_name", name)])
        .bearer_auth(token)
        .header("accept-language", "ko")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_visit_report_is_attached_downloaded_and_removed_through_the_api() {
    let t = TestApp::builder()
        .config(|c| c.attachments.max_file_mb = 1)
        .spawn()
        .await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let id = visit(&t, &token, coord.id).await;
    let report = b"%PDF-1.4 visit report".to_vec();

    let (status, attached) = attach(
        &t,
        &token,
        id,
        "C:\\報告\\訪問記録 2026.pdf",
        report.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{attached}");
    assert_eq!(
        attached["file_name"], "訪問記録 2026.pdf",
        "no directories kept"
    );
    assert_eq!(attached["content_type"], "application/pdf");

    let (status, refused) = attach(&t, &token, id, "setup.exe", b"MZ".to_vec()).await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["file_type_refused".to_string()]
        )
    );
    assert!(
        refused["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("받지 않습니다"),
        "in the caller's language"
    );
    let (_, renamed) = attach(
        &t,
        &token,
        id,
        "invoice.pdf",
        b"MZ\x90\x00 program".to_vec(),
    )
    .await;
    assert_eq!(
        codes(&renamed),
        ["file_content_mismatch"],
        "checked by content, not name"
    );
    let (_, empty) = attach(&t, &token, id, "empty.pdf", Vec::new()).await;
    assert_eq!(codes(&empty), ["file_is_empty"]);
    let (_, large) = attach(&t, &token, id, "big.pdf", vec![b'x'; 1024 * 1024 + 1]).await;
    assert_eq!(codes(&large), ["file_too_large"]);
    let (status, _) = attach(&t, &token, 999_999, "a.pdf", report.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, list) = t
        .api(&token)
        .get(&format!("/api/v1/engagements/{id}/attachments"))
        .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "refused files left nothing behind"
    );
    let file = attached["id"].as_i64().unwrap();
    let response = reqwest::Client::new()
        .get(t.url(&format!("/api/v1/attachments/{file}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition
                .contains("filename*=UTF-8''%E8%A8%AA%E5%95%8F%E8%A8%98%E9%8C%B2%202026.pdf"),
        "{disposition}"
    );
    assert_eq!(response.bytes().await.unwrap().to_vec(), report);
    let events = t.events_of("engagement", id).await;
    assert!(
        events.iter().any(|(action, _)| action == "attach"),
        "{events:?}"
    );

    let (status, _) = t
        .api(&token)
        .delete(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = t
        .api(&token)
        .get(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "removed files are gone from the record"
    );
    assert_eq!(
        t.events_of("engagement", id).await.last().unwrap().0,
        "remove_attachment"
    );
}

#[tokio::test]
async fn only_those_who_may_see_the_visit_see_its_files() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let token = t.token(coord.id).await;
    let id = visit(&t, &token, coord.id).await;
    let (_, attached) = attach(&t, &token, id, "notes.docx", b"PK\x03\x04 notes".to_vec()).await;
    let file = attached["id"].as_i64().unwrap();
    let own: i64 = sqlx::query_scalar("SELECT MIN(id) FROM enterprises")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();

    let dept = t.department("商务局", "city", None).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let officer_token = t.token(officer.id).await;
    let (status, _) = t
        .api(&officer_token)
        .get(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "officers read visits and their files"
    );
    let (status, _) = attach(&t, &officer_token, id, "mine.pdf", b"%PDF".to_vec()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "but do not add to them");

    let ent = t.user("ent", "enterprise", None, Some(own)).await;
    let ent_token = t.token(ent.id).await;
    let (status, _) = t
        .api(&ent_token)
        .get(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an enterprise does not learn the file exists"
    );
    let (status, _) = t
        .api(&ent_token)
        .get(&format!("/api/v1/engagements/{id}/attachments"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .api(&ent_token)
        .delete(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let browser = t.signed_in("ent").await;
    assert_eq!(
        browser.get(&format!("/attachments/{file}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn files_are_attached_and_removed_on_the_visit_page() {
    let t = TestApp::spawn().await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let id = visit(&t, &t.token(coord.id).await, coord.id).await;
    let browser = t.signed_in("coord").await;
    let csrf = browser.csrf().await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n photo".to_vec())
            .file_name("현장 사진.png"),
    );
    let response = browser
        .client
        .post(t.url(&format!("/attachments/engagement/{id}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.page(&format!("/engagements/{id}")).await;
    assert!(
        page.contains("현장 사진.png"),
        "the file is listed on the visit"
    );
    let file: i64 = sqlx::query_scalar("SELECT MAX(id) FROM attachments")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let response = browser.get(&format!("/attachments/{file}")).await;
    assert_eq!(response.headers()["content-type"], "image/png");

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"<script>".to_vec()).file_name("page.html"),
    );
    let response = browser
        .client
        .post(t.url(&format!("/attachments/engagement/{id}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "HTML is not accepted"
    );

    let response = browser
        .post(&format!("/attachments/{file}/remove"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.page(&format!("/engagements/{id}")).await;
    assert!(!page.contains("현장 사진.png"));
}

#[tokio::test]
async fn a_demands_files_follow_the_demands_access_rules() {
    let t = TestApp::spawn().await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let other = t.enterprise("Hanseong Materials", "KR").await;
    let ent = t.user("ent", "enterprise", None, Some(e)).await;
    let ent2 = t.user("ent2", "enterprise", None, Some(other)).await;
    let city = t.department("大连市人民政府", "city", None).await;
    let dept = t.department("大连市税务局", "bureau", Some(city)).await;
    let officer = t.user("off", "officer", Some(dept), None).await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let ent_token = t.token(ent.id).await;
    let (_, d) = t
        .api(&ent_token)
        .post(
            "/api/v1/demands",
            json!({"title": "退税", "body": "到账慢"}),
        )
        .await;
    let id = d["id"].as_i64().unwrap();
    let response = reqwest::Client::new()
        .post(t.url(&format!("/api/v1/demands/{id}/attachments")))
        .query(&[("file_name", "申报表.pdf")])
        .bearer_auth(&ent_token)
        .body(b"%PDF-1.4 form".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the enterprise adds papers to its demand"
    );
    let file = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let ent2_api = t.api(&t.token(ent2.id).await);
    let (status, _) = ent2_api.get(&format!("/api/v1/attachments/{file}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another enterprise cannot reach it"
    );
    let (status, _) = ent2_api
        .get(&format!("/api/v1/demands/{id}/attachments"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let officer_api = t.api(&t.token(officer.id).await);
    let (status, _) = officer_api
        .get(&format!("/api/v1/attachments/{file}"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nor a department it was not sent to"
    );
    let (status, list) = t
        .api(&t.token(coord.id).await)
        .get(&format!("/api/v1/demands/{id}/attachments"))
        .await;
    assert_eq!(
        (status, list.as_array().unwrap().len()),
        (StatusCode::OK, 1)
    );
    let response = reqwest::Client::new()
        .post(t.url(&format!("/api/v1/demands/{id}/attachments")))
        .query(&[("file_name", "x.pdf")])
        .bearer_auth(t.token(ent2.id).await)
        .body(b"%PDF-1.4".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "nor add to it");

    // Once the demand has ended, nobody adds papers to it.
    let (status, _) = t
        .api(&t.token(coord.id).await)
        .post(
            &format!("/api/v1/demands/{id}/steps"),
            json!({"action": "reject", "reason": "企业内部事项"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let response = reqwest::Client::new()
        .post(t.url(&format!("/api/v1/demands/{id}/attachments")))
        .query(&[("file_name", "late.pdf")])
        .bearer_auth(&ent_token)
        .body(b"%PDF-1.4".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
