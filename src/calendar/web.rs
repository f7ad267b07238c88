//! The calendar page: a year's holidays and adjusted working days, a form
//! for one day, and a file upload for many.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;

use crate::app::App;
use crate::auth::{Action, authorize};
use crate::calendar::store::CalendarDay;
use crate::error::{Error, FieldError, Result};
use crate::sheets::report::ReportView;
use crate::web::context::{Ctx, RequestContext};
use crate::web::extract::{Pairs, Query, Upload};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/admin/calendar", get(calendar_page).post(set_day_form))
        .route("/admin/calendar/clear", post(clear_day_form))
        .route("/admin/calendar/import", post(import_form))
}

#[derive(Template)]
#[template(path = "calendar/page.html")]
struct CalendarPage {
    page: Page,
    year: i32,
    days: Vec<(CalendarDay, String)>,
    kinds: Vec<Choice>,
    report: Option<ReportView>,
    errors: FormErrors,
}

#[derive(serde::Deserialize)]
struct YearParams {
    year: Option<i32>,
}

async fn render_page(
    app: &App,
    ctx: &RequestContext,
    year: i32,
    report: Option<ReportView>,
    errors: &[FieldError],
) -> Result<Response> {
    let actor = ctx.actor()?;
    authorize(actor, Action::ManageCalendar)?;
    let page = Page::new(app, ctx, "nav-calendar");
    let days = crate::calendar::service::list(app, actor, year)
        .await?
        .into_iter()
        .map(|d| {
            let label = page.t(&format!("calendar-kind-{}", d.kind.as_str()));
            (d, label)
        })
        .collect();
    let kinds = ["holiday", "workday"]
        .iter()
        .map(|k| Choice {
            value: (*k).into(),
            label: page.t(&format!("calendar-kind-{k}")),
            selected: false,
        })
        .collect();
    let failed = !errors.is_empty() || report.as_ref().is_some_and(|r| !r.errors.is_empty());
    let mut response = render(&CalendarPage {
        page,
        year,
        days,
        kinds,
        report,
        errors: FormErrors::new(app, ctx.locale, errors),
    });
    if failed {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn calendar_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<YearParams>,
) -> Result<Response> {
    let year = params.year.unwrap_or_else(|| app.now().local_date().year());
    render_page(&app, &ctx, year, None, &[]).await
}

async fn set_day_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let day = form.one("day");
    let name = form.one("name");
    let name = Some(name.as_str()).filter(|n| !n.trim().is_empty());
    match crate::calendar::service::set_day(&app, ctx.actor()?, &day, &form.one("kind"), name).await
    {
        Ok(d) => {
            let year = d.date().map_or(0, |d| d.year());
            Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let year = app.now().local_date().year();
            render_page(&app, &ctx, year, None, &errors).await
        }
        Err(e) => Err(e),
    }
}

async fn clear_day_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let day = form.one("day");
    crate::calendar::service::clear_day(&app, ctx.actor()?, &day).await?;
    let year = day.get(..4).unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response())
}

async fn import_form(State(app): State<App>, Ctx(ctx): Ctx, upload: Upload) -> Result<Response> {
    let actor = ctx.actor()?;
    authorize(actor, Action::ManageCalendar)?;
    let year = app.now().local_date().year();
    let outcome = match upload.sheet() {
        Err(e) => Err(e),
        Ok((format, bytes)) => {
            crate::calendar::service::import(&app, actor, bytes, format, upload.has("dry_run"))
                .await
        }
    };
    match outcome {
        Ok(report) => {
            let view = ReportView::new(&report, &app.i18n, ctx.locale);
            render_page(&app, &ctx, year, Some(view), &[]).await
        }
        Err(Error::Invalid(errors)) => render_page(&app, &ctx, year, None, &errors).await,
        Err(e) => Err(e),
    }
}
