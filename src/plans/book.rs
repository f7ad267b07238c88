//! The task book as a table: imported from the city's XLSX or CSV tables
//! (headers in any of the four languages, unit names matched to
//! departments, dry run first, all or nothing) and exported to XLSX or CSV
//! in the reader's language. An exported book imports again.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::model::{Plan, TaskDraft};
use super::service::open_plan;
use super::store;
use super::tasks::{self, insert, parse_task, roll};
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events;
use crate::error::{Code, Error, FieldError, Result};
use crate::i18n::Locale;
use crate::org::Department;
use crate::sheets::Format;
use crate::sheets::mapping::Column;
use crate::sheets::report::{ImportFile, ImportReport};

/// The columns of a task book. Keys are the task draft's fields, so a
/// problem with a field names its column.
const COLUMNS: &[Column] = &[
    Column::new("no", "plans-book-no").or(&["序号", "编号", "番号", "번호", "no", "no."]),
    Column::new("goal", "plans-goal").or(&["所属目标", "目标任务", "goal"]),
    Column::new("title", "plans-task").or(&[
        "任务",
        "重点任务",
        "工作任务",
        "任务名称",
        "タスク",
        "課題",
        "과제",
        "과제명",
        "task",
    ]),
    Column::new("objective", "plans-field-objective").or(&["工作目标", "任务目标", "目的", "목적"]),
    Column::new("measures", "plans-field-measures").or(&[
        "工作措施",
        "具体措施",
        "措施",
        "主要措施",
        "施策",
        "取組",
        "추진 조치",
        "추진조치",
        "조치",
        "measure",
    ]),
    Column::new("lead_department_id", "plans-field-lead").or(&[
        "牵头单位",
        "责任单位",
        "牵头部门",
        "主管部門",
        "担当部門",
        "주관 부서",
        "주관부서",
        "담당 부서",
        "lead unit",
        "lead department",
    ]),
    Column::new("co_department_ids", "plans-field-co-units").or(&[
        "配合单位",
        "协办单位",
        "配合部门",
        "協力部門",
        "협조 부서",
        "협조부서",
        "co-units",
        "co-unit",
        "supporting units",
    ]),
    Column::new("starts_on", "plans-field-starts").or(&[
        "开始时间",
        "开始日期",
        "開始日",
        "시작일",
        "start",
    ]),
    Column::new("due_on", "plans-field-due").or(&[
        "完成时限",
        "完成时间",
        "截止日期",
        "时限",
        "期限",
        "完了期限",
        "기한",
        "완료 기한",
        "완료기한",
        "deadline",
        "due",
    ]),
    Column::new("weight", "plans-field-weight").or(&["权重", "ウェイト", "가중치", "weight"]),
];

/// A deadline as the city writes it: 2026-06-30, 2026/6/30, 2026.6.30,
/// 2026年6月30日, 2026年6月底 (the month's last day), 2026年底 (the year's),
/// and the same in Japanese and Korean (2026年6月末, 2026년 6월 말).
pub fn parse_deadline(raw: &str) -> Option<NaiveDate> {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let end_of = ["底", "末", "말"].iter().any(|m| s.ends_with(m));
    let last_day = |y: i32, m: u32| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
    };
    match numbers.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        [y, m] if (1..=12).contains(m) && (end_of || s.contains('月') || s.contains('월')) => {
            last_day(*y as i32, *m)
        }
        [y] if end_of && *y > 1900 => NaiveDate::from_ymd_opt(*y as i32, 12, 31),
        _ => None,
    }
    .filter(|d| d.year() > 1900)
}

/// Departments by every name they go by (in any language).
fn by_name(departments: &[Department]) -> HashMap<String, i64> {
    let mut names = HashMap::new();
    for d in departments.iter().filter(|d| d.is_active()) {
        for name in [
            Some(&d.name_zh),
            d.name_ja.as_ref(),
            d.name_ko.as_ref(),
            d.name_en.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            names.insert(normal(name), d.id);
        }
    }
    names
}

fn normal(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checks a task book for a plan and, unless `dry_run` or anything is
/// wrong, adds every row in one transaction. Rows go under the goal named
/// in their goal column (created when new) or under `goal_id`; a number
/// such as 1.2 puts a row under the row numbered 1.
pub async fn import(
    app: &App,
    actor: &Actor,
    plan_id: i64,
    goal_id: Option<i64>,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportReport> {
    authorize(actor, Action::ManagePlans)?;
    let ImportFile {
        table,
        mut report,
        records,
    } = ImportFile::open(
        &app.i18n,
        actor.locale(),
        bytes,
        format,
        COLUMNS,
        &[
            (&["title"], "plans-task"),
            (&["lead_department_id"], "plans-field-lead"),
            (&["due_on"], "plans-field-due"),
        ],
        dry_run,
    )?;
    let now = app.now();
    let departments = crate::org::service::list(app, actor, true).await?;
    let names = by_name(&departments);
    let mut tx = app.db.begin().await?;
    let plan: Plan = open_plan(&mut tx, plan_id).await?;
    let goals = store::goals(&mut tx, plan_id).await?;
    if let Some(g) = goal_id
        && !goals.iter().any(|goal| goal.id == g)
    {
        return Err(Error::field("goal_id", Code::InvalidChoice));
    }
    if goal_id.is_none() && !table.has("goal") {
        return Err(Error::field("goal_id", Code::Required));
    }
    let unit = |field: &'static str, name: &str| {
        names
            .get(&normal(name))
            .copied()
            .ok_or_else(|| FieldError::new(field, Code::DepartmentNotFound).with("value", name))
    };
    // Check every row first; keep what each needs to be written.
    let mut checked = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for record in &records {
        let mut problems = Vec::new();
        let lead = record.get("lead_department_id").and_then(|name| {
            unit("lead_department_id", &name)
                .map_err(|e| problems.push(e))
                .ok()
        });
        let co: Vec<i64> = record
            .get("co_department_ids")
            .unwrap_or_default()
            .split(['、', ',', '，', ';', '；', '/', '\n'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .filter_map(|n| {
                unit("co_department_ids", n)
                    .map_err(|e| problems.push(e))
                    .ok()
            })
            .collect();
        let date = |key: &str, default: &str| match record.get(key) {
            None => default.to_string(),
            Some(raw) => parse_deadline(&raw)
                .map(crate::demands::model::date_text)
                .unwrap_or(raw),
        };
        // Unreadable weights become -1, which the task's check refuses.
        let weight = record
            .get("weight")
            .map(|w| w.trim_end_matches('%').parse::<f64>().unwrap_or(-1.0));
        let draft = TaskDraft {
            goal_id,
            parent_id: None,
            title: record.get("title").unwrap_or_default(),
            objective: record.get("objective"),
            measures: record.get("measures"),
            lead_department_id: lead
                .or(Some(0))
                .filter(|_| record.get("lead_department_id").is_some()),
            co_department_ids: co,
            starts_on: date("starts_on", &plan.starts_on),
            due_on: date("due_on", ""),
            weight,
            milestones: Vec::new(),
        };
        let parsed = parse_task(&mut tx, &plan, &draft).await;
        let parsed = match (parsed, lead) {
            // A unit not found is reported once, as not found.
            (Err(Error::Invalid(errors)), None) if record.get("lead_department_id").is_some() => {
                Err(Error::Invalid(
                    errors
                        .into_iter()
                        .filter(|e| e.field.as_deref() != Some("lead_department_id"))
                        .collect(),
                ))
            }
            (other, _) => other,
        };
        for e in problems {
            report.problem(&table, record.row, e);
        }
        let valid = report.check(&table, record.row, parsed)?;
        let number = record
            .get("no")
            .map(|n| n.trim_end_matches('.').to_string());
        let parent = match number.as_deref().and_then(|n| n.rsplit_once('.')) {
            Some((up, _)) => match numbers.get(up) {
                Some(&index) => Some(index),
                None => {
                    report.problem(
                        &table,
                        record.row,
                        FieldError::new("no", Code::TaskParentInvalid),
                    );
                    None
                }
            },
            None => None,
        };
        if let Some(n) = number {
            numbers.insert(n, checked.len());
        }
        checked.push((valid, parent, record.get("goal")));
    }
    if !report.may_write() {
        if report.problems.is_empty() {
            report.created = checked.len();
        }
        return Ok(report);
    }
    let mut goal_ids: HashMap<String, i64> =
        goals.iter().map(|g| (normal(&g.title), g.id)).collect();
    let mut ids: Vec<(i64, i64)> = Vec::new();
    for (valid, parent, goal_title) in checked {
        let Some(valid) = valid else { continue };
        let (parent_id, goal) = match parent {
            Some(index) => (Some(ids[index].0), ids[index].1),
            None => match goal_title {
                Some(title) => match goal_ids.get(&normal(&title)) {
                    Some(&id) => (None, id),
                    None => {
                        let goal = store::insert_goal(&mut tx, plan_id, &title, None, now).await?;
                        events::record(
                            &mut tx,
                            actor,
                            now,
                            super::service::goal_entity(goal.id),
                            "create",
                            None::<&()>,
                            Some(&goal),
                        )
                        .await?;
                        goal_ids.insert(normal(&title), goal.id);
                        (None, goal.id)
                    }
                },
                None => (None, goal_id.unwrap_or_default()),
            },
        };
        let id = insert(&mut tx, actor, plan_id, goal, parent_id, valid, now).await?;
        ids.push((id, goal));
    }
    roll(&mut tx, plan_id, now.local_date()).await?;
    events::record(
        &mut tx,
        actor,
        now,
        super::service::plan_entity(plan_id),
        "import",
        None::<&()>,
        Some(&serde_json::json!({"tasks": ids.len()})),
    )
    .await?;
    tx.commit().await?;
    report.created = ids.len();
    report.imported = true;
    Ok(report)
}

/// The plan's book as a table, headers in `locale`.
pub async fn export(
    app: &App,
    actor: &Actor,
    plan_id: i64,
    format: Format,
    locale: Locale,
) -> Result<Vec<u8>> {
    let page = super::service::get(app, actor, plan_id).await?;
    let departments = crate::org::service::list(app, actor, true).await?;
    let unit = |id: i64| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name(locale).to_string())
            .unwrap_or_default()
    };
    let t = |id: &str| app.i18n.t(locale, id);
    let mut rows = vec![
        COLUMNS
            .iter()
            .map(|c| t(c.label))
            .chain([t("plans-progress"), t("plans-field-status")])
            .collect::<Vec<_>>(),
    ];
    for (number, row) in tasks::numbered(&page.book) {
        let goal = page
            .goals
            .iter()
            .find(|g| g.id == row.task.goal_id)
            .map(|g| g.title.clone())
            .unwrap_or_default();
        let task = &row.task;
        rows.push(vec![
            number,
            goal,
            task.title.clone(),
            task.objective.clone().unwrap_or_default(),
            task.measures.clone().unwrap_or_default(),
            unit(task.lead_department_id),
            row.co_department_ids
                .iter()
                .map(|&d| unit(d))
                .collect::<Vec<_>>()
                .join("、"),
            task.starts_on.clone(),
            task.due_on.clone(),
            task.weight.to_string(),
            format!("{}%", task.progress),
            t(&format!(
                "task-status-{}",
                task.status.as_str().replace('_', "-")
            )),
        ]);
    }
    crate::sheets::write(format, &t("plans-book"), &rows).map_err(Error::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn deadlines_are_read_as_the_city_writes_them() {
        assert_eq!(parse_deadline("2026-06-30"), day("2026-06-30"));
        assert_eq!(parse_deadline("2026/6/30"), day("2026-06-30"));
        assert_eq!(parse_deadline("2026.6.30"), day("2026-06-30"));
        assert_eq!(parse_deadline("2026年6月30日"), day("2026-06-30"));
        assert_eq!(parse_deadline("2026年6月底"), day("2026-06-30"));
        assert_eq!(parse_deadline("2026年2月末"), day("2026-02-28"));
        assert_eq!(parse_deadline("2026년 6월 말"), day("2026-06-30"));
        assert_eq!(parse_deadline("２０２６年底"), day("2026-12-31"));
        assert_eq!(parse_deadline("长期坚持"), None);
        assert_eq!(parse_deadline("2026-13-01"), None);
    }
}
