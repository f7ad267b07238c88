//! The admin's view of the job queue: counts, recent jobs, dead ones to retry.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::error::{Code, Error, Result};
use crate::jobs::queue::{self, JobRecord, JobState};
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path, Query};
use crate::web::page::{Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/admin/jobs", get(jobs_page))
        .route("/admin/jobs/{id}/retry", post(retry_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list))
        .routes(routes!(api_retry))
}

const PAGE_SIZE: i64 = 200;

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    page: Page,
    counts: Vec<(String, String, i64)>,
    jobs: Vec<JobRecord>,
    state: String,
}

#[derive(Deserialize, IntoParams)]
pub struct JobsQuery {
    /// queued, running, done or dead.
    pub state: Option<String>,
}

impl JobsQuery {
    fn state(&self) -> Result<Option<JobState>> {
        match self.state.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => JobState::parse(s)
                .map(Some)
                .ok_or(Error::field("state", Code::InvalidChoice)),
        }
    }
}

async fn jobs_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<JobsQuery>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let state = q.state()?;
    let jobs = queue::list(&app, actor, state, PAGE_SIZE).await?;
    let page = Page::new(&app, &ctx, "jobs-title");
    let counts = queue::counts(&app, actor)
        .await?
        .into_iter()
        .map(|(s, n)| {
            (
                s.as_str().to_string(),
                page.t(&format!("job-state-{}", s.as_str())),
                n,
            )
        })
        .collect();
    let state = state.map(|s| s.as_str().to_string()).unwrap_or_default();
    Ok(render(&JobsPage {
        page,
        counts,
        jobs,
        state,
    }))
}

async fn retry_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    queue::retry(&app, ctx.actor()?, id).await?;
    Ok(Redirect::to("/admin/jobs?state=queued").into_response())
}

#[derive(Serialize, ToSchema)]
pub struct JobDto {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<JobRecord> for JobDto {
    fn from(j: JobRecord) -> Self {
        JobDto {
            id: j.id,
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: j.run_at.rfc3339(),
            last_error: j.last_error,
            created_at: j.created_at.rfc3339(),
            finished_at: j.finished_at.map(|t| t.rfc3339()),
        }
    }
}

#[utoipa::path(get, operation_id = "list_jobs", path = "/api/v1/jobs", tag = "jobs", params(JobsQuery),
    responses((status = 200, body = [JobDto]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<JobsQuery>,
) -> Result<Json<Vec<JobDto>>> {
    let state = q.state()?;
    let jobs = queue::list(&app, ctx.actor()?, state, PAGE_SIZE).await?;
    Ok(Json(jobs.into_iter().map(JobDto::from).collect()))
}

#[utoipa::path(post, operation_id = "retry_job", path = "/api/v1/jobs/{id}/retry", tag = "jobs",
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobDto), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_retry(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<JobDto>> {
    Ok(Json(queue::retry(&app, ctx.actor()?, id).await?.into()))
}
