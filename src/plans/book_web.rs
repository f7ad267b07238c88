//! The task book as a file: import (`/plans/{id}/import`,
//! `POST /api/v1/plans/{id}/import`) and export (`/plans/{id}/export`,
//! `GET /api/v1/plans/{id}/export`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::book;
use crate::app::App;
use crate::auth::Action;
use crate::error::{Error, Result};
use crate::sheets::report::ReportView;
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path, Query, Upload};
use crate::web::imports::{self, ExportParams, ImportParams};
use crate::web::page::{Choice, FormErrors, Page, download, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/plans/{id}/import", get(import_page).post(import_form))
        .route("/plans/{id}/export", get(export_page))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_import))
        .routes(routes!(api_export))
}

#[derive(Template)]
#[template(path = "plans/import.html")]
struct ImportPage {
    page: Page,
    plan: super::model::Plan,
    goals: Vec<Choice>,
    report: Option<ReportView>,
    errors: FormErrors,
}

async fn import_view(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    report: Option<ReportView>,
    errors: FormErrors,
) -> Result<ImportPage> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManagePlans)?;
    let p = super::service::get(app, actor, id).await?;
    let page = Page::new(app, ctx, "plans-import-title");
    let mut goals = vec![Choice {
        value: String::new(),
        label: page.t("plans-import-goal-column"),
        selected: true,
    }];
    goals.extend(p.goals.iter().map(|g| Choice {
        value: g.id.to_string(),
        label: g.title.clone(),
        selected: false,
    }));
    Ok(ImportPage {
        page,
        plan: p.plan,
        goals,
        report,
        errors,
    })
}

async fn import_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    Ok(render(
        &import_view(&app, &ctx, id, None, FormErrors::default()).await?,
    ))
}

async fn import_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    upload: Upload,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let goal = upload.text("goal_id").and_then(|g| g.parse().ok());
    let outcome = match upload.sheet() {
        Err(e) => Err(e),
        Ok((format, bytes)) => {
            book::import(&app, actor, id, goal, bytes, format, upload.has("dry_run")).await
        }
    };
    let (report, errors, status) = match outcome {
        Ok(report) => (
            Some(ReportView::new(&report, &app.i18n, ctx.locale)),
            FormErrors::default(),
            imports::status(&report),
        ),
        Err(Error::Invalid(errors)) => (
            None,
            FormErrors::new(&app, ctx.locale, &errors),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e),
    };
    let mut response = render(&import_view(&app, &ctx, id, report, errors).await?);
    *response.status_mut() = status;
    Ok(response)
}

async fn export(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    params: &ExportParams,
) -> Result<Response> {
    let format = params.format()?;
    let bytes = book::export(app, ctx.actor()?, id, format, ctx.locale).await?;
    Ok(download(
        bytes,
        format.content_type(),
        &format!("task-book-{id}.{}", format.extension()),
    ))
}

async fn export_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<ExportParams>,
) -> Result<Response> {
    export(&app, &ctx, id, &params).await
}

#[derive(Deserialize, IntoParams)]
pub struct GoalParam {
    /// The goal rows go under when the file has no goal column.
    pub goal_id: Option<i64>,
}

#[utoipa::path(post, operation_id = "import_task_book", path = "/api/v1/plans/{id}/import", tag = "plans",
    params(ImportParams, GoalParam), request_body(content = Vec<u8>, description = "The CSV or XLSX task book: task, measures, lead unit, co-units, deadline, ... (headers in any of the four languages); a number column (1, 1.1) makes sub-tasks", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, imported)", body = ReportView),
        (status = 422, description = "Problems found (unknown units named); nothing imported", body = ReportView),
        (status = 403, body = ErrorBody)))]
async fn api_import(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<ImportParams>,
    Query(goal): Query<GoalParam>,
    body: axum::body::Bytes,
) -> Result<(axum::http::StatusCode, Json<ReportView>)> {
    let (format, dry_run) = params.parse()?;
    let report = book::import(&app, ctx.actor()?, id, goal.goal_id, &body, format, dry_run).await?;
    Ok(imports::respond(&app, ctx.locale, &report))
}

#[utoipa::path(get, operation_id = "export_task_book", path = "/api/v1/plans/{id}/export", tag = "plans",
    params(ExportParams),
    responses((status = 200, description = "The plan's task book as a CSV or XLSX file, headers in the reader's language", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, body = ErrorBody)))]
async fn api_export(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<ExportParams>,
) -> Result<Response> {
    export(&app, &ctx, id, &params).await
}
