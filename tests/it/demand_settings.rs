//! The administrator keeps the calendar, the categories and the deadlines
//! on pages; nobody else may.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_administrator_keeps_the_calendar_and_the_categories_on_pages() {
    let t = TestApp::spawn().await;
    let city = t.department("大连市人民政府", "city", None).await;
    let dept = t.department("市商务局", "bureau", Some(city)).await;
    t.user("admin1", "admin", None, None).await;
    t.user("coord", "coordinator", None, None).await;
    let admin = t.signed_in("admin1").await;

    let r = admin
        .post(
            "/admin/calendar",
            &[("day", "2026-12-31"), ("kind", "holiday"), ("name", "年末")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/admin/calendar?year=2026").await;
    assert!(page.contains("2026-12-31") && page.contains("年末"));
    let r = admin
        .post(
            "/admin/calendar",
            &[("day", "2026-02-30"), ("kind", "holiday")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"e-day\""));
    let r = admin
        .post("/admin/calendar/clear", &[("day", "2026-12-31")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/admin/calendar?year=2026").await;
    assert!(!page.contains("年末"));

    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/calendar/cn-2026.csv"
    ))
    .unwrap();
    let csrf = admin.csrf().await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name("cn-2026.csv"),
    );
    let r = admin
        .client
        .post(t.url(&format!("/admin/calendar/import?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let days: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_days")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(days, 25, "the shipped 2026 file imports whole");

    let r = admin
        .post(
            "/admin/demand-categories",
            &[
                ("name_zh", "税收"),
                ("name_ja", "税務"),
                ("lead_department_id", &dept.to_string()),
                ("sla_kind", "enquiry"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = admin
        .post(
            "/admin/demand-categories",
            &[("name_zh", ""), ("sla_kind", "sometimes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(
            "/admin/sla-policies/complaint",
            &[
                ("sign_for_days", "2"),
                ("reply_days", "10"),
                ("urgent_reply_days", "1"),
                ("feedback_days", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.page("/admin/demand-categories").await;
    assert!(page.contains("税務") && page.contains("value=\"10\""));

    let coord = t.signed_in("coord").await;
    assert_eq!(
        coord.get("/admin/calendar").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coord.get("/admin/demand-categories").await.status(),
        StatusCode::FORBIDDEN
    );
}
