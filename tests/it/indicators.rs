//! Operating indicators: entry, replacement, the enterprise's own reports,
//! the chart on the enterprise page, and access.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn figures_are_recorded_replaced_and_charted() {
    let t = TestApp::spawn().await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let api = t.api(&t.token(coord.id).await);
    let path = format!("/api/v1/enterprises/{e}/indicators");
    for (quarter, revenue) in [
        ("2025-Q1", "1200"),
        ("2025-Q2", "1350.5"),
        ("2025-Q3", "1100"),
    ] {
        let (status, body) = api.post(&path, json!({"period": quarter, "metric": "revenue", "value": revenue, "currency": "CNY"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, replaced) = api
        .post(
            &path,
            json!({"period": "2025-Q3", "metric": "revenue", "value": 1180, "currency": "CNY"}),
        )
        .await;
    assert_eq!(
        (replaced["value"].as_str(), replaced["unit"].as_str()),
        (Some("1180"), Some("ten_thousand"))
    );
    let (status, err) = api
        .post(
            &path,
            json!({"period": "2025-Q9", "metric": "profit", "value": "lots"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["period", "metric", "value", "unit"]);
    let (_, list) = api.get(&path).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        3,
        "a period's value is replaced, not duplicated"
    );

    let ent = t.user("ent", "enterprise", None, Some(e)).await;
    let own = t.api(&t.token(ent.id).await);
    let (_, reported) = own
        .post(
            &path,
            json!({"period": "2025", "metric": "employees", "value": 860}),
        )
        .await;
    assert_eq!(
        (
            reported["reported_by_enterprise"].as_bool(),
            reported["unit"].as_str()
        ),
        (Some(true), Some("persons"))
    );
    let other = t.enterprise("Other Co", "KR").await;
    let (status, _) = own
        .post(
            &format!("/api/v1/enterprises/{other}/indicators"),
            json!({"period": "2025", "metric": "employees", "value": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        own.get(&format!("/api/v1/enterprises/{other}/indicators"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    let browser = t.signed_in("coord").await;
    browser
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let (status, page) = browser.page(&format!("/enterprises/{e}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg class=\"chart\""), "a chart on the page");
    assert_eq!(
        page.matches("<rect").count(),
        4,
        "three quarters of revenue and one year of employees"
    );
    assert!(page.contains("Revenue (CNY)") && page.contains("Reported by the enterprise"));
    let response = browser
        .post(
            &format!("/enterprises/{e}/indicators"),
            &[
                ("period", "2025-Q4"),
                ("metric", "tax_paid"),
                ("value", "x"),
                ("unit", "ten_thousand"),
                ("currency", "CNY"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.text().await.unwrap().contains("id=\"e-value\""),
        "the error is beside the value"
    );
    let response = browser
        .post(
            &format!("/enterprises/{e}/indicators"),
            &[
                ("period", "2025-Q4"),
                ("metric", "tax_paid"),
                ("value", "95.5"),
                ("unit", "ten_thousand"),
                ("currency", "CNY"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.page(&format!("/enterprises/{e}")).await;
    assert!(
        page.contains("Indicator recorded"),
        "the enterprise's timeline shows each entry"
    );
}
