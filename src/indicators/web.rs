//! Recording indicators from the enterprise page, `/api/v1/enterprises/{id}/indicators`,
//! and the charts the enterprise page shows.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::error::{Error, Result};
use crate::indicators::model::{Indicator, IndicatorDraft, Metric, Unit};
use crate::indicators::service;
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path};
use crate::web::page::Page;

pub fn pages() -> Router<App> {
    Router::new().route("/enterprises/{id}/indicators", post(record_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(api_list, api_record))
}

/// One chart per metric that has figures: quarters when there are any,
/// else years, oldest first, in one common scale.
pub fn charts(page: &Page, indicators: &[Indicator]) -> Vec<String> {
    Metric::ALL
        .into_iter()
        .filter_map(|metric| {
            let of_metric: Vec<&Indicator> =
                indicators.iter().filter(|i| i.metric == metric).collect();
            let quarterly = of_metric.iter().any(|i| i.period.contains('Q'));
            let mut points: Vec<(String, f64)> = of_metric
                .iter()
                .filter(|i| i.period.contains('Q') == quarterly)
                .map(|i| (i.period.clone(), i.base_value()))
                .collect();
            if points.is_empty() {
                return None;
            }
            points.sort_by(|a, b| a.0.cmp(&b.0));
            let currency = of_metric.iter().rev().find_map(|i| i.currency.clone());
            let caption = match currency {
                Some(c) => format!("{} ({c})", page.t(&metric.message_id())),
                None => page.t(&metric.message_id()),
            };
            Some(crate::web::chart::bars(&caption, &points))
        })
        .collect()
}

/// The record form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RecordForm {
    period: String,
    metric: String,
    value: String,
    unit: String,
    currency: String,
}

async fn record_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RecordForm>,
) -> Result<Response> {
    let draft = IndicatorDraft {
        period: f.period,
        metric: f.metric,
        value: f.value,
        unit: Some(f.unit),
        currency: Some(f.currency),
    };
    match service::record(&app, ctx.actor()?, id, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/enterprises/{id}#indicators")).into_response()),
        Err(Error::Invalid(errors)) => crate::enterprises::web::show(&app, &ctx, id, &errors).await,
        Err(e) => Err(e),
    }
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    pub id: i64,
    /// "2025" or "2025-Q3".
    pub period: String,
    pub metric: Metric,
    /// A decimal number as text, in `unit`.
    pub value: String,
    pub unit: Unit,
    pub currency: Option<String>,
    /// True when the enterprise itself reported the figure.
    pub reported_by_enterprise: bool,
    pub updated_at: String,
}

impl From<Indicator> for IndicatorDto {
    fn from(i: Indicator) -> Self {
        IndicatorDto {
            reported_by_enterprise: i.reported_by_enterprise_at.is_some(),
            id: i.id,
            period: i.period,
            metric: i.metric,
            value: i.value,
            unit: i.unit,
            currency: i.currency,
            updated_at: i.updated_at.rfc3339(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct IndicatorInput {
    pub period: String,
    /// revenue, output_value, tax_paid, exports, imports, employees or new_investment.
    pub metric: String,
    /// A number; text keeps decimals exact ("1234.5").
    pub value: serde_json::Value,
    /// one, thousand, ten_thousand (the default for money), million,
    /// hundred_million, or persons (for employees).
    pub unit: Option<String>,
    /// ISO 4217, required for money.
    pub currency: Option<String>,
}

#[utoipa::path(get, operation_id = "list_indicators", path = "/api/v1/enterprises/{id}/indicators", tag = "enterprises",
    params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 200, body = [IndicatorDto]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<IndicatorDto>>> {
    Ok(Json(
        service::list(&app, ctx.actor()?, id)
            .await?
            .into_iter()
            .map(IndicatorDto::from)
            .collect(),
    ))
}

#[utoipa::path(post, operation_id = "record_indicator", path = "/api/v1/enterprises/{id}/indicators", tag = "enterprises",
    request_body = IndicatorInput, params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 200, body = IndicatorDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_record(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<IndicatorInput>,
) -> Result<(StatusCode, Json<IndicatorDto>)> {
    let value = match body.value {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    let draft = IndicatorDraft {
        period: body.period,
        metric: body.metric,
        value,
        unit: body.unit,
        currency: body.currency,
    };
    Ok((
        StatusCode::OK,
        Json(
            service::record(&app, ctx.actor()?, id, &draft)
                .await?
                .into(),
        ),
    ))
}
