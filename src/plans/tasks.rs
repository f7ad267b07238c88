//! The task book: tasks in a tree under goals, their milestones, the lead
//! unit's progress reports and co-units' inputs, and the roll-up that
//! keeps every task's progress and status and every goal's progress
//! current (the rule is in `rollup.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{
    Milestone, MilestoneDraft, Plan, PlanStatus, Report, ReportDraft, ReportKind, Task, TaskDraft,
    TaskStatus,
};
use super::rollup::{self, Node};
use super::service::{day, not_now, open_plan};
use super::store;
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::Conn;
use crate::db::events::{self, Entity};
use crate::demands::model::{date_text, parse_date_text};
use crate::error::{Code, Error, FieldError, Problems, Result};

pub fn task_entity(id: i64) -> Entity {
    Entity::new("plan_task", id)
}

/// The most a task may weigh against its siblings.
const MAX_WEIGHT: f64 = 1000.0;

pub(crate) struct ValidTask {
    title: String,
    objective: Option<String>,
    measures: Option<String>,
    lead_department_id: i64,
    co_department_ids: Vec<i64>,
    starts_on: NaiveDate,
    due_on: NaiveDate,
    weight: f64,
    milestones: Vec<(String, NaiveDate)>,
}

/// Checks a draft against its plan's period and the departments.
pub(crate) async fn parse_task(conn: &mut Conn, plan: &Plan, d: &TaskDraft) -> Result<ValidTask> {
    let mut p = Problems::default();
    let title = crate::fields::text(&mut p, "title", Some(&d.title), 500);
    if title.is_none() {
        p.add(FieldError::new("title", Code::Required));
    }
    let objective = crate::fields::text(&mut p, "objective", d.objective.as_deref(), 10_000);
    let measures = crate::fields::text(&mut p, "measures", d.measures.as_deref(), 10_000);
    match d.lead_department_id {
        None => p.add(FieldError::new("lead_department_id", Code::Required)),
        Some(id) => {
            if let Err(e) =
                crate::org::service::check_assignable(conn, "lead_department_id", id).await
            {
                p.add(e);
            }
        }
    }
    let mut co: Vec<i64> = d
        .co_department_ids
        .iter()
        .copied()
        .filter(|&id| Some(id) != d.lead_department_id)
        .collect();
    co.sort_unstable();
    co.dedup();
    for &id in &co {
        if let Err(e) = crate::org::service::check_assignable(conn, "co_department_ids", id).await {
            p.add(e);
        }
    }
    let period = (
        parse_date_text(&plan.starts_on),
        parse_date_text(&plan.ends_on),
    );
    let within = |day: NaiveDate| match period {
        (Some(s), Some(e)) => s <= day && day <= e,
        _ => true,
    };
    let starts = day(&mut p, "starts_on", &d.starts_on);
    let due = day(&mut p, "due_on", &d.due_on);
    if let Some(s) = starts
        && !within(s)
    {
        p.add(FieldError::new("starts_on", Code::DateOutOfRange));
    }
    if let Some(e) = due
        && (!within(e) || starts.is_some_and(|s| e < s))
    {
        p.add(FieldError::new("due_on", Code::DateOutOfRange));
    }
    let weight = d.weight.unwrap_or(1.0);
    if !(weight > 0.0 && weight <= MAX_WEIGHT) {
        p.add(
            FieldError::new("weight", Code::NumberOutOfRange)
                .with("min", "0")
                .with("max", MAX_WEIGHT),
        );
    }
    let mut milestones = Vec::new();
    for m in &d.milestones {
        let title = crate::fields::text(&mut p, "milestones", Some(&m.title), 300);
        let day = day(&mut p, "milestones", &m.due_on);
        match (title, day) {
            (Some(t), Some(day)) if within(day) => milestones.push((t, day)),
            (_, Some(_)) => p.add(FieldError::new("milestones", Code::DateOutOfRange)),
            (None, _) => p.add(FieldError::new("milestones", Code::Required)),
            _ => {}
        }
    }
    p.finish()?;
    Ok(ValidTask {
        title: title.unwrap_or_default(),
        objective,
        measures,
        lead_department_id: d.lead_department_id.unwrap_or_default(),
        co_department_ids: co,
        starts_on: starts.unwrap_or_default(),
        due_on: due.unwrap_or_default(),
        weight,
        milestones,
    })
}

/// What a task's event records: the row with its co-units and milestones.
#[derive(Serialize)]
struct Snapshot<'a> {
    #[serde(flatten)]
    task: &'a Task,
    co_department_ids: &'a [i64],
    milestones: &'a [MilestoneDraft],
}

/// Adds a task (or a sub-task, with `parent_id`) to a plan's goal.
pub async fn create(app: &App, actor: &Actor, plan_id: i64, draft: &TaskDraft) -> Result<Task> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let plan = open_plan(&mut tx, plan_id).await?;
    let v = parse_task(&mut tx, &plan, draft).await?;
    let goal_id = match (draft.goal_id, draft.parent_id) {
        (_, Some(parent_id)) => {
            let parent = store::task(&mut tx, parent_id).await?;
            match parent {
                Some(t) if t.plan_id == plan_id && draft.goal_id.is_none_or(|g| g == t.goal_id) => {
                    t.goal_id
                }
                _ => return Err(Error::field("parent_id", Code::TaskParentInvalid)),
            }
        }
        (Some(goal_id), None) => match store::goal(&mut tx, goal_id).await? {
            Some(g) if g.plan_id == plan_id => goal_id,
            _ => return Err(Error::field("goal_id", Code::InvalidChoice)),
        },
        (None, None) => return Err(Error::field("goal_id", Code::Required)),
    };
    let id = insert(&mut tx, actor, plan_id, goal_id, draft.parent_id, v, now).await?;
    roll(&mut tx, plan_id, now.local_date()).await?;
    let task = store::task(&mut tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(task)
}

/// Writes a checked task with its co-units, milestones and event; the
/// caller rolls the plan up and commits.
pub(crate) async fn insert(
    tx: &mut Conn,
    actor: &Actor,
    plan_id: i64,
    goal_id: i64,
    parent_id: Option<i64>,
    v: ValidTask,
    now: crate::db::Timestamp,
) -> Result<i64> {
    let task = store::insert_task(
        tx,
        &Task {
            id: 0,
            plan_id,
            goal_id,
            parent_id,
            title: v.title,
            objective: v.objective,
            measures: v.measures,
            lead_department_id: v.lead_department_id,
            starts_on: date_text(v.starts_on),
            due_on: date_text(v.due_on),
            weight: v.weight,
            progress: 0.0,
            status: TaskStatus::NotStarted,
            done_on: None,
            position: 0,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        },
        now,
    )
    .await?;
    store::set_co_units(tx, task.id, &v.co_department_ids).await?;
    let mut milestones = Vec::new();
    for (title, due) in &v.milestones {
        store::insert_milestone(tx, task.id, title, &date_text(*due)).await?;
        milestones.push(MilestoneDraft {
            title: title.clone(),
            due_on: date_text(*due),
        });
    }
    events::record(
        tx,
        actor,
        now,
        task_entity(task.id),
        "create",
        None::<&()>,
        Some(&Snapshot {
            task: &task,
            co_department_ids: &v.co_department_ids,
            milestones: &milestones,
        }),
    )
    .await?;
    Ok(task.id)
}

/// Changes a task's own fields, co-units and weight (milestones are added
/// and ticked off one by one). Its place in the tree stays.
pub async fn update(app: &App, actor: &Actor, id: i64, draft: &TaskDraft) -> Result<Task> {
    authorize(actor, Action::ManagePlans)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::task(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let plan = open_plan(&mut tx, before.plan_id).await?;
    let v = parse_task(&mut tx, &plan, draft).await?;
    let old_co: Vec<i64> = store::co_units(&mut tx, &[id])
        .await?
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let after = Task {
        title: v.title,
        objective: v.objective,
        measures: v.measures,
        lead_department_id: v.lead_department_id,
        starts_on: date_text(v.starts_on),
        due_on: date_text(v.due_on),
        weight: v.weight,
        ..before.clone()
    };
    store::save_task(&mut tx, &after, now).await?;
    store::set_co_units(&mut tx, id, &v.co_department_ids).await?;
    for (title, due) in &v.milestones {
        store::insert_milestone(&mut tx, id, title, &date_text(*due)).await?;
    }
    roll(&mut tx, before.plan_id, now.local_date()).await?;
    let saved = store::task(&mut tx, id).await?.ok_or(Error::NotFound)?;
    events::record(
        &mut tx,
        actor,
        now,
        task_entity(id),
        "update",
        Some(&Snapshot {
            task: &before,
            co_department_ids: &old_co,
            milestones: &[],
        }),
        Some(&Snapshot {
            task: &saved,
            co_department_ids: &v.co_department_ids,
            milestones: &draft.milestones,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Whether the actor's department is one of the task's co-units.
async fn co_unit_of(conn: &mut Conn, actor: &Actor, task_id: i64) -> Result<bool> {
    let Some(department) = actor.department_id else {
        return Ok(false);
    };
    Ok(store::co_units(conn, &[task_id])
        .await?
        .iter()
        .any(|&(_, d)| d == department))
}

/// A progress report (the lead unit) or an input (a co-unit). A progress
/// report on a task without sub-tasks sets its percent; the task's
/// parents and goal are recomputed in the same transaction.
pub async fn report(app: &App, actor: &Actor, task_id: i64, draft: &ReportDraft) -> Result<Report> {
    authorize(actor, Action::ViewPlans)?;
    let now = app.now();
    let mut p = Problems::default();
    let kind = crate::demands::model::choice(
        &mut p,
        "kind",
        Some(&draft.kind),
        ReportKind::Progress,
        ReportKind::parse,
    );
    let body = crate::fields::text(&mut p, "body", Some(&draft.body), 20_000);
    if body.is_none() {
        p.add(FieldError::new("body", Code::Required));
    }
    if let Some(percent) = draft.percent
        && !(0..=100).contains(&percent)
    {
        p.add(
            FieldError::new("percent", Code::NumberOutOfRange)
                .with("min", 0)
                .with("max", 100),
        );
    }
    p.finish()?;
    let kind = kind.unwrap_or(ReportKind::Progress);
    let mut tx = app.db.begin().await?;
    let task = store::task(&mut tx, task_id)
        .await?
        .ok_or(Error::NotFound)?;
    match kind {
        ReportKind::Progress => authorize(
            actor,
            Action::ReportOnTask {
                lead_department_id: task.lead_department_id,
            },
        )?,
        ReportKind::Input => {
            let co = co_unit_of(&mut tx, actor, task_id).await?;
            authorize(actor, Action::ContributeToTask { actor_co_unit: co })?
        }
    }
    let plan = store::plan_for_update(&mut tx, task.plan_id)
        .await?
        .ok_or(Error::NotFound)?;
    if !matches!(plan.status, PlanStatus::Approved | PlanStatus::InForce) {
        return Err(not_now(plan.status));
    }
    let has_children = store::plan_tasks(&mut tx, task.plan_id)
        .await?
        .iter()
        .any(|t| t.parent_id == Some(task_id));
    let percent = match (kind, draft.percent) {
        (ReportKind::Progress, Some(_)) if has_children => {
            return Err(Error::field("percent", Code::TaskProgressFromChildren));
        }
        (ReportKind::Progress, None) if !has_children => {
            return Err(Error::field("percent", Code::Required));
        }
        (ReportKind::Progress, percent) => percent,
        (ReportKind::Input, _) => None,
    };
    let saved = store::insert_report(
        &mut tx,
        &Report {
            id: 0,
            task_id,
            kind,
            percent,
            body: body.unwrap_or_default(),
            department_id: actor.department_id,
            author_id: actor.user_id,
            author_name: None,
            created_at: now,
        },
    )
    .await?;
    if let Some(percent) = percent {
        let mut after = task.clone();
        after.progress = percent as f64;
        store::save_task(&mut tx, &after, now).await?;
    }
    roll(&mut tx, task.plan_id, now.local_date()).await?;
    events::record(
        &mut tx,
        actor,
        now,
        task_entity(task_id),
        kind.as_str(),
        None::<&()>,
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Ticks a milestone off (or back on).
pub async fn set_milestone(
    app: &App,
    actor: &Actor,
    milestone_id: i64,
    done: bool,
) -> Result<Milestone> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let milestone = store::milestone(&mut tx, milestone_id)
        .await?
        .ok_or(Error::NotFound)?;
    let task = store::task(&mut tx, milestone.task_id)
        .await?
        .ok_or(Error::NotFound)?;
    authorize(
        actor,
        Action::ReportOnTask {
            lead_department_id: task.lead_department_id,
        },
    )?;
    open_plan(&mut tx, task.plan_id).await?;
    let today = date_text(now.local_date());
    let saved = store::set_milestone_done(&mut tx, milestone_id, done.then_some(today.as_str()))
        .await?
        .ok_or(Error::NotFound)?;
    roll(&mut tx, task.plan_id, now.local_date()).await?;
    events::record(
        &mut tx,
        actor,
        now,
        task_entity(task.id),
        if done {
            "milestone_done"
        } else {
            "milestone_reopened"
        },
        None::<&()>,
        Some(&saved),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A task whose status changed in a roll-up.
#[derive(Debug, Clone)]
pub struct Change {
    pub task: Task,
    pub before: TaskStatus,
}

/// Recomputes every task's progress and status and every goal's progress
/// in a plan, as of `today`, writing what changed. The caller holds the
/// plan's lock.
pub async fn roll(conn: &mut Conn, plan_id: i64, today: NaiveDate) -> Result<Vec<Change>> {
    let tasks = store::plan_tasks(conn, plan_id).await?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
    let mut open_milestones: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for m in store::milestones(conn, &ids).await? {
        if m.done_on.is_none()
            && let Some(day) = parse_date_text(&m.due_on)
        {
            open_milestones.entry(m.task_id).or_default().push(day);
        }
    }
    let mut changes = Vec::new();
    for goal in store::goals(conn, plan_id).await? {
        let nodes: Vec<Node> = tasks
            .iter()
            .filter(|t| t.goal_id == goal.id)
            .map(|t| Node {
                id: t.id,
                parent_id: t.parent_id,
                weight: t.weight,
                reported: t.progress,
                starts_on: parse_date_text(&t.starts_on).unwrap_or(today),
                due_on: parse_date_text(&t.due_on).unwrap_or(today),
                open_milestones: open_milestones.remove(&t.id).unwrap_or_default(),
            })
            .collect();
        let (standings, progress) = rollup::roll_up(&nodes, today);
        for t in tasks.iter().filter(|t| t.goal_id == goal.id) {
            let Some(s) = standings.get(&t.id) else {
                continue;
            };
            let done_on = match (s.status, &t.done_on) {
                (TaskStatus::Done, Some(day)) => Some(day.clone()),
                (TaskStatus::Done, None) => Some(date_text(today)),
                _ => None,
            };
            if s.progress != t.progress || s.status != t.status || done_on != t.done_on {
                store::set_standing(conn, t.id, s.progress, s.status, done_on.as_deref()).await?;
            }
            if s.status != t.status {
                changes.push(Change {
                    task: Task {
                        progress: s.progress,
                        status: s.status,
                        done_on,
                        ..t.clone()
                    },
                    before: t.status,
                });
            }
        }
        if progress != goal.progress {
            store::set_goal_progress(conn, goal.id, progress).await?;
        }
    }
    Ok(changes)
}

/// A task's page: where it sits, who works on it, what was reported.
pub struct TaskPage {
    pub task: Task,
    pub plan: Plan,
    pub goal_title: String,
    pub parent: Option<Task>,
    pub children: Vec<Task>,
    pub co_department_ids: Vec<i64>,
    pub milestones: Vec<Milestone>,
    pub reports: Vec<Report>,
    pub timeline: Vec<events::Event>,
    pub instructions: Vec<super::instructions::Instruction>,
    pub links: Vec<super::links::Link>,
    pub may_report: bool,
    pub may_instruct: bool,
    pub may_contribute: bool,
    pub may_manage: bool,
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<TaskPage> {
    authorize(actor, Action::ViewPlans)?;
    let mut conn = app.db.pool().acquire().await?;
    let task = store::task(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let plan = store::plan(&mut conn, task.plan_id)
        .await?
        .ok_or(Error::NotFound)?;
    let goal_title = store::goal(&mut conn, task.goal_id)
        .await?
        .map(|g| g.title)
        .unwrap_or_default();
    let siblings = store::plan_tasks(&mut conn, task.plan_id).await?;
    let parent = siblings
        .iter()
        .find(|t| Some(t.id) == task.parent_id)
        .cloned();
    let children: Vec<Task> = siblings
        .into_iter()
        .filter(|t| t.parent_id == Some(id))
        .collect();
    let co_department_ids: Vec<i64> = store::co_units(&mut conn, &[id])
        .await?
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let milestones = store::milestones(&mut conn, &[id]).await?;
    let reports = store::reports(&mut conn, id).await?;
    let timeline = events::for_entity(&mut conn, task_entity(id)).await?;
    let instructions =
        super::instructions::of(&mut conn, super::instructions::Subject::Task(id)).await?;
    let links = super::links::of_task(&mut conn, id).await?;
    let live = matches!(plan.status, PlanStatus::Approved | PlanStatus::InForce);
    let actor_co_unit = actor
        .department_id
        .is_some_and(|d| co_department_ids.contains(&d));
    Ok(TaskPage {
        may_report: live
            && crate::auth::permission::allows(
                actor,
                Action::ReportOnTask {
                    lead_department_id: task.lead_department_id,
                },
            ),
        may_contribute: live
            && crate::auth::permission::allows(actor, Action::ContributeToTask { actor_co_unit }),
        may_manage: plan.status != PlanStatus::Closed
            && crate::auth::permission::allows(actor, Action::ManagePlans),
        may_instruct: crate::auth::permission::allows(actor, Action::InstructOnPlans),
        instructions,
        links,
        task,
        plan,
        goal_title,
        parent,
        children,
        co_department_ids,
        milestones,
        reports,
        timeline,
    })
}

/// Tasks a department leads or co-handles (any department's for `None`),
/// by due day, optionally of one status.
pub async fn department_list(
    app: &App,
    actor: &Actor,
    department_id: Option<i64>,
    status: Option<TaskStatus>,
) -> Result<Vec<Task>> {
    authorize(actor, Action::ViewPlans)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::department_tasks(&mut conn, department_id, status).await?)
}

/// A plan's whole book: goals in order, each goal's tasks depth-first
/// (parents before their sub-tasks), with depth and co-units.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookRow {
    #[serde(flatten)]
    pub task: Task,
    pub depth: usize,
    pub co_department_ids: Vec<i64>,
    pub milestones: Vec<Milestone>,
}

pub(crate) async fn book(conn: &mut Conn, plan_id: i64) -> Result<Vec<BookRow>> {
    let tasks = store::plan_tasks(conn, plan_id).await?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
    let mut co: HashMap<i64, Vec<i64>> = HashMap::new();
    for (task, department) in store::co_units(conn, &ids).await? {
        co.entry(task).or_default().push(department);
    }
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    for m in store::milestones(conn, &ids).await? {
        milestones.entry(m.task_id).or_default().push(m);
    }
    let mut children: HashMap<Option<i64>, Vec<&Task>> = HashMap::new();
    for t in &tasks {
        children.entry(t.parent_id).or_default().push(t);
    }
    let mut rows = Vec::with_capacity(tasks.len());
    let mut stack: Vec<(&Task, usize)> = children
        .get(&None)
        .map(|top| top.iter().rev().map(|t| (*t, 0)).collect())
        .unwrap_or_default();
    // Depth-first, parents before their sub-tasks; top-level tasks come in
    // book order (goal, position) already.
    while let Some((t, depth)) = stack.pop() {
        rows.push(BookRow {
            task: t.clone(),
            depth,
            co_department_ids: co.remove(&t.id).unwrap_or_default(),
            milestones: milestones.remove(&t.id).unwrap_or_default(),
        });
        for c in children.get(&Some(t.id)).into_iter().flatten().rev() {
            stack.push((c, depth + 1));
        }
    }
    Ok(rows)
}

/// The book's rows with their numbers as the paper tables write them
/// (1, 1.1, 1.2, 2, ...), counted within the plan.
pub fn numbered(book: &[BookRow]) -> Vec<(String, &BookRow)> {
    let mut path: Vec<usize> = Vec::new();
    book.iter()
        .map(|row| {
            path.truncate(row.depth + 1);
            if path.len() == row.depth + 1 {
                path[row.depth] += 1;
            } else {
                path.resize(row.depth + 1, 1);
            }
            let number = path
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(".");
            (number, row)
        })
        .collect()
}

/// Locks a task's plan for a change that is not the task's own (a file
/// attached to it); false when there is no such task.
pub async fn lock(conn: &mut Conn, id: i64) -> Result<bool> {
    let Some(task) = store::task(conn, id).await? else {
        return Ok(false);
    };
    Ok(store::plan_for_update(conn, task.plan_id).await?.is_some())
}

/// Who may see a task's files (readers of plans) and add or remove them
/// (those who report or give inputs on it, while its plan is live).
pub async fn check_files(conn: &mut Conn, actor: &Actor, id: i64, manage: bool) -> Result<()> {
    authorize(actor, Action::ViewPlans)?;
    let task = store::task(conn, id).await?.ok_or(Error::NotFound)?;
    if !manage {
        return Ok(());
    }
    let plan = store::plan(conn, task.plan_id)
        .await?
        .ok_or(Error::NotFound)?;
    let live = matches!(plan.status, PlanStatus::Approved | PlanStatus::InForce);
    let actor_co_unit = co_unit_of(conn, actor, id).await?;
    let allowed = live
        && (crate::auth::permission::allows(
            actor,
            Action::ReportOnTask {
                lead_department_id: task.lead_department_id,
            },
        ) || crate::auth::permission::allows(
            actor,
            Action::ContributeToTask { actor_co_unit },
        ));
    if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
