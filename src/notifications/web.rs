//! The notifications page (with mute settings) and `/api/v1/notifications`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::error::Result;
use crate::notifications::model::{Kind, Notification};
use crate::notifications::service;
use crate::web::context::Ctx;
use crate::web::extract::{Json, Pairs, Query};
use crate::web::page::{Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/notifications", get(list_page))
        .route("/notifications/read", post(read_form))
        .route("/notifications/mutes", post(mutes_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list))
        .routes(routes!(api_read))
        .routes(routes!(api_mutes))
}

struct Row {
    href: String,
    text: String,
    at: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    kinds: Vec<(String, String, bool)>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// The id of the last notification of the previous page.
    pub before: Option<i64>,
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let list = service::list(&app, actor, params.before).await?;
    let muted = service::mutes(&app, actor).await?;
    let page = Page::new(&app, &ctx, "notifications-title");
    let rows = list
        .iter()
        .map(|n| Row {
            href: n.href(),
            text: page.t1(&n.kind.message_id(), "title", &n.title),
            at: n.created_at.local_minutes(),
            unread: n.read_at.is_none(),
        })
        .collect();
    let kinds = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                page.t(&format!("{}-name", k.message_id())),
                muted.contains(k),
            )
        })
        .collect();
    Ok(render(&ListPage { page, rows, kinds }))
}

async fn read_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    service::mark_read(&app, ctx.actor()?, &form.ids("id")).await?;
    Ok(Redirect::to("/notifications").into_response())
}

async fn mutes_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let kinds: Vec<String> = form
        .0
        .iter()
        .filter(|(k, _)| k == "muted")
        .map(|(_, v)| v.clone())
        .collect();
    service::set_mutes(&app, ctx.actor()?, &kinds).await?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(serde::Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<Notification>,
}

#[utoipa::path(get, operation_id = "list_notifications", path = "/api/v1/notifications", tag = "notifications",
    params(ListParams),
    responses((status = 200, description = "The caller's own notifications, newest first", body = NotificationList)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<NotificationList>> {
    let actor = ctx.actor()?;
    Ok(Json(NotificationList {
        unread: service::unread(&app, actor).await?,
        items: service::list(&app, actor, params.before).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReadBody {
    /// Which to mark read; empty or absent: all.
    #[serde(default)]
    pub ids: Vec<i64>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Marked {
    pub marked: u64,
}

#[utoipa::path(post, operation_id = "read_notifications", path = "/api/v1/notifications/read", tag = "notifications",
    request_body = ReadBody,
    responses((status = 200, body = Marked)))]
async fn api_read(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<ReadBody>,
) -> Result<Json<Marked>> {
    Ok(Json(Marked {
        marked: service::mark_read(&app, ctx.actor()?, &body.ids).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct MutesBody {
    /// The kinds not to be told of (assigned, returned, question,
    /// extension_decision, replied, due_soon, overdue, escalated, instruction, problem_assigned).
    pub kinds: Vec<String>,
}

#[utoipa::path(put, operation_id = "set_notification_mutes", path = "/api/v1/notifications/mutes", tag = "notifications",
    request_body = MutesBody,
    responses((status = 200, body = Vec<Kind>), (status = 422, body = crate::web::errors::ErrorBody)))]
async fn api_mutes(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<MutesBody>,
) -> Result<Json<Vec<Kind>>> {
    Ok(Json(
        service::set_mutes(&app, ctx.actor()?, &body.kinds).await?,
    ))
}
