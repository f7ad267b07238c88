//! Editing a plan, a goal or a task on its own page (`/plans/N/edit`,
//! `/goals/N/edit`, `/tasks/N/edit`): the form opens with the record's
//! values, and on bad input again with what was typed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::model::{Goal, Kpi, Plan, Task};
use super::service;
use super::tasks;
use super::web::{after_form, choices, goal_draft, kpi_draft, plan_draft, task_draft};
use crate::app::App;
use crate::error::{Error, Result};
use crate::org::Department;
use crate::problems::web::department_choices;
use crate::web::context::{Ctx, RequestContext};
use crate::web::extract::{Pairs, Path};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/plans/{id}/edit", get(plan_page).post(plan_form))
        .route("/goals/{id}/edit", get(goal_page).post(goal_form))
        .route("/tasks/{id}/edit", get(task_page).post(task_form))
        .route("/kpis/{id}/edit", get(kpi_page).post(kpi_form))
}

fn pairs(values: &[(&str, String)]) -> Pairs {
    Pairs(
        values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

// ---- plan ----

#[derive(Template)]
#[template(path = "plans/edit_plan.html")]
struct PlanEdit {
    page: Page,
    plan: Plan,
    horizons: Vec<Choice>,
    draft: Pairs,
    errors: FormErrors,
}

fn plan_values(plan: &Plan) -> Pairs {
    pairs(&[
        ("title", plan.title.clone()),
        ("summary", plan.summary.clone().unwrap_or_default()),
        ("horizon", plan.horizon.as_str().to_string()),
        ("starts_on", plan.starts_on.clone()),
        ("ends_on", plan.ends_on.clone()),
        ("key_areas", plan.key_areas.clone()),
        ("key_industries", plan.key_industries.replace(',', ", ")),
    ])
}

async fn plan_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    typed: Option<Pairs>,
    errors: FormErrors,
) -> Result<PlanEdit> {
    let p = service::get(app, ctx.actor()?, id).await?;
    if !p.may_manage {
        return Err(Error::Forbidden);
    }
    let page = Page::new(app, ctx, "plans-edit-title");
    let draft = typed.unwrap_or_else(|| plan_values(&p.plan));
    Ok(PlanEdit {
        horizons: choices(
            &page,
            "plan-horizon",
            &["short", "medium", "long"],
            &draft.one("horizon"),
        ),
        page,
        plan: p.plan,
        draft,
        errors,
    })
}

async fn plan_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &plan_view(&app, &ctx, id, None, FormErrors::default()).await?,
    ))
}

async fn plan_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = service::update(&app, ctx.actor()?, id, &plan_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |p| format!("/plans/{}", p.id),
        async |errors| plan_view(&app, &ctx, id, Some(form), errors).await,
    )
    .await
}

// ---- goal ----

#[derive(Template)]
#[template(path = "plans/edit_goal.html")]
struct GoalEdit {
    page: Page,
    goal: Goal,
    draft: Pairs,
    errors: FormErrors,
}

async fn goal_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    typed: Option<Pairs>,
    errors: FormErrors,
) -> Result<GoalEdit> {
    let p = service::goal(app, ctx.actor()?, id).await?;
    if !p.may_manage {
        return Err(Error::Forbidden);
    }
    let draft = typed.unwrap_or_else(|| {
        pairs(&[
            ("title", p.goal.title.clone()),
            (
                "description",
                p.goal.description.clone().unwrap_or_default(),
            ),
        ])
    });
    Ok(GoalEdit {
        page: Page::new(app, ctx, "plans-edit-title"),
        goal: p.goal,
        draft,
        errors,
    })
}

async fn goal_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &goal_view(&app, &ctx, id, None, FormErrors::default()).await?,
    ))
}

async fn goal_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = service::update_goal(&app, ctx.actor()?, id, &goal_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |g| format!("/goals/{}", g.id),
        async |errors| goal_view(&app, &ctx, id, Some(form), errors).await,
    )
    .await
}

// ---- task ----

#[derive(Template)]
#[template(path = "plans/edit_task.html")]
struct TaskEdit {
    page: Page,
    task: Task,
    departments: Vec<Choice>,
    co_units: Vec<Choice>,
    task_values: Pairs,
    errors: FormErrors,
}

/// A task's fields as its form holds them; milestones are only added here.
fn task_values(task: &Task, co_department_ids: &[i64]) -> Pairs {
    let mut values = pairs(&[
        ("title", task.title.clone()),
        ("objective", task.objective.clone().unwrap_or_default()),
        ("measures", task.measures.clone().unwrap_or_default()),
        ("lead_department_id", task.lead_department_id.to_string()),
        ("starts_on", task.starts_on.clone()),
        ("due_on", task.due_on.clone()),
        ("weight", task.weight.to_string()),
    ]);
    values.0.extend(
        co_department_ids
            .iter()
            .map(|d| ("co_department_ids".to_string(), d.to_string())),
    );
    values
}

/// The lead unit's choices and the co-units' choices, as `values` holds them.
pub(super) fn unit_choices(
    departments: &[Department],
    ctx: &RequestContext,
    values: &Pairs,
) -> (Vec<Choice>, Vec<Choice>) {
    let lead = department_choices(
        departments,
        ctx,
        values.one("lead_department_id").parse().ok(),
    );
    let co_ids = values.ids("co_department_ids");
    let co = department_choices(departments, ctx, None)
        .into_iter()
        .map(|c| Choice {
            selected: c.value.parse().is_ok_and(|id| co_ids.contains(&id)),
            ..c
        })
        .collect();
    (lead, co)
}

async fn task_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    typed: Option<Pairs>,
    errors: FormErrors,
) -> Result<TaskEdit> {
    let p = tasks::get(app, ctx.actor()?, id).await?;
    if !p.may_manage {
        return Err(Error::Forbidden);
    }
    let values = typed.unwrap_or_else(|| task_values(&p.task, &p.co_department_ids));
    let all = crate::org::service::list(app, ctx.actor()?, true).await?;
    let (departments, co_units) = unit_choices(&all, ctx, &values);
    Ok(TaskEdit {
        page: Page::new(app, ctx, "plans-edit-title"),
        task: p.task,
        departments,
        co_units,
        task_values: values,
        errors,
    })
}

async fn task_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &task_view(&app, &ctx, id, None, FormErrors::default()).await?,
    ))
}

async fn task_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = tasks::update(&app, ctx.actor()?, id, &task_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |t| format!("/tasks/{}", t.id),
        async |errors| task_view(&app, &ctx, id, Some(form), errors).await,
    )
    .await
}

// ---- KPI ----

#[derive(Template)]
#[template(path = "plans/edit_kpi.html")]
struct KpiEdit {
    page: Page,
    kpi: Kpi,
    directions: Vec<Choice>,
    sources: Vec<Choice>,
    tags: Vec<Choice>,
    draft: Pairs,
    errors: FormErrors,
}

async fn kpi_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    typed: Option<Pairs>,
    errors: FormErrors,
) -> Result<KpiEdit> {
    let (kpi, goal_id) = {
        let mut conn = app.db.pool().acquire().await?;
        let kpi = super::store::kpi(&mut conn, id)
            .await?
            .ok_or(Error::NotFound)?;
        let goal_id = kpi.goal_id;
        (kpi, goal_id)
    };
    if !service::goal(app, ctx.actor()?, goal_id).await?.may_manage {
        return Err(Error::Forbidden);
    }
    let draft = typed.unwrap_or_else(|| {
        pairs(&[
            ("name", kpi.name.clone()),
            ("unit", kpi.unit.clone()),
            ("direction", kpi.direction.as_str().to_string()),
            ("source", kpi.source.clone()),
            (
                "tag_id",
                kpi.tag_id.map(|t| t.to_string()).unwrap_or_default(),
            ),
            ("baseline", kpi.baseline.clone()),
            ("baseline_on", kpi.baseline_on.clone()),
            ("target", kpi.target.clone()),
            ("target_on", kpi.target_on.clone()),
        ])
    });
    let page = Page::new(app, ctx, "plans-edit-title");
    let sources: Vec<&str> = super::kpi::Source::ALL.iter().map(|s| s.as_str()).collect();
    let tags = super::web::tag_choices(app, ctx, &page, &draft.one("tag_id")).await?;
    Ok(KpiEdit {
        directions: choices(
            &page,
            "kpi-direction",
            &["higher", "lower"],
            &draft.one("direction"),
        ),
        sources: choices(&page, "kpi-source", &sources, &draft.one("source")),
        tags,
        page,
        kpi,
        draft,
        errors,
    })
}

async fn kpi_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &kpi_view(&app, &ctx, id, None, FormErrors::default()).await?,
    ))
}

async fn kpi_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let result = service::update_kpi(&app, ctx.actor()?, id, &kpi_draft(&form)).await;
    after_form(
        &app,
        &ctx,
        result,
        |k| format!("/goals/{}", k.goal_id),
        async |errors| kpi_view(&app, &ctx, id, Some(form), errors).await,
    )
    .await
}
