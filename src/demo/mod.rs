//! Demo data: the city's departments, a few fictional Japanese- and
//! Korean-funded enterprises in Dalian, and one account per role. Loaded
//! through the services, so it is validated and logged like real input.
//! The enterprises and people are invented (SPEC section 9).

mod demands;
mod history;
mod plans;

use crate::app::App;
use crate::auth::{Actor, Role};
use crate::enterprises::{self, EnterpriseDraft};
use crate::error::{Code, Error};
use crate::org::{self, DepartmentDraft};
use crate::users::{self, Profile};

/// The shared password of the demo accounts.
pub const PASSWORD: &str = "liaison-demo";

/// One login per role: (role, username).
pub const LOGINS: [(Role, &str); 6] = [
    (Role::Admin, "admin"),
    (Role::Leader, "leader"),
    (Role::Coordinator, "coordinator"),
    (Role::Officer, "officer"),
    (Role::Enterprise, "enterprise"),
    (Role::Viewer, "viewer"),
];

/// (key, parent key, kind, zh, ja, ko, en)
type Unit = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const UNITS: &[Unit] = &[
    (
        "city",
        None,
        "city",
        "大连市人民政府",
        "大連市人民政府",
        "다롄시 인민정부",
        "Dalian Municipal People's Government",
    ),
    (
        "commerce",
        Some("city"),
        "bureau",
        "大连市商务局",
        "大連市商務局",
        "다롄시 상무국",
        "Dalian Bureau of Commerce",
    ),
    (
        "fdi-promotion",
        Some("commerce"),
        "division",
        "外资促进处",
        "外資促進処",
        "외자촉진처",
        "Foreign Investment Promotion Division",
    ),
    (
        "fdi-service",
        Some("commerce"),
        "division",
        "外资企业服务处",
        "外資企業サービス処",
        "외자기업서비스처",
        "Foreign-Funded Enterprise Service Division",
    ),
    (
        "foreign-affairs",
        Some("city"),
        "bureau",
        "大连市人民政府外事办公室",
        "大連市人民政府外事弁公室",
        "다롄시 인민정부 외사판공실",
        "Foreign Affairs Office",
    ),
    (
        "culture",
        Some("city"),
        "bureau",
        "大连市文化和旅游局",
        "大連市文化観光局",
        "다롄시 문화관광국",
        "Bureau of Culture and Tourism",
    ),
    (
        "ccpit",
        Some("city"),
        "bureau",
        "中国国际贸易促进委员会大连市分会",
        "中国国際貿易促進委員会大連市分会",
        "중국국제무역촉진위원회 다롄시 분회",
        "CCPIT Dalian Sub-Council",
    ),
    (
        "exchange",
        Some("city"),
        "bureau",
        "大连市对外合作交流中心",
        "大連市対外協力交流センター",
        "다롄시 대외협력교류센터",
        "Cooperation and Exchange Center",
    ),
    (
        "tax",
        Some("city"),
        "bureau",
        "大连市税务局",
        "大連市税務局",
        "다롄시 세무국",
        "Taxation Bureau",
    ),
    (
        "customs",
        Some("city"),
        "bureau",
        "大连海关",
        "大連税関",
        "다롄세관",
        "Dalian Customs",
    ),
    (
        "hr",
        Some("city"),
        "bureau",
        "大连市人力资源和社会保障局",
        "大連市人力資源社会保障局",
        "다롄시 인력자원사회보장국",
        "Bureau of Human Resources and Social Security",
    ),
    (
        "market",
        Some("city"),
        "bureau",
        "大连市市场监督管理局",
        "大連市市場監督管理局",
        "다롄시 시장감독관리국",
        "Market Regulation Bureau",
    ),
    (
        "land",
        Some("city"),
        "bureau",
        "大连市自然资源局",
        "大連市自然資源局",
        "다롄시 자연자원국",
        "Bureau of Natural Resources",
    ),
    (
        "jinpu",
        Some("city"),
        "district",
        "大连金普新区",
        "大連金普新区",
        "다롄 진푸신구",
        "Jinpu New District",
    ),
    (
        "jinpu-committee",
        Some("jinpu"),
        "committee",
        "金普新区管理委员会",
        "金普新区管理委員会",
        "진푸신구 관리위원회",
        "Jinpu New District Administrative Committee",
    ),
];

/// Fictional enterprises, contacts and engagements (data/demo/*.csv).
const ENTERPRISES_CSV: &str = include_str!("../../data/demo/enterprises.csv");
const CONTACTS_CSV: &str = include_str!("../../data/demo/contacts.csv");
const ENGAGEMENTS_CSV: &str = include_str!("../../data/demo/engagements.csv");

#[derive(serde::Deserialize)]
struct DemoEnterprise {
    uscc: String,
    name_zh: String,
    name_ja: String,
    name_ko: String,
    name_en: String,
    country: String,
    parent_company: String,
    industry_code: String,
    district: String,
    address: String,
    founded_on: String,
    registered_capital: String,
    capital_currency: String,
    employees: String,
    main_products: String,
}

#[derive(serde::Deserialize)]
struct DemoContact {
    uscc: String,
    name: String,
    title: String,
    phone: String,
    email: String,
    preferred_locale: String,
    primary: String,
}

#[derive(serde::Deserialize)]
struct DemoEngagement {
    kind: String,
    held_on: String,
    usccs: String,
    place: String,
    purpose: String,
    guests: String,
    findings: String,
}

fn rows<T: for<'de> serde::Deserialize<'de>>(name: &str, text: &str) -> anyhow::Result<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| anyhow::anyhow!("data/demo/{name}: {e}"))
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Loads the demo data when the database has no accounts yet. Returns
/// whether it loaded anything. The demo administrator is created first: its
/// unique name makes concurrent loaders (several instances started with
/// `--demo` on one database) load the data once.
pub async fn load_if_empty(app: &App) -> anyhow::Result<bool> {
    let system = Actor::system();
    let existing = users::service::list(app, &system, &Default::default()).await?;
    if !existing.is_empty() {
        return Ok(false);
    }
    let admin = person(Role::Admin, "admin", "系统管理员", None, None);
    match users::service::create(app, &system, "admin", PASSWORD, &admin).await {
        Ok(_) => {}
        Err(Error::Invalid(problems)) if problems.iter().any(|p| p.code == Code::UsernameTaken) => {
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    }

    let mut ids: Vec<(&str, i64)> = Vec::new();
    for (key, parent, kind, zh, ja, ko, en) in UNITS {
        let parent_id = parent.and_then(|p| ids.iter().find(|(k, _)| *k == p).map(|(_, id)| *id));
        let draft = DepartmentDraft {
            parent_id,
            kind: kind.to_string(),
            name_zh: zh.to_string(),
            name_ja: Some(ja.to_string()),
            name_ko: Some(ko.to_string()),
            name_en: Some(en.to_string()),
        };
        let created = org::service::create(app, &system, &draft).await?;
        ids.push((key, created.id));
    }
    let unit = |key: &str| ids.iter().find(|(k, _)| *k == key).map(|(_, id)| *id);

    let mut enterprise_ids = Vec::new();
    let mut by_uscc = std::collections::HashMap::new();
    for e in rows::<DemoEnterprise>("enterprises.csv", ENTERPRISES_CSV)? {
        let draft = EnterpriseDraft {
            uscc: e.uscc.clone(),
            name_zh: some(&e.name_zh),
            name_ja: some(&e.name_ja),
            name_ko: some(&e.name_ko),
            name_en: some(&e.name_en),
            country: e.country,
            parent_company: some(&e.parent_company),
            industry_code: some(&e.industry_code),
            district: some(&e.district),
            address: some(&e.address),
            founded_on: some(&e.founded_on),
            registered_capital: some(&e.registered_capital),
            capital_currency: some(&e.capital_currency),
            employees: some(&e.employees),
            main_products: some(&e.main_products),
            status: None,
        };
        let created = enterprises::service::create(app, &system, &draft).await?;
        by_uscc.insert(e.uscc, created.id);
        enterprise_ids.push((created.id, created.employees.unwrap_or(100)));
    }
    load_tags(app, &enterprise_ids).await?;
    for c in rows::<DemoContact>("contacts.csv", CONTACTS_CSV)? {
        let Some(&enterprise_id) = by_uscc.get(&c.uscc) else {
            continue;
        };
        let draft = crate::contacts::ContactDraft {
            name: c.name,
            title: some(&c.title),
            phone: some(&c.phone),
            email: some(&c.email),
            preferred_locale: some(&c.preferred_locale),
            primary: c.primary.trim() == "1",
        };
        crate::contacts::service::create(app, &system, enterprise_id, &draft).await?;
    }
    for (n, (id, employees)) in enterprise_ids.iter().enumerate() {
        load_indicators(app, *id, *employees, n as u64).await?;
    }
    let enterprise_ids: Vec<i64> = enterprise_ids.iter().map(|(id, _)| *id).collect();

    let others = [
        person(Role::Leader, "leader", "王副市长", unit("city"), None),
        person(
            Role::Coordinator,
            "coordinator",
            "李协调员",
            unit("exchange"),
            None,
        ),
        person(
            Role::Officer,
            "officer",
            "张科员",
            unit("fdi-service"),
            None,
        ),
        person(
            Role::Enterprise,
            "enterprise",
            "佐藤 健",
            None,
            enterprise_ids.first().copied(),
        ),
        person(Role::Viewer, "viewer", "审计观察员", None, None),
    ];
    let mut ids = std::collections::HashMap::new();
    for ((_, username), profile) in LOGINS[1..].iter().zip(others) {
        let user = users::service::create(app, &system, username, PASSWORD, &profile).await?;
        ids.insert(*username, user.id);
    }
    // The enterprise account belongs to the first enterprise's primary contact.
    if let (Some(first), Some(user)) = (enterprise_ids.first(), ids.get("enterprise")) {
        let contacts = crate::contacts::service::list(app, &system, *first).await?;
        if let Some(primary) = contacts
            .iter()
            .find(|c| c.is_primary())
            .or(contacts.first())
        {
            crate::contacts::service::link_user(app, &system, *first, primary.id, Some(*user))
                .await?;
        }
    }
    load_engagements(app, &by_uscc, &ids).await?;
    let units: std::collections::HashMap<&str, i64> = UNITS
        .iter()
        .filter_map(|u| unit(u.0).map(|id| (u.0, id)))
        .collect();
    demands::load(app, &units, &enterprise_ids, &ids).await?;
    let coordinator = users::service::get(app, &system, ids["coordinator"]).await?;
    let leader = users::service::get(app, &system, ids["leader"]).await?;
    plans::load(
        app,
        &units,
        &coordinator.actor(&app.config.privacy),
        &leader.actor(&app.config.privacy),
    )
    .await?;
    Ok(true)
}

async fn load_tags(app: &App, enterprises: &[(i64, i64)]) -> anyhow::Result<()> {
    let system = Actor::system();
    let names = [
        ["重点企业", "重点企業", "중점 기업", "Key enterprise"],
        [
            "高新技术企业",
            "ハイテク企業",
            "첨단기술기업",
            "High-tech enterprise",
        ],
        ["出口型企业", "輸出型企業", "수출형 기업", "Export-oriented"],
    ];
    for (n, [zh, ja, ko, en]) in names.into_iter().enumerate() {
        let tag = crate::enterprises::tags::create(
            app,
            &system,
            &[
                Some(zh.into()),
                Some(ja.into()),
                Some(ko.into()),
                Some(en.into()),
            ],
        )
        .await?;
        // Key enterprises are the largest; the others every third or fourth.
        let chosen: Vec<i64> = match n {
            0 => enterprises
                .iter()
                .filter(|(_, employees)| *employees >= 800)
                .map(|(id, _)| *id)
                .collect(),
            _ => enterprises
                .iter()
                .enumerate()
                .filter(|(i, _)| i % (n + 2) == 0)
                .map(|(_, (id, _))| *id)
                .collect(),
        };
        enterprises::service::bulk_tag(app, &system, &chosen, tag.id, true).await?;
    }
    Ok(())
}

/// Eight quarters of figures up to the last complete quarter, made up from
/// the enterprise's size with a steady trend and some seasonal noise.
async fn load_indicators(
    app: &App,
    enterprise_id: i64,
    employees: i64,
    seed: u64,
) -> anyhow::Result<()> {
    use chrono::Datelike;
    let today = app.now().0.date_naive();
    let (mut year, mut quarter) = (today.year(), (today.month0() / 3) as i32);
    if quarter == 0 {
        year -= 1;
        quarter = 4;
    }
    let mut periods = Vec::new();
    for _ in 0..8 {
        periods.push((year, quarter));
        quarter -= 1;
        if quarter == 0 {
            year -= 1;
            quarter = 4;
        }
    }
    periods.reverse();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut noise = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 200) as f64 / 1000.0 - 0.1
    };
    let per_head = 18.0 + (seed % 7) as f64 * 4.0; // 万元 of revenue per employee and quarter
    let mut drafts = Vec::new();
    for (i, (y, q)) in periods.iter().enumerate() {
        let period = format!("{y}-Q{q}");
        let trend = 1.0 + 0.015 * i as f64;
        let revenue = employees as f64 * per_head * trend * (1.0 + noise());
        let money = |metric: &str, value: f64| crate::indicators::IndicatorDraft {
            period: period.clone(),
            metric: metric.into(),
            value: format!("{value:.1}"),
            unit: Some("ten_thousand".into()),
            currency: Some("CNY".into()),
        };
        drafts.push(money("revenue", revenue));
        drafts.push(money("tax_paid", revenue * (0.04 + noise().abs() / 10.0)));
        drafts.push(money("exports", revenue * (0.35 + noise())));
        drafts.push(crate::indicators::IndicatorDraft {
            period: period.clone(),
            metric: "employees".into(),
            value: ((employees as f64) * (0.95 + 0.01 * i as f64))
                .round()
                .to_string(),
            unit: Some("persons".into()),
            currency: None,
        });
    }
    crate::indicators::service::record_many(app, &Actor::system(), enterprise_id, &drafts).await?;
    Ok(())
}

async fn load_engagements(
    app: &App,
    by_uscc: &std::collections::HashMap<String, i64>,
    users: &std::collections::HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let system = Actor::system();
    for g in rows::<DemoEngagement>("engagements.csv", ENGAGEMENTS_CSV)? {
        let enterprise_ids: Vec<i64> = g
            .usccs
            .split(';')
            .filter_map(|u| by_uscc.get(u.trim()).copied())
            .collect();
        let mut official_ids: Vec<i64> = users.get("coordinator").copied().into_iter().collect();
        if g.kind == "symposium" {
            official_ids.extend(users.get("leader").copied());
        } else {
            official_ids.extend(users.get("officer").copied());
        }
        let mut attendee_ids = Vec::new();
        for id in &enterprise_ids {
            let contacts = crate::contacts::service::list(app, &system, *id).await?;
            attendee_ids.extend(contacts.iter().find(|c| c.is_primary()).map(|c| c.id));
        }
        let draft = crate::engagements::EngagementDraft {
            kind: g.kind,
            held_on: g.held_on,
            place: some(&g.place),
            purpose: some(&g.purpose),
            guests: some(&g.guests),
            findings: some(&g.findings),
            official_ids,
            enterprise_ids,
            attendee_ids,
        };
        crate::engagements::service::create(app, &system, &draft).await?;
    }
    Ok(())
}

/// Whether the demo accounts are all there (so printing them is honest).
pub async fn logins_exist(app: &App) -> anyhow::Result<bool> {
    let system = Actor::system();
    for (_, username) in LOGINS {
        if users::service::find_by_username(app, &system, username)
            .await
            .is_err()
        {
            return Ok(false);
        }
    }
    Ok(true)
}

fn person(
    role: Role,
    username: &str,
    name: &str,
    department_id: Option<i64>,
    enterprise_id: Option<i64>,
) -> Profile {
    Profile {
        display_name: name.to_string(),
        email: Some(format!("{username}@demo.liaison.invalid")),
        role: role.as_str().to_string(),
        department_id,
        enterprise_id,
        locale: None,
    }
}
