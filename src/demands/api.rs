//! `/api/v1/demands`, `/api/v1/demand-categories`, `/api/v1/sla-policies`
//! and `/api/v1/calendar`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::calendar::store::CalendarDay;
use crate::db::Timestamp;
use crate::demands::categories::{self, Category, CategoryDraft, SlaKind, SlaPolicy};
use crate::demands::model::{Demand, DemandDraft, State as DemandState};
use crate::demands::service::{self, DemandView};
use crate::demands::store::Filter;
use crate::demands::workflow::StepRequest;
use crate::error::{Code, Error, Result};
use crate::sheets::report::ReportView;
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Json, Path, Query};
use crate::web::imports::{self, ImportParams};

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list, submit))
        .routes(routes!(get))
        .routes(routes!(step))
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category))
        .routes(routes!(list_policies))
        .routes(routes!(set_policy))
        .routes(routes!(calendar_year))
        .routes(routes!(set_day, clear_day))
        .routes(routes!(import_calendar))
        .routes(routes!(import_demands))
}

#[derive(Deserialize, Serialize, IntoParams, Default, Clone)]
pub struct ListParams {
    /// One state or several, comma-separated (submitted, accepted, rejected,
    /// assigned, returned, in_progress, awaiting_enterprise, replied,
    /// unsatisfied, closed, merged).
    pub state: Option<String>,
    pub enterprise: Option<i64>,
    /// Lead department.
    pub department: Option<i64>,
    pub category: Option<i64>,
    /// The enterprise's investor country (ISO code, JP).
    pub country: Option<String>,
    /// The enterprise's district code.
    pub district: Option<String>,
    /// Submitted on or after this day, YYYY-MM-DD.
    pub from: Option<String>,
    /// Submitted on or before this day, YYYY-MM-DD.
    pub to: Option<String>,
    /// Only open demands past their reply deadline.
    pub overdue: Option<bool>,
    /// The id of the last demand of the previous page (newest first).
    pub before: Option<i64>,
    /// Rows per page (at most 200, default 50).
    pub limit: Option<i64>,
}

impl ListParams {
    pub fn filter(&self, today: chrono::NaiveDate) -> Result<Filter> {
        let states = match self
            .state
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|s| DemandState::parse(s).ok_or(Error::field("state", Code::InvalidChoice)))
                .collect::<Result<_>>()?,
        };
        let mut p = crate::error::Problems::default();
        let mut day = |field: &'static str, raw: &Option<String>| {
            let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            p.check(crate::calendar::service::parse_day(field, raw))
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        p.finish()?;
        let code = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(Filter {
            states,
            enterprise_id: self.enterprise,
            department_id: self.department,
            category_id: self.category,
            country: code(&self.country).map(|c| c.to_ascii_uppercase()),
            district: code(&self.district),
            submitted_from: from.map(Timestamp::city_midnight),
            submitted_before: to.map(|d| Timestamp::city_midnight(d + chrono::Duration::days(1))),
            reply_due_before: self
                .overdue
                .unwrap_or(false)
                .then(|| today.format("%Y-%m-%d").to_string()),
            before: self.before,
            limit: self.limit.unwrap_or(50).clamp(1, 200),
        })
    }
}

#[utoipa::path(get, operation_id = "list_demands", path = "/api/v1/demands", tag = "demands",
    params(ListParams),
    responses((status = 200, description = "Newest first; only demands the caller may see", body = Vec<Demand>)))]
async fn list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<Demand>>> {
    let filter = params.filter(app.now().local_date())?;
    Ok(Json(service::list(&app, ctx.actor()?, &filter).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitBody {
    /// Required for coordinators; an enterprise user's own by default.
    pub enterprise_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub title: String,
    pub body: String,
    /// zh-CN, ja, ko or en (default: the caller's language).
    pub lang: Option<String>,
    pub category_id: Option<i64>,
    /// normal (default) or urgent.
    pub priority: Option<String>,
    /// portal, visit, symposium, phone, api (default for coordinators) or import.
    pub source: Option<String>,
    /// The visit or symposium it was raised at.
    pub engagement_id: Option<i64>,
    #[serde(default)]
    pub confidential: bool,
}

#[utoipa::path(post, operation_id = "submit_demand", path = "/api/v1/demands", tag = "demands",
    request_body = SubmitBody,
    responses((status = 201, body = Demand), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn submit(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<SubmitBody>,
) -> Result<(StatusCode, Json<Demand>)> {
    let draft = DemandDraft {
        enterprise_id: body.enterprise_id,
        contact_id: body.contact_id,
        title: body.title,
        body: body.body,
        lang: body.lang,
        category_id: body.category_id,
        priority: body.priority,
        source: body.source.or(Some("api".into())),
        engagement_id: body.engagement_id,
        confidential: body.confidential,
    };
    let created = service::submit(&app, ctx.actor()?, &draft).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, operation_id = "get_demand", path = "/api/v1/demands/{id}", tag = "demands",
    params(("id" = i64, Path, description = "Demand id")),
    responses((status = 200, body = DemandView), (status = 404, description = "No such demand, or not visible to the caller", body = ErrorBody)))]
async fn get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<DemandView>> {
    Ok(Json(service::get(&app, ctx.actor()?, id).await?))
}

#[utoipa::path(post, operation_id = "demand_step", path = "/api/v1/demands/{id}/steps", tag = "demands",
    params(("id" = i64, Path, description = "Demand id")),
    request_body(content = StepRequest, description = "The step, named by `action`; who may take which step, and after which state, is checked"),
    responses(
        (status = 200, body = Demand),
        (status = 403, description = "The caller's role may not take this step", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Invalid fields, or the step cannot follow the current state (invalid_transition)", body = ErrorBody)))]
async fn step(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(request): Json<StepRequest>,
) -> Result<Json<Demand>> {
    let actor = ctx.actor()?;
    request.apply(&app, actor, id).await?;
    // Read back as the caller may see it: an enterprise answering or rating
    // must not receive the city's internal fields.
    Ok(Json(service::get(&app, actor, id).await?.demand))
}

#[utoipa::path(get, operation_id = "list_demand_categories", path = "/api/v1/demand-categories", tag = "demands",
    responses((status = 200, description = "Parents first, each followed by its children", body = Vec<Category>)))]
async fn list_categories(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<Category>>> {
    Ok(Json(categories::list(&app, ctx.actor()?).await?.to_vec()))
}

#[derive(Deserialize, ToSchema)]
pub struct CategoryBody {
    pub parent_id: Option<i64>,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    /// The department that leads its demands by default.
    pub lead_department_id: Option<i64>,
    /// enquiry, complaint or coordination.
    pub sla_kind: String,
}

impl CategoryBody {
    fn draft(self) -> CategoryDraft {
        CategoryDraft {
            parent_id: self.parent_id,
            name_zh: self.name_zh,
            name_ja: self.name_ja,
            name_ko: self.name_ko,
            name_en: self.name_en,
            lead_department_id: self.lead_department_id,
            sla_kind: self.sla_kind,
        }
    }
}

#[utoipa::path(post, operation_id = "create_demand_category", path = "/api/v1/demand-categories", tag = "demands",
    request_body = CategoryBody,
    responses((status = 201, body = Category), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_category(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<CategoryBody>,
) -> Result<(StatusCode, Json<Category>)> {
    let created = categories::create(&app, ctx.actor()?, &body.draft()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(put, operation_id = "update_demand_category", path = "/api/v1/demand-categories/{id}", tag = "demands",
    params(("id" = i64, Path, description = "Category id")),
    request_body = CategoryBody,
    responses((status = 200, body = Category), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_category(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<CategoryBody>,
) -> Result<Json<Category>> {
    let draft = body.draft();
    let updated = categories::update(&app, ctx.actor()?, id, |d| *d = draft).await?;
    Ok(Json(updated))
}

#[utoipa::path(get, operation_id = "list_sla_policies", path = "/api/v1/sla-policies", tag = "demands",
    responses((status = 200, body = Vec<SlaPolicy>)))]
async fn list_policies(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<SlaPolicy>>> {
    Ok(Json(categories::policies(&app, ctx.actor()?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PolicyBody {
    pub sign_for_days: i64,
    pub reply_days: i64,
    pub urgent_reply_days: i64,
    pub feedback_days: i64,
}

#[utoipa::path(put, operation_id = "set_sla_policy", path = "/api/v1/sla-policies/{kind}", tag = "demands",
    params(("kind" = String, Path, description = "enquiry, complaint or coordination")),
    request_body = PolicyBody,
    responses((status = 200, body = SlaPolicy), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_policy(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(kind): Path<String>,
    Json(body): Json<PolicyBody>,
) -> Result<Json<SlaPolicy>> {
    let kind = SlaKind::parse(&kind).ok_or(Error::NotFound)?;
    let days = [
        body.sign_for_days,
        body.reply_days,
        body.urgent_reply_days,
        body.feedback_days,
    ];
    Ok(Json(
        categories::set_policy(&app, ctx.actor()?, kind, days).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct YearParams {
    /// Default: this year.
    pub year: Option<i32>,
}

#[utoipa::path(get, operation_id = "calendar_year", path = "/api/v1/calendar", tag = "calendar",
    params(YearParams),
    responses((status = 200, description = "The year's holidays and adjusted working days; other days follow Monday–Friday", body = Vec<CalendarDay>)))]
async fn calendar_year(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<YearParams>,
) -> Result<Json<Vec<CalendarDay>>> {
    let year = params
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&app.now().local_date()));
    Ok(Json(
        crate::calendar::service::list(&app, ctx.actor()?, year).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct DayBody {
    /// holiday or workday.
    pub kind: String,
    pub name: Option<String>,
}

#[utoipa::path(put, operation_id = "set_calendar_day", path = "/api/v1/calendar/{day}", tag = "calendar",
    params(("day" = String, Path, description = "YYYY-MM-DD")),
    request_body = DayBody,
    responses((status = 200, body = CalendarDay), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_day(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(day): Path<String>,
    Json(body): Json<DayBody>,
) -> Result<Json<CalendarDay>> {
    Ok(Json(
        crate::calendar::service::set_day(
            &app,
            ctx.actor()?,
            &day,
            &body.kind,
            body.name.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(delete, operation_id = "clear_calendar_day", path = "/api/v1/calendar/{day}", tag = "calendar",
    params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204, description = "The day follows the weekday rule again"), (status = 404, body = ErrorBody)))]
async fn clear_day(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(day): Path<String>,
) -> Result<StatusCode> {
    crate::calendar::service::clear_day(&app, ctx.actor()?, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "import_calendar", path = "/api/v1/calendar/import", tag = "calendar",
    params(ImportParams),
    request_body(content = Vec<u8>, description = "Rows of date, kind (holiday or workday) and name; see data/calendar/README.md", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, applied)", body = ReportView),
        (status = 422, description = "Problems found; nothing changed", body = ReportView)))]
async fn import_calendar(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ImportParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportView>)> {
    let (format, dry_run) = params.parse()?;
    let report =
        crate::calendar::service::import(&app, ctx.actor()?, &body, format, dry_run).await?;
    Ok(imports::respond(&app, ctx.locale, &report))
}

#[utoipa::path(post, operation_id = "import_demands", path = "/api/v1/demands/import", tag = "demands",
    params(ImportParams),
    request_body(content = Vec<u8>, description = "One demand per row: credit code, title, details, and optionally language, category (its name in any language) and priority; headers in any of the four languages", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Checked (and, unless a dry run, imported as submitted demands)", body = ReportView),
        (status = 422, description = "Problems found; nothing imported", body = ReportView),
        (status = 403, body = ErrorBody)))]
async fn import_demands(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ImportParams>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportView>)> {
    let (format, dry_run) = params.parse()?;
    let report =
        crate::demands::transfer::import(&app, ctx.actor()?, &body, format, dry_run).await?;
    Ok(imports::respond(&app, ctx.locale, &report))
}
