//! Common problems: the list with proposals (`/common-problems`), a
//! problem's page with its members, timeline and reply, and
//! `/api/v1/common-problems`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{CommonProblem, Member, ProblemDraft, ProblemReply, ProblemSummary};
use super::service::{self, Proposal};
use crate::app::App;
use crate::error::{Error, Result};
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Pairs, Path};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/common-problems", get(list_page).post(create_form))
        .route("/common-problems/{id}", get(show_page))
        .route("/common-problems/{id}/reply", post(reply_form))
        .route("/common-problems/{id}/members", post(member_form))
        .route("/common-problems/{id}/close", post(close_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_proposals))
        .routes(routes!(api_get))
        .routes(routes!(api_reply))
        .routes(routes!(api_member))
        .routes(routes!(api_close))
        .routes(routes!(api_similar))
}

/// The departments a problem may be led by (active ones).
pub(crate) fn department_choices(
    departments: &[crate::org::Department],
    ctx: &RequestContext,
    selected: Option<i64>,
) -> Vec<Choice> {
    departments
        .iter()
        .filter(|d| d.is_active())
        .map(|d| Choice {
            value: d.id.to_string(),
            label: d.name(ctx.locale).to_string(),
            selected: Some(d.id) == selected,
        })
        .collect()
}

struct Row {
    summary: ProblemSummary,
    state: String,
    lead: String,
}

#[derive(Template)]
#[template(path = "problems/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    proposals: Vec<Proposal>,
    may_manage: bool,
    departments: Vec<Choice>,
    draft_title: String,
    draft_due: String,
    draft_ids: String,
    errors: FormErrors,
}

async fn list_view(
    app: &App,
    ctx: &RequestContext,
    draft: &Pairs,
    errors: FormErrors,
) -> Result<ListPage> {
    let actor = ctx.actor()?;
    let page = Page::new(app, ctx, "problems-title");
    let departments = crate::org::service::list(app, actor, true).await?;
    let rows = service::list(app, actor, None)
        .await?
        .into_iter()
        .map(|summary| Row {
            state: page.label("problem-state", summary.problem.state.as_str()),
            lead: departments
                .iter()
                .find(|d| d.id == summary.problem.lead_department_id)
                .map(|d| d.name(ctx.locale).to_string())
                .unwrap_or_default(),
            summary,
        })
        .collect();
    let may_manage =
        crate::auth::permission::allows(actor, crate::auth::Action::ManageCommonProblems);
    let proposals = if may_manage {
        service::proposals(app, actor, ctx.locale).await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        page,
        rows,
        proposals,
        may_manage,
        departments: department_choices(
            &departments,
            ctx,
            draft.one("lead_department_id").parse().ok(),
        ),
        draft_title: draft.one("title"),
        draft_due: draft.one("due_on"),
        draft_ids: draft.one("demand_ids"),
        errors,
    })
}

async fn list_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    Ok(render(
        &list_view(&app, &ctx, &Pairs(Vec::new()), FormErrors::default()).await?,
    ))
}

/// Demand ids typed or ticked: "12, 15 18" or one field per id.
fn demand_ids(form: &Pairs) -> Vec<i64> {
    form.0
        .iter()
        .filter(|(k, _)| k == "demand_ids")
        .flat_map(|(_, v)| v.split(|c: char| c == ',' || c.is_whitespace()))
        .filter_map(|s| s.trim().trim_start_matches('#').parse().ok())
        .collect()
}

fn draft_of(form: &Pairs) -> ProblemDraft {
    ProblemDraft {
        title: form.one("title"),
        summary: Some(form.one("summary")).filter(|s| !s.trim().is_empty()),
        lead_department_id: form.one("lead_department_id").parse().ok(),
        due_on: form.one("due_on"),
        demand_ids: demand_ids(form),
    }
}

fn unprocessable(mut response: Response) -> Response {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn create_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    match service::create(&app, ctx.actor()?, &draft_of(&form)).await {
        Ok(p) => Ok(Redirect::to(&format!("/common-problems/{}", p.id)).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let errors = FormErrors::new(&app, ctx.locale, &e.field_errors());
            Ok(unprocessable(render(
                &list_view(&app, &ctx, &form, errors).await?,
            )))
        }
        Err(e) => Err(e),
    }
}

struct TimelineRow {
    at: String,
    actor: String,
    action: String,
}

#[derive(Template)]
#[template(path = "problems/show.html")]
struct ShowPage {
    page: Page,
    problem: CommonProblem,
    state: String,
    lead: String,
    members: Vec<(Member, String, String)>,
    enterprises: usize,
    timeline: Vec<TimelineRow>,
    may_reply: bool,
    may_manage: bool,
    /// Road-map tasks that work on it.
    linked_tasks: Vec<crate::plans::model::Task>,
    errors: FormErrors,
}

async fn show_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    errors: FormErrors,
) -> Result<ShowPage> {
    let actor = ctx.actor()?;
    let p = service::get(app, actor, id).await?;
    let page = Page::new(app, ctx, "problems-show-title");
    let departments = crate::org::service::list(app, actor, true).await?;
    let lead = departments
        .iter()
        .find(|d| d.id == p.problem.lead_department_id)
        .map(|d| d.name(ctx.locale).to_string())
        .unwrap_or_default();
    let ids: Vec<i64> = p.members.iter().map(|m| m.enterprise_id).collect();
    let names = crate::enterprises::service::names(app, actor, ctx.locale, &ids).await?;
    let members = p
        .members
        .into_iter()
        .map(|m| {
            let enterprise = names.get(&m.enterprise_id).cloned().unwrap_or_default();
            let state = page.label("demand-state", &m.state);
            (m, enterprise, state)
        })
        .collect();
    let linked_tasks =
        crate::plans::links::tasks_on(app, actor, crate::plans::links::Target::CommonProblem, id)
            .await?;
    Ok(ShowPage {
        linked_tasks,
        state: page.label("problem-state", p.problem.state.as_str()),
        timeline: p
            .timeline
            .iter()
            .map(|e| TimelineRow {
                at: e.at.local_minutes(),
                actor: e.actor_name.clone(),
                action: page.label("problem-event", &e.action),
            })
            .collect(),
        page,
        problem: p.problem,
        lead,
        members,
        enterprises: p.enterprises,
        may_reply: p.may_reply,
        may_manage: p.may_manage,
        errors,
    })
}

async fn show_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    Ok(render(
        &show_view(&app, &ctx, id, FormErrors::default()).await?,
    ))
}

/// Runs a form's change; on bad input shows the page again with the
/// problems, else goes back to it.
async fn then_show(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    result: Result<CommonProblem>,
) -> Result<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/common-problems/{id}")).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let errors = FormErrors::new(app, ctx.locale, &e.field_errors());
            Ok(unprocessable(render(
                &show_view(app, ctx, id, errors).await?,
            )))
        }
        Err(e) => Err(e),
    }
}

async fn reply_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let reply = ProblemReply {
        text: form.one("text"),
        policy_basis: Some(form.one("policy_basis")).filter(|s| !s.trim().is_empty()),
    };
    let result = service::reply(&app, ctx.actor()?, id, &reply).await;
    then_show(&app, &ctx, id, result).await
}

async fn member_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let demand = form
        .one("demand_id")
        .trim()
        .trim_start_matches('#')
        .parse::<i64>();
    let result = match demand {
        Ok(demand) => {
            service::set_member(
                &app,
                ctx.actor()?,
                id,
                demand,
                form.one("remove").is_empty(),
            )
            .await
        }
        Err(_) => Err(Error::field("demand_id", crate::error::Code::InvalidNumber)),
    };
    then_show(&app, &ctx, id, result).await
}

async fn close_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let result = service::close(&app, ctx.actor()?, id).await;
    then_show(&app, &ctx, id, result).await
}

// ---- API ----

#[utoipa::path(get, operation_id = "list_common_problems", path = "/api/v1/common-problems", tag = "common problems",
    responses((status = 200, description = "Newest first, with how many demands and enterprises each touches", body = Vec<ProblemSummary>),
        (status = 403, body = ErrorBody)))]
async fn api_list(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<ProblemSummary>>> {
    Ok(Json(service::list(&app, ctx.actor()?, None).await?))
}

#[utoipa::path(post, operation_id = "create_common_problem", path = "/api/v1/common-problems", tag = "common problems",
    request_body = ProblemDraft,
    responses((status = 201, body = CommonProblem), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(draft): Json<ProblemDraft>,
) -> Result<(StatusCode, Json<CommonProblem>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&app, ctx.actor()?, &draft).await?),
    ))
}

#[utoipa::path(get, operation_id = "propose_common_problems", path = "/api/v1/common-problems/proposals", tag = "common problems",
    responses((status = 200, description = "Groups of open demands, from at least two enterprises, that look like one problem", body = Vec<Proposal>),
        (status = 403, body = ErrorBody)))]
async fn api_proposals(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<Proposal>>> {
    Ok(Json(
        service::proposals(&app, ctx.actor()?, ctx.locale).await?,
    ))
}

#[derive(serde::Serialize, ToSchema)]
pub struct ProblemDetail {
    pub problem: CommonProblem,
    pub members: Vec<Member>,
    pub enterprises: usize,
}

#[utoipa::path(get, operation_id = "get_common_problem", path = "/api/v1/common-problems/{id}", tag = "common problems",
    responses((status = 200, body = ProblemDetail), (status = 404, body = ErrorBody)))]
async fn api_get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<ProblemDetail>> {
    let p = service::get(&app, ctx.actor()?, id).await?;
    Ok(Json(ProblemDetail {
        problem: p.problem,
        members: p.members,
        enterprises: p.enterprises,
    }))
}

#[utoipa::path(post, operation_id = "reply_common_problem", path = "/api/v1/common-problems/{id}/reply", tag = "common problems",
    request_body = ProblemReply,
    responses((status = 200, description = "Replied; the answer is delivered to every member demand in the background", body = CommonProblem),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_reply(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(reply): Json<ProblemReply>,
) -> Result<Json<CommonProblem>> {
    Ok(Json(service::reply(&app, ctx.actor()?, id, &reply).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct MemberChange {
    pub demand_id: i64,
    /// true: add the demand; false: take it out.
    pub member: bool,
}

#[utoipa::path(post, operation_id = "change_common_problem_member", path = "/api/v1/common-problems/{id}/members", tag = "common problems",
    request_body = MemberChange,
    responses((status = 200, body = CommonProblem), (status = 422, body = ErrorBody)))]
async fn api_member(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(change): Json<MemberChange>,
) -> Result<Json<CommonProblem>> {
    Ok(Json(
        service::set_member(&app, ctx.actor()?, id, change.demand_id, change.member).await?,
    ))
}

#[utoipa::path(post, operation_id = "close_common_problem", path = "/api/v1/common-problems/{id}/close", tag = "common problems",
    responses((status = 200, body = CommonProblem), (status = 422, body = ErrorBody)))]
async fn api_close(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<CommonProblem>> {
    Ok(Json(service::close(&app, ctx.actor()?, id).await?))
}

#[utoipa::path(get, operation_id = "similar_demands", path = "/api/v1/demands/{id}/similar", tag = "common problems",
    responses((status = 200, description = "The most similar open or recent demands of any enterprise and language, with the concepts they share", body = Vec<crate::problems::similar::Similar>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_similar(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<crate::problems::similar::Similar>>> {
    Ok(Json(
        crate::problems::similar::similar(&app, ctx.actor()?, id, ctx.locale).await?,
    ))
}
