//! Common problems: proposed from open demands of different enterprises in
//! different languages, confirmed by a coordinator, answered once by the
//! lead department; the answer reaches every member demand and each
//! enterprise rates it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, codes, set_city_time};

async fn submit(api: &Api, title: &str, body: &str, lang: &str) -> i64 {
    let (status, d) = api
        .post(
            "/api/v1/demands",
            json!({"title": title, "body": body, "lang": lang}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    d["id"].as_i64().unwrap()
}

fn ids(v: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn one_reply_answers_every_enterprise_that_raised_the_problem() {
    let t = TestApp::spawn().await;
    set_city_time(&t, "2026-11-02 10:00");
    let city = t.department("大连市人民政府", "city", None).await;
    let customs = t.department("大连海关", "bureau", Some(city)).await;
    let tax = t.department("市税务局", "bureau", Some(city)).await;
    let [a, b, c] = [
        t.enterprise("Kaigaku Precision", "JP").await,
        t.enterprise("Hanbit Auto Parts", "KR").await,
        t.enterprise("大连星海机械", "CN").await,
    ];
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t
        .user("customs_officer", "officer", Some(customs), None)
        .await;
    let taxman = t.user("taxman", "officer", Some(tax), None).await;
    let mut ents = Vec::new();
    for (name, e) in [("ent_a", a), ("ent_b", b), ("ent_c", c)] {
        let user = t.user(name, "enterprise", None, Some(e)).await;
        ents.push(t.api(&t.token(user.id).await));
    }
    let coord = t.api(&t.token(coord.id).await);
    let officer = t.api(&t.token(officer.id).await);
    let taxman = t.api(&t.token(taxman.id).await);

    let ja = submit(
        &ents[0],
        "輸入部品の通関が遅い",
        "税関検査で三週間止まっており、生産に影響しています。",
        "ja",
    )
    .await;
    let ko = submit(
        &ents[1],
        "수입 부품 통관 지연",
        "세관 검사로 부품 통관이 3주째 보류되고 있습니다.",
        "ko",
    )
    .await;
    let zh = submit(
        &ents[2],
        "进口零部件通关太慢",
        "海关查验时间过长，零部件通关需要三周。",
        "zh-CN",
    )
    .await;
    let other = submit(
        &ents[0],
        "Broadband keeps dropping",
        "Our fibre internet line goes down every afternoon.",
        "en",
    )
    .await;

    // A coordinator reading one sees the others, whatever their language,
    // and why they match; the unrelated one is not among them.
    liaison::search::follower::catch_up(&t.app).await.unwrap();
    let (status, similar) = coord.get(&format!("/api/v1/demands/{ja}/similar")).await;
    assert_eq!(status, StatusCode::OK, "{similar}");
    let similar_ids: Vec<i64> = similar
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["demand_id"].as_i64().unwrap())
        .collect();
    assert!(
        similar_ids.contains(&ko) && similar_ids.contains(&zh),
        "{similar}"
    );
    assert!(
        !similar_ids.contains(&other) && !similar_ids.contains(&ja),
        "{similar}"
    );
    assert!(
        !similar[0]["shared_concepts"].as_array().unwrap().is_empty(),
        "{similar}"
    );
    assert_eq!(
        ents[0]
            .get(&format!("/api/v1/demands/{ja}/similar"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, demand_page) = t
        .signed_in("coord")
        .await
        .page(&format!("/demands/{ja}"))
        .await;
    assert!(
        demand_page.contains(&format!(r#"href="/demands/{ko}""#)),
        "the demand page lists similar demands"
    );

    // Proposed: the three customs demands, across three languages and
    // enterprises, with the concepts they share.
    let (status, proposals) = coord.get("/api/v1/common-problems/proposals").await;
    assert_eq!(status, StatusCode::OK, "{proposals}");
    let customs_group = proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["demand_ids"].as_array().unwrap().contains(&json!(ja)))
        .unwrap_or_else(|| panic!("no proposal holds {ja}: {proposals}"));
    assert_eq!(ids(&customs_group["demand_ids"]), [ja, ko, zh]);
    assert_eq!(customs_group["enterprises"], 3);
    assert!(
        !customs_group["shared_concepts"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{customs_group}"
    );
    assert!(!proposals.to_string().contains(&format!("[{other}]")));

    // Confirmed; bad input is explained.
    let (status, bad) = coord
        .post(
            "/api/v1/common-problems",
            json!({"title": "", "due_on": "2026-10-01", "demand_ids": [ja, 99999]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&bad), ["required", "required", "date_out_of_range"]);
    let draft = json!({"title": "进口零部件通关时间过长", "lead_department_id": customs, "due_on": "2026-11-30", "demand_ids": [ja, ko, zh]});
    assert_eq!(
        ents[0]
            .post("/api/v1/common-problems", draft.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, problem) = coord.post("/api/v1/common-problems", draft.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{problem}");
    let id = problem["id"].as_i64().unwrap();
    let (status, again) = coord.post("/api/v1/common-problems", draft).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&again), ["common_problem_member_invalid"; 3]);

    // Enterprises see no common problem (it spans others' demands).
    assert_eq!(
        ents[0].get("/api/v1/common-problems").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ents[0]
            .get(&format!("/api/v1/common-problems/{id}"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, listed) = coord.get("/api/v1/common-problems").await;
    assert_eq!(
        (
            listed[0]["demands"].as_i64(),
            listed[0]["enterprises"].as_i64()
        ),
        (Some(3), Some(3))
    );

    // Only the lead department (or a coordinator) replies.
    let reply = json!({"text": "自12月1日起，对园区企业进口零部件实行“提前申报、查验优先”，平均通关时间压缩至3个工作日以内。", "policy_basis": "海关总署关于优化口岸营商环境的公告"});
    assert_eq!(
        taxman
            .post(
                &format!("/api/v1/common-problems/{id}/reply"),
                reply.clone()
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, empty) = officer
        .post(
            &format!("/api/v1/common-problems/{id}/reply"),
            json!({"text": " "}),
        )
        .await;
    assert_eq!(
        (status, codes(&empty)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["required".to_string()]
        )
    );
    let (status, replied) = officer
        .post(
            &format!("/api/v1/common-problems/{id}/reply"),
            reply.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{replied}");
    assert_eq!(replied["state"], "replied");
    assert_eq!(
        officer
            .post(&format!("/api/v1/common-problems/{id}/reply"), reply)
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The reply reaches every member demand and its enterprise.
    assert!(liaison::jobs::worker::drain(&t.app).await.unwrap() >= 1);
    for (ent, demand) in ents.iter().zip([ja, ko, zh]) {
        let (status, d) = ent.get(&format!("/api/v1/demands/{demand}")).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        assert_eq!(d["state"], "replied", "{d}");
        assert!(d["reply"].as_str().unwrap().contains("查验优先"), "{d}");
        let (_, notices) = ent.get("/api/v1/notifications").await;
        assert!(notices["unread"].as_i64().unwrap() >= 1, "{notices}");
    }
    let (_, untouched) = ents[0].get(&format!("/api/v1/demands/{other}")).await;
    assert_eq!(untouched["state"], "submitted");
    // Each enterprise rates it like any reply.
    let (status, rated) = ents[1]
        .post(
            &format!("/api/v1/demands/{ko}/steps"),
            json!({"action": "rate", "rating": "satisfied"}),
        )
        .await;
    assert_eq!(
        (status, rated["state"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{rated}"
    );
    // Delivering again changes nothing.
    let job = liaison::problems::service::DeliverReply { problem_id: id };
    liaison::jobs::Job::run(&job, &t.app).await.unwrap();
    let (_, still) = ents[1].get(&format!("/api/v1/demands/{ko}")).await;
    assert_eq!(still["state"], "closed");

    let (_, detail) = coord.get(&format!("/api/v1/common-problems/{id}")).await;
    assert_eq!(detail["enterprises"], 3);
    let states: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["replied", "closed", "replied"],
        "in demand order: ja, ko, zh"
    );
    let events: Vec<String> = t
        .events_of("common_problem", id)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(events, ["create", "reply"]);
    let demand_events: Vec<String> = t
        .events_of("demand", ja)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert!(
        demand_events.ends_with(&[
            "join_common_problem".to_string(),
            "answer_as_member".to_string()
        ]),
        "{demand_events:?}"
    );

    // The pages.
    let browser = t.signed_in("coord").await;
    let (status, page) = browser.page(&format!("/common-problems/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("查验优先") && page.contains("Hanbit Auto Parts"),
        "{page}"
    );
    let (_, member_page) = browser.page(&format!("/demands/{zh}")).await;
    assert!(
        member_page.contains(&format!(r#"href="/common-problems/{id}""#)),
        "a member links to its problem"
    );
    let (_, own_page) = t
        .signed_in("ent_a")
        .await
        .page(&format!("/demands/{ja}"))
        .await;
    assert!(
        !own_page.contains("/common-problems/"),
        "the enterprise is not shown the problem"
    );
    let (status, list) = browser.page("/common-problems").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/common-problems/{id}")));
    let enterprise_browser = t.signed_in("ent_a").await;
    let (status, _) = enterprise_browser
        .page(&format!("/common-problems/{id}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = coord
        .post(&format!("/api/v1/common-problems/{id}/close"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
}
