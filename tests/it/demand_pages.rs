//! Demands through the pages, as each role uses them: the enterprise
//! writes in Japanese and rates, the coordinator accepts and assigns, the
//! officer signs for and replies.

use reqwest::StatusCode;

use crate::helpers::{TestApp, set_city_time};

#[tokio::test]
async fn every_role_takes_its_steps_on_the_demand_page() {
    walk(false).await;
}

#[tokio::test]
async fn enterprises_see_who_handled_their_demand_only_when_configured() {
    walk(true).await;
}

async fn walk(officer_names: bool) {
    let t = TestApp::builder()
        .config(move |c| c.demands.officer_names_for_enterprises = officer_names)
        .spawn()
        .await;
    set_city_time(&t, "2026-11-16 10:00");
    let city = t.department("大连市人民政府", "city", None).await;
    let dept = t.department("市发展改革委", "bureau", Some(city)).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let other = t.enterprise("Hanseong Materials", "KR").await;
    t.user("coord", "coordinator", None, None).await;
    t.user("off", "officer", Some(dept), None).await;
    t.user("ent", "enterprise", None, Some(e)).await;
    t.user("ent2", "enterprise", None, Some(other)).await;
    let admin = t.user("admin1", "admin", None, None).await;
    let (_, category) = t
        .api(&t.token(admin.id).await)
        .post(
            "/api/v1/demand-categories",
            serde_json::json!({"name_zh": "能源供应", "name_ja": "エネルギー供給", "lead_department_id": dept, "sla_kind": "enquiry"}),
        )
        .await;
    let category = category["id"].as_i64().unwrap().to_string();

    let ent = t.signed_in("ent").await;
    ent.post("/language", &[("lang", "ja"), ("back", "/")])
        .await;
    let (status, form) = ent.page("/demands/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !form.contains("name=\"enterprise_id\""),
        "an enterprise writes for itself only"
    );
    let response = ent.post("/demands", &[("title", " "), ("body", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("id=\"e-title\"") && page.contains("id=\"e-body\""),
        "errors beside the fields"
    );
    let response = ent
        .post(
            "/demands",
            &[
                ("title", "冬季の電力供給"),
                ("body", "第二工場の受電容量が不足しています。"),
                ("lang", "ja"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.trim_start_matches("/demands/").parse().unwrap();
    let (_, mine) = ent.page("/demands").await;
    assert!(mine.contains("冬季の電力供給"));

    let other_browser = t.signed_in("ent2").await;
    assert_eq!(
        other_browser.get(&location).await.status(),
        StatusCode::NOT_FOUND,
        "another enterprise cannot open it"
    );
    let (_, theirs) = other_browser.page("/demands").await;
    assert!(!theirs.contains("冬季の電力供給"));

    let coord = t.signed_in("coord").await;
    let (_, queue) = coord
        .page("/demands?state=submitted,returned,unsatisfied")
        .await;
    assert!(
        queue.contains("冬季の電力供給"),
        "in the coordinator's queue"
    );
    let (_, page) = coord.page(&location).await;
    assert!(page.contains("value=\"accept\"") && page.contains("value=\"reject\""));
    assert!(
        !page.contains("value=\"sign_for\""),
        "signing for is the department's"
    );
    let steps = format!("{location}/steps");
    let r = coord
        .post(&steps, &[("action", "accept"), ("category_id", &category)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = coord
        .post(&steps, &[("action", "assign"), ("lead_department_id", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = coord.post(&steps, &[("action", "assign")]).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a second assignment is not a step from here"
    );
    assert!(
        r.text().await.unwrap().contains("class=\"alert\""),
        "explained on the page"
    );

    let off = t.signed_in("off").await;
    let (_, inbox) = off.page("/demands?state=assigned").await;
    assert!(
        inbox.contains("冬季の電力供給"),
        "in the department's inbox"
    );
    assert_eq!(
        off.post(&steps, &[("action", "sign_for")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let r = off
        .post(
            &steps,
            &[
                ("action", "reply"),
                ("outcome", "explained"),
                ("text", "今冬は難しい"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.unwrap().contains("id=\"e-policy_basis\""),
        "the missing basis is named"
    );
    let (_, form) = off.page(&location).await;
    let outcome_select = &form[form.find("name=\"outcome\"").unwrap()..];
    let outcome_select = &outcome_select[..outcome_select.find("</select>").unwrap()];
    assert!(
        outcome_select.contains("<option value=\"\" selected>"),
        "the outcome starts unchosen, so an untouched form records nothing"
    );
    let r = off
        .post(
            &steps,
            &[("action", "reply"), ("outcome", ""), ("text", "対応します")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"e-outcome\""));
    let r = off
        .post(&steps, &[("action", "note"), ("text", "予算は来年度")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, own) = off.page(&location).await;
    assert!(
        own.contains("</strong> · off name · "),
        "the officer sees who wrote each entry: {own}"
    );
    let r = off
        .post(
            &steps,
            &[
                ("action", "reply"),
                ("outcome", "resolved"),
                ("text", "11月末までに仮設変圧器を設置します。"),
                ("lang", "ja"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let (_, page) = ent.page(&location).await;
    assert!(
        page.contains("仮設変圧器") && page.contains("value=\"rate\""),
        "the enterprise reads the reply and may rate it"
    );
    assert!(!page.contains("予算は来年度"), "not the internal note");
    let r = ent
        .post(&steps, &[("action", "rate"), ("rating", "satisfied")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ent.page(&location).await;
    assert!(page.contains("終了"), "closed, in Japanese: {page}");
    assert!(
        page.contains("ent name"),
        "their own steps carry their name"
    );
    assert_eq!(
        page.contains("off name"),
        officer_names,
        "the official's name only when configured"
    );
    let (_, inside) = coord.page(&location).await;
    assert!(
        inside.contains("off name") && !inside.contains(">off<"),
        "inside, people are named as they go by, not by login"
    );

    let export = coord.get("/demands/export?format=csv").await;
    assert_eq!(export.status(), StatusCode::OK);
    let rows = liaison::sheets::read(&export.bytes().await.unwrap(), liaison::sheets::Format::Csv)
        .unwrap();
    assert_eq!(
        (rows.len(), rows[1][0].as_str()),
        (2, id.to_string().as_str())
    );
}
