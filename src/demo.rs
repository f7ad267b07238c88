//! Demo data: the city's departments, a few fictional Japanese- and
//! Korean-funded enterprises in Dalian, and one account per role. Loaded
//! through the services, so it is validated and logged like real input.
//! The enterprises and people are invented (SPEC section 9).

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

/// Fictional enterprises: (zh, ja, ko, en, country, industry division, district, employees).
type DemoEnterprise = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

const ENTERPRISES: &[DemoEnterprise] = &[
    (
        "大连海岳精密部件有限公司",
        "大連海岳精密部品有限公司",
        "다롄 해악정밀부품 유한회사",
        "Dalian Kaigaku Precision Parts Co., Ltd.",
        "JP",
        "34",
        "jinpu",
        860,
    ),
    (
        "大连韩星电子材料有限公司",
        "大連韓星電子材料有限公司",
        "다롄 한성전자재료 유한회사",
        "Dalian Hanseong Electronic Materials Co., Ltd.",
        "KR",
        "39",
        "jinpu",
        420,
    ),
    (
        "大连青松食品有限公司",
        "大連青松食品有限公司",
        "다롄 청송식품 유한회사",
        "Dalian Aomatsu Foods Co., Ltd.",
        "JP",
        "14",
        "ganjingzi",
        310,
    ),
    (
        "大连东丘物流有限公司",
        "大連東丘物流有限公司",
        "다롄 동구물류 유한회사",
        "Dalian Donggu Logistics Co., Ltd.",
        "KR",
        "59",
        "hitech",
        95,
    ),
];

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
    for (n, (zh, ja, ko, en, country, industry, district, employees)) in
        ENTERPRISES.iter().enumerate()
    {
        // Fictional codes in Dalian's range, with a valid check character.
        let uscc =
            crate::enterprises::uscc::with_check_character(&format!("91210200MA0D3M0{n:02}"))
                .unwrap_or_default();
        let draft = EnterpriseDraft {
            uscc,
            name_zh: Some(zh.to_string()),
            name_ja: Some(ja.to_string()),
            name_ko: Some(ko.to_string()),
            name_en: Some(en.to_string()),
            country: country.to_string(),
            industry_code: Some(industry.to_string()),
            district: Some(district.to_string()),
            employees: Some(employees.to_string()),
            ..Default::default()
        };
        enterprise_ids.push(enterprises::service::create(app, &system, &draft).await?.id);
    }

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
    for ((_, username), profile) in LOGINS[1..].iter().zip(others) {
        users::service::create(app, &system, username, PASSWORD, &profile).await?;
    }
    Ok(true)
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
