//! Demands through the API: the whole path from an enterprise's words to a
//! rated answer, deadlines on the working-day calendar, the side paths, and
//! who may take which step.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, codes, set_city_time};

/// China's 2026 National Day week: Oct 1–7 off, Sun Sep 20 and Sat Oct 10
/// worked.
const NATIONAL_DAY: &str = "日期,类型,名称\n\
    2026-09-20,workday,国庆节调休\n\
    2026-10-01,holiday,国庆节\n2026-10-02,holiday,国庆节\n2026-10-03,holiday,国庆节\n\
    2026-10-04,holiday,国庆节\n2026-10-05,holiday,国庆节\n2026-10-06,holiday,国庆节\n\
    2026-10-07,holiday,国庆节\n2026-10-10,workday,国庆节调休\n";

struct World {
    t: TestApp,
    admin: Api,
    coord: Api,
    officer: Api,
    other_officer: Api,
    ent: Api,
    other_ent: Api,
    leader: Api,
    lead_department: i64,
    /// `other_officer`'s.
    other_department: i64,
    category: i64,
    enterprise: i64,
}

async fn world() -> World {
    let t = TestApp::spawn().await;
    set_city_time(&t, "2026-09-30 10:00");
    let city = t.department("大连市人民政府", "city", None).await;
    let power = t.department("市发展改革委", "bureau", Some(city)).await;
    let tax = t.department("市税务局", "bureau", Some(city)).await;
    let enterprise = t.enterprise("Kaigaku Precision", "JP").await;
    let other = t.enterprise("Hanseong Materials", "KR").await;
    let admin = t.user("admin1", "admin", None, None).await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("off", "officer", Some(power), None).await;
    let other_officer = t.user("taxman", "officer", Some(tax), None).await;
    let ent = t.user("ent", "enterprise", None, Some(enterprise)).await;
    let other_ent = t.user("ent2", "enterprise", None, Some(other)).await;
    let leader = t.user("mayor", "leader", None, None).await;
    let admin = t.api(&t.token(admin.id).await);
    let response = reqwest::Client::new()
        .post(t.url("/api/v1/calendar/import?format=csv"))
        .bearer_auth(&admin.token)
        .body(NATIONAL_DAY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let (status, category) = admin
        .post(
            "/api/v1/demand-categories",
            json!({"name_zh": "能源供应", "name_ja": "エネルギー供給", "name_en": "Energy supply", "lead_department_id": power, "sla_kind": "enquiry"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{category}");
    World {
        coord: t.api(&t.token(coord.id).await),
        officer: t.api(&t.token(officer.id).await),
        other_officer: t.api(&t.token(other_officer.id).await),
        ent: t.api(&t.token(ent.id).await).lang("ja"),
        other_ent: t.api(&t.token(other_ent.id).await),
        leader: t.api(&t.token(leader.id).await),
        admin,
        lead_department: power,
        other_department: tax,
        category: category["id"].as_i64().unwrap(),
        enterprise,
        t,
    }
}

async fn step(api: &Api, id: i64, body: Value) -> (StatusCode, Value) {
    api.post(&format!("/api/v1/demands/{id}/steps"), body).await
}

async fn submitted(w: &World) -> i64 {
    let (status, d) = w
        .ent
        .post(
            "/api/v1/demands",
            json!({"title": "冬季の電力供給", "body": "第二工場の受電容量が不足しています。", "lang": "ja"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(
        (d["state"].as_str(), d["source"].as_str()),
        (Some("submitted"), Some("portal"))
    );
    d["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_enterprise_demand_goes_from_its_words_to_a_rated_answer_on_working_days() {
    let w = world().await;
    let id = submitted(&w).await;

    let (status, _) = step(&w.officer, id, json!({"action": "accept"})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not yet the officer's department's"
    );
    let (status, d) = step(
        &w.coord,
        id,
        json!({"action": "accept", "category_id": w.category}),
    )
    .await;
    assert_eq!(
        (status, d["state"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{d}"
    );
    // No lead named: the category's default lead department.
    let (_, d) = step(&w.coord, id, json!({"action": "assign"})).await;
    assert_eq!(d["state"], "assigned", "{d}");
    assert_eq!(d["lead_department_id"].as_i64(), Some(w.lead_department));
    let assigned: Option<String> = sqlx::query_scalar(
        "SELECT after_json FROM events WHERE entity_type = 'demand' AND action = 'assign'",
    )
    .fetch_one(w.t.app.db.pool())
    .await
    .unwrap();
    assert!(
        assigned.unwrap().contains("\"co_department_ids\":[]"),
        "the event records the co-departments too"
    );
    // Assigned Wednesday Sep 30: one working day to sign for is Oct 8
    // (after the holiday week); three to reply end on the adjusted
    // working Saturday, Oct 10.
    assert_eq!(
        (d["sign_for_due"].as_str(), d["reply_due"].as_str()),
        (Some("2026-10-08"), Some("2026-10-10"))
    );

    let (status, _) = w.other_officer.get(&format!("/api/v1/demands/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another department does not see it"
    );
    let (status, refused) = step(&w.coord, id, json!({"action": "sign_for"})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the lead department signs for it: {refused}"
    );

    set_city_time(&w.t, "2026-10-08 09:00");
    let (_, d) = step(&w.officer, id, json!({"action": "sign_for"})).await;
    assert_eq!(d["state"], "in_progress");
    let (_, d) = step(
        &w.officer,
        id,
        json!({"action": "note", "text": "変電所の増設は来年度予算"}),
    )
    .await;
    assert_eq!(d["state"], "in_progress");
    let (_, d) = step(
        &w.officer,
        id,
        json!({"action": "ask", "question": "必要な受電容量は何kVAですか。"}),
    )
    .await;
    assert_eq!(d["state"], "awaiting_enterprise");
    let (_, view) = w.ent.get(&format!("/api/v1/demands/{id}")).await;
    let kinds: Vec<&str> = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["question"],
        "the enterprise sees the question, not the internal note"
    );
    assert!(view["signed_by"].is_null(), "nor who signed for it");

    // Answered Monday Oct 12: Oct 9, the adjusted Saturday Oct 10 and Oct 12
    // passed while paused, so the deadline moves three working days.
    set_city_time(&w.t, "2026-10-12 15:00");
    let (status, _) = step(&w.other_ent, id, json!({"action": "answer", "answer": "x"})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another enterprise cannot reach it"
    );
    let (_, d) = step(
        &w.ent,
        id,
        json!({"action": "answer", "answer": "800kVAです。"}),
    )
    .await;
    assert_eq!(
        (d["state"].as_str(), d["reply_due"].as_str()),
        (Some("in_progress"), Some("2026-10-14")),
        "{d}"
    );

    let (_, bad) = step(
        &w.officer,
        id,
        json!({"action": "request_extension", "new_due": "2026-10-13", "reason": "調整中"}),
    )
    .await;
    assert_eq!(codes(&bad), ["extension_not_later"]);
    let (_, d) = step(&w.officer, id, json!({"action": "request_extension", "new_due": "2026-10-20", "reason": "電力会社と調整中"})).await;
    assert_eq!(d["extension_requested_due"], "2026-10-20");
    let (_, seen) = w.ent.get(&format!("/api/v1/demands/{id}")).await;
    assert!(
        seen["extension_requested_due"].is_null() && seen["extension_reason"].is_null(),
        "a pending extension stays inside: {seen}"
    );
    let own: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE enterprise_id = $1")
        .bind(w.enterprise)
        .fetch_all(w.t.app.db.pool())
        .await
        .unwrap();
    let entries = seen["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["kind"] == "question"),
        "the question is shown: {seen}"
    );
    assert!(
        entries
            .iter()
            .all(|e| e["author_id"].as_i64().is_none_or(|a| own.contains(&a))),
        "only the enterprise's own entries say who wrote them: {seen}"
    );
    let author = |kind: &str| {
        entries
            .iter()
            .find(|e| e["kind"] == kind)
            .map(|e| e["author_id"].as_i64())
    };
    assert_eq!(
        author("question"),
        Some(None),
        "the officer asking is not named: {seen}"
    );
    assert!(
        author("answer").flatten().is_some_and(|a| own.contains(&a)),
        "the enterprise's answer keeps its author: {seen}"
    );
    let (status, _) = step(
        &w.officer,
        id,
        json!({"action": "decide_extension", "approve": true}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the coordinator decides");
    let (_, d) = step(
        &w.coord,
        id,
        json!({"action": "decide_extension", "approve": true}),
    )
    .await;
    assert_eq!(
        d["reply_due"], "2026-10-20",
        "the enterprise sees the new date"
    );

    set_city_time(&w.t, "2026-10-15 11:00");
    let (_, missing) = step(
        &w.officer,
        id,
        json!({"action": "reply", "outcome": "explained", "text": "今冬は対応できません。"}),
    )
    .await;
    assert_eq!(
        codes(&missing),
        ["required"],
        "explained needs its policy basis"
    );
    let (_, d) = step(&w.officer, id, json!({"action": "reply", "outcome": "resolved", "text": "11月末までに仮設変圧器を設置します。"})).await;
    assert_eq!(
        (d["state"].as_str(), d["reply_lang"].as_str()),
        (Some("replied"), Some("ja"))
    );
    // Five working days to rate: Oct 16, 19, 20, 21, 22.
    assert_eq!(d["feedback_due"], "2026-10-22");

    let (status, _) = step(
        &w.coord,
        id,
        json!({"action": "rate", "rating": "satisfied"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the enterprise rates");
    let (_, d) = step(&w.ent, id, json!({"action": "rate", "rating": "satisfied"})).await;
    assert_eq!(
        (d["state"].as_str(), d["closure"].as_str()),
        (Some("closed"), Some("rated"))
    );
    assert!(
        d["signed_by"].is_null() && d["replied_by"].is_null() && d["extension_reason"].is_null(),
        "the step's answer to the enterprise is redacted like every other read: {d}"
    );
    let (_, refused) = step(
        &w.officer,
        id,
        json!({"action": "reply", "outcome": "resolved", "text": "again"}),
    )
    .await;
    assert_eq!(codes(&refused), ["invalid_transition"]);
    assert_eq!(
        refused["errors"][0]["detail"], "当前无法执行此操作（诉求状态：已办结）。",
        "the state is named in the reader's language, not by its code"
    );

    let steps: Vec<String> =
        w.t.events_of("demand", id)
            .await
            .into_iter()
            .map(|(action, _)| action)
            .collect();
    assert_eq!(
        steps,
        [
            "submit",
            "accept",
            "assign",
            "sign_for",
            "note",
            "ask",
            "answer",
            "request_extension",
            "approve_extension",
            "reply",
            "rate"
        ],
        "every step is an event"
    );
}

#[tokio::test]
async fn returns_reopens_unrated_closures_merges_and_instructions() {
    let w = world().await;
    let id = submitted(&w).await;
    step(
        &w.coord,
        id,
        json!({"action": "accept", "category_id": w.category}),
    )
    .await;
    step(&w.coord, id, json!({"action": "assign"})).await;
    let (_, empty) = step(&w.officer, id, json!({"action": "return", "reason": " "})).await;
    assert_eq!(codes(&empty), ["required"]);
    let (_, d) = step(
        &w.officer,
        id,
        json!({"action": "return", "reason": "本件は区の所管です"}),
    )
    .await;
    assert_eq!(
        (d["state"].as_str(), d["return_count"].as_i64()),
        (Some("returned"), Some(1))
    );
    let (_, view) = w.ent.get(&format!("/api/v1/demands/{id}")).await;
    assert!(
        view["return_reason"].is_null(),
        "the city's internal reason stays inside"
    );
    let (_, d) = step(
        &w.coord,
        id,
        json!({"action": "insist", "note": "市の所管です"}),
    )
    .await;
    assert_eq!(d["state"], "assigned");

    step(&w.officer, id, json!({"action": "sign_for"})).await;
    step(
        &w.officer,
        id,
        json!({"action": "reply", "outcome": "partly_resolved", "text": "一部対応"}),
    )
    .await;
    let (_, no_reason) = step(
        &w.ent,
        id,
        json!({"action": "rate", "rating": "unsatisfied"}),
    )
    .await;
    assert_eq!(
        codes(&no_reason),
        ["required"],
        "unsatisfied needs a reason"
    );
    let (_, d) = step(
        &w.ent,
        id,
        json!({"action": "rate", "rating": "unsatisfied", "reason": "不十分"}),
    )
    .await;
    assert_eq!(d["state"], "unsatisfied");
    let (_, d) = step(
        &w.coord,
        id,
        json!({"action": "reopen", "note": "再度対応を"}),
    )
    .await;
    assert_eq!(
        (d["state"].as_str(), d["reopen_count"].as_i64()),
        (Some("in_progress"), Some(1))
    );
    step(
        &w.officer,
        id,
        json!({"action": "reply", "outcome": "resolved", "text": "対応済み"}),
    )
    .await;

    // Nobody rates: after the feedback window it closes as not rated.
    set_city_time(&w.t, "2026-10-20 09:00");
    assert_eq!(
        liaison::demands::workflow::close_unrated(&w.t.app)
            .await
            .unwrap(),
        1
    );
    let (_, view) = w.coord.get(&format!("/api/v1/demands/{id}")).await;
    assert_eq!(
        (view["state"].as_str(), view["closure"].as_str()),
        (Some("closed"), Some("not_rated"))
    );

    // A duplicate follows the other demand; a leader's instruction marks
    // a demand supervised.
    let first = submitted(&w).await;
    let second = submitted(&w).await;
    let (_, bad) = step(&w.coord, second, json!({"action": "merge", "into": second})).await;
    assert_eq!(codes(&bad), ["merge_target_invalid"]);
    let (_, d) = step(&w.coord, second, json!({"action": "merge", "into": first})).await;
    assert_eq!(
        (d["state"].as_str(), d["merged_into"].as_i64()),
        (Some("merged"), Some(first))
    );
    let (status, _) = step(
        &w.coord,
        first,
        json!({"action": "instruct", "text": "急ぎ対応"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "instructions are the leaders'"
    );
    let (_, d) = step(
        &w.leader,
        first,
        json!({"action": "instruct", "text": "请市发改委一周内答复"}),
    )
    .await;
    assert!(d["supervised_at"].is_string());
    let (_, view) = w.coord.get(&format!("/api/v1/demands/{first}")).await;
    assert_eq!(view["merged_ids"], json!([second]));
    assert_eq!(view["entries"][0]["kind"], "instruction");
    let (_, view) = w.ent.get(&format!("/api/v1/demands/{first}")).await;
    assert!(
        view["entries"].as_array().unwrap().is_empty(),
        "instructions are internal"
    );
}

#[tokio::test]
async fn lists_are_scoped_and_bad_input_is_explained() {
    let w = world().await;
    let id = submitted(&w).await;
    let (_, own) = w.ent.get("/api/v1/demands").await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let (_, none) = w.other_ent.get("/api/v1/demands").await;
    assert!(
        none.as_array().unwrap().is_empty(),
        "another enterprise's list is empty"
    );
    let (_, none) = w.officer.get("/api/v1/demands").await;
    assert!(
        none.as_array().unwrap().is_empty(),
        "not yet assigned to the officer"
    );
    step(
        &w.coord,
        id,
        json!({"action": "accept", "category_id": w.category}),
    )
    .await;
    step(&w.coord, id, json!({"action": "assign"})).await;
    let (_, inbox) = w.officer.get("/api/v1/demands?state=assigned").await;
    assert_eq!(inbox[0]["id"].as_i64(), Some(id));
    let (status, bad) = w.coord.get("/api/v1/demands?state=lost").await;
    assert_eq!(
        (status, codes(&bad)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["invalid_choice".to_string()]
        )
    );

    // Someone else's enterprise cannot be claimed; empty fields are named.
    let (status, refused) = w
        .ent
        .post(
            "/api/v1/demands",
            json!({"enterprise_id": w.enterprise + 1, "title": "x", "body": "y"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (_, empty) = w
        .coord
        .post(
            "/api/v1/demands",
            json!({"enterprise_id": w.enterprise, "title": " ", "body": ""}),
        )
        .await;
    let fields: Vec<&str> = empty["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "body"]);
    let (_, visit) = w
        .coord
        .post("/api/v1/demands", json!({"enterprise_id": w.enterprise, "title": "電力", "body": "容量", "source": "visit", "engagement_id": 999}))
        .await;
    assert_eq!(codes(&visit), ["engagement_invalid"]);
    let (status, bad) = w.admin.put_json("/api/v1/sla-policies/enquiry", json!({"sign_for_days": 1, "reply_days": 99, "urgent_reply_days": 0, "feedback_days": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["errors"][0]["field"], "reply_days");
    assert!(
        bad["errors"][0]["detail"].as_str().unwrap().contains("60"),
        "the limit is named: {bad}"
    );
    let (status, _) = w
        .coord
        .put_json("/api/v1/calendar/2026-12-31", json!({"kind": "holiday"}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the administrator keeps the calendar"
    );
}

#[tokio::test]
async fn demands_written_at_once_are_each_stored_or_refused_alone() {
    let w = world().await;
    let mut writers = Vec::new();
    for n in 0..24 {
        let coord = w.coord.clone();
        // Every sixth names an enterprise that does not exist.
        let enterprise = if n % 6 == 5 {
            w.enterprise + 1000
        } else {
            w.enterprise
        };
        writers.push(tokio::spawn(async move {
            coord
                .post(
                    "/api/v1/demands",
                    json!({"enterprise_id": enterprise, "title": format!("通関 {n}"), "body": "通関に時間がかかる", "source": "phone"}),
                )
                .await
        }));
    }
    let mut created = Vec::new();
    for writer in writers {
        let (status, body) = writer.await.unwrap();
        match status {
            StatusCode::CREATED => created.push(body["id"].as_i64().unwrap()),
            _ => {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
                assert_eq!(codes(&body), ["enterprise_not_found"]);
            }
        }
    }
    assert_eq!(created.len(), 20);
    let stored: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT d.id, (SELECT COUNT(*) FROM events e WHERE e.entity_type = 'demand' \
         AND e.entity_id = d.id AND e.action = 'submit') FROM demands d ORDER BY d.id",
    )
    .fetch_all(w.t.app.db.pool())
    .await
    .unwrap();
    let mut expected: Vec<(i64, i64)> = created.iter().map(|id| (*id, 1)).collect();
    expected.sort();
    assert_eq!(
        stored, expected,
        "each acknowledged demand is stored once, with its event"
    );
}

/// The ids of one list page, newest first.
async fn page_ids(api: &Api, query: &str) -> Vec<i64> {
    let (status, page) = api.get(&format!("/api/v1/demands?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page.as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_department_pages_through_what_it_leads_and_helps_with_newest_first() {
    let w = world().await;
    let (tax, tax_officer) = (w.other_department, &w.other_officer);
    let power = w.lead_department;
    let mut ids = Vec::new();
    // (lead, co-departments, signed for by the lead's officer)
    let plan: [(Option<i64>, Vec<i64>, bool); 6] = [
        (Some(power), vec![], false),
        (Some(tax), vec![power], false),
        (Some(power), vec![], true),
        (Some(tax), vec![], false),
        (Some(tax), vec![power], true),
        (None, vec![], false),
    ];
    for (n, (lead, co, sign)) in plan.iter().enumerate() {
        let (status, d) = w
            .coord
            .post(
                "/api/v1/demands",
                json!({"enterprise_id": w.enterprise, "title": format!("停電 {n}"), "body": "工場の停電", "source": "phone"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        let id = d["id"].as_i64().unwrap();
        ids.push(id);
        let Some(lead) = lead else { continue };
        let (status, body) = step(
            &w.coord,
            id,
            json!({"action": "accept", "category_id": w.category}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = step(
            &w.coord,
            id,
            json!({"action": "assign", "lead_department_id": lead, "co_department_ids": co}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if *sign {
            let officer = if *lead == power {
                &w.officer
            } else {
                tax_officer
            };
            let (status, body) = step(officer, id, json!({"action": "sign_for"})).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }
    let [d1, d2, d3, d4, d5, d6] = ids[..] else {
        unreachable!()
    };

    // Two states, two ways in (leading, helping), two rows a page.
    let query = "state=assigned%2Cin_progress&limit=2";
    let first = page_ids(&w.officer, query).await;
    assert_eq!(first, [d5, d3]);
    let second = page_ids(&w.officer, &format!("{query}&before={}", first[1])).await;
    assert_eq!(second, [d2, d1]);
    let third = page_ids(&w.officer, &format!("{query}&before={}", second[1])).await;
    assert!(third.is_empty(), "{third:?}");
    assert_eq!(page_ids(&w.officer, "state=in_progress").await, [d5, d3]);
    assert_eq!(page_ids(tax_officer, "").await, [d5, d4, d2]);
    assert_eq!(page_ids(&w.coord, "state=submitted").await, [d6]);
    assert_eq!(
        page_ids(&w.coord, &format!("department={tax}&limit=2")).await,
        [d5, d4]
    );

    // Three weeks on every open demand is past its reply deadline.
    set_city_time(&w.t, "2026-10-21 10:00");
    assert_eq!(page_ids(&w.officer, "overdue=true").await, [d5, d3, d2, d1]);
    assert_eq!(
        page_ids(&w.officer, "overdue=true&state=assigned").await,
        [d2, d1]
    );
    assert_eq!(
        page_ids(tax_officer, "overdue=true&limit=2").await,
        [d5, d4]
    );
    assert!(
        page_ids(&w.officer, "overdue=true&state=submitted")
            .await
            .is_empty()
    );
    assert!(
        page_ids(&w.ent, "overdue=true&state=submitted")
            .await
            .is_empty()
    );
    assert_eq!(page_ids(&w.ent, "limit=3").await, [d6, d5, d4]);
    assert!(page_ids(&w.other_ent, "").await.is_empty());
}

#[tokio::test]
async fn a_calendar_file_with_a_bad_row_changes_nothing() {
    let w = world().await;
    let file = "date,kind,name\n2026-12-31,holiday,\n2026-13-01,holiday,x\n2027-01-01,party,元日\n";
    let response = reqwest::Client::new()
        .post(w.t.url("/api/v1/calendar/import?format=csv"))
        .bearer_auth(&w.admin.token)
        .header("accept-language", "ko")
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = response.json().await.unwrap();
    let rows: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "day"), (4, "kind")]);
    let (_, days) = w.admin.get("/api/v1/calendar?year=2027").await;
    assert!(days.as_array().unwrap().is_empty(), "all or nothing");
    let (_, days) = w.coord.get("/api/v1/calendar?year=2026").await;
    assert_eq!(
        days.as_array().unwrap().len(),
        9,
        "the National Day week as imported"
    );
}

#[tokio::test]
async fn the_figures_count_what_happened_and_only_what_the_reader_may_see() {
    let w = world().await;
    let first = submitted(&w).await;
    let second = submitted(&w).await;
    for id in [first, second] {
        step(
            &w.coord,
            id,
            json!({"action": "accept", "category_id": w.category}),
        )
        .await;
        step(&w.coord, id, json!({"action": "assign"})).await;
    }
    // Signed for in time (by Oct 8) and replied in time (by Oct 10).
    set_city_time(&w.t, "2026-10-08 09:00");
    step(&w.officer, first, json!({"action": "sign_for"})).await;
    step(
        &w.officer,
        first,
        json!({"action": "reply", "outcome": "resolved", "text": "対応しました"}),
    )
    .await;
    step(
        &w.ent,
        first,
        json!({"action": "rate", "rating": "satisfied"}),
    )
    .await;
    // The second is signed for late (Oct 9) and not replied by Oct 12.
    set_city_time(&w.t, "2026-10-09 09:00");
    step(&w.officer, second, json!({"action": "sign_for"})).await;
    set_city_time(&w.t, "2026-10-12 09:00");

    let (status, report) = w
        .coord
        .get("/api/v1/demands/figures?from=2026-09-01&to=2026-10-31")
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let total = &report["total"];
    assert_eq!(total["demands"], 2);
    assert_eq!(total["response"], json!({"part": 1, "whole": 2}));
    assert_eq!(total["on_time_reply"], json!({"part": 1, "whole": 2}));
    assert_eq!(total["resolution"], json!({"part": 1, "whole": 1}));
    assert_eq!(total["satisfaction"], json!({"part": 1, "whole": 1}));
    let period = "from=2026-09-01&to=2026-10-31";
    assert_eq!(
        report["groups"][0]["href"],
        format!("/demands?department={}&{period}", w.lead_department)
    );
    assert!(report["groups"][0]["score"].is_number());
    // Each group links to the list of exactly the demands behind it.
    let (_, by_country) = w
        .coord
        .get(&format!("/api/v1/demands/figures?{period}&by=country"))
        .await;
    let href = by_country["groups"][0]["href"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(href, format!("/demands?country=JP&{period}"));
    let (_, listed) = w.coord.get(&format!("/api/v1{href}")).await;
    let mut ids: Vec<i64> = listed
        .as_array()
        .unwrap_or_else(|| panic!("{listed}"))
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, [first, second]);
    let (_, later) = w
        .coord
        .get("/api/v1/demands?country=jp&from=2026-10-01")
        .await;
    assert_eq!(later, json!([]), "none submitted in October");
    let (_, elsewhere) = w.coord.get("/api/v1/demands?country=KR").await;
    assert_eq!(elsewhere, json!([]));

    let (_, theirs) = w
        .other_officer
        .get("/api/v1/demands/figures?from=2026-09-01&to=2026-10-31")
        .await;
    assert_eq!(
        theirs["total"]["demands"], 0,
        "another department's figures do not include these"
    );
    let (status, _) = w.ent.get("/api/v1/demands/figures").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, bad) = w
        .coord
        .get("/api/v1/demands/figures?from=yesterday&by=mood")
        .await;
    assert_eq!(codes(&bad), ["invalid_date", "invalid_choice"]);
    let browser = w.t.signed_in("coord").await;
    let (status, page) = browser
        .page("/demands/figures?from=2026-09-01&to=2026-10-31&by=category")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("能源供应") && page.contains("50%"), "{page}");
}

/// The figures page sums in the database what `figures::compute` counts
/// demand by demand; on two years of demo history, in every state, both
/// give the same figures, overall and per group.
#[tokio::test]
async fn the_databases_sums_match_the_figures_counted_demand_by_demand() {
    use liaison::demands::figures::compute;
    let t = TestApp::spawn().await;
    assert!(liaison::demo::load_if_empty(&t.app).await.unwrap());
    // Demands saved before the figures kept working days get them from the
    // supervision job.
    let kept = tallies(&t).await;
    rebuild_tallies(&t).await;
    assert_eq!(
        tallies(&t).await,
        kept,
        "the tallies kept step by step are those rebuilt from the demands"
    );
    sqlx::query("UPDATE demands SET handling_days = NULL")
        .execute(t.app.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE demands SET confidential_at = submitted_at WHERE id % 7 = 0")
        .execute(t.app.db.pool())
        .await
        .unwrap();
    // As a database from before the tallies: built when it is opened.
    sqlx::query("DELETE FROM demand_tallies")
        .execute(t.app.db.pool())
        .await
        .unwrap();
    liaison::demands::tally::build_if_missing(&t.app.db)
        .await
        .unwrap();
    assert!(!tallies(&t).await.is_empty());
    use liaison::jobs::Job;
    liaison::demands::supervision::SuperviseDemands {}
        .run(&t.app)
        .await
        .unwrap();
    let unfilled: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM demands WHERE replied_at IS NOT NULL AND assigned_at IS NOT NULL \
         AND handling_days IS NULL",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(unfilled, 0);
    let leader: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'leader'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let leader = t.api(&t.token(leader).await);
    let all: Vec<liaison::demands::Demand> = sqlx::query_as("SELECT * FROM demands")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    let countries: std::collections::HashMap<i64, String> =
        sqlx::query_as("SELECT id, country FROM enterprises")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let calendar = liaison::calendar::service::calendar(&t.app, &liaison::auth::Actor::system())
        .await
        .unwrap();
    let today = t.app.now().local_date();
    let as_json = |f| serde_json::to_value(f).unwrap();

    let (_, report) = leader
        .get("/api/v1/demands/figures?from=2020-01-01&by=country")
        .await;
    assert_eq!(report["total"]["demands"], all.len());
    assert_eq!(report["total"], as_json(compute(&all, &calendar, today)));
    for group in report["groups"].as_array().unwrap() {
        let key = group["key"].as_str().unwrap();
        let theirs: Vec<_> = all
            .iter()
            .filter(|d| countries[&d.enterprise_id] == key)
            .cloned()
            .collect();
        assert_eq!(
            group["figures"],
            as_json(compute(&theirs, &calendar, today)),
            "{key}"
        );
    }
    let (_, report) = leader.get("/api/v1/demands/figures?from=2020-01-01").await;
    for group in report["groups"].as_array().unwrap() {
        let key = group["key"].as_str().unwrap();
        let theirs: Vec<_> = all
            .iter()
            .filter(|d| {
                d.lead_department_id
                    .map(|i| i.to_string())
                    .unwrap_or_default()
                    == key
            })
            .cloned()
            .collect();
        assert_eq!(
            group["figures"],
            as_json(compute(&theirs, &calendar, today)),
            "department {key}"
        );
    }
    assert!(
        report["total"]["median_days"].is_number() && report["total"]["p90_days"].is_number(),
        "{}",
        report["total"]
    );

    // A viewer's figures leave out confidential demands.
    let viewer = t.user("figures-viewer", "viewer", None, None).await;
    let viewer = t.api(&t.token(viewer.id).await);
    let (_, report) = viewer.get("/api/v1/demands/figures?from=2020-01-01").await;
    let open: Vec<_> = all
        .iter()
        .filter(|d| d.confidential_at.is_none())
        .cloned()
        .collect();
    assert!(open.len() < all.len(), "the demo has confidential demands");
    assert_eq!(report["total"], as_json(compute(&open, &calendar, today)));

    // An enterprise that moves takes its demands to its new country.
    let moved = all[0].enterprise_id;
    liaison::enterprises::service::update(&t.app, &liaison::auth::Actor::system(), moved, |e| {
        e.country = "DE".into()
    })
    .await
    .unwrap();
    let (_, report) = leader
        .get("/api/v1/demands/figures?from=2020-01-01&by=country")
        .await;
    let germany: Vec<_> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["key"] == "DE")
        .collect();
    let theirs: Vec<_> = all
        .iter()
        .filter(|d| d.enterprise_id == moved || countries[&d.enterprise_id] == "DE")
        .cloned()
        .collect();
    assert_eq!(
        germany[0]["figures"],
        as_json(compute(&theirs, &calendar, today))
    );
    let kept = tallies(&t).await;
    rebuild_tallies(&t).await;
    assert_eq!(tallies(&t).await, kept);
}

/// The figures' tallies that count anything, one text per row, in order.
async fn tallies(t: &TestApp) -> Vec<String> {
    let columns = [
        "by_group",
        "month",
        "key",
        "confidential",
        "days",
        "demands",
        "assigned",
        "response_due",
        "responded",
        "reply_counted",
        "replied_on_time",
        "closed",
        "resolved",
        "rated",
        "satisfied",
        "returned",
        "replied",
        "reopened",
        "timed",
    ];
    sqlx::query_scalar(&format!(
        "SELECT {} FROM demand_tallies WHERE demands <> 0 ORDER BY by_group, month, key, \
         confidential, days",
        columns.join(" || '|' || ")
    ))
    .fetch_all(t.app.db.pool())
    .await
    .unwrap()
}

async fn rebuild_tallies(t: &TestApp) {
    let mut tx = t.app.db.begin().await.unwrap();
    liaison::demands::tally::rebuild(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}
