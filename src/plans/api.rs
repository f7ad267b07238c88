//! `/api/v1/plans`, `/api/v1/goals`, `/api/v1/kpis`, `/api/v1/tasks`:
//! the road map and the task book as JSON.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::instructions::{self, Instruction, Subject};
use super::links::{self, Link};
use super::model::{
    Goal, GoalDraft, Kpi, KpiDraft, KpiValue, KpiValueDraft, Milestone, Plan, PlanDraft, Report,
    ReportDraft, Task, TaskDraft,
};
use super::service::{self, KpiStanding, PlanSummary};
use super::tasks::{self, BookRow};
use super::web::TaskFilter;
use crate::app::App;
use crate::error::{Code, Error, Result};
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path, Query};

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(plan_step))
        .routes(routes!(add_goal))
        .routes(routes!(get_goal, update_goal))
        .routes(routes!(add_kpi))
        .routes(routes!(update_kpi))
        .routes(routes!(add_kpi_value))
        .routes(routes!(add_task))
        .routes(routes!(list_tasks))
        .routes(routes!(get_task, update_task))
        .routes(routes!(add_report))
        .routes(routes!(set_milestone))
        .routes(routes!(instruct_plan))
        .routes(routes!(instruct_goal))
        .routes(routes!(instruct_task))
        .routes(routes!(link_task))
}

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans",
    responses((status = 200, description = "Plans, newest period first, with progress (the average of their goals')", body = Vec<PlanSummary>),
        (status = 403, body = ErrorBody)))]
async fn list_plans(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<PlanSummary>>> {
    Ok(Json(service::list(&app, ctx.actor()?).await?))
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = PlanDraft,
    responses((status = 201, body = Plan), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_plan(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(draft): Json<PlanDraft>,
) -> Result<(StatusCode, Json<Plan>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&app, ctx.actor()?, &draft).await?),
    ))
}

/// A plan with its goals, KPIs and the whole task book.
#[derive(Serialize, ToSchema)]
pub struct PlanDetail {
    pub plan: Plan,
    pub progress: f64,
    pub goals: Vec<Goal>,
    pub kpis: Vec<KpiStanding>,
    /// Tasks depth-first, parents before their sub-tasks.
    pub tasks: Vec<BookRow>,
    pub instructions: Vec<Instruction>,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans",
    responses((status = 200, body = PlanDetail), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_plan(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<PlanDetail>> {
    let p = service::get(&app, ctx.actor()?, id).await?;
    Ok(Json(PlanDetail {
        plan: p.plan,
        progress: p.progress,
        goals: p.goals,
        kpis: p.kpis,
        tasks: p.book,
        instructions: p.instructions,
    }))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}", tag = "plans", request_body = PlanDraft,
    responses((status = 200, body = Plan), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_plan(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<PlanDraft>,
) -> Result<Json<Plan>> {
    Ok(Json(service::update(&app, ctx.actor()?, id, &draft).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanStep {
    /// approve (a leader; from draft), in_force (from approved) or close.
    pub step: String,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/steps", tag = "plans", request_body = PlanStep,
    responses((status = 200, body = Plan), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn plan_step(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<PlanStep>,
) -> Result<Json<Plan>> {
    let step = service::Step::parse(body.step.trim())
        .ok_or_else(|| Error::field("step", Code::InvalidChoice))?;
    Ok(Json(service::step(&app, ctx.actor()?, id, step).await?))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/goals", tag = "plans", request_body = GoalDraft,
    responses((status = 201, body = Goal), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn add_goal(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<GoalDraft>,
) -> Result<(StatusCode, Json<Goal>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::add_goal(&app, ctx.actor()?, id, &draft).await?),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct GoalDetail {
    pub goal: Goal,
    pub kpis: Vec<KpiStanding>,
    pub tasks: Vec<BookRow>,
    pub instructions: Vec<Instruction>,
}

#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "plans",
    responses((status = 200, body = GoalDetail), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_goal(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<GoalDetail>> {
    let p = service::goal(&app, ctx.actor()?, id).await?;
    Ok(Json(GoalDetail {
        goal: p.goal,
        kpis: p.kpis,
        tasks: p.book,
        instructions: p.instructions,
    }))
}

#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "plans", request_body = GoalDraft,
    responses((status = 200, body = Goal), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_goal(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<GoalDraft>,
) -> Result<Json<Goal>> {
    Ok(Json(
        service::update_goal(&app, ctx.actor()?, id, &draft).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/goals/{id}/kpis", tag = "plans", request_body = KpiDraft,
    responses((status = 201, body = Kpi), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn add_kpi(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<KpiDraft>,
) -> Result<(StatusCode, Json<Kpi>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::add_kpi(&app, ctx.actor()?, id, &draft).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/kpis/{id}", tag = "plans", request_body = KpiDraft,
    responses((status = 200, body = Kpi), (status = 422, description = "Bad input, or a new source for a KPI that has values", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_kpi(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<KpiDraft>,
) -> Result<Json<Kpi>> {
    Ok(Json(
        service::update_kpi(&app, ctx.actor()?, id, &draft).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/kpis/{id}/values", tag = "plans", request_body = KpiValueDraft,
    responses((status = 201, body = KpiValue), (status = 422, description = "Bad input, or a KPI fed from Liaison's figures", body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn add_kpi_value(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<KpiValueDraft>,
) -> Result<(StatusCode, Json<KpiValue>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::add_kpi_value(&app, ctx.actor()?, id, &draft).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks", tag = "plans", request_body = TaskDraft,
    responses((status = 201, body = Task), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn add_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<TaskDraft>,
) -> Result<(StatusCode, Json<Task>)> {
    Ok((
        StatusCode::CREATED,
        Json(tasks::create(&app, ctx.actor()?, id, &draft).await?),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct TaskQuery {
    /// A department's id, or "all"; an officer's own department by default.
    pub department: Option<String>,
    /// not_started, on_track, at_risk, late or done.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tasks", tag = "plans", params(TaskQuery),
    responses((status = 200, description = "Tasks the department leads or co-handles, by due day", body = Vec<Task>),
        (status = 403, body = ErrorBody)))]
async fn list_tasks(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<TaskQuery>,
) -> Result<Json<Vec<Task>>> {
    let actor = ctx.actor()?;
    let filter = TaskFilter {
        department: q.department,
        status: q.status,
    };
    Ok(Json(
        tasks::department_list(&app, actor, filter.department(actor), filter.status()).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct TaskDetail {
    pub task: Task,
    pub co_department_ids: Vec<i64>,
    pub sub_tasks: Vec<Task>,
    pub milestones: Vec<Milestone>,
    pub reports: Vec<Report>,
    pub instructions: Vec<Instruction>,
    pub links: Vec<Link>,
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "plans",
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<TaskDetail>> {
    let p = tasks::get(&app, ctx.actor()?, id).await?;
    Ok(Json(TaskDetail {
        task: p.task,
        co_department_ids: p.co_department_ids,
        sub_tasks: p.children,
        milestones: p.milestones,
        reports: p.reports,
        instructions: p.instructions,
        links: p.links,
    }))
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "plans", request_body = TaskDraft,
    responses((status = 200, body = Task), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<TaskDraft>,
) -> Result<Json<Task>> {
    Ok(Json(tasks::update(&app, ctx.actor()?, id, &draft).await?))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/reports", tag = "plans", request_body = ReportDraft,
    responses((status = 201, description = "Recorded; the task's parents and goal are recomputed", body = Report),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn add_report(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(draft): Json<ReportDraft>,
) -> Result<(StatusCode, Json<Report>)> {
    Ok((
        StatusCode::CREATED,
        Json(tasks::report(&app, ctx.actor()?, id, &draft).await?),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MilestoneChange {
    pub done: bool,
}

#[utoipa::path(post, path = "/api/v1/milestones/{id}", tag = "plans", request_body = MilestoneChange,
    responses((status = 200, body = Milestone), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_milestone(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(change): Json<MilestoneChange>,
) -> Result<Json<Milestone>> {
    Ok(Json(
        tasks::set_milestone(&app, ctx.actor()?, id, change.done).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct InstructionBody {
    pub body: String,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/instructions", tag = "plans", request_body = InstructionBody,
    responses((status = 201, description = "Given (a leader); the coordinators are told", body = Instruction),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn instruct_plan(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<InstructionBody>,
) -> Result<(StatusCode, Json<Instruction>)> {
    Ok((
        StatusCode::CREATED,
        Json(instructions::give(&app, ctx.actor()?, Subject::Plan(id), &body.body).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/goals/{id}/instructions", tag = "plans", request_body = InstructionBody,
    responses((status = 201, description = "Given (a leader); the coordinators are told", body = Instruction),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn instruct_goal(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<InstructionBody>,
) -> Result<(StatusCode, Json<Instruction>)> {
    Ok((
        StatusCode::CREATED,
        Json(instructions::give(&app, ctx.actor()?, Subject::Goal(id), &body.body).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/instructions", tag = "plans", request_body = InstructionBody,
    responses((status = 201, description = "Given (a leader); the lead and co-units are told", body = Instruction),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn instruct_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<InstructionBody>,
) -> Result<(StatusCode, Json<Instruction>)> {
    Ok((
        StatusCode::CREATED,
        Json(instructions::give(&app, ctx.actor()?, Subject::Task(id), &body.body).await?),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkChange {
    /// common_problem, demand or enterprise.
    pub target_type: String,
    pub target_id: i64,
    /// true (default): link; false: remove the link.
    #[serde(default)]
    pub linked: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/links", tag = "plans", request_body = LinkChange,
    responses((status = 200, body = Link), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn link_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(change): Json<LinkChange>,
) -> Result<Json<Link>> {
    let target = links::Target::parse(&change.target_type)
        .ok_or_else(|| Error::field("target_type", Code::InvalidChoice))?;
    Ok(Json(
        links::set(
            &app,
            ctx.actor()?,
            id,
            target,
            change.target_id,
            change.linked.unwrap_or(true),
        )
        .await?,
    ))
}
