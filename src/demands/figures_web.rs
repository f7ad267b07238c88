//! The figures page and `/api/v1/demands/figures`: the rates of a period,
//! overall and by department, category, investor country or district, with
//! the department ranking; each group links to the demands behind it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::demands::figures::{Counts, Figures, GroupBy, score};
use crate::demands::model::choice;
use crate::demands::service;
use crate::error::{Problems, Result};
use crate::i18n::Locale;
use crate::web::context::Ctx;
use crate::web::extract::{Json, Query};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new().route("/demands/figures", get(figures_page))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(api_figures))
}

#[derive(Deserialize, IntoParams, Default)]
pub struct FigureParams {
    /// First day, YYYY-MM-DD (default: 1 January of this year).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    pub to: Option<String>,
    /// department (default), category, country or district.
    pub by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Group {
    pub key: String,
    pub name: String,
    pub figures: Figures,
    /// The ranking score (departments only).
    pub score: Option<f64>,
    /// The list of demands behind the figures, where the list can filter.
    pub href: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub by: String,
    pub total: Figures,
    /// Departments ordered by score, best first.
    pub groups: Vec<Group>,
}

fn parse(params: &FigureParams, today: NaiveDate) -> Result<(NaiveDate, NaiveDate, GroupBy)> {
    let mut p = Problems::default();
    let day =
        |field: &'static str, raw: &Option<String>, default: NaiveDate, p: &mut Problems| match raw
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(default),
            Some(s) => p.check(crate::calendar::service::parse_day(field, s)),
        };
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = day("from", &params.from, year_start, &mut p);
    let to = day("to", &params.to, today, &mut p);
    let by = choice(
        &mut p,
        "by",
        params.by.as_deref(),
        GroupBy::Department,
        GroupBy::parse,
    );
    p.finish()?;
    Ok((
        from.expect("checked"),
        to.expect("checked"),
        by.expect("checked"),
    ))
}

async fn report(app: &App, actor: &Actor, params: &FigureParams, locale: Locale) -> Result<Report> {
    authorize(actor, Action::ViewDemandFigures)?;
    let (from, to, by) = parse(params, app.now().local_date())?;
    let buckets = service::figure_counts(app, actor, from, to, by).await?;
    let mut whole = Counts::default();
    for (_, counts) in &buckets {
        whole.merge(counts);
    }
    let total = whole.figures();
    let departments = crate::org::service::list(app, actor, true).await?;
    let categories = crate::demands::categories::list(app, actor).await?;
    let weights = app.config.demands.ranking_weights;
    let mut groups: Vec<Group> = buckets
        .into_iter()
        .map(|(key, counts)| {
            let figures = counts.figures();
            let id = key.parse::<i64>().ok();
            let period = format!("from={from}&to={to}");
            let (name, href, score) = match by {
                GroupBy::Department => (
                    id.and_then(|i| departments.iter().find(|d| d.id == i))
                        .map(|d| d.name(locale).to_string()),
                    id.map(|i| format!("/demands?department={i}&{period}")),
                    score(&figures, weights),
                ),
                GroupBy::Category => (
                    id.and_then(|i| categories.iter().find(|c| c.id == i))
                        .map(|c| c.name(locale).to_string()),
                    id.map(|i| format!("/demands?category={i}&{period}")),
                    None,
                ),
                GroupBy::Country => (
                    Some(crate::reference::country_name(&key, locale)).filter(|_| !key.is_empty()),
                    (!key.is_empty()).then(|| format!("/demands?country={key}&{period}")),
                    None,
                ),
                GroupBy::District => (
                    Some(crate::reference::district_name(&key, locale)).filter(|_| !key.is_empty()),
                    (!key.is_empty()).then(|| format!("/demands?district={key}&{period}")),
                    None,
                ),
            };
            Group {
                name: name.unwrap_or_else(|| {
                    if key.is_empty() {
                        "—".into()
                    } else {
                        key.clone()
                    }
                }),
                key,
                figures,
                score,
                href,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.figures.demands.cmp(&a.figures.demands))
    });
    Ok(Report {
        from: from.to_string(),
        to: to.to_string(),
        by: by.as_str().into(),
        total,
        groups,
    })
}

#[utoipa::path(get, operation_id = "demand_figures", path = "/api/v1/demands/figures", tag = "demands",
    params(FigureParams),
    responses((status = 200, description = "The figures of the demands the caller may see, submitted in the period (docs/METRICS.md)", body = Report),
        (status = 422, body = crate::web::errors::ErrorBody), (status = 403, body = crate::web::errors::ErrorBody)))]
async fn api_figures(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<FigureParams>,
) -> Result<Json<Report>> {
    Ok(Json(report(&app, ctx.actor()?, &params, ctx.locale).await?))
}

#[derive(Template)]
#[template(path = "demands/figures.html")]
struct FiguresPage {
    page: Page,
    report: Report,
    groupings: Vec<Choice>,
}

async fn figures_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<FigureParams>,
) -> Result<Response> {
    let report = report(&app, ctx.actor()?, &params, ctx.locale).await?;
    let page = Page::new(&app, &ctx, "figures-title");
    let groupings = GroupBy::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().into(),
            label: page.t(&g.message_id()),
            selected: report.by == g.as_str(),
        })
        .collect();
    Ok(render(&FiguresPage {
        page,
        report,
        groupings,
    }))
}
