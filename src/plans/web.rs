//! The road map's pages: plans (`/plans`), a plan's overview with its
//! goals and task book, a goal's page with its KPIs, a task's page with
//! its reports, and a department's task list (`/tasks`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::instructions::{self, Subject};
use super::links;
use super::model::{
    GoalDraft, KpiDraft, KpiValueDraft, MilestoneDraft, PlanDraft, ReportDraft, TaskDraft,
    TaskStatus,
};
use super::service::{self, KpiStanding, PlanSummary};
use super::tasks::{self, BookRow};
use crate::app::App;
use crate::auth::Action;
use crate::auth::permission::allows;
use crate::error::{Error, Result};
use crate::org::Department;
use crate::problems::web::department_choices;
use crate::web::context::{Ctx, RequestContext};
use crate::web::extract::{Pairs, Path, Query};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/plans", get(list_page).post(create_form))
        .route("/plans/{id}", get(plan_page))
        .route("/plans/{id}/step", post(step_form))
        .route("/plans/{id}/book", get(book_page))
        .route("/plans/{id}/gantt", get(gantt_page))
        .route("/plans/{id}/goals", post(goal_form))
        .route("/plans/{id}/tasks", post(task_form))
        .route("/goals/{id}", get(goal_page))
        .route("/goals/{id}/kpis", post(kpi_form))
        .route("/kpis/{id}/values", post(kpi_value_form))
        .route("/tasks", get(tasks_page))
        .route("/tasks/{id}", get(task_page))
        .route("/tasks/{id}/reports", post(report_form))
        .route("/milestones/{id}", post(milestone_form))
        .route("/plans/{id}/instructions", post(plan_instruction_form))
        .route("/goals/{id}/instructions", post(goal_instruction_form))
        .route("/tasks/{id}/instructions", post(task_instruction_form))
        .route("/tasks/{id}/links", post(link_form))
}

fn unprocessable(mut response: Response) -> Response {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// Runs a form's change: on bad input shows `again` with the problems,
/// else goes to `to`.
pub(super) async fn after_form<T, P: Template>(
    app: &App,
    ctx: &RequestContext,
    result: Result<T>,
    to: impl FnOnce(&T) -> String,
    again: impl AsyncFnOnce(FormErrors) -> Result<P>,
) -> Result<Response> {
    match result {
        Ok(saved) => Ok(Redirect::to(&to(&saved)).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let errors = FormErrors::new(app, ctx.locale, &e.field_errors());
            Ok(unprocessable(render(&again(errors).await?)))
        }
        Err(e) => Err(e),
    }
}

fn name_of(departments: &[Department], ctx: &RequestContext, id: i64) -> String {
    departments
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.name(ctx.locale).to_string())
        .unwrap_or_default()
}

/// A task as a row of the book: indented title, units, dates, progress.
pub struct Row {
    pub row: BookRow,
    pub lead: String,
    pub co_units: String,
    pub status: String,
}

fn rows(
    page: &Page,
    departments: &[Department],
    ctx: &RequestContext,
    book: Vec<BookRow>,
) -> Vec<Row> {
    book.into_iter()
        .map(|row| Row {
            lead: name_of(departments, ctx, row.task.lead_department_id),
            co_units: row
                .co_department_ids
                .iter()
                .map(|&d| name_of(departments, ctx, d))
                .collect::<Vec<_>>()
                .join("、"),
            status: page.label("task-status", row.task.status.as_str()),
            row,
        })
        .collect()
}

pub(super) fn choices(page: &Page, prefix: &str, values: &[&str], selected: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: page.label(prefix, v),
            selected: *v == selected,
        })
        .collect()
}

// ---- plans ----

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    page: Page,
    plans: Vec<(PlanSummary, String, String)>,
    may_manage: bool,
    horizons: Vec<Choice>,
    draft: Pairs,
    errors: FormErrors,
}

async fn list_view(
    app: &App,
    ctx: &RequestContext,
    draft: Pairs,
    errors: FormErrors,
) -> Result<ListPage> {
    let actor = ctx.actor()?;
    let page = Page::new(app, ctx, "plans-title");
    let plans = service::list(app, actor)
        .await?
        .into_iter()
        .map(|s| {
            let horizon = page.label("plan-horizon", s.plan.horizon.as_str());
            let status = page.label("plan-status", s.plan.status.as_str());
            (s, horizon, status)
        })
        .collect();
    Ok(ListPage {
        horizons: choices(
            &page,
            "plan-horizon",
            &["short", "medium", "long"],
            &draft.one("horizon"),
        ),
        may_manage: allows(actor, Action::ManagePlans),
        page,
        plans,
        draft,
        errors,
    })
}

async fn list_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    Ok(render(
        &list_view(&app, &ctx, Pairs(Vec::new()), FormErrors::default()).await?,
    ))
}

pub(super) fn plan_draft(form: &Pairs) -> PlanDraft {
    PlanDraft {
        title: form.one("title"),
        summary: Some(form.one("summary")),
        horizon: form.one("horizon"),
        starts_on: form.one("starts_on"),
        ends_on: form.one("ends_on"),
        key_areas: vec![form.one("key_areas")],
        key_industries: vec![form.one("key_industries")],
    }
}

async fn create_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let result = service::create(&app, ctx.actor()?, &plan_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |p| format!("/plans/{}", p.id),
        async |errors| list_view(&app, &ctx, form, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct PlanPage {
    page: Page,
    p: service::PlanPage,
    horizon: String,
    status: String,
    industries: Vec<String>,
    goals: Vec<(super::model::Goal, Vec<KpiStanding>)>,
    rows: Vec<Row>,
    timeline: Vec<(String, String, String)>,
    departments: Vec<Choice>,
    co_units: Vec<Choice>,
    goal_choices: Vec<Choice>,
    /// The new-task form's values: empty, or what was typed.
    task_values: Pairs,
    errors: FormErrors,
}

fn timeline(page: &Page, events: &[crate::db::events::Event]) -> Vec<(String, String, String)> {
    events
        .iter()
        .map(|e| {
            (
                e.at.local_minutes(),
                e.actor_name.clone(),
                page.label("plan-event", &e.action),
            )
        })
        .collect()
}

async fn plan_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    errors: FormErrors,
) -> Result<PlanPage> {
    let blank = Pairs(vec![("weight".into(), "1".into())]);
    plan_view_typed(app, ctx, id, blank, errors).await
}

async fn plan_view_typed(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    task_values: Pairs,
    errors: FormErrors,
) -> Result<PlanPage> {
    let actor = ctx.actor()?;
    let p = service::get(app, actor, id).await?;
    let page = Page::new(app, ctx, "plans-show-title");
    let departments = crate::org::service::list(app, actor, true).await?;
    let (lead_choices, co_units) = super::edit_web::unit_choices(&departments, ctx, &task_values);
    let goal_typed = task_values.one("goal_id");
    let goals = p
        .goals
        .iter()
        .map(|g| {
            let kpis = p
                .kpis
                .iter()
                .filter(|k| k.kpi.goal_id == g.id)
                .cloned()
                .collect();
            (g.clone(), kpis)
        })
        .collect();
    Ok(PlanPage {
        horizon: page.label("plan-horizon", p.plan.horizon.as_str()),
        status: page.label("plan-status", p.plan.status.as_str()),
        industries: p
            .plan
            .key_industries
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| match crate::reference::industry(c) {
                Some(i) => format!("{c} {}", i.names.get(ctx.locale)),
                None => c.to_string(),
            })
            .collect(),
        goals,
        rows: rows(&page, &departments, ctx, p.book.clone()),
        timeline: timeline(&page, &p.timeline),
        departments: lead_choices,
        co_units,
        goal_choices: p
            .goals
            .iter()
            .map(|g| Choice {
                value: g.id.to_string(),
                label: g.title.clone(),
                selected: g.id.to_string() == goal_typed,
            })
            .collect(),
        task_values,
        page,
        p,
        errors,
    })
}

async fn plan_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &plan_view(&app, &ctx, id, FormErrors::default()).await?,
    ))
}

async fn step_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = match service::Step::parse(&form.one("step")) {
        Some(step) => service::step(&app, ctx.actor()?, id, step).await,
        None => Err(Error::field("step", crate::error::Code::InvalidChoice)),
    };
    after_form(
        &app,
        &ctx,
        result,
        |p| format!("/plans/{}", p.id),
        async |errors| plan_view(&app, &ctx, id, errors).await,
    )
    .await
}

pub(super) fn goal_draft(form: &Pairs) -> GoalDraft {
    GoalDraft {
        title: form.one("title"),
        description: Some(form.one("description")),
    }
}

async fn goal_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = service::add_goal(&app, ctx.actor()?, id, &goal_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |g| format!("/goals/{}", g.id),
        async |errors| plan_view(&app, &ctx, id, errors).await,
    )
    .await
}

/// A task typed into a form: one milestone per line, "YYYY-MM-DD title".
pub(super) fn task_draft(form: &Pairs) -> TaskDraft {
    TaskDraft {
        goal_id: form.one("goal_id").parse().ok(),
        parent_id: form.one("parent_id").parse().ok(),
        title: form.one("title"),
        objective: Some(form.one("objective")),
        measures: Some(form.one("measures")),
        lead_department_id: form.one("lead_department_id").parse().ok(),
        co_department_ids: form.ids("co_department_ids"),
        starts_on: form.one("starts_on"),
        due_on: form.one("due_on"),
        weight: match form.one("weight").trim() {
            "" => None,
            w => Some(w.parse().unwrap_or(-1.0)),
        },
        milestones: form
            .one("milestones")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (due_on, title) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
                MilestoneDraft {
                    title: title.trim().to_string(),
                    due_on: due_on.to_string(),
                }
            })
            .collect(),
    }
}

async fn task_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = tasks::create(&app, ctx.actor()?, id, &task_draft(&form)).await;
    match form.one("parent_id").parse::<i64>() {
        Ok(parent) => {
            after_form(
                &app,
                &ctx,
                result,
                |t| format!("/tasks/{}", t.id),
                async |errors| task_view(&app, &ctx, parent, errors).await,
            )
            .await
        }
        Err(_) => {
            after_form(
                &app,
                &ctx,
                result,
                |t| format!("/tasks/{}", t.id),
                async |errors| plan_view_typed(&app, &ctx, id, form, errors).await,
            )
            .await
        }
    }
}

// ---- goals ----

#[derive(Template)]
#[template(path = "plans/goal.html")]
struct GoalPage {
    page: Page,
    p: service::GoalPage,
    /// Each KPI with its chart and the tag its count is narrowed to.
    kpis: Vec<(KpiStanding, String, String)>,
    rows: Vec<Row>,
    timeline: Vec<(String, String, String)>,
    directions: Vec<Choice>,
    sources: Vec<Choice>,
    tags: Vec<Choice>,
    /// The new-KPI form's values: blank, or what was typed.
    draft: Pairs,
    errors: FormErrors,
}

async fn goal_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    errors: FormErrors,
) -> Result<GoalPage> {
    let blank = Pairs(vec![
        ("direction".into(), "higher".into()),
        ("source".into(), "manual".into()),
    ]);
    goal_view_typed(app, ctx, id, blank, errors).await
}

async fn goal_view_typed(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    draft: Pairs,
    errors: FormErrors,
) -> Result<GoalPage> {
    let actor = ctx.actor()?;
    let p = service::goal(app, actor, id).await?;
    let page = Page::new(app, ctx, "plans-goal-title");
    let departments = crate::org::service::list(app, actor, true).await?;
    let tags = {
        let mut conn = app.db.pool().acquire().await?;
        crate::enterprises::store::tags(&mut conn, true).await?
    };
    let tag_name = |id: Option<i64>| {
        tags.iter()
            .find(|t| Some(t.id) == id)
            .map(|t| t.name(ctx.locale).to_string())
            .unwrap_or_default()
    };
    let kpis = p
        .kpis
        .iter()
        .map(|k| {
            let points: Vec<(String, f64)> = k
                .values
                .iter()
                .filter_map(|v| Some((v.observed_on.clone(), v.value.parse().ok()?)))
                .collect();
            let chart = if points.is_empty() {
                String::new()
            } else {
                crate::web::chart::bars(&k.kpi.name, &points)
            };
            (k.clone(), chart, tag_name(k.kpi.tag_id))
        })
        .collect();
    let sources: Vec<&str> = super::kpi::Source::ALL.iter().map(|s| s.as_str()).collect();
    Ok(GoalPage {
        rows: rows(&page, &departments, ctx, p.book.clone()),
        timeline: timeline(&page, &p.timeline),
        directions: choices(
            &page,
            "kpi-direction",
            &["higher", "lower"],
            &draft.one("direction"),
        ),
        sources: choices(&page, "kpi-source", &sources, &draft.one("source")),
        tags: tag_choices(app, ctx, &page, &draft.one("tag_id")).await?,
        draft,
        kpis,
        page,
        p,
        errors,
    })
}

async fn goal_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &goal_view(&app, &ctx, id, FormErrors::default()).await?,
    ))
}

pub(super) fn kpi_draft(form: &Pairs) -> KpiDraft {
    KpiDraft {
        name: form.one("name"),
        unit: form.one("unit"),
        direction: form.one("direction"),
        source: form.one("source"),
        tag_id: form.one("tag_id").parse().ok(),
        baseline: form.one("baseline"),
        baseline_on: form.one("baseline_on"),
        target: form.one("target"),
        target_on: form.one("target_on"),
    }
}

/// The tags a visits KPI may count, after "all enterprises".
pub(super) async fn tag_choices(
    app: &App,
    ctx: &RequestContext,
    page: &Page,
    selected: &str,
) -> Result<Vec<Choice>> {
    let tags = {
        let mut conn = app.db.pool().acquire().await?;
        crate::enterprises::store::tags(&mut conn, false).await?
    };
    Ok(std::iter::once(Choice {
        value: String::new(),
        label: page.t("plans-kpi-all-enterprises"),
        selected: selected.is_empty(),
    })
    .chain(tags.iter().map(|t| Choice {
        value: t.id.to_string(),
        label: t.name(ctx.locale).to_string(),
        selected: t.id.to_string() == selected,
    }))
    .collect())
}

async fn kpi_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = service::add_kpi(&app, ctx.actor()?, id, &kpi_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |k| format!("/goals/{}", k.goal_id),
        async |errors| goal_view_typed(&app, &ctx, id, form, errors).await,
    )
    .await
}

async fn kpi_value_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let goal_id: i64 = form.one("goal_id").parse().unwrap_or_default();
    let draft = KpiValueDraft {
        value: form.one("value"),
        observed_on: form.one("observed_on"),
        source: Some(form.one("source")),
    };
    let result = service::add_kpi_value(&app, ctx.actor()?, id, &draft).await;
    after_form(
        &app,
        &ctx,
        result,
        |_| format!("/goals/{goal_id}"),
        async |errors| goal_view(&app, &ctx, goal_id, errors).await,
    )
    .await
}

// ---- tasks ----

#[derive(Template)]
#[template(path = "plans/task.html")]
struct TaskPage {
    page: Page,
    p: tasks::TaskPage,
    status: String,
    lead: String,
    co_units: String,
    children: Vec<(super::model::Task, String)>,
    reports: Vec<(super::model::Report, String, String)>,
    timeline: Vec<(String, String, String)>,
    departments: Vec<Choice>,
    link_targets: Vec<Choice>,
    attachments: crate::attachments::web::Section,
    errors: FormErrors,
}

async fn task_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    errors: FormErrors,
) -> Result<TaskPage> {
    let actor = ctx.actor()?;
    let p = tasks::get(app, actor, id).await?;
    let page = Page::new(app, ctx, "plans-task-title");
    let departments = crate::org::service::list(app, actor, true).await?;
    Ok(TaskPage {
        status: page.label("task-status", p.task.status.as_str()),
        lead: name_of(&departments, ctx, p.task.lead_department_id),
        co_units: p
            .co_department_ids
            .iter()
            .map(|&d| name_of(&departments, ctx, d))
            .collect::<Vec<_>>()
            .join("、"),
        children: p
            .children
            .iter()
            .map(|t| (t.clone(), page.label("task-status", t.status.as_str())))
            .collect(),
        reports: p
            .reports
            .iter()
            .map(|r| {
                let who = r.author_name.clone().unwrap_or_default();
                let unit = r
                    .department_id
                    .map(|d| name_of(&departments, ctx, d))
                    .unwrap_or_default();
                (r.clone(), who, unit)
            })
            .collect(),
        timeline: timeline(&page, &p.timeline),
        departments: department_choices(&departments, ctx, None),
        attachments: crate::attachments::web::Section::load(
            app,
            actor,
            crate::attachments::Owner::Task(id),
        )
        .await?,
        link_targets: choices(
            &page,
            "task-link",
            &["common_problem", "demand", "enterprise"],
            "demand",
        ),
        page,
        p,
        errors,
    })
}

async fn task_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &task_view(&app, &ctx, id, FormErrors::default()).await?,
    ))
}

async fn report_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let percent = form.one("percent");
    let draft = ReportDraft {
        kind: form.one("kind"),
        percent: match percent.trim() {
            "" => None,
            p => Some(p.trim_end_matches('%').parse().unwrap_or(-1)),
        },
        body: form.one("body"),
    };
    let result = tasks::report(&app, ctx.actor()?, id, &draft).await;
    after_form(
        &app,
        &ctx,
        result,
        |r| format!("/tasks/{}", r.task_id),
        async |errors| task_view(&app, &ctx, id, errors).await,
    )
    .await
}

async fn milestone_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = tasks::set_milestone(&app, ctx.actor()?, id, form.one("done") == "1").await;
    let task_id: i64 = form.one("task_id").parse().unwrap_or_default();
    after_form(
        &app,
        &ctx,
        result,
        |m| format!("/tasks/{}", m.task_id),
        async |errors| task_view(&app, &ctx, task_id, errors).await,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct TaskFilter {
    /// A department's tasks; "all" for every department's.
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

impl TaskFilter {
    /// The department asked for; an officer's own by default.
    pub fn department(&self, actor: &crate::auth::Actor) -> Option<i64> {
        match self.department.as_deref().map(str::trim) {
            Some("all") | Some("") => None,
            Some(id) => id.parse().ok(),
            None => actor.department_id,
        }
    }

    pub fn status(&self) -> Option<TaskStatus> {
        self.status.as_deref().and_then(TaskStatus::parse)
    }
}

#[derive(Template)]
#[template(path = "plans/tasks.html")]
struct TasksPage {
    page: Page,
    tasks: Vec<(super::model::Task, String, String)>,
    departments: Vec<Choice>,
    statuses: Vec<Choice>,
}

async fn tasks_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(filter): Query<TaskFilter>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let page = Page::new(&app, &ctx, "plans-tasks-title");
    let department = filter.department(actor);
    let list = tasks::department_list(&app, actor, department, filter.status()).await?;
    let departments = crate::org::service::list(&app, actor, true).await?;
    let mut department_choices = vec![Choice {
        value: "all".into(),
        label: page.t("plans-all-departments"),
        selected: department.is_none(),
    }];
    department_choices.extend(crate::problems::web::department_choices(
        &departments,
        &ctx,
        department,
    ));
    let statuses: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.as_str()).collect();
    let mut status_choices = vec![Choice {
        value: String::new(),
        label: page.t("plans-any-status"),
        selected: filter.status().is_none(),
    }];
    status_choices.extend(choices(
        &page,
        "task-status",
        &statuses,
        filter.status.as_deref().unwrap_or(""),
    ));
    Ok(render(&TasksPage {
        tasks: list
            .into_iter()
            .map(|t| {
                let lead = name_of(&departments, &ctx, t.lead_department_id);
                let status = page.label("task-status", t.status.as_str());
                (t, lead, status)
            })
            .collect(),
        departments: department_choices,
        statuses: status_choices,
        page,
    }))
}

// ---- the book on paper and on a timeline ----

#[derive(Template)]
#[template(path = "plans/book.html")]
struct BookPage {
    page: Page,
    plan: super::model::Plan,
    rows: Vec<(String, String, Row)>,
}

async fn book_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let actor = ctx.actor()?;
    let p = service::get(&app, actor, id).await?;
    let page = Page::new(&app, &ctx, "plans-book");
    let departments = crate::org::service::list(&app, actor, true).await?;
    let numbers: Vec<String> = tasks::numbered(&p.book)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let goal_of = |goal_id: i64| {
        p.goals
            .iter()
            .find(|g| g.id == goal_id)
            .map(|g| g.title.clone())
            .unwrap_or_default()
    };
    let rows = numbers
        .into_iter()
        .zip(rows(&page, &departments, &ctx, p.book.clone()))
        .map(|(number, row)| (number, goal_of(row.row.task.goal_id), row))
        .collect();
    Ok(render(&BookPage {
        page,
        plan: p.plan,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "plans/gantt.html")]
struct GanttPage {
    page: Page,
    plan: super::model::Plan,
    chart: String,
}

async fn gantt_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let p = service::get(&app, actor, id).await?;
    let page = Page::new(&app, &ctx, "plans-gantt");
    let day = |s: &str| crate::demands::model::parse_date_text(s);
    let bars: Vec<super::gantt::Bar> = tasks::numbered(&p.book)
        .into_iter()
        .filter_map(|(number, row)| {
            Some(super::gantt::Bar {
                label: format!("{number} {}", row.task.title),
                depth: row.depth,
                starts_on: day(&row.task.starts_on)?,
                due_on: day(&row.task.due_on)?,
                progress: row.task.progress,
                status: row.task.status,
                milestones: row
                    .milestones
                    .iter()
                    .filter_map(|m| Some((day(&m.due_on)?, m.title.clone(), m.done_on.is_some())))
                    .collect(),
            })
        })
        .collect();
    let today = app.now().local_date();
    let (from, to) = (
        day(&p.plan.starts_on).unwrap_or(today),
        day(&p.plan.ends_on).unwrap_or(today),
    );
    Ok(render(&GanttPage {
        chart: super::gantt::render(&p.plan.title, &bars, from, to, today),
        page,
        plan: p.plan,
    }))
}

// ---- instructions and links ----

/// A leader's instruction on a plan, goal or task, from its page.
async fn instruct(
    app: &App,
    ctx: &RequestContext,
    subject: Subject,
    form: &Pairs,
) -> Result<Response> {
    let result = instructions::give(app, ctx.actor()?, subject, &form.one("body")).await;
    match subject {
        Subject::Plan(id) => {
            after_form(
                app,
                ctx,
                result,
                |_| format!("/plans/{id}"),
                async |errors| plan_view(app, ctx, id, errors).await,
            )
            .await
        }
        Subject::Goal(id) => {
            after_form(
                app,
                ctx,
                result,
                |_| format!("/goals/{id}"),
                async |errors| goal_view(app, ctx, id, errors).await,
            )
            .await
        }
        Subject::Task(id) => {
            after_form(
                app,
                ctx,
                result,
                |_| format!("/tasks/{id}"),
                async |errors| task_view(app, ctx, id, errors).await,
            )
            .await
        }
    }
}

async fn plan_instruction_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    instruct(&app, &ctx, Subject::Plan(id), &form).await
}

async fn goal_instruction_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    instruct(&app, &ctx, Subject::Goal(id), &form).await
}

async fn task_instruction_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    instruct(&app, &ctx, Subject::Task(id), &form).await
}

async fn link_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let target = links::Target::parse(&form.one("target_type"));
    let target_id = form
        .one("target_id")
        .trim()
        .trim_start_matches('#')
        .parse::<i64>();
    let result = match (target, target_id) {
        (None, _) => Err(Error::field(
            "target_type",
            crate::error::Code::InvalidChoice,
        )),
        (_, Err(_)) => Err(Error::field("target_id", crate::error::Code::InvalidNumber)),
        (Some(target), Ok(target_id)) => {
            links::set(
                &app,
                ctx.actor()?,
                id,
                target,
                target_id,
                form.one("remove").is_empty(),
            )
            .await
        }
    };
    after_form(
        &app,
        &ctx,
        result,
        |_| format!("/tasks/{id}"),
        async |errors| task_view(&app, &ctx, id, errors).await,
    )
    .await
}
