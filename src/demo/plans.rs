//! The demo road map: a "deep cultivation of Japan and South Korea" plan
//! for 2025–2027 with eight goals and their KPIs, a task book of about
//! forty tasks across the demo departments, and progress reports replayed
//! on past clocks — most on track, some behind, some late.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::app::App;
use crate::auth::Actor;
use crate::clock::ManualClock;
use crate::plans::model::{GoalDraft, KpiDraft, KpiValueDraft, PlanDraft, ReportDraft, TaskDraft};
use crate::plans::{service, tasks};

/// (goal, KPI: name, unit, baseline, target, source, typed values)
type GoalRow = (
    &'static str,
    (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    ),
);

const GOALS: [GoalRow; 8] = [
    (
        "完善日韩企业服务体系",
        (
            "服务专员覆盖重点企业比例",
            "%",
            "40",
            "100",
            "manual",
            &["55", "72", "86"],
        ),
    ),
    (
        "提升诉求办理质效",
        ("诉求满意率", "%", "85", "95", "demand_satisfaction", &[]),
    ),
    (
        "扩大日韩招商引资",
        (
            "日韩新签约项目数",
            "个",
            "12",
            "40",
            "manual",
            &["18", "26", "31"],
        ),
    ),
    (
        "深化经贸合作与产业对接",
        (
            "走访座谈重点企业数",
            "家",
            "0",
            "18",
            "enterprises_visited",
            &[],
        ),
    ),
    (
        "优化通关与税收服务",
        (
            "进口整体通关时间",
            "小时",
            "36",
            "24",
            "manual",
            &["33", "30", "28"],
        ),
    ),
    (
        "加强人才与用工保障",
        (
            "外籍人才工作许可办理时限",
            "工作日",
            "10",
            "5",
            "manual",
            &["9", "8", "7"],
        ),
    ),
    (
        "保障用地与能源要素供给",
        (
            "新增供应工业用地",
            "公顷",
            "0",
            "120",
            "manual",
            &["25", "48", "61"],
        ),
    ),
    (
        "营造国际化生活环境",
        (
            "外籍人员服务站点数",
            "个",
            "3",
            "12",
            "manual",
            &["5", "7", "8"],
        ),
    ),
];

/// (goal index, title, lead, co-units, start, due, weight, sub-tasks)
type TaskRow = (
    usize,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    f64,
    &'static [&'static str],
);

const TASKS: &[TaskRow] = &[
    (
        0,
        "建立日韩企业服务专员制度",
        "fdi-service",
        &["jinpu-committee"],
        "2025-01-15",
        "2025-06-30",
        2.0,
        &["重点日资企业专员全覆盖", "重点韩资企业专员全覆盖"],
    ),
    (
        0,
        "编制日、韩文版营商政策汇编",
        "fdi-service",
        &["foreign-affairs"],
        "2025-02-01",
        "2025-09-30",
        1.0,
        &[],
    ),
    (
        0,
        "开通日韩企业诉求多语种受理渠道",
        "fdi-service",
        &["exchange"],
        "2025-03-01",
        "2025-12-31",
        1.0,
        &[],
    ),
    (
        0,
        "每季度召开日韩企业座谈会",
        "commerce",
        &["fdi-service", "ccpit"],
        "2025-01-01",
        "2027-12-31",
        1.0,
        &[],
    ),
    (
        0,
        "建立重点企业“一企一档”",
        "fdi-service",
        &["market"],
        "2025-04-01",
        "2026-06-30",
        1.0,
        &[],
    ),
    (
        1,
        "诉求限时办结机制落地",
        "fdi-service",
        &["tax", "customs", "hr"],
        "2025-01-15",
        "2025-06-30",
        2.0,
        &[],
    ),
    (
        1,
        "建立共性问题“一次解决”机制",
        "fdi-service",
        &["commerce"],
        "2025-06-01",
        "2026-03-31",
        2.0,
        &[],
    ),
    (
        1,
        "开展诉求办理满意度回访",
        "fdi-service",
        &[],
        "2025-03-01",
        "2027-12-31",
        1.0,
        &[],
    ),
    (
        1,
        "逾期诉求督办通报",
        "commerce",
        &["fdi-service"],
        "2025-03-01",
        "2027-12-31",
        1.0,
        &[],
    ),
    (
        1,
        "诉求办理情况纳入部门考核",
        "commerce",
        &[],
        "2025-09-01",
        "2026-09-30",
        1.0,
        &[],
    ),
    (
        2,
        "赴日本、韩国开展招商推介",
        "fdi-promotion",
        &["ccpit"],
        "2025-03-01",
        "2026-12-31",
        2.0,
        &["东京、大阪推介会", "首尔、釜山推介会"],
    ),
    (
        2,
        "建立日韩重点招商项目库",
        "fdi-promotion",
        &["jinpu-committee"],
        "2025-02-01",
        "2025-08-31",
        1.0,
        &[],
    ),
    (
        2,
        "以商招商：在连日韩企业增资扩产",
        "fdi-promotion",
        &["fdi-service"],
        "2025-04-01",
        "2027-06-30",
        2.0,
        &[],
    ),
    (
        2,
        "设立驻日、驻韩招商联络点",
        "fdi-promotion",
        &["foreign-affairs"],
        "2025-06-01",
        "2026-06-30",
        1.0,
        &[],
    ),
    (
        2,
        "落实外资项目奖励政策",
        "commerce",
        &["tax"],
        "2025-07-01",
        "2026-12-31",
        1.0,
        &[],
    ),
    (
        3,
        "举办中日韩产业对接会",
        "ccpit",
        &["commerce", "jinpu-committee"],
        "2025-05-01",
        "2025-11-30",
        2.0,
        &[],
    ),
    (
        3,
        "组织日韩企业与本地配套企业供需对接",
        "ccpit",
        &["fdi-service"],
        "2025-04-01",
        "2026-10-31",
        1.0,
        &[],
    ),
    (
        3,
        "参加中国国际进口博览会日韩专场",
        "ccpit",
        &["commerce"],
        "2025-08-01",
        "2025-11-15",
        1.0,
        &[],
    ),
    (
        3,
        "建设日韩产业合作园区",
        "jinpu-committee",
        &["land", "commerce"],
        "2025-06-01",
        "2027-12-31",
        2.0,
        &[],
    ),
    (
        3,
        "开展跨境电商合作试点",
        "commerce",
        &["customs"],
        "2026-01-01",
        "2026-12-31",
        1.0,
        &[],
    ),
    (
        4,
        "推广“提前申报”“两步申报”",
        "customs",
        &[],
        "2025-01-15",
        "2025-09-30",
        1.0,
        &[],
    ),
    (
        4,
        "出口退税办理提速",
        "tax",
        &[],
        "2025-02-01",
        "2026-03-31",
        2.0,
        &[],
    ),
    (
        4,
        "RCEP原产地证书智能审核",
        "customs",
        &["ccpit"],
        "2025-05-01",
        "2026-06-30",
        1.0,
        &[],
    ),
    (
        4,
        "增值税留抵退税政策精准推送",
        "tax",
        &["fdi-service"],
        "2025-03-01",
        "2025-12-31",
        1.0,
        &[],
    ),
    (
        4,
        "进口零部件查验时限压缩",
        "customs",
        &["commerce"],
        "2025-07-01",
        "2026-09-30",
        2.0,
        &[],
    ),
    (
        5,
        "外籍人才工作许可“一窗通办”",
        "hr",
        &["foreign-affairs"],
        "2025-02-01",
        "2025-10-31",
        2.0,
        &[],
    ),
    (
        5,
        "举办日韩企业专场招聘会",
        "hr",
        &["fdi-service"],
        "2025-03-01",
        "2027-12-31",
        1.0,
        &[],
    ),
    (
        5,
        "校企合作定向培养技能人才",
        "hr",
        &["commerce"],
        "2025-09-01",
        "2026-08-31",
        1.0,
        &[],
    ),
    (
        5,
        "中日、中韩社会保障协定落地指引",
        "hr",
        &["tax"],
        "2025-04-01",
        "2025-12-31",
        1.0,
        &[],
    ),
    (
        5,
        "外籍人才子女入学保障",
        "foreign-affairs",
        &["hr"],
        "2025-06-01",
        "2026-08-31",
        1.0,
        &[],
    ),
    (
        6,
        "日韩产业园区标准地出让",
        "land",
        &["jinpu-committee"],
        "2025-03-01",
        "2026-12-31",
        2.0,
        &[],
    ),
    (
        6,
        "增资扩产项目用地保障",
        "land",
        &["fdi-promotion"],
        "2025-06-01",
        "2026-06-30",
        1.0,
        &[],
    ),
    (
        6,
        "夏季有序用电企业清单动态调整",
        "commerce",
        &["jinpu-committee"],
        "2025-04-01",
        "2025-08-31",
        1.0,
        &[],
    ),
    (
        6,
        "工业蒸汽、天然气稳定供应协调",
        "commerce",
        &["jinpu-committee"],
        "2025-10-01",
        "2026-03-31",
        1.0,
        &[],
    ),
    (
        6,
        "分布式光伏并网服务",
        "land",
        &["commerce"],
        "2026-01-01",
        "2027-06-30",
        1.0,
        &[],
    ),
    (
        7,
        "建设外籍人员“一站式”服务中心",
        "foreign-affairs",
        &["exchange"],
        "2025-03-01",
        "2026-06-30",
        2.0,
        &[],
    ),
    (
        7,
        "医院开设日、韩语就医服务",
        "foreign-affairs",
        &["culture"],
        "2025-05-01",
        "2026-03-31",
        1.0,
        &[],
    ),
    (
        7,
        "举办日韩文化交流周",
        "culture",
        &["exchange"],
        "2025-06-01",
        "2025-10-31",
        1.0,
        &[],
    ),
    (
        7,
        "公共场所多语种标识改造",
        "culture",
        &["foreign-affairs"],
        "2025-09-01",
        "2026-12-31",
        1.0,
        &[],
    ),
    (
        7,
        "国际学校学位扩容",
        "foreign-affairs",
        &["land"],
        "2026-01-01",
        "2027-08-31",
        1.0,
        &[],
    ),
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("demo dates are valid")
}

/// The app as it was at 10:00 city time on `on`.
fn at(app: &App, on: NaiveDate) -> App {
    let utc = Utc.from_utc_datetime(&on.and_hms_opt(2, 0, 0).expect("valid time"));
    App {
        clock: Arc::new(ManualClock::new(utc)),
        ..app.clone()
    }
}

/// A lead unit's reporting officer, or the coordinator where it has none.
async fn reporter(app: &App, department: i64, fallback: &Actor) -> anyhow::Result<Actor> {
    let id: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM users WHERE role = 'officer' AND department_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(department)
    .fetch_optional(app.db.pool())
    .await?;
    Ok(match id {
        Some((id,)) => crate::users::service::get(app, &Actor::system(), id)
            .await?
            .actor(&app.config.privacy),
        None => fallback.clone(),
    })
}

/// How a task has gone, by its place in the book: most on track, some
/// finished, some behind, some stalled.
fn pace(index: usize) -> f64 {
    [1.0, 1.0, 0.9, 0.55, 0.35][index % 5]
}

pub async fn load(
    app: &App,
    units: &HashMap<&str, i64>,
    coordinator: &Actor,
    leader: &Actor,
) -> anyhow::Result<()> {
    let today = app.now().local_date();
    let unit = |key: &str| {
        units
            .get(key)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no demo unit {key}"))
    };
    let start = at(app, day("2025-01-06"));
    let plan = service::create(
        &start,
        coordinator,
        &PlanDraft {
            title: "深耕日韩三年行动计划（2025—2027年）".into(),
            summary: Some("围绕服务、招商、对接、要素和环境五个方面，深耕日本、韩国企业，稳存量、扩增量、提质量。".into()),
            horizon: "medium".into(),
            starts_on: "2025-01-01".into(),
            ends_on: "2027-12-31".into(),
            key_areas: vec!["汽车及零部件\n精密机械与装备\n电子信息\n精细化工".into()],
            key_industries: vec!["36, 34, 39, 26".into()],
        },
    )
    .await?;
    // The visits KPI counts the key enterprises (a demo tag).
    let (key_tag,): (i64,) = sqlx::query_as("SELECT id FROM tags WHERE name_zh = '重点企业'")
        .fetch_one(app.db.pool())
        .await?;
    let mut goals = Vec::new();
    for (title, (name, unit_name, baseline, target, source, values)) in GOALS {
        let goal = service::add_goal(
            &start,
            coordinator,
            plan.id,
            &GoalDraft {
                title: title.into(),
                description: None,
            },
        )
        .await?;
        let higher = target.parse::<f64>()? > baseline.parse::<f64>()?;
        let kpi = service::add_kpi(
            &start,
            coordinator,
            goal.id,
            &KpiDraft {
                name: name.into(),
                unit: unit_name.into(),
                direction: if higher { "higher" } else { "lower" }.into(),
                source: source.into(),
                tag_id: match source {
                    "enterprises_visited" => Some(key_tag),
                    _ => None,
                },
                baseline: baseline.into(),
                baseline_on: "2025-01-01".into(),
                target: target.into(),
                target_on: "2027-12-31".into(),
            },
        )
        .await?;
        // Half-yearly figures from the statistics bulletins, as far as today.
        for (n, value) in values.iter().enumerate() {
            let on = day("2025-06-30") + Duration::days(183 * n as i64);
            if on < today {
                service::add_kpi_value(
                    &at(app, on + Duration::days(10)),
                    coordinator,
                    kpi.id,
                    &KpiValueDraft {
                        value: value.to_string(),
                        observed_on: crate::demands::model::date_text(on),
                        source: Some("市统计局半年度快报".into()),
                    },
                )
                .await?;
            }
        }
        goals.push(goal.id);
    }
    // The book, sub-tasks under their task.
    let mut leaves = Vec::new();
    for (goal, title, lead, co, starts, due, weight, subs) in TASKS {
        let draft = |title: &str, parent: Option<i64>, weight: f64| -> anyhow::Result<TaskDraft> {
            Ok(TaskDraft {
                goal_id: Some(goals[*goal]),
                parent_id: parent,
                title: title.into(),
                objective: None,
                measures: Some(format!("{title}：明确责任分工、时间节点，按季度报送进展。")),
                lead_department_id: Some(unit(lead)?),
                co_department_ids: co.iter().map(|c| unit(c)).collect::<anyhow::Result<_>>()?,
                starts_on: starts.to_string(),
                due_on: due.to_string(),
                weight: Some(weight),
                milestones: Vec::new(),
            })
        };
        let task =
            tasks::create(&start, coordinator, plan.id, &draft(title, None, *weight)?).await?;
        let parent = task.id;
        if subs.is_empty() {
            leaves.push(task);
        }
        for sub in subs.iter() {
            leaves.push(
                tasks::create(
                    &start,
                    coordinator,
                    plan.id,
                    &draft(sub, Some(parent), 1.0)?,
                )
                .await?,
            );
        }
    }
    let approved = at(app, day("2025-01-10"));
    service::step(&approved, leader, plan.id, service::Step::Approve).await?;
    service::step(&approved, coordinator, plan.id, service::Step::PutInForce).await?;
    // Quarterly reports of each leaf, as far as today.
    for (index, task) in leaves.iter().enumerate() {
        let officer = reporter(app, task.lead_department_id, coordinator).await?;
        let (starts, due) = (day(&task.starts_on), day(&task.due_on));
        let span = (due - starts).num_days().max(1) as f64;
        let mut on = starts + Duration::days(90);
        while on < today && on <= due + Duration::days(30) {
            let share = ((on - starts).num_days() as f64 / span).min(1.0);
            let percent = (share * 100.0 * pace(index)).round().min(100.0) as i64;
            let body = if percent >= 100 {
                "已全部完成，形成长效机制。"
            } else {
                "按计划推进，本季度完成阶段性工作。"
            };
            tasks::report(
                &at(app, on),
                &officer,
                task.id,
                &ReportDraft {
                    kind: "progress".into(),
                    percent: Some(percent),
                    body: body.into(),
                },
            )
            .await?;
            if percent >= 100 {
                break;
            }
            on += Duration::days(91);
        }
    }
    // The fed KPIs' month-end values, as supervision would have recorded them.
    let mut month_end = day("2025-01-31");
    while month_end < today {
        let mut tx = app.db.begin().await?;
        crate::plans::kpi::snapshot(&mut tx, plan.id, at(app, month_end).now()).await?;
        tx.commit().await?;
        month_end = (month_end + Duration::days(1) + chrono::Months::new(1)) - Duration::days(1);
    }
    // Bring every status up to today and send what supervision would have.
    crate::plans::supervision::supervise(app).await?;
    Ok(())
}
