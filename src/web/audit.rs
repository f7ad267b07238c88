//! The audit page and API: the newest events.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::db::events::{self, Event};
use crate::error::Result;
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Query};
use crate::web::page::{Page, render};

pub fn pages() -> Router<App> {
    Router::new().route("/admin/events", get(events_page))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(api_events))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    events: Vec<Event>,
}

async fn events_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    let events = crate::audit::latest(&app, ctx.actor()?, 200).await?;
    Ok(render(&AuditPage {
        page: Page::new(&app, &ctx, "audit-title"),
        events,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub id: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<Event> for EventDto {
    fn from(e: Event) -> Self {
        EventDto {
            before: events::json(&e.before_json),
            after: events::json(&e.after_json),
            id: e.id,
            at: e.at.rfc3339(),
            actor_user_id: e.actor_user_id,
            actor_name: e.actor_name,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            action: e.action,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct EventsQuery {
    /// How many of the newest events (at most 500).
    pub limit: Option<i64>,
}

#[utoipa::path(get, operation_id = "list_events", path = "/api/v1/events", tag = "audit", params(EventsQuery),
    responses((status = 200, body = [EventDto]), (status = 403, body = ErrorBody)))]
async fn api_events(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<EventsQuery>,
) -> Result<Json<Vec<EventDto>>> {
    let events = crate::audit::latest(&app, ctx.actor()?, q.limit.unwrap_or(100)).await?;
    Ok(Json(events.into_iter().map(EventDto::from).collect()))
}
