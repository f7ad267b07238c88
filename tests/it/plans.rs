//! The road map and the task book: plans, goals with KPIs, a task tree
//! whose progress rolls up by weight, reports by the lead unit and inputs
//! by co-units, supervision of late tasks, and staff-only access.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, codes, set_city_time};

async fn created(api: &Api, path: &str, body: Value) -> i64 {
    let (status, v) = api.post(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {v}");
    v["id"].as_i64().unwrap()
}

async fn progress_of(api: &Api, path: &str, field: &str) -> f64 {
    let (status, v) = api.get(path).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v[field]["progress"]
        .as_f64()
        .unwrap_or_else(|| panic!("{path}: {v}"))
}

struct World {
    t: TestApp,
    coord: Api,
    leader: Api,
    commerce_officer: Api,
    tax_officer: Api,
    other_officer: Api,
    enterprise: Api,
    commerce: i64,
    tax: i64,
    other: i64,
    enterprise_id: i64,
}

async fn world() -> World {
    let t = TestApp::spawn().await;
    set_city_time(&t, "2026-03-02 10:00");
    let city = t.department("大连市人民政府", "city", None).await;
    let commerce = t.department("大连市商务局", "bureau", Some(city)).await;
    let tax = t.department("大连市税务局", "bureau", Some(city)).await;
    let other = t.department("大连市教育局", "bureau", Some(city)).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let mut apis = Vec::new();
    for (name, role, dept, ent) in [
        ("coord", "coordinator", None, None),
        ("mayor", "leader", None, None),
        ("shang", "officer", Some(commerce), None),
        ("shui", "officer", Some(tax), None),
        ("jiao", "officer", Some(other), None),
        ("kaigaku", "enterprise", None, Some(e)),
    ] {
        let user = t.user(name, role, dept, ent).await;
        apis.push(t.api(&t.token(user.id).await));
    }
    let mut apis = apis.into_iter();
    let mut next = || apis.next().unwrap();
    World {
        coord: next(),
        leader: next(),
        commerce_officer: next(),
        tax_officer: next(),
        other_officer: next(),
        enterprise: next(),
        t,
        commerce,
        tax,
        other,
        enterprise_id: e,
    }
}

fn plan() -> Value {
    json!({
        "title": "深耕日韩三年行动计划（2025—2027）",
        "horizon": "medium",
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
        "key_areas": ["汽车零部件\n精密机械"],
        "key_industries": ["36, 34"],
    })
}

#[tokio::test]
async fn progress_rolls_up_by_weight_and_only_the_lead_unit_reports_it() {
    let w = world().await;
    let coord = &w.coord;

    // Bad input is named field by field; nothing is written.
    let (status, bad) = coord
        .post(
            "/api/v1/plans",
            json!({"title": " ", "horizon": "short", "starts_on": "2025-01-01", "ends_on": "2027-12-31", "key_industries": ["Z99"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(
        codes(&bad),
        ["required", "plan_horizon_mismatch", "invalid_choice"]
    );
    assert_eq!(
        w.leader.post("/api/v1/plans", plan()).await.0,
        StatusCode::FORBIDDEN
    );
    let plan_id = created(coord, "/api/v1/plans", plan()).await;
    let goal = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/goals"),
        json!({"title": "营商环境满意度持续提升"}),
    )
    .await;

    // A typed KPI and one fed from Liaison's own figures.
    let (status, wrong_way) = coord
        .post(
            &format!("/api/v1/goals/{goal}/kpis"),
            json!({"name": "审批时限", "unit": "工作日", "direction": "lower", "baseline": "20", "baseline_on": "2025-01-01", "target": "30", "target_on": "2027-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&wrong_way), ["kpi_target_wrong_way"]);
    let typed = created(
        coord,
        &format!("/api/v1/goals/{goal}/kpis"),
        json!({"name": "外资企业到位资金", "unit": "亿元", "direction": "higher", "baseline": "10", "baseline_on": "2025-01-01", "target": "20", "target_on": "2027-12-31"}),
    )
    .await;
    let fed = created(
        coord,
        &format!("/api/v1/goals/{goal}/kpis"),
        json!({"name": "诉求满意率", "unit": "%", "source": "demand_satisfaction", "baseline": "85", "baseline_on": "2025-01-01", "target": "95", "target_on": "2027-12-31"}),
    )
    .await;
    let (status, refused) = coord
        .post(
            &format!("/api/v1/kpis/{fed}/values"),
            json!({"value": "90"}),
        )
        .await;
    assert_eq!(
        (status, codes(&refused)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["kpi_fed".to_string()]
        )
    );
    created(
        coord,
        &format!("/api/v1/kpis/{typed}/values"),
        json!({"value": "14", "observed_on": "2026-01-31", "source": "市统计局快报"}),
    )
    .await;
    let (_, g) = coord.get(&format!("/api/v1/goals/{goal}")).await;
    let kpi = g["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == typed)
        .unwrap();
    assert_eq!(
        (kpi["current"]["value"].as_f64(), kpi["progress"].as_f64()),
        (Some(14.0), Some(40.0)),
        "{g}"
    );
    assert_eq!(kpi["values"][0]["source"], "市统计局快报");

    // Task 1 (weight 2) with two sub-tasks (weights 3 and 1); task 2 (weight 1).
    let task = |title: &str, parent: Option<i64>, weight: f64| {
        json!({"goal_id": goal, "parent_id": parent, "title": title, "lead_department_id": w.commerce,
               "co_department_ids": [w.tax], "starts_on": "2025-03-01", "due_on": "2027-06-30", "weight": weight,
               "milestones": [{"title": "中期评估", "due_on": "2026-12-31"}]})
    };
    let (status, bad) = coord
        .post(
            &format!("/api/v1/plans/{plan_id}/tasks"),
            json!({"goal_id": goal, "title": "x", "lead_department_id": w.commerce, "starts_on": "2024-12-01", "due_on": "2028-01-31", "weight": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&bad),
        [
            "date_out_of_range",
            "date_out_of_range",
            "number_out_of_range"
        ]
    );
    let t1 = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/tasks"),
        task("建立日韩企业服务专员制度", None, 2.0),
    )
    .await;
    let s1 = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/tasks"),
        task("走访重点日资企业", Some(t1), 3.0),
    )
    .await;
    let s2 = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/tasks"),
        task("走访重点韩资企业", Some(t1), 1.0),
    )
    .await;
    let t2 = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/tasks"),
        task("举办中日韩产业对接会", None, 1.0),
    )
    .await;

    // A draft is not reported on; a leader approves it (an event says who).
    let report = |percent: Option<i64>| json!({"kind": "progress", "percent": percent, "body": "已走访12家企业"});
    let (status, early) = w
        .commerce_officer
        .post(&format!("/api/v1/tasks/{s1}/reports"), report(Some(40)))
        .await;
    assert_eq!(
        (status, codes(&early)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["invalid_transition".to_string()]
        )
    );
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/plans/{plan_id}/steps"),
                json!({"step": "approve"})
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, approved) = w
        .leader
        .post(
            &format!("/api/v1/plans/{plan_id}/steps"),
            json!({"step": "approve"}),
        )
        .await;
    assert_eq!(
        (status, approved["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{approved}"
    );
    assert!(
        w.t.events_of("plan", plan_id)
            .await
            .iter()
            .any(|(action, _)| action == "approve")
    );

    // The lead unit reports 40% on sub-task 1: task 1 = (3×40 + 1×0)/4 = 30;
    // the goal = (2×30 + 1×0)/3 = 20; the plan, its one goal's 20.
    let (status, r) = w
        .commerce_officer
        .post(&format!("/api/v1/tasks/{s1}/reports"), report(Some(40)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(
        progress_of(coord, &format!("/api/v1/tasks/{t1}"), "task").await,
        30.0
    );
    assert_eq!(
        progress_of(coord, &format!("/api/v1/goals/{goal}"), "goal").await,
        20.0
    );
    let (_, p) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(p["progress"].as_f64(), Some(20.0), "{p}");
    // Sub-task 2 done: task 1 = (120 + 100)/4 = 55, goal = 110/3 = 36.7.
    w.commerce_officer
        .post(&format!("/api/v1/tasks/{s2}/reports"), report(Some(100)))
        .await;
    assert_eq!(
        progress_of(coord, &format!("/api/v1/goals/{goal}"), "goal").await,
        36.7
    );
    let (_, s2_now) = coord.get(&format!("/api/v1/tasks/{s2}")).await;
    assert_eq!(s2_now["task"]["status"], "done");

    // A parent's progress comes from its children; percents stay 0-100.
    let (_, on_parent) = w
        .commerce_officer
        .post(&format!("/api/v1/tasks/{t1}/reports"), report(Some(50)))
        .await;
    assert_eq!(codes(&on_parent), ["task_progress_from_children"]);
    let (_, too_much) = w
        .commerce_officer
        .post(&format!("/api/v1/tasks/{t2}/reports"), report(Some(120)))
        .await;
    assert_eq!(codes(&too_much), ["number_out_of_range"]);
    // The co-unit gives inputs, not progress; another unit neither.
    assert_eq!(
        w.tax_officer
            .post(&format!("/api/v1/tasks/{s1}/reports"), report(Some(90)))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let input = json!({"kind": "input", "body": "已梳理税收优惠政策清单"});
    assert_eq!(
        w.tax_officer
            .post(&format!("/api/v1/tasks/{t1}/reports"), input.clone())
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        w.other_officer
            .post(&format!("/api/v1/tasks/{t1}/reports"), input)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, detail) = coord.get(&format!("/api/v1/tasks/{t1}")).await;
    assert_eq!(detail["reports"][0]["kind"], "input");

    // The papers of a report: the lead unit attaches them; another unit
    // may not, and an enterprise cannot read them.
    let attach = |who: &str| {
        reqwest::Client::new()
            .post(w.t.url(&format!(
                "/api/v1/tasks/{s1}/attachments?file_name=visits.pdf"
            )))
            .bearer_auth(who.to_string())
            .body(b"%PDF-1.4 visit list".to_vec())
            .send()
    };
    let shang = w.t.user("shang2", "officer", Some(w.commerce), None).await;
    let jiao = w.t.user("jiao2", "officer", Some(w.other), None).await;
    let response = attach(&w.t.token(shang.id).await).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let file: Value = response.json().await.unwrap();
    assert_eq!(
        attach(&w.t.token(jiao.id).await).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let (_, files) = coord.get(&format!("/api/v1/tasks/{s1}/attachments")).await;
    assert_eq!(files[0]["file_name"], "visits.pdf");
    assert_eq!(
        w.enterprise
            .get(&format!("/api/v1/tasks/{s1}/attachments"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let download = w
        .enterprise
        .get(&format!("/api/v1/attachments/{}", file["id"]))
        .await
        .0;
    assert!(
        matches!(download, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{download}"
    );
    assert_eq!(detail["sub_tasks"].as_array().unwrap().len(), 2);

    // A leader's instruction reaches the lead and co-units; only leaders give one.
    let instruction = json!({"body": "请加快推进，年底前实现重点企业全覆盖。"});
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/tasks/{t1}/instructions"),
                instruction.clone()
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.leader
            .post(&format!("/api/v1/tasks/{t1}/instructions"), instruction)
            .await
            .0,
        StatusCode::CREATED
    );
    let (_, bell) = w.tax_officer.get("/api/v1/notifications").await;
    assert!(
        bell["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "instruction" && n["subject_id"] == t1),
        "{bell}"
    );
    // Links: the enterprise's page shows the task to staff, not to the enterprise.
    let (status, missing) = coord
        .post(
            &format!("/api/v1/tasks/{t1}/links"),
            json!({"target_type": "demand", "target_id": 999}),
        )
        .await;
    assert_eq!(
        (status, codes(&missing)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["link_target_not_found".to_string()]
        )
    );
    let (status, _) = coord
        .post(
            &format!("/api/v1/tasks/{t1}/links"),
            json!({"target_type": "enterprise", "target_id": w.enterprise_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, staff_view) =
        w.t.signed_in("coord")
            .await
            .page(&format!("/enterprises/{}", w.enterprise_id))
            .await;
    assert!(
        staff_view.contains(&format!(r#"href="/tasks/{t1}""#)),
        "the enterprise page links back"
    );
    let (_, own_view) =
        w.t.signed_in("kaigaku")
            .await
            .page(&format!("/enterprises/{}", w.enterprise_id))
            .await;
    assert!(
        !own_view.contains("/tasks/"),
        "an enterprise learns nothing of the plan"
    );

    // The department's own list: the commerce officer's tasks by default.
    let (_, mine) = w.commerce_officer.get("/api/v1/tasks").await;
    assert_eq!(mine.as_array().unwrap().len(), 4, "{mine}");
    let (_, theirs) = w.other_officer.get("/api/v1/tasks").await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    let (_, done) = coord.get("/api/v1/tasks?department=all&status=done").await;
    assert_eq!(done.as_array().unwrap().len(), 1);

    // Pages: the overview with its progress bars, the goal with its KPIs,
    // the task with its reports, and the department's list.
    let browser = w.t.signed_in("shang").await;
    let (status, overview) = browser.page(&format!("/plans/{plan_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        overview.contains(r#"<progress max="100" value="36.7">"#),
        "{overview}"
    );
    assert!(overview.contains("走访重点韩资企业"));
    let (_, goal_page) = browser.page(&format!("/goals/{goal}")).await;
    assert!(
        goal_page.contains("外资企业到位资金") && goal_page.contains("<svg"),
        "{goal_page}"
    );
    let (_, task_page) = browser.page(&format!("/tasks/{s1}")).await;
    assert!(task_page.contains("已走访12家企业"));
    let (_, list) = browser.page("/tasks").await;
    assert!(list.contains("举办中日韩产业对接会"));
}

/// A draft plan with one goal (visits) and one task of the commerce bureau
/// from 2026-01-05 to `due_on`: (plan, goal, task).
async fn visits_plan(w: &World, due_on: &str) -> (i64, i64, i64) {
    let plan_id = created(&w.coord, "/api/v1/plans", plan()).await;
    let goal = created(
        &w.coord,
        &format!("/api/v1/plans/{plan_id}/goals"),
        json!({"title": "重点企业全覆盖走访"}),
    )
    .await;
    let task = created(
        &w.coord,
        &format!("/api/v1/plans/{plan_id}/tasks"),
        json!({"goal_id": goal, "title": "完成重点日韩企业走访", "lead_department_id": w.commerce,
               "starts_on": "2026-01-05", "due_on": due_on}),
    )
    .await;
    (plan_id, goal, task)
}

#[tokio::test]
async fn a_late_task_turns_late_and_is_noticed_once_and_enterprises_see_no_plans() {
    let w = world().await;
    let coord = &w.coord;
    let (plan_id, goal, task) = visits_plan(&w, "2026-03-31").await;
    w.leader
        .post(
            &format!("/api/v1/plans/{plan_id}/steps"),
            json!({"step": "approve"}),
        )
        .await;
    let (_, in_force) = coord
        .post(
            &format!("/api/v1/plans/{plan_id}/steps"),
            json!({"step": "in_force"}),
        )
        .await;
    assert_eq!(in_force["status"], "in_force");

    // The day after the due day, supervision rolls the plan up: the task
    // is late, and its lead unit hears of it once, however often it runs.
    set_city_time(&w.t, "2026-04-01 09:00");
    let second =
        liaison::App::open_with_clock(w.t.app.config.as_ref().clone(), w.t.app.clock.clone())
            .await
            .unwrap();
    let (a, b) = tokio::join!(
        liaison::plans::supervision::supervise(&w.t.app),
        liaison::plans::supervision::supervise(&second)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(
        liaison::plans::supervision::supervise(&w.t.app)
            .await
            .unwrap(),
        0
    );
    let (_, t) = coord.get(&format!("/api/v1/tasks/{task}")).await;
    assert_eq!(t["task"]["status"], "late", "{t}");
    let (_, bell) = w.commerce_officer.get("/api/v1/notifications").await;
    let notices: Vec<&Value> = bell["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "overdue")
        .collect();
    assert_eq!(notices.len(), 1, "{bell}");
    assert_eq!(notices[0]["subject_type"], "plan_task");
    let (_, late) = w.commerce_officer.get("/api/v1/tasks?status=late").await;
    assert_eq!(late.as_array().unwrap().len(), 1);

    // An enterprise sees none of it, on any surface.
    for path in [
        "/api/v1/plans".to_string(),
        format!("/api/v1/plans/{plan_id}"),
        format!("/api/v1/goals/{goal}"),
        format!("/api/v1/tasks/{task}"),
        "/api/v1/tasks".to_string(),
    ] {
        assert_eq!(
            w.enterprise.get(&path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let ent = w.t.signed_in("kaigaku").await;
    for path in [
        "/plans".to_string(),
        format!("/plans/{plan_id}"),
        format!("/tasks/{task}"),
        "/tasks".to_string(),
    ] {
        assert_eq!(ent.page(&path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    let (_, home) = ent.page("/").await;
    assert!(!home.contains(r#"href="/plans""#));
}

async fn upload(t: &TestApp, token: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(t.url(path))
        .bearer_auth(token)
        .header("accept-language", "ko")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn korean_book(lead_of_second: &str) -> Vec<u8> {
    let rows: Vec<Vec<String>> = [
        vec![
            "번호",
            "과제",
            "추진 조치",
            "주관 부서",
            "협조 부서",
            "기한",
        ],
        vec![
            "1",
            "일본·한국 기업 전담 서비스 제도 구축",
            "기업별 전담관 지정",
            "大连市商务局",
            "大连市税务局",
            "2026년 12월 말",
        ],
        vec![
            "1.1",
            "중점 일본 기업 방문",
            "분기별 방문",
            "大连市商务局",
            "",
            "2026-06-30",
        ],
        vec![
            "2",
            "한중일 산업 교류회 개최",
            "연 2회 개최",
            lead_of_second,
            "大连市商务局、大连市税务局",
            "2026年9月30日",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    liaison::sheets::write_xlsx("과제표", &rows).unwrap()
}

#[tokio::test]
async fn a_task_book_is_imported_from_korean_headers_all_or_nothing_and_exported() {
    let w = world().await;
    let coord = &w.coord;
    let plan_id = created(coord, "/api/v1/plans", plan()).await;
    let goal = created(
        coord,
        &format!("/api/v1/plans/{plan_id}/goals"),
        json!({"title": "服务体系"}),
    )
    .await;
    let user = w.t.user("coord2", "coordinator", None, None).await;
    let token = w.t.token(user.id).await;
    let path = |dry: bool| {
        format!("/api/v1/plans/{plan_id}/import?format=xlsx&dry_run={dry}&goal_id={goal}")
    };

    // One unit nobody knows: reported with its row and column, nothing imported.
    let (status, report) = upload(
        &w.t,
        &token,
        &path(false),
        korean_book("大连市外星人管理局"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(report["imported"], false);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(
        (
            errors[0]["row"].as_i64(),
            errors[0]["column"].as_str(),
            errors[0]["code"].as_str()
        ),
        (Some(4), Some("주관 부서"), Some("department_not_found"))
    );
    let (_, p) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(p["tasks"].as_array().unwrap().len(), 0);

    // Fixed: a dry run says what would happen, then the import does it.
    let (status, dry) = upload(&w.t, &token, &path(true), korean_book("大连市教育局")).await;
    assert_eq!(
        (status, dry["created"].as_i64(), dry["imported"].as_bool()),
        (StatusCode::OK, Some(3), Some(false)),
        "{dry}"
    );
    let (_, p) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(p["tasks"].as_array().unwrap().len(), 0);
    let (status, done) = upload(&w.t, &token, &path(false), korean_book("大连市教育局")).await;
    assert_eq!(
        (status, done["imported"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{done}"
    );
    let (_, p) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    let tasks = p["tasks"].as_array().unwrap();
    let titles: Vec<(&str, i64, &str)> = tasks
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap(),
                t["depth"].as_i64().unwrap(),
                t["due_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("일본·한국 기업 전담 서비스 제도 구축", 0, "2026-12-31"),
            ("중점 일본 기업 방문", 1, "2026-06-30"),
            ("한중일 산업 교류회 개최", 0, "2026-09-30"),
        ]
    );
    assert_eq!(tasks[2]["co_department_ids"].as_array().unwrap().len(), 2);
    assert!(
        w.t.events_of("plan", plan_id)
            .await
            .iter()
            .any(|(a, _)| a == "import")
    );

    // Exported in the reader's language, numbered as on paper; it reads back.
    let response = reqwest::Client::new()
        .get(w.t.url(&format!("/api/v1/plans/{plan_id}/export?format=xlsx")))
        .bearer_auth(&token)
        .header("accept-language", "ja")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let rows = liaison::sheets::read(&bytes, liaison::sheets::Format::Xlsx).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][..3], ["番号", "目標", "タスク"]);
    assert_eq!(
        (rows[2][0].as_str(), rows[2][5].as_str()),
        ("1.1", "大连市商务局")
    );
    let csv = w
        .enterprise
        .get(&format!("/api/v1/plans/{plan_id}/export?format=csv"))
        .await;
    assert_eq!(csv.0, StatusCode::FORBIDDEN);

    // The printable book and the timeline render on the server.
    let browser = w.t.signed_in("shang").await;
    let (status, book) = browser.page(&format!("/plans/{plan_id}/book")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        book.contains("<td>1.1</td>") && book.contains("print-book"),
        "{book}"
    );
    let (status, gantt) = browser.page(&format!("/plans/{plan_id}/gantt")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        gantt.contains("<svg class=\"gantt\"") && gantt.contains("2 한중일 산업 교류회 개최"),
        "{gantt}"
    );
    let ent = w.t.signed_in("kaigaku").await;
    assert_eq!(
        ent.page(&format!("/plans/{plan_id}/gantt")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ent.page(&format!("/plans/{plan_id}/book")).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn plans_goals_and_tasks_are_edited_on_their_pages_and_fed_kpis_keep_a_daily_history() {
    let w = world().await;
    let coord = &w.coord;
    let (plan_id, goal, task) = visits_plan(&w, "2026-06-30").await;
    let kpi = created(
        coord,
        &format!("/api/v1/goals/{goal}/kpis"),
        json!({"name": "走访企业数", "unit": "家", "source": "enterprises_visited", "baseline": "0", "baseline_on": "2025-01-01", "target": "50", "target_on": "2027-12-31"}),
    )
    .await;
    let browser = w.t.signed_in("coord").await;

    // The plan's form opens with its values; bad input comes back with
    // what was typed and the field named, and nothing changes.
    let (status, form) = browser.page(&format!("/plans/{plan_id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("深耕日韩三年行动计划（2025—2027）"), "{form}");
    assert!(form.contains("汽车零部件\n精密机械"));
    let edit = |title: &'static str, ends_on: &'static str| {
        [
            ("title", title),
            ("horizon", "medium"),
            ("starts_on", "2025-01-01"),
            ("ends_on", ends_on),
            ("key_areas", "汽车零部件"),
            ("key_industries", "36"),
            ("summary", ""),
        ]
    };
    let response = browser
        .post(
            &format!("/plans/{plan_id}/edit"),
            &edit("深耕日韩行动计划（修订）", "2024-12-31"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("深耕日韩行动计划（修订）") && body.contains(r#"aria-invalid="true""#));
    let (_, unchanged) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(
        unchanged["plan"]["title"],
        "深耕日韩三年行动计划（2025—2027）"
    );
    let response = browser
        .post(
            &format!("/plans/{plan_id}/edit"),
            &edit("深耕日韩行动计划（修订）", "2027-12-31"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, changed) = coord.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(changed["plan"]["title"], "深耕日韩行动计划（修订）");
    assert_eq!(changed["plan"]["key_industries"], "36");
    assert!(
        w.t.events_of("plan", plan_id)
            .await
            .contains(&("update".to_string(), "coord".to_string()))
    );

    // A goal's title and description.
    let response = browser
        .post(&format!("/goals/{goal}/edit"), &[("title", " ")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = browser
        .post(
            &format!("/goals/{goal}/edit"),
            &[
                ("title", "重点企业走访全覆盖"),
                ("description", "每年走访一遍"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, g) = coord.get(&format!("/api/v1/goals/{goal}")).await;
    assert_eq!(
        (&g["goal"]["title"], &g["goal"]["description"]),
        (&json!("重点企业走访全覆盖"), &json!("每年走访一遍"))
    );

    // A task: its lead unit shows chosen; a due day outside the plan is
    // refused; co-units, a new due day and a milestone are saved.
    let (_, form) = browser.page(&format!("/tasks/{task}/edit")).await;
    assert!(form.contains(&format!(r#"<option value="{}" selected>"#, w.commerce)));
    let commerce = w.commerce.to_string();
    let tax = w.tax.to_string();
    let task_edit = |due_on: &'static str| {
        vec![
            ("title", "完成重点日韩企业走访".to_string()),
            ("lead_department_id", commerce.clone()),
            ("co_department_ids", tax.clone()),
            ("starts_on", "2026-01-05".to_string()),
            ("due_on", due_on.to_string()),
            ("weight", "2".to_string()),
            ("milestones", "2026-09-30 中期评估".to_string()),
        ]
    };
    let bad = task_edit("2030-06-30");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = browser.post(&format!("/tasks/{task}/edit"), &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("2030-06-30")
            && body.contains(&format!(r#"<option value="{}" selected>"#, w.tax))
    );
    let good = task_edit("2026-12-31");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = browser.post(&format!("/tasks/{task}/edit"), &good).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, t) = coord.get(&format!("/api/v1/tasks/{task}")).await;
    assert_eq!(t["task"]["due_on"], "2026-12-31");
    assert_eq!(t["task"]["weight"], 2.0);
    assert_eq!(t["co_department_ids"], json!([w.tax]));
    assert_eq!(t["milestones"][0]["title"], "中期评估");

    // Only those who manage plans edit them, on any surface.
    let officer = w.t.signed_in("shang").await;
    for path in [
        format!("/plans/{plan_id}/edit"),
        format!("/goals/{goal}/edit"),
        format!("/tasks/{task}/edit"),
    ] {
        assert_eq!(officer.page(&path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    let response = officer
        .post(&format!("/goals/{goal}/edit"), &[("title", "改")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let ent = w.t.signed_in("kaigaku").await;
    assert_eq!(
        ent.page(&format!("/tasks/{task}/edit")).await.0,
        StatusCode::FORBIDDEN
    );

    // Supervision records a fed KPI's value once a day, whoever else runs
    // it, and the goal page says Liaison recorded it.
    w.leader
        .post(
            &format!("/api/v1/plans/{plan_id}/steps"),
            json!({"step": "approve"}),
        )
        .await;
    // A count of visits narrowed to the key enterprises (a tag): only a
    // visits KPI takes a tag. Two enterprises are visited, one is key.
    let admin = w.t.user("root", "admin", None, None).await;
    let (_, tag) =
        w.t.api(&w.t.token(admin.id).await)
            .post("/api/v1/tags", json!({"name_zh": "重点企业"}))
            .await;
    let tag = tag["id"].as_i64().unwrap().to_string();
    coord
        .post(
            "/api/v1/enterprises/bulk-tag",
            json!({"ids": [w.enterprise_id], "tag_id": tag.parse::<i64>().unwrap()}),
        )
        .await;
    let other = w.t.enterprise("Hanbit Motors", "KR").await;
    let (coord_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'coord'")
        .fetch_one(w.t.app.db.pool())
        .await
        .unwrap();
    for e in [w.enterprise_id, other] {
        let (status, v) = coord
            .post(
                "/api/v1/engagements",
                json!({"kind": "visit", "held_on": "2026-03-01", "enterprise_ids": [e], "official_ids": [coord_id]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
    let key_kpi = |source: &'static str| {
        vec![
            ("name", "走访重点企业数"),
            ("unit", "家"),
            ("direction", "higher"),
            ("source", source),
            ("tag_id", tag.as_str()),
            ("baseline", "0"),
            ("baseline_on", "2025-01-01"),
            ("target", "18"),
            ("target_on", "2027-12-31"),
        ]
    };
    let response = browser
        .post(&format!("/goals/{goal}/kpis"), &key_kpi("manual"))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = browser
        .post(
            &format!("/goals/{goal}/kpis"),
            &key_kpi("enterprises_visited"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, unknown) = coord
        .post(
            &format!("/api/v1/goals/{goal}/kpis"),
            json!({"name": "x", "source": "enterprises_visited", "tag_id": 999, "baseline": "0", "baseline_on": "2025-01-01", "target": "1", "target_on": "2027-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&unknown), ["invalid_choice"]);
    let kpis = async || {
        let (_, g) = coord.get(&format!("/api/v1/goals/{goal}")).await;
        g["kpis"].as_array().unwrap().clone()
    };
    let history = async || {
        let all = kpis().await;
        let k = all.iter().find(|k| k["id"] == kpi).cloned().unwrap();
        k["values"].as_array().unwrap().clone()
    };
    let current: Vec<(Value, Value)> = kpis()
        .await
        .iter()
        .map(|k| (k["name"].clone(), k["current"]["value"].clone()))
        .collect();
    assert_eq!(
        current,
        [
            (json!("走访企业数"), json!(2.0)),
            (json!("走访重点企业数"), json!(1.0))
        ]
    );
    assert!(history().await.is_empty());
    let second =
        liaison::App::open_with_clock(w.t.app.config.as_ref().clone(), w.t.app.clock.clone())
            .await
            .unwrap();
    let (a, b) = tokio::join!(
        liaison::plans::supervision::supervise(&w.t.app),
        liaison::plans::supervision::supervise(&second)
    );
    a.unwrap();
    b.unwrap();
    let values = history().await;
    assert_eq!(values.len(), 1, "{values:?}");
    assert_eq!(
        (
            &values[0]["observed_on"],
            &values[0]["value"],
            &values[0]["entered_by"]
        ),
        (&json!("2026-03-02"), &json!("2"), &Value::Null)
    );
    set_city_time(&w.t, "2026-03-03 09:00");
    liaison::plans::supervision::supervise(&w.t.app)
        .await
        .unwrap();
    assert_eq!(history().await.len(), 2);
    // (A day later the session has lapsed: sign in again.)
    let browser = w.t.signed_in("coord").await;
    let (status, page) = browser.page(&format!("/goals/{goal}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("系统根据自身记录每日记录"), "{page}");
    assert!(page.contains("<dd>重点企业</dd>"));

    // A KPI's definition is edited on its page; its source stays once it
    // has values, and only managers reach the form.
    let (status, refused) = coord
        .put_json(
            &format!("/api/v1/kpis/{kpi}"),
            json!({"name": "走访企业数", "unit": "家", "source": "manual", "baseline": "0", "baseline_on": "2025-01-01", "target": "50", "target_on": "2027-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&refused), ["kpi_has_values"]);
    let (_, form) = browser.page(&format!("/kpis/{kpi}/edit")).await;
    assert!(form.contains(r#"value="走访企业数""#), "{form}");
    assert!(form.contains(r#"<option value="enterprises_visited" selected>"#));
    let response = browser
        .post(
            &format!("/kpis/{kpi}/edit"),
            &[
                ("name", "走访座谈企业数"),
                ("unit", "家"),
                ("direction", "higher"),
                ("source", "enterprises_visited"),
                ("tag_id", ""),
                ("baseline", "0"),
                ("baseline_on", "2025-01-01"),
                ("target", "60"),
                ("target_on", "2027-12-31"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let edited = kpis().await;
    assert_eq!(
        (&edited[0]["name"], &edited[0]["target"]),
        (&json!("走访座谈企业数"), &json!("60"))
    );
    assert!(
        w.t.events_of("goal_kpi", kpi)
            .await
            .contains(&("update".to_string(), "coord".to_string()))
    );
    let officer = w.t.signed_in("shang").await;
    assert_eq!(
        officer.page(&format!("/kpis/{kpi}/edit")).await.0,
        StatusCode::FORBIDDEN
    );
}
