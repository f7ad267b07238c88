//! Search: words inside unspaced Chinese, Japanese and Korean text and
//! stemmed English are found; results, counts and highlights stay inside
//! what the reader may see; the index follows changes and is rebuilt.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp, codes};
use liaison::search::follower;

struct World {
    t: TestApp,
    coord: Api,
    officer: Api,
    viewer: Api,
    ent_a: Api,
    ent_b: Api,
    a: i64,
    b: i64,
    power: i64,
    category: i64,
}

async fn world() -> World {
    let t = TestApp::spawn().await;
    let city = t.department("大连市人民政府", "city", None).await;
    let power = t.department("市发展改革委", "bureau", Some(city)).await;
    let a = t.enterprise("樱花精密（大连）有限公司", "JP").await;
    let b = t.enterprise("Hanbit Auto Parts", "KR").await;
    let category = t
        .category(liaison::demands::categories::CategoryDraft {
            name_zh: "能源供应".into(),
            lead_department_id: Some(power),
            ..Default::default()
        })
        .await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("off", "officer", Some(power), None).await;
    let viewer = t.user("auditor", "viewer", None, None).await;
    let ent_a = t.user("ent_a", "enterprise", None, Some(a)).await;
    let ent_b = t.user("ent_b", "enterprise", None, Some(b)).await;
    World {
        coord: t.api(&t.token(coord.id).await),
        officer: t.api(&t.token(officer.id).await),
        viewer: t.api(&t.token(viewer.id).await),
        ent_a: t.api(&t.token(ent_a.id).await),
        ent_b: t.api(&t.token(ent_b.id).await),
        t,
        a,
        b,
        power,
        category,
    }
}

async fn demand(api: &Api, enterprise: i64, title: &str, body: &str, lang: &str) -> i64 {
    let (status, d) = api
        .post(
            "/api/v1/demands",
            json!({"enterprise_id": enterprise, "title": title, "body": body, "lang": lang}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    d["id"].as_i64().unwrap()
}

async fn caught_up(w: &World) {
    follower::catch_up(&w.t.app).await.unwrap();
}

async fn search(api: &Api, query: &str) -> Value {
    let q: String = url_escape(query);
    let (status, body) = api.get(&format!("/api/v1/search?q={q}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn url_escape(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

/// (kind, id) of every hit, and the total of each group.
fn found(results: &Value) -> Vec<(String, i64)> {
    results["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["hits"].as_array().unwrap().iter())
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_string(),
                h["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn demands_found(results: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = found(results)
        .into_iter()
        .filter(|(k, _)| k == "demand")
        .map(|(_, id)| id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn words_inside_unspaced_text_are_found_in_each_language() {
    let w = world().await;
    let zh = demand(
        &w.coord,
        w.a,
        "进口零部件通关手续太慢",
        "海关查验需要三周，影响生产。",
        "zh-CN",
    )
    .await;
    let ja = demand(
        &w.coord,
        w.a,
        "輸入部品の通関が遅い",
        "税関検査で三週間止まっています。",
        "ja",
    )
    .await;
    let ko = demand(
        &w.coord,
        w.b,
        "부품 통관이 지연되고 있습니다",
        "세관 검사가 너무 오래 걸립니다.",
        "ko",
    )
    .await;
    let en = demand(
        &w.coord,
        w.b,
        "VAT refunds delayed",
        "Our retained VAT credits have been refunded late for months.",
        "en",
    )
    .await;
    caught_up(&w).await;

    // A word inside a run of Chinese characters; the Japanese form of the
    // same characters finds both.
    assert_eq!(demands_found(&search(&w.coord, "通关").await), [zh, ja]);
    assert_eq!(demands_found(&search(&w.coord, "通関").await), [zh, ja]);
    assert_eq!(demands_found(&search(&w.coord, "查验").await), [zh]);
    // Japanese: a word inside kana–kanji text.
    assert_eq!(demands_found(&search(&w.coord, "検査").await), [ja]);
    assert_eq!(demands_found(&search(&w.coord, "止まって").await), [ja]);
    // Korean: a noun with its particle attached in the text.
    assert_eq!(demands_found(&search(&w.coord, "통관").await), [ko]);
    assert_eq!(demands_found(&search(&w.coord, "검사").await), [ko]);
    // English: another form of the word.
    assert_eq!(demands_found(&search(&w.coord, "refund").await), [en]);
    assert_eq!(
        demands_found(&search(&w.coord, "Refunding credit").await),
        [en]
    );
    // A single character matches the words that contain it.
    assert_eq!(demands_found(&search(&w.coord, "慢").await), [zh]);
    // Every word must be found; a pair across two words is no match.
    assert!(demands_found(&search(&w.coord, "通关 refund").await).is_empty());
    assert!(demands_found(&search(&w.coord, "关手续太").await).contains(&zh));
    assert!(demands_found(&search(&w.coord, "部品の通関手続").await).is_empty());

    // Enterprises by any of their names; the match is marked.
    let results = search(&w.coord, "樱花精密").await;
    let group = &results["groups"][0];
    assert_eq!(
        (group["kind"].as_str(), group["total"].as_i64()),
        (Some("enterprise"), Some(1))
    );
    let title = &group["hits"][0]["title"];
    let [start, end] = [
        title["marks"][0][0].as_u64().unwrap() as usize,
        title["marks"][0][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(&title["text"].as_str().unwrap()[start..end], "樱花精密");

    // The page: the box on every page, results grouped and marked.
    let browser = w.t.signed_in("coord").await;
    let (status, home) = browser.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains(r#"action="/search""#),
        "the search box is on every page"
    );
    let (status, page) = browser
        .page(&format!("/search?q={}", url_escape("通関")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<mark>通関</mark>"), "{page}");
    assert!(page.contains("<mark>通关</mark>"), "{page}");
    assert!(page.contains(&format!("/demands/{zh}")));
}

#[tokio::test]
async fn bad_searches_are_explained_not_failed() {
    let w = world().await;
    let (status, body) = w.coord.get("/api/v1/search?q=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body), ["required"]);
    let long = "税".repeat(201);
    let (status, body) = w
        .coord
        .get(&format!(
            "/api/v1/search?q={}&kind=planet&limit=0",
            url_escape(&long)
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&body),
        ["too_long", "invalid_choice", "number_out_of_range"]
    );
    let (status, body) = w.coord.get("/api/v1/search?q=a&state=lost").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["invalid_choice".to_string()]
        )
    );
    // Punctuation and regex characters are words like any other.
    caught_up(&w).await;
    for q in ["(", "\\", "*", ".", "“”", "税."] {
        let (status, body) = w
            .coord
            .get(&format!("/api/v1/search?q={}", url_escape(q)))
            .await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
    }
    let browser = w.t.signed_in("coord").await;
    let (status, page) = browser
        .page(&format!("/search?q={}", url_escape(&long)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"class="error""#), "{page}");
    let signed_out = w.t.browser().get("/search?q=x").await;
    assert_eq!(
        signed_out.status(),
        StatusCode::SEE_OTHER,
        "signed-out readers sign in first"
    );
}

#[tokio::test]
async fn each_reader_finds_only_what_they_may_see() {
    let w = world().await;
    let own = demand(
        &w.coord,
        w.a,
        "蒸汽供应不足",
        "冬季蒸汽压力不够，生产线停工。",
        "zh-CN",
    )
    .await;
    let other = demand(
        &w.coord,
        w.b,
        "蒸汽供应中断",
        "蒸汽管道维修期间没有通知。",
        "zh-CN",
    )
    .await;
    let (status, secret) = w
        .coord
        .post(
            "/api/v1/demands",
            json!({"enterprise_id": w.b, "title": "蒸汽价格", "body": "蒸汽价格上涨。", "lang": "zh-CN", "confidential": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{secret}");
    let secret = secret["id"].as_i64().unwrap();
    // Contacts of both, a visit to B.
    for (e, name) in [(w.a, "蒸汽担当 佐藤"), (w.b, "蒸汽担当 김민수")] {
        let (status, c) = w
            .coord
            .post(
                &format!("/api/v1/enterprises/{e}/contacts"),
                json!({"name": name}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
    }
    let coord_user = w.t.user("coord2", "coordinator", None, None).await;
    let (status, visit) = w
        .coord
        .post(
            "/api/v1/engagements",
            json!({"kind": "visit", "held_on": "2026-11-01", "enterprise_ids": [w.b], "official_ids": [coord_user.id], "findings": "蒸汽管道老化，企业希望尽快更换。"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{visit}");
    // Lead the other enterprise's demand to the officer's department.
    let (status, d) = w
        .coord
        .post(
            &format!("/api/v1/demands/{other}/steps"),
            json!({"action": "accept", "category_id": w.category}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    let (status, d) = w
        .coord
        .post(
            &format!("/api/v1/demands/{other}/steps"),
            json!({"action": "assign", "lead_department_id": w.power}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    caught_up(&w).await;

    let everything = search(&w.coord, "蒸汽").await;
    let kinds: Vec<String> = found(&everything).into_iter().map(|(k, _)| k).collect();
    for kind in ["contact", "engagement", "demand"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {everything}");
    }
    assert_eq!(demands_found(&everything), [own, other, secret]);

    // An enterprise: its own demand and contact only, counted alone.
    let mine = search(&w.ent_a, "蒸汽").await;
    assert_eq!(demands_found(&mine), [own]);
    let text = mine.to_string();
    for leak in ["김민수", "中断", "价格", "管道"] {
        assert!(!text.contains(leak), "{leak} leaked into {text}");
    }
    for group in mine["groups"].as_array().unwrap() {
        assert_eq!(group["total"], json!(1), "{group}");
        assert_ne!(
            group["kind"], "engagement",
            "officials' notes are staff only"
        );
    }
    assert_eq!(
        demands_found(&search(&w.ent_b, "蒸汽").await),
        [other, secret]
    );
    assert!(found(&search(&w.ent_a, "김민수").await).is_empty());
    assert!(found(&search(&w.ent_a, "Hanbit").await).is_empty());
    let (_, by_kind) = w
        .ent_a
        .get(&format!(
            "/api/v1/search?q={}&kind=demand",
            url_escape("中断")
        ))
        .await;
    assert_eq!(by_kind["groups"][0]["total"], json!(0), "{by_kind}");

    // An officer: the demands their department leads.
    assert_eq!(demands_found(&search(&w.officer, "蒸汽").await), [other]);
    // A viewer: everything but confidential demands.
    assert_eq!(
        demands_found(&search(&w.viewer, "蒸汽").await),
        [own, other]
    );

    // The enterprise's page of results shows its own only.
    let browser = w.t.signed_in("ent_a").await;
    let (status, page) = browser
        .page(&format!("/search?q={}", url_escape("蒸汽")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/demands/{own}")));
    assert!(!page.contains(&format!("/demands/{other}")), "{page}");
}

#[tokio::test]
async fn the_index_follows_changes_and_is_rebuilt_from_the_database() {
    let w = world().await;
    let id = demand(&w.coord, w.a, "暖气不热", "车间温度只有十度。", "zh-CN").await;
    caught_up(&w).await;
    assert_eq!(demands_found(&search(&w.coord, "暖气").await), [id]);

    // A renamed enterprise is found by its new name only.
    let (status, _) = w
        .coord
        .patch(
            &format!("/api/v1/enterprises/{}", w.b),
            json!({"name_en": "Saebyeok Motors"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    caught_up(&w).await;
    assert_eq!(
        found(&search(&w.coord, "Saebyeok").await),
        [("enterprise".to_string(), w.b)]
    );
    assert!(found(&search(&w.coord, "Hanbit").await).is_empty());

    // A reply becomes searchable with its demand.
    let (status, _) = w
        .coord
        .post(
            &format!("/api/v1/demands/{id}/steps"),
            json!({"action": "accept", "category_id": w.category}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    caught_up(&w).await;
    let (_, listed) = w
        .coord
        .get(&format!(
            "/api/v1/search?q={}&state=accepted",
            url_escape("暖气")
        ))
        .await;
    assert_eq!(demands_found(&listed), [id]);
    let (_, listed) = w
        .coord
        .get(&format!(
            "/api/v1/search?q={}&state=submitted",
            url_escape("暖气")
        ))
        .await;
    assert!(demands_found(&listed).is_empty());

    // Rebuilt from the database: a new generation, the same answers, and
    // following goes on from it.
    let before = w.t.app.search.current().unwrap().number;
    let items = follower::rebuild(&w.t.app).await.unwrap();
    assert!(items >= 3, "{items}");
    assert!(w.t.app.search.current().unwrap().number > before);
    assert_eq!(demands_found(&search(&w.coord, "暖气").await), [id]);
    let later = demand(
        &w.coord,
        w.b,
        "暖气费太高",
        "今年暖气费上涨了三成。",
        "zh-CN",
    )
    .await;
    caught_up(&w).await;
    assert_eq!(demands_found(&search(&w.coord, "暖气").await), [id, later]);

    // An index lost or left by an older version is built again.
    let root = w.t.app.search.root().to_path_buf();
    std::fs::write(root.join("CURRENT"), "1 0.0\n").unwrap();
    assert!(w.t.app.search.refresh().unwrap());
    assert!(w.t.app.search.current().is_none());
    let (_, building) = w.coord.get("/api/v1/search?q=x").await;
    assert_eq!(building["building"], json!(true));
    caught_up(&w).await;
    assert_eq!(demands_found(&search(&w.coord, "暖气").await), [id, later]);
}
