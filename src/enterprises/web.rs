//! Enterprise pages and `/api/v1/enterprises` (the minimal registry).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::enterprises::model::{Enterprise, EnterpriseDraft};
use crate::enterprises::service;
use crate::error::Result;
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path};
use crate::web::page::{Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/enterprises", get(list_page))
        .route("/enterprises/{id}", get(show_page))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_get))
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub country: String,
}

#[derive(Template)]
#[template(path = "enterprises/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
}

async fn list_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    let list = service::list(&app, ctx.actor()?).await?;
    let rows = list
        .iter()
        .map(|e| Row {
            id: e.id,
            name: e.name(ctx.locale).to_string(),
            country: e.country.clone(),
        })
        .collect();
    Ok(render(&ListPage {
        page: Page::new(&app, &ctx, "enterprises-title"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "enterprises/show.html")]
struct ShowPage {
    page: Page,
    enterprise: Enterprise,
    country: String,
}

async fn show_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let enterprise = service::get(&app, ctx.actor()?, id).await?;
    let mut page = Page::new(&app, &ctx, "enterprises-title");
    page.title = enterprise.name(ctx.locale).to_string();
    let country = crate::reference::country_name(&enterprise.country, ctx.locale);
    Ok(render(&ShowPage {
        page,
        enterprise,
        country,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDto {
    pub id: i64,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    /// ISO 3166-1 alpha-2 code of the investor's country or region.
    pub country: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Enterprise> for EnterpriseDto {
    fn from(e: Enterprise) -> Self {
        EnterpriseDto {
            id: e.id,
            name_zh: e.name_zh,
            name_ja: e.name_ja,
            name_ko: e.name_ko,
            name_en: e.name_en,
            country: e.country,
            created_at: e.created_at.rfc3339(),
            updated_at: e.updated_at.rfc3339(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateEnterprise {
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: String,
}

#[utoipa::path(get, operation_id = "list_enterprises", path = "/api/v1/enterprises", tag = "enterprises",
    responses((status = 200, description = "Enterprises the caller may see", body = [EnterpriseDto]), (status = 401, body = ErrorBody)))]
async fn api_list(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<EnterpriseDto>>> {
    let list = service::list(&app, ctx.actor()?).await?;
    Ok(Json(list.into_iter().map(EnterpriseDto::from).collect()))
}

#[utoipa::path(post, operation_id = "create_enterprise", path = "/api/v1/enterprises", tag = "enterprises", request_body = CreateEnterprise,
    responses((status = 201, body = EnterpriseDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<CreateEnterprise>,
) -> Result<(StatusCode, Json<EnterpriseDto>)> {
    let draft = EnterpriseDraft {
        name_zh: body.name_zh,
        name_ja: body.name_ja,
        name_ko: body.name_ko,
        name_en: body.name_en,
        country: body.country,
    };
    let created = service::create(&app, ctx.actor()?, &draft).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

#[utoipa::path(get, operation_id = "get_enterprise", path = "/api/v1/enterprises/{id}", tag = "enterprises",
    params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 200, body = EnterpriseDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<EnterpriseDto>> {
    Ok(Json(service::get(&app, ctx.actor()?, id).await?.into()))
}
