//! Pages and API for importing and exporting enterprises, contacts and
//! indicators. One page takes any of the three files; each has its own API
//! route so that the API documents what it reads.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::auth::permission::Action;
use crate::enterprises::transfer::Dataset;
use crate::enterprises::web::ListParams;
use crate::error::{Code, Error, Result};
use crate::sheets::report::ReportView;
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Query, Upload};
use crate::web::imports::{self, ExportParams, ImportParams};
use crate::web::page::{Choice, FormErrors, Page, download, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/enterprises/import", get(import_page).post(import_form))
        .route("/enterprises/export", get(export_file))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_import))
        .routes(routes!(api_import_contacts))
        .routes(routes!(api_import_indicators))
        .routes(routes!(api_export))
        .routes(routes!(api_export_contacts))
        .routes(routes!(api_export_indicators))
}

#[derive(Template)]
#[template(path = "enterprises/import.html")]
struct ImportPage {
    page: Page,
    datasets: Vec<Choice>,
    report: Option<ReportView>,
    errors: FormErrors,
}

fn dataset_choices(page: &Page, chosen: Dataset) -> Vec<Choice> {
    Dataset::ALL
        .into_iter()
        .map(|d| Choice {
            value: d.as_str().to_string(),
            label: page.t(&format!("import-dataset-{}", d.as_str())),
            selected: d == chosen,
        })
        .collect()
}

#[derive(Deserialize, IntoParams)]
pub struct DatasetParams {
    /// enterprises (default), contacts, indicators or (import only) demands.
    pub dataset: Option<String>,
}

fn dataset(raw: Option<&str>) -> Result<Dataset> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Dataset::Enterprises),
        Some(s) => Dataset::parse(s).ok_or(Error::field("dataset", Code::InvalidChoice)),
    }
}

async fn import_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<DatasetParams>,
) -> Result<Response> {
    crate::auth::authorize(ctx.actor()?, Action::ManageEnterprises)?;
    let page = Page::new(&app, &ctx, "import-title");
    let datasets = dataset_choices(&page, dataset(params.dataset.as_deref())?);
    Ok(render(&ImportPage {
        page,
        datasets,
        report: None,
        errors: FormErrors::default(),
    }))
}

async fn import_form(State(app): State<App>, Ctx(ctx): Ctx, upload: Upload) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManageEnterprises)?;
    let page = Page::new(&app, &ctx, "import-title");
    let chosen = dataset(upload.text("dataset"));
    let datasets = dataset_choices(&page, *chosen.as_ref().unwrap_or(&Dataset::Enterprises));
    let outcome = match (chosen, upload.sheet()) {
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(chosen), Ok((format, bytes))) => {
            let dry_run = upload.has("dry_run");
            chosen.import(&app, actor, bytes, format, dry_run).await
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
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e),
    };
    let mut response = render(&ImportPage {
        page,
        datasets,
        report,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn export_file(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(filters): Query<ListParams>,
    Query(params): Query<ExportParams>,
    Query(what): Query<DatasetParams>,
) -> Result<Response> {
    export(
        &app,
        &ctx,
        dataset(what.dataset.as_deref())?,
        &filters,
        &params,
    )
    .await
}

async fn export(
    app: &App,
    ctx: &RequestContext,
    dataset: Dataset,
    filters: &ListParams,
    params: &ExportParams,
) -> Result<Response> {
    let format = params.format()?;
    let bytes = dataset
        .export(app, ctx.actor()?, &filters.query()?, format, ctx.locale)
        .await?;
    let name = format!("{}.{}", dataset.as_str(), format.extension());
    Ok(download(bytes, format.content_type(), &name))
}

#[utoipa::path(get, operation_id = "export_enterprises", path = "/api/v1/enterprises/export", tag = "enterprises",
    params(ListParams, ExportParams),
    responses((status = 200, description = "The filtered list as a CSV or XLSX file", content_type = "application/octet-stream", body = Vec<u8>)))]
async fn api_export(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(filters): Query<ListParams>,
    Query(params): Query<ExportParams>,
) -> Result<Response> {
    export(&app, &ctx, Dataset::Enterprises, &filters, &params).await
}

#[utoipa::path(get, operation_id = "export_contacts", path = "/api/v1/enterprises/contacts/export", tag = "enterprises",
    params(ListParams, ExportParams),
    responses(
        (status = 200, description = "Contacts of the filtered enterprises as a CSV or XLSX file; the export is recorded as an event", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 403, body = ErrorBody)))]
async fn api_export_contacts(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(filters): Query<ListParams>,
    Query(params): Query<ExportParams>,
) -> Result<Response> {
    export(&app, &ctx, Dataset::Contacts, &filters, &params).await
}

#[utoipa::path(get, operation_id = "export_indicators", path = "/api/v1/enterprises/indicators/export", tag = "enterprises",
    params(ListParams, ExportParams),
    responses((status = 200, description = "Operating indicators of the filtered enterprises as a CSV or XLSX file", content_type = "application/octet-stream", body = Vec<u8>)))]
async fn api_export_indicators(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(filters): Query<ListParams>,
    Query(params): Query<ExportParams>,
) -> Result<Response> {
    export(&app, &ctx, Dataset::Indicators, &filters, &params).await
}

async fn import(
    app: &App,
    ctx: &RequestContext,
    dataset: Dataset,
    params: &ImportParams,
    body: &[u8],
) -> Result<(StatusCode, Json<ReportView>)> {
    let (format, dry_run) = params.parse()?;
    let report = dataset
        .import(app, ctx.actor()?, body, format, dry_run)
        .await?;
    Ok(imports::respond(app, ctx.locale, &report))
}

#[utoipa::path(post, operation_id = "import_enterprises", path = "/api/v1/enterprises/import", tag = "enterprises",
    params(ImportParams), request_body(content = Vec<u8>, description = "The CSV or XLSX file", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, imported)", body = ReportView),
        (status = 422, description = "Problems found; nothing imported", body = ReportView)))]
async fn api_import(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ImportParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportView>)> {
    import(&app, &ctx, Dataset::Enterprises, &params, &body).await
}

#[utoipa::path(post, operation_id = "import_contacts", path = "/api/v1/enterprises/contacts/import", tag = "enterprises",
    params(ImportParams), request_body(content = Vec<u8>, description = "The CSV or XLSX file: one contact per row, the enterprise named by its credit code", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, imported)", body = ReportView),
        (status = 422, description = "Problems found; nothing imported", body = ReportView)))]
async fn api_import_contacts(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ImportParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportView>)> {
    import(&app, &ctx, Dataset::Contacts, &params, &body).await
}

#[utoipa::path(post, operation_id = "import_indicators", path = "/api/v1/enterprises/indicators/import", tag = "enterprises",
    params(ImportParams), request_body(content = Vec<u8>, description = "The CSV or XLSX file: one figure per row (credit code, period, metric, value, unit, currency)", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, imported)", body = ReportView),
        (status = 422, description = "Problems found; nothing imported", body = ReportView)))]
async fn api_import_indicators(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ImportParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportView>)> {
    import(&app, &ctx, Dataset::Indicators, &params, &body).await
}
