//! Uploading, downloading and removing attachments, on pages and the API.
//! Downloads always leave the page as files (`Content-Disposition:
//! attachment`, `nosniff`), so an uploaded HTML or image cannot run in the
//! application's origin.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::attachments::model::{Attachment, Owner, accepted_extensions};
use crate::attachments::service;
use crate::error::{Code, Error, Result};
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path, Query, Upload};
use crate::web::page::download;

pub fn pages() -> Router<App> {
    Router::new()
        .route("/attachments/{owner_type}/{owner_id}", post(upload_form))
        .route("/attachments/{id}", get(download_file))
        .route("/attachments/{id}/remove", post(remove_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list_engagement, api_attach_engagement))
        .routes(routes!(api_list_demand, api_attach_demand))
        .routes(routes!(api_list_task, api_attach_task))
        .routes(routes!(api_download, api_remove))
}

/// What a page needs to show an owner's files and the form to add one.
pub struct Section {
    pub upload_action: String,
    pub items: Vec<Attachment>,
    pub can_manage: bool,
    pub accept: String,
}

impl Section {
    pub async fn load(app: &App, actor: &crate::auth::Actor, owner: Owner) -> Result<Section> {
        let mut conn = app.db.pool().acquire().await?;
        let can_manage = service::check(&mut conn, actor, owner, true).await.is_ok();
        drop(conn);
        Ok(Section {
            upload_action: format!("/attachments/{}/{}", owner.kind(), owner.id()),
            items: service::list(app, actor, owner).await?,
            can_manage,
            accept: accepted_extensions(),
        })
    }
}

async fn upload_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path((owner_type, owner_id)): Path<(String, i64)>,
    upload: Upload,
) -> Result<Response> {
    let owner = Owner::from_parts(&owner_type, owner_id).ok_or(Error::NotFound)?;
    let (name, bytes) = upload.file.ok_or(Error::field("file", Code::Required))?;
    service::attach(&app, ctx.actor()?, owner, &name, &bytes).await?;
    Ok(Redirect::to(&owner.page()).into_response())
}

async fn download_file(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (attachment, bytes) = service::download(&app, ctx.actor()?, id).await?;
    Ok(download(
        bytes,
        &attachment.content_type,
        &attachment.file_name,
    ))
}

async fn remove_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let removed = service::remove(&app, ctx.actor()?, id).await?;
    let back = removed
        .owner()
        .map(Owner::page)
        .unwrap_or_else(|| "/".into());
    Ok(Redirect::to(&back).into_response())
}

#[utoipa::path(get, operation_id = "list_engagement_attachments", path = "/api/v1/engagements/{id}/attachments", tag = "engagements",
    params(("id" = i64, Path, description = "Engagement id")),
    responses((status = 200, body = Vec<Attachment>), (status = 403, body = ErrorBody)))]
async fn api_list_engagement(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Attachment>>> {
    Ok(Json(
        service::list(&app, ctx.actor()?, Owner::Engagement(id)).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct AttachParams {
    /// The file's name; its extension decides the type (pdf, docx, xlsx,
    /// jpg, png, …).
    pub file_name: String,
}

#[utoipa::path(post, operation_id = "attach_to_engagement", path = "/api/v1/engagements/{id}/attachments", tag = "engagements",
    params(("id" = i64, Path, description = "Engagement id"), AttachParams),
    request_body(content = Vec<u8>, description = "The file itself", content_type = "application/octet-stream"),
    responses(
        (status = 201, body = Attachment),
        (status = 422, description = "Refused type, empty or too large", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn api_attach_engagement(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<AttachParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Attachment>)> {
    let owner = Owner::Engagement(id);
    let attachment = service::attach(&app, ctx.actor()?, owner, &params.file_name, &body).await?;
    Ok((StatusCode::CREATED, Json(attachment)))
}

#[utoipa::path(get, operation_id = "list_demand_attachments", path = "/api/v1/demands/{id}/attachments", tag = "demands",
    params(("id" = i64, Path, description = "Demand id")),
    responses((status = 200, body = Vec<Attachment>), (status = 404, body = ErrorBody)))]
async fn api_list_demand(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Attachment>>> {
    Ok(Json(
        service::list(&app, ctx.actor()?, Owner::Demand(id)).await?,
    ))
}

#[utoipa::path(post, operation_id = "attach_to_demand", path = "/api/v1/demands/{id}/attachments", tag = "demands",
    params(("id" = i64, Path, description = "Demand id"), AttachParams),
    request_body(content = Vec<u8>, description = "The file itself", content_type = "application/octet-stream"),
    responses(
        (status = 201, body = Attachment),
        (status = 403, description = "The demand is closed, or the caller does not work on it", body = ErrorBody),
        (status = 422, description = "Refused type, empty or too large", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn api_attach_demand(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<AttachParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Attachment>)> {
    let owner = Owner::Demand(id);
    let attachment = service::attach(&app, ctx.actor()?, owner, &params.file_name, &body).await?;
    Ok((StatusCode::CREATED, Json(attachment)))
}

#[utoipa::path(get, operation_id = "list_task_attachments", path = "/api/v1/tasks/{id}/attachments", tag = "plans",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = Vec<Attachment>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_list_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Attachment>>> {
    Ok(Json(
        service::list(&app, ctx.actor()?, Owner::Task(id)).await?,
    ))
}

#[utoipa::path(post, operation_id = "attach_to_task", path = "/api/v1/tasks/{id}/attachments", tag = "plans",
    params(("id" = i64, Path, description = "Task id"), AttachParams),
    request_body(content = Vec<u8>, description = "The file itself (a report's papers)", content_type = "application/octet-stream"),
    responses(
        (status = 201, body = Attachment),
        (status = 403, description = "Not the task's lead or co-unit, or its plan is not live", body = ErrorBody),
        (status = 422, description = "Refused type, empty or too large", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn api_attach_task(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(params): Query<AttachParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Attachment>)> {
    let owner = Owner::Task(id);
    let attachment = service::attach(&app, ctx.actor()?, owner, &params.file_name, &body).await?;
    Ok((StatusCode::CREATED, Json(attachment)))
}

#[utoipa::path(get, operation_id = "download_attachment", path = "/api/v1/attachments/{id}", tag = "attachments",
    params(("id" = i64, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file, or not visible to the caller", body = ErrorBody)))]
async fn api_download(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    download_file(State(app), Ctx(ctx), Path(id)).await
}

#[utoipa::path(delete, operation_id = "remove_attachment", path = "/api/v1/attachments/{id}", tag = "attachments",
    params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 200, body = Attachment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_remove(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Attachment>> {
    Ok(Json(service::remove(&app, ctx.actor()?, id).await?))
}
