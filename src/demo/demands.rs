//! Demo demands: categories with their lead departments, the national
//! calendar, and demands in four languages replayed through the workflow
//! on a clock set in the past, so that deadlines, overdue items and ratings
//! are real. Every enterprise and problem is fictional.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, Utc};

use crate::app::App;
use crate::auth::Actor;
use crate::clock::ManualClock;
use crate::demands::categories::{self, CategoryDraft};
use crate::demands::model::DemandDraft;
use crate::demands::workflow::{self, ReplyDraft};
use crate::sheets::Format;

/// (key, lead department key, SLA kind, zh, ja, ko, en)
pub(super) const CATEGORIES: [(&str, &str, &str, &str, &str, &str, &str); 7] = [
    (
        "tax",
        "tax",
        "enquiry",
        "税费与退税",
        "税務・還付",
        "세무·환급",
        "Tax and refunds",
    ),
    (
        "customs",
        "customs",
        "coordination",
        "通关与物流",
        "通関・物流",
        "통관·물류",
        "Customs and logistics",
    ),
    (
        "labour",
        "hr",
        "enquiry",
        "用工、人才与社保",
        "労務・人材・社会保険",
        "노무·인재·사회보험",
        "Labour, talent and social insurance",
    ),
    (
        "visa",
        "foreign-affairs",
        "enquiry",
        "签证与居留",
        "ビザ・在留",
        "비자·체류",
        "Visas and residence",
    ),
    (
        "energy",
        "fdi-service",
        "coordination",
        "能源与公用事业",
        "エネルギー・公共事業",
        "에너지·공공설비",
        "Energy and utilities",
    ),
    (
        "land",
        "fdi-service",
        "coordination",
        "用地与建设审批",
        "用地・建設許可",
        "용지·건설 허가",
        "Land and construction approval",
    ),
    (
        "service",
        "fdi-service",
        "complaint",
        "政务服务投诉",
        "行政サービスへの苦情",
        "행정 서비스 민원",
        "Complaints about public services",
    ),
];

/// What happens to a demo demand after it is written.
#[derive(Clone, Copy)]
enum Path {
    Submitted,
    Accepted,
    Assigned,
    InProgress,
    AwaitingEnterprise,
    Replied,
    Rated(&'static str),
    Rejected,
}

/// (enterprise index, language, title, body, category, urgent, days ago, path)
type DemoDemand = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    i64,
    Path,
);

const DEMANDS: [DemoDemand; 14] = [
    (
        0,
        "ja",
        "冬季の受電容量の不足",
        "第二工場の増設ラインの稼働に伴い、冬季の受電容量が約800kVA不足する見込みです。仮設変圧器の設置または増強工事の前倒しについてご相談したいです。",
        "energy",
        false,
        40,
        Path::Rated("satisfied"),
    ),
    (
        1,
        "ko",
        "외국인 기술자 취업허가 처리 기간",
        "본사에서 파견하는 기술자 3명의 취업허가 처리에 시간이 오래 걸리고 있습니다. 필요한 서류와 예상 기간을 알려 주십시오.",
        "visa",
        false,
        30,
        Path::Rated("basically_satisfied"),
    ),
    (
        2,
        "zh-CN",
        "出口退税到账时间较长",
        "我司三季度出口退税申报已逾一个月仍未到账，影响资金周转，希望了解办理进度及加快办理的途径。",
        "tax",
        false,
        25,
        Path::Replied,
    ),
    (
        3,
        "ja",
        "輸入部品の通関に時間がかかる",
        "日本から輸入する金型部品の通関に平均5日かかっており、生産計画に影響しています。事前審査の活用について相談したいです。",
        "customs",
        true,
        12,
        Path::Assigned,
    ),
    (
        4,
        "en",
        "Social insurance for seconded staff",
        "We would like to confirm how social insurance applies to staff seconded from Japan for less than two years, and which certificates are needed.",
        "labour",
        false,
        9,
        Path::InProgress,
    ),
    (
        5,
        "ko",
        "공장 증축 용지 확보",
        "2기 공장 증축을 위해 인접 부지 약 2만㎡의 확보가 필요합니다. 토지 공급 일정과 절차를 협의하고 싶습니다.",
        "land",
        false,
        20,
        Path::AwaitingEnterprise,
    ),
    (
        6,
        "zh-CN",
        "办事窗口多次要求重复提交材料",
        "我司在办理变更登记时，窗口先后三次要求补交同一份材料，希望改进一次性告知。",
        "service",
        false,
        18,
        Path::Rated("unsatisfied"),
    ),
    (
        7,
        "ja",
        "日本人学校の受け入れ枠",
        "駐在員の帯同家族が増え、日本人学校の受け入れ枠が不足しています。情報提供をお願いします。",
        "visa",
        false,
        6,
        Path::Accepted,
    ),
    (
        8,
        "ko",
        "수출 환급 서류 간소화",
        "수출 환급 신청 서류가 많아 처리에 시간이 걸립니다. 전자 제출이 가능한지 알고 싶습니다.",
        "tax",
        false,
        3,
        Path::Submitted,
    ),
    (
        9,
        "en",
        "Power outage notice period",
        "Planned outages are announced two days ahead, which is not enough to adjust our furnace schedule. Could the notice period be extended?",
        "energy",
        false,
        15,
        Path::Replied,
    ),
    (
        10,
        "zh-CN",
        "员工通勤公交线路",
        "园区内员工通勤不便，希望增开早晚高峰公交线路。",
        "service",
        false,
        2,
        Path::Submitted,
    ),
    (
        11,
        "ja",
        "工場の騒音規制についての問い合わせ",
        "夜間の騒音基準と測定方法について確認したいです。",
        "land",
        false,
        35,
        Path::Rejected,
    ),
    (
        12,
        "ko",
        "외국인 직원 거류증 갱신",
        "외국인 직원 거류증 갱신 시 필요한 건강검진 기관을 알려 주십시오.",
        "visa",
        false,
        8,
        Path::InProgress,
    ),
    (
        13,
        "zh-CN",
        "冷链物流查验时间",
        "进口冷链食品查验时间较长，希望协调提高查验效率。",
        "customs",
        false,
        28,
        Path::Assigned,
    ),
];

async fn load_actor(app: &App, users: &HashMap<&str, i64>, name: &str) -> anyhow::Result<Actor> {
    let id = *users
        .get(name)
        .ok_or_else(|| anyhow::anyhow!("no demo user {name}"))?;
    let u = crate::users::service::get(app, &Actor::system(), id).await?;
    Ok(u.actor(&app.config.privacy))
}

/// Loads categories, the calendar and the demands.
pub async fn load(
    app: &App,
    units: &HashMap<&str, i64>,
    enterprises: &[i64],
    users: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let system = Actor::system();
    for (year, file) in [
        (2025, include_str!("../../data/calendar/cn-2025.csv")),
        (2026, include_str!("../../data/calendar/cn-2026.csv")),
    ] {
        let report =
            crate::calendar::service::import(app, &system, file.as_bytes(), Format::Csv, false)
                .await?;
        anyhow::ensure!(report.imported, "the {year} calendar did not import");
    }
    let mut category_ids = HashMap::new();
    for (key, lead, sla, zh, ja, ko, en) in CATEGORIES {
        let draft = CategoryDraft {
            parent_id: None,
            name_zh: zh.into(),
            name_ja: Some(ja.into()),
            name_ko: Some(ko.into()),
            name_en: Some(en.into()),
            lead_department_id: units.get(lead).copied(),
            sla_kind: sla.into(),
        };
        let created = categories::create(app, &system, &draft).await?;
        category_ids.insert(key, created.id);
    }

    let coordinator = load_actor(app, users, "coordinator").await?;
    let officer = load_actor(app, users, "officer").await?;
    // Each lead department has an officer who signs for and replies.
    let mut officers: HashMap<&'static str, Actor> = HashMap::new();
    let leads = CATEGORIES.iter().map(|c| c.1);
    for lead in leads.chain(super::history::EXTRA_OFFICERS) {
        if officers.contains_key(lead) {
            continue;
        }
        if units.get(lead) == officer.department_id.as_ref() {
            officers.insert(lead, officer.clone());
            continue;
        }
        let username = format!("officer-{lead}");
        let profile = super::person(
            crate::auth::Role::Officer,
            &username,
            &format!("{lead} 经办人"),
            units.get(lead).copied(),
            None,
        );
        let u = crate::users::service::create(app, &system, &username, super::PASSWORD, &profile)
            .await?;
        officers.insert(lead, u.actor(&app.config.privacy));
    }
    let leader = load_actor(app, users, "leader").await?;
    let enterprise_user = load_actor(app, users, "enterprise").await?;
    // Enterprises that rate their answers need their own accounts.
    let mut raters: HashMap<i64, Actor> = HashMap::new();
    if let Some(id) = enterprise_user.enterprise_id {
        raters.insert(id, enterprise_user.clone());
    }
    super::history::create_accounts(app, enterprises, &mut raters).await?;
    // Every enterprise that rates a hand-written demand has an account.
    for (index, _, _, _, _, _, _, path) in DEMANDS {
        if let (Path::Rated(_), Some(id)) = (path, enterprises.get(index)) {
            anyhow::ensure!(
                raters.contains_key(id),
                "demo enterprise {index} has no account to rate with"
            );
        }
    }

    // Two years of generated demands first, then the hand-written ones.
    let cast = super::history::Cast {
        coordinator: &coordinator,
        leader: &leader,
        officers: &officers,
        accounts: &raters,
    };
    super::history::load(app, units, &category_ids, enterprises, &cast).await?;

    for (index, lang, title, body, category, urgent, days_ago, path) in DEMANDS {
        let Some(&enterprise_id) = enterprises.get(index) else {
            continue;
        };
        // Replay the demand's history on a clock that starts in the past.
        let clock = ManualClock::new(Utc::now() - Duration::days(days_ago));
        let past = App {
            clock: Arc::new(clock.clone()),
            ..app.clone()
        };
        let by_enterprise = enterprise_user.enterprise_id == Some(enterprise_id);
        let writer = if by_enterprise {
            &enterprise_user
        } else {
            &coordinator
        };
        let draft = DemandDraft {
            enterprise_id: Some(enterprise_id),
            title: title.into(),
            body: body.into(),
            lang: Some(lang.into()),
            priority: Some(if urgent { "urgent" } else { "normal" }.into()),
            source: Some(if by_enterprise { "portal" } else { "phone" }.into()),
            ..Default::default()
        };
        let d = crate::demands::service::submit(&past, writer, &draft).await?;
        if matches!(path, Path::Submitted) {
            continue;
        }
        clock.advance(Duration::hours(3));
        if matches!(path, Path::Rejected) {
            workflow::reject(
                &past,
                &coordinator,
                d.id,
                "属于企业内部经营事项，建议咨询行业协会。",
            )
            .await?;
            continue;
        }
        workflow::accept(
            &past,
            &coordinator,
            d.id,
            category_ids.get(category).copied(),
        )
        .await?;
        if matches!(path, Path::Accepted) {
            continue;
        }
        clock.advance(Duration::hours(2));
        workflow::assign(&past, &coordinator, d.id, None, &[]).await?;
        if matches!(path, Path::Assigned) {
            continue;
        }
        let lead = CATEGORIES
            .iter()
            .find(|c| c.0 == category)
            .map(|c| c.1)
            .unwrap_or_default();
        let officer = officers
            .get(lead)
            .ok_or_else(|| anyhow::anyhow!("no officer for {lead}"))?;
        clock.advance(Duration::hours(20));
        workflow::sign_for(&past, officer, d.id).await?;
        if index == 0 {
            workflow::instruct(
                &past,
                &leader,
                d.id,
                "请市发改委、供电公司协同，确保企业冬季生产用电。",
            )
            .await?;
        }
        if matches!(path, Path::InProgress) {
            continue;
        }
        clock.advance(Duration::days(1));
        if matches!(path, Path::AwaitingEnterprise) {
            workflow::ask(
                &past,
                officer,
                d.id,
                "请提供拟用地的位置示意图及用地规模测算。",
            )
            .await?;
            continue;
        }
        let reply = ReplyDraft {
            outcome: "resolved".into(),
            text: reply_text(lang).into(),
            lang: Some(lang.into()),
            policy_basis: None,
        };
        workflow::reply(&past, officer, d.id, &reply).await?;
        if let Path::Rated(rating) = path {
            clock.advance(Duration::days(2));
            let rater = raters
                .get(&enterprise_id)
                .ok_or_else(|| anyhow::anyhow!("no account for enterprise {enterprise_id}"))?;
            let reason = (rating == "unsatisfied").then_some("仍需多次往返窗口，问题未根本解决。");
            workflow::rate(&past, rater, d.id, rating, reason).await?;
        }
    }
    // Replies whose feedback window has passed unrated are closed, as the
    // supervision job would.
    workflow::close_unrated(app).await?;
    Ok(())
}

fn reply_text(lang: &str) -> &'static str {
    match lang {
        "ja" => "関係部門と調整の上、対応方針を決定しました。担当者から追ってご連絡します。",
        "ko" => "관계 부서와 협의하여 처리 방침을 정했습니다. 담당자가 곧 연락드리겠습니다.",
        "en" => {
            "We have agreed on a course of action with the departments concerned; the officer in charge will contact you shortly."
        }
        _ => "经与相关部门协调，已明确办理意见，经办人将与贵司进一步联系。",
    }
}
