//! Enterprise registry pages and `/api/v1/enterprises`, tags pages and `/api/v1/tags`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::db::events::Event;
use crate::enterprises::model::{Enterprise, EnterpriseDraft, EnterpriseStatus};
use crate::enterprises::service;
use crate::enterprises::store::{ListQuery, Sort};
use crate::enterprises::tags::{self, Tag};
use crate::error::{Code, Error, FieldError, Result};
use crate::i18n::Locale;
use crate::reference;
use crate::web::context::{Ctx, RequestContext, url_encode};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/enterprises", get(list_page).post(create_form))
        .route("/enterprises/new", get(new_page))
        .route("/enterprises/bulk-tag", post(bulk_tag_form))
        .route("/enterprises/{id}", get(show_page).post(update_form))
        .route("/enterprises/{id}/edit", get(edit_page))
        .route("/tags", get(tags_page).post(create_tag_form))
        .route("/tags/{id}", post(update_tag_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_get, api_update))
        .routes(routes!(api_bulk_tag))
        .routes(routes!(api_list_tags, api_create_tag))
        .routes(routes!(api_update_tag))
}

const PAGE_SIZE: i64 = 50;

// ---- list ----

/// The list's filters, from the page's query string or the API's.
#[derive(Deserialize, IntoParams, Default, Clone)]
pub struct ListParams {
    /// ISO 3166-1 alpha-2 investor country.
    pub country: Option<String>,
    /// GB/T 4754 section letter (A–T) or division code (01–97).
    pub industry: Option<String>,
    /// District code (see data/districts.csv).
    pub district: Option<String>,
    pub tag: Option<i64>,
    /// operating, suspended or closed.
    pub status: Option<String>,
    /// Text in any name, the credit code or the products.
    pub q: Option<String>,
    /// name (default), newest or employees.
    pub sort: Option<String>,
    /// The id of the last enterprise of the previous page.
    pub after: Option<i64>,
    /// Rows per page (at most 200).
    pub limit: Option<i64>,
}

fn present(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl ListParams {
    /// The query, refusing values that name nothing rather than ignoring them.
    pub(crate) fn query(&self) -> Result<ListQuery> {
        let mut problems = Vec::new();
        let country = present(&self.country).map(|c| c.to_ascii_uppercase());
        if country
            .as_deref()
            .is_some_and(|c| !reference::is_country(c))
        {
            problems.push(FieldError::new("country", Code::InvalidChoice));
        }
        let industry = present(&self.industry).map(|i| i.to_ascii_uppercase());
        if industry
            .as_deref()
            .is_some_and(|i| reference::industry(i).is_none())
        {
            problems.push(FieldError::new("industry", Code::InvalidChoice));
        }
        let district = present(&self.district);
        if district
            .as_deref()
            .is_some_and(|d| !reference::is_district(d))
        {
            problems.push(FieldError::new("district", Code::InvalidChoice));
        }
        let status = match present(&self.status) {
            None => None,
            Some(s) => {
                let status = EnterpriseStatus::parse(&s);
                if status.is_none() {
                    problems.push(FieldError::new("status", Code::InvalidChoice));
                }
                status
            }
        };
        let sort = match present(&self.sort) {
            None => Sort::default(),
            Some(s) => Sort::parse(&s).unwrap_or_else(|| {
                problems.push(FieldError::new("sort", Code::InvalidChoice));
                Sort::default()
            }),
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(ListQuery {
            country,
            industry,
            district,
            tag_id: self.tag,
            status,
            text: present(&self.q),
            sort,
            after: self.after,
            limit: self.limit.unwrap_or(PAGE_SIZE),
        })
    }

    /// The query string of this filter with another `after` or `sort`.
    fn link(&self, sort: Option<&str>, after: Option<i64>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("country", present(&self.country)),
            ("industry", present(&self.industry)),
            ("district", present(&self.district)),
            ("tag", self.tag.map(|t| t.to_string())),
            ("status", present(&self.status)),
            ("q", present(&self.q)),
            (
                "sort",
                sort.map(str::to_string).or_else(|| present(&self.sort)),
            ),
            ("after", after.map(|a| a.to_string())),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("/enterprises?{}", query.join("&"))
    }
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub country: String,
    pub industry: String,
    pub district: String,
    pub employees: String,
    pub status: String,
    pub tags: Vec<String>,
}

#[derive(Template)]
#[template(path = "enterprises/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    districts: Vec<Choice>,
    tags: Vec<Choice>,
    statuses: Vec<Choice>,
    q: String,
    sort_links: Vec<(String, String, bool)>,
    next: Option<String>,
    can_manage: bool,
    notice: Option<String>,
    /// The current filters as a query string, for the export links.
    export_query: String,
    /// Whether the contacts export (personal data) is offered.
    sees_personal_data: bool,
}

fn choices(first: String, items: Vec<(String, String)>, selected: &Option<String>) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: first,
        selected: selected.is_none(),
    }];
    out.extend(items.into_iter().map(|(value, label)| Choice {
        selected: selected.as_deref() == Some(value.as_str()),
        value,
        label,
    }));
    out
}

fn industry_label(code: &str, locale: Locale) -> String {
    reference::industry(code)
        .map(|i| format!("{} {}", i.code, i.names.get(locale)))
        .unwrap_or_else(|| code.to_string())
}

fn industry_choices(locale: Locale) -> Vec<(String, String)> {
    reference::industries()
        .iter()
        .map(|i| {
            let indent = if i.level == "division" {
                "\u{3000}"
            } else {
                ""
            };
            (
                i.code.clone(),
                format!("{indent}{} {}", i.code, i.names.get(locale)),
            )
        })
        .collect()
}

#[derive(Deserialize)]
struct NoticeQuery {
    tagged: Option<usize>,
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let query = params.query()?;
    let list = service::list(&app, actor, &query).await?;
    let all_tags = tags::list(&app, actor, false).await?;
    let tag_links =
        service::tag_ids(&app, actor, &list.iter().map(|e| e.id).collect::<Vec<_>>()).await?;
    let page = Page::new(&app, &ctx, "enterprises-title");
    let locale = ctx.locale;
    let next = (list.len() as i64 == query.limit)
        .then(|| list.last().map(|e| params.link(None, Some(e.id))))
        .flatten();
    let rows = list
        .iter()
        .map(|e| Row {
            id: e.id,
            name: e.name(locale).to_string(),
            uscc: e.uscc.clone().unwrap_or_default(),
            country: reference::country_name(&e.country, locale),
            industry: e
                .industry_code
                .as_deref()
                .map(|c| industry_label(c, locale))
                .unwrap_or_default(),
            district: e
                .district
                .as_deref()
                .map(|d| reference::district_name(d, locale))
                .unwrap_or_default(),
            employees: e.employees.map(|n| n.to_string()).unwrap_or_default(),
            status: page.t(&e.status.message_id()),
            tags: tag_links
                .iter()
                .filter(|(eid, _)| *eid == e.id)
                .filter_map(|(_, tid)| {
                    all_tags
                        .iter()
                        .find(|t| t.id == *tid)
                        .map(|t| t.name(locale).to_string())
                })
                .collect(),
        })
        .collect();
    let countries = reference::countries_by_name(locale)
        .into_iter()
        .map(|(c, n)| (c.to_string(), format!("{n} ({c})")))
        .collect();
    let sort_current = query.sort;
    let sort_links = Sort::ALL
        .into_iter()
        .map(|s| {
            (
                params.link(Some(s.as_str()), None),
                page.t(&format!("enterprises-sort-{}", s.as_str())),
                s == sort_current,
            )
        })
        .collect();
    let districts = reference::districts()
        .iter()
        .map(|(c, n)| (c.clone(), n.get(locale).to_string()))
        .collect();
    let tag_choices = all_tags
        .iter()
        .map(|t| (t.id.to_string(), t.name(locale).to_string()))
        .collect();
    let statuses = EnterpriseStatus::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), page.t(&s.message_id())))
        .collect();
    let notice = notice
        .tagged
        .map(|n| page.t1("enterprises-tagged", "count", &n));
    Ok(render(&ListPage {
        countries: choices(page.t("filter-any"), countries, &query.country),
        industries: choices(
            page.t("filter-any"),
            industry_choices(locale),
            &query.industry,
        ),
        districts: choices(page.t("filter-any"), districts, &query.district),
        tags: choices(
            page.t("filter-any"),
            tag_choices,
            &query.tag_id.map(|t| t.to_string()),
        ),
        statuses: choices(
            page.t("filter-any"),
            statuses,
            &query.status.map(|s| s.as_str().to_string()),
        ),
        q: query.text.clone().unwrap_or_default(),
        can_manage: allows(actor, Action::ManageEnterprises),
        page,
        rows,
        sort_links,
        next,
        notice,
        export_query: params
            .link(None, None)
            .trim_start_matches("/enterprises?")
            .to_string(),
        sees_personal_data: crate::auth::permission::allows(actor, Action::ExportContacts),
    }))
}

// ---- create and edit ----

/// The enterprise form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct EnterpriseForm {
    pub uscc: String,
    pub name_zh: String,
    pub name_ja: String,
    pub name_ko: String,
    pub name_en: String,
    pub country: String,
    pub parent_company: String,
    pub industry_code: String,
    pub district: String,
    pub address: String,
    pub founded_on: String,
    pub registered_capital: String,
    pub capital_currency: String,
    pub employees: String,
    pub main_products: String,
    pub status: String,
}

impl EnterpriseForm {
    fn from_draft(d: &EnterpriseDraft) -> EnterpriseForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        EnterpriseForm {
            uscc: d.uscc.clone(),
            name_zh: s(&d.name_zh),
            name_ja: s(&d.name_ja),
            name_ko: s(&d.name_ko),
            name_en: s(&d.name_en),
            country: d.country.clone(),
            parent_company: s(&d.parent_company),
            industry_code: s(&d.industry_code),
            district: s(&d.district),
            address: s(&d.address),
            founded_on: s(&d.founded_on),
            registered_capital: s(&d.registered_capital),
            capital_currency: s(&d.capital_currency),
            employees: s(&d.employees),
            main_products: s(&d.main_products),
            status: s(&d.status),
        }
    }

    fn draft(&self) -> EnterpriseDraft {
        let o = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
        EnterpriseDraft {
            uscc: self.uscc.clone(),
            name_zh: o(&self.name_zh),
            name_ja: o(&self.name_ja),
            name_ko: o(&self.name_ko),
            name_en: o(&self.name_en),
            country: self.country.clone(),
            parent_company: o(&self.parent_company),
            industry_code: o(&self.industry_code),
            district: o(&self.district),
            address: o(&self.address),
            founded_on: o(&self.founded_on),
            registered_capital: o(&self.registered_capital),
            capital_currency: o(&self.capital_currency),
            employees: o(&self.employees),
            main_products: o(&self.main_products),
            status: o(&self.status),
        }
    }
}

#[derive(Template)]
#[template(path = "enterprises/form.html")]
struct FormPage {
    page: Page,
    id: Option<i64>,
    form: EnterpriseForm,
    countries: Vec<Choice>,
    industries: Vec<Choice>,
    districts: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

fn form_page(
    app: &App,
    ctx: &RequestContext,
    id: Option<i64>,
    form: EnterpriseForm,
    errors: &[FieldError],
) -> Response {
    let locale = ctx.locale;
    let page = Page::new(
        app,
        ctx,
        if id.is_some() {
            "enterprises-edit-title"
        } else {
            "enterprises-new-title"
        },
    );
    let pick = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
    let countries = reference::countries_by_name(locale)
        .into_iter()
        .map(|(c, n)| (c.to_string(), format!("{n} ({c})")))
        .collect();
    let districts = reference::districts()
        .iter()
        .map(|(c, n)| (c.clone(), n.get(locale).to_string()))
        .collect();
    let divisions = industry_choices(locale);
    let statuses: Vec<Choice> = EnterpriseStatus::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str().into(),
            label: page.t(&s.message_id()),
            selected: form.status == s.as_str()
                || (form.status.is_empty() && s == EnterpriseStatus::Operating),
        })
        .collect();
    let mut response = render(&FormPage {
        countries: choices(page.t("choice-none"), countries, &pick(&form.country)),
        industries: choices(page.t("choice-none"), divisions, &pick(&form.industry_code)),
        districts: choices(page.t("choice-none"), districts, &pick(&form.district)),
        statuses,
        errors: FormErrors::new(app, locale, errors),
        page,
        id,
        form,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn new_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    crate::auth::authorize(ctx.actor()?, Action::ManageEnterprises)?;
    Ok(form_page(&app, &ctx, None, EnterpriseForm::default(), &[]))
}

async fn create_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<EnterpriseForm>,
) -> Result<Response> {
    match service::create(&app, ctx.actor()?, &form.draft()).await {
        Ok(e) => Ok(Redirect::to(&format!("/enterprises/{}", e.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok(form_page(&app, &ctx, None, form, &errors)),
        Err(e) => Err(e),
    }
}

async fn edit_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::EditEnterprise { enterprise_id: id })?;
    let enterprise = service::get(&app, actor, id).await?;
    let form = EnterpriseForm::from_draft(&EnterpriseDraft::from_enterprise(&enterprise));
    Ok(form_page(&app, &ctx, Some(id), form, &[]))
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EnterpriseForm>,
) -> Result<Response> {
    let draft = form.draft();
    match service::update(&app, ctx.actor()?, id, |d: &mut EnterpriseDraft| *d = draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/enterprises/{id}")).into_response()),
        Err(Error::Invalid(errors)) => Ok(form_page(&app, &ctx, Some(id), form, &errors)),
        Err(e) => Err(e),
    }
}

// ---- the enterprise's page ----

pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
}

#[derive(Template)]
#[template(path = "enterprises/show.html")]
struct ShowPage {
    page: Page,
    enterprise: Enterprise,
    facts: Vec<(String, String)>,
    tags: Vec<String>,
    timeline: Vec<TimelineEntry>,
    can_edit: bool,
    /// `None` when the actor may not see contacts' personal data.
    contacts: Option<Vec<crate::contacts::Contact>>,
    can_manage_contacts: bool,
    /// One SVG chart per metric with figures.
    charts: Vec<String>,
    latest: Vec<LatestIndicator>,
    metric_choices: Vec<Choice>,
    unit_choices: Vec<Choice>,
    indicator_errors: FormErrors,
    /// (id, date, kind, purpose) of its visits and symposiums, for staff.
    engagements: Option<Vec<(i64, String, String, String)>>,
    can_record_engagement: bool,
    /// Road-map tasks that work on it (for readers of plans).
    linked_tasks: Vec<crate::plans::model::Task>,
}

async fn show_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    show(&app, &ctx, id, &[]).await
}

/// The enterprise's page, with `errors` of the indicator form if it failed.
pub async fn show(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    errors: &[FieldError],
) -> Result<Response> {
    let app = app.clone();
    let actor = ctx.actor()?;
    let enterprise = service::get(&app, actor, id).await?;
    let locale = ctx.locale;
    let mut page = Page::new(&app, ctx, "enterprises-title");
    page.title = enterprise.name(locale).to_string();
    let all_tags = tags::list(&app, actor, true).await?;
    let tags = service::tag_ids(&app, actor, &[id])
        .await?
        .into_iter()
        .filter_map(|(_, t)| {
            all_tags
                .iter()
                .find(|tag| tag.id == t)
                .map(|tag| tag.name(locale).to_string())
        })
        .collect();
    let e = &enterprise;
    let capital = e
        .registered_capital
        .as_ref()
        .map(|c| format!("{c} {}", e.capital_currency.clone().unwrap_or_default()));
    let facts: Vec<(String, String)> = [
        ("field-name-zh", e.name_zh.clone()),
        ("field-name-ja", e.name_ja.clone()),
        ("field-name-ko", e.name_ko.clone()),
        ("field-name-en", e.name_en.clone()),
        ("field-uscc", e.uscc.clone()),
        (
            "field-country",
            Some(format!(
                "{} ({})",
                reference::country_name(&e.country, locale),
                e.country
            )),
        ),
        ("field-parent-company", e.parent_company.clone()),
        (
            "field-industry",
            e.industry_code
                .as_deref()
                .map(|c| industry_label(c, locale)),
        ),
        (
            "field-district",
            e.district
                .as_deref()
                .map(|d| reference::district_name(d, locale)),
        ),
        ("field-address", e.address.clone()),
        ("field-founded-on", e.founded_on.clone()),
        ("field-registered-capital", capital),
        ("field-employees", e.employees.map(|n| n.to_string())),
        ("field-main-products", e.main_products.clone()),
        ("field-status", Some(page.t(&e.status.message_id()))),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (page.t(label), v)))
    .collect();
    let timeline = service::timeline(&app, actor, id)
        .await?
        .into_iter()
        .rev()
        .map(|ev: Event| TimelineEntry {
            at: ev.at.local_minutes(),
            actor: if ev.actor_user_id.is_some() {
                ev.actor_name.clone()
            } else {
                page.label("audit-actor", &ev.actor_name)
            },
            action: page.label("event-action", &ev.action),
        })
        .collect();
    let can_edit = allows(actor, Action::EditEnterprise { enterprise_id: id });
    let contacts = if allows(actor, Action::ViewContacts { enterprise_id: id }) {
        Some(crate::contacts::service::list(&app, actor, id).await?)
    } else {
        None
    };
    let can_manage_contacts = allows(actor, Action::ManageContacts { enterprise_id: id });
    let indicators = crate::indicators::service::list(&app, actor, id).await?;
    let charts = crate::indicators::web::charts(&page, &indicators);
    let latest = latest_indicators(&page, &indicators);
    let metric_choices = crate::indicators::Metric::ALL
        .into_iter()
        .map(|m| Choice {
            value: m.as_str().into(),
            label: page.t(&m.message_id()),
            selected: false,
        })
        .collect();
    let unit_choices = crate::indicators::model::Unit::ALL
        .into_iter()
        .map(|u| Choice {
            value: u.as_str().into(),
            label: page.t(&u.message_id()),
            selected: u == crate::indicators::model::Unit::TenThousand,
        })
        .collect();
    let indicator_errors = FormErrors::new(&app, ctx.locale, errors);
    let engagements = if allows(actor, Action::ViewEngagements) {
        let list = crate::engagements::service::list(&app, actor, None, Some(id), None, 50).await?;
        Some(
            list.into_iter()
                .map(|g| {
                    (
                        g.id,
                        g.held_on,
                        page.t(&g.kind.message_id()),
                        g.purpose.unwrap_or_default(),
                    )
                })
                .collect(),
        )
    } else {
        None
    };
    let can_record_engagement = allows(actor, Action::ManageEngagements);
    let linked_tasks =
        crate::plans::links::tasks_on(&app, actor, crate::plans::links::Target::Enterprise, id)
            .await?;
    let mut response = render(&ShowPage {
        linked_tasks,
        page,
        enterprise,
        facts,
        tags,
        timeline,
        can_edit,
        contacts,
        can_manage_contacts,
        charts,
        latest,
        metric_choices,
        unit_choices,
        indicator_errors,
        engagements,
        can_record_engagement,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// One row per metric: its most recent figure.
pub struct LatestIndicator {
    pub metric: String,
    pub period: String,
    pub value: String,
    pub reported_by_enterprise: bool,
}

fn latest_indicators(
    page: &Page,
    indicators: &[crate::indicators::Indicator],
) -> Vec<LatestIndicator> {
    crate::indicators::Metric::ALL
        .into_iter()
        .filter_map(|m| {
            let newest = indicators
                .iter()
                .filter(|i| i.metric == m)
                .max_by(|a, b| a.period.cmp(&b.period))?;
            let unit = page.t(&newest.unit.message_id());
            let currency = newest.currency.clone().unwrap_or_default();
            Some(LatestIndicator {
                metric: page.t(&m.message_id()),
                period: newest.period.clone(),
                value: format!("{} {unit} {currency}", newest.value)
                    .trim()
                    .to_string(),
                reported_by_enterprise: newest.reported_by_enterprise_at.is_some(),
            })
        })
        .collect()
}

// ---- bulk tagging ----

async fn bulk_tag_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    form: crate::web::extract::Pairs,
) -> Result<Response> {
    let tag_id = form
        .ids("tag_id")
        .first()
        .copied()
        .ok_or(Error::field("tag_id", Code::Required))?;
    let add = form.one("mode") != "remove";
    let changed = service::bulk_tag(&app, ctx.actor()?, &form.ids("ids"), tag_id, add).await?;
    let back = crate::web::context::local_path(Some(&form.one("back")));
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}tagged={changed}")).into_response())
}

// ---- tags admin ----

#[derive(Template)]
#[template(path = "tags.html")]
struct TagsPage {
    page: Page,
    tags: Vec<Tag>,
    errors: FormErrors,
}

async fn tags_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManageTags)?;
    let tags = tags::list(&app, actor, true).await?;
    Ok(render(&TagsPage {
        page: Page::new(&app, &ctx, "tags-title"),
        tags,
        errors: FormErrors::default(),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TagForm {
    name_zh: String,
    name_ja: String,
    name_ko: String,
    name_en: String,
    retired: Option<String>,
}

impl TagForm {
    fn names(&self) -> tags::TagNames {
        [
            Some(self.name_zh.clone()),
            Some(self.name_ja.clone()),
            Some(self.name_ko.clone()),
            Some(self.name_en.clone()),
        ]
    }
}

async fn create_tag_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<TagForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    match tags::create(&app, actor, &form.names()).await {
        Ok(_) => Ok(Redirect::to("/tags").into_response()),
        Err(Error::Invalid(errors)) => {
            let tags = tags::list(&app, actor, true).await?;
            let errors = FormErrors::new(&app, ctx.locale, &errors);
            let mut response = render(&TagsPage {
                page: Page::new(&app, &ctx, "tags-title"),
                tags,
                errors,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

async fn update_tag_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<TagForm>,
) -> Result<Response> {
    tags::update(
        &app,
        ctx.actor()?,
        id,
        &form.names(),
        form.retired.is_some(),
    )
    .await?;
    Ok(Redirect::to("/tags").into_response())
}

// ---- API ----

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDto {
    pub id: i64,
    pub uscc: Option<String>,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    /// ISO 3166-1 alpha-2 code of the investor's country or region.
    pub country: String,
    pub parent_company: Option<String>,
    /// GB/T 4754-2017 division code.
    pub industry_code: Option<String>,
    pub industry_section: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    /// YYYY-MM-DD.
    pub founded_on: Option<String>,
    /// A decimal number as text.
    pub registered_capital: Option<String>,
    pub capital_currency: Option<String>,
    pub employees: Option<i64>,
    pub main_products: Option<String>,
    pub status: EnterpriseStatus,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Enterprise> for EnterpriseDto {
    fn from(e: Enterprise) -> Self {
        EnterpriseDto {
            id: e.id,
            uscc: e.uscc,
            name_zh: e.name_zh,
            name_ja: e.name_ja,
            name_ko: e.name_ko,
            name_en: e.name_en,
            country: e.country,
            parent_company: e.parent_company,
            industry_code: e.industry_code,
            industry_section: e.industry_section,
            district: e.district,
            address: e.address,
            founded_on: e.founded_on,
            registered_capital: e.registered_capital,
            capital_currency: e.capital_currency,
            employees: e.employees,
            main_products: e.main_products,
            status: e.status,
            created_at: e.created_at.rfc3339(),
            updated_at: e.updated_at.rfc3339(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterprisePage {
    pub items: Vec<EnterpriseDto>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// An enterprise's fields. On create, `uscc`, `country` and one name are
/// required; on update, absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
pub struct EnterpriseInput {
    pub uscc: Option<String>,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub country: Option<String>,
    pub parent_company: Option<String>,
    pub industry_code: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub founded_on: Option<String>,
    pub registered_capital: Option<String>,
    pub capital_currency: Option<String>,
    pub employees: Option<i64>,
    pub main_products: Option<String>,
    pub status: Option<String>,
}

impl EnterpriseInput {
    fn apply(self, d: &mut EnterpriseDraft) {
        let set = |target: &mut Option<String>, v: Option<String>| {
            if v.is_some() {
                *target = v;
            }
        };
        if let Some(v) = self.uscc {
            d.uscc = v;
        }
        if let Some(v) = self.country {
            d.country = v;
        }
        set(&mut d.name_zh, self.name_zh);
        set(&mut d.name_ja, self.name_ja);
        set(&mut d.name_ko, self.name_ko);
        set(&mut d.name_en, self.name_en);
        set(&mut d.parent_company, self.parent_company);
        set(&mut d.industry_code, self.industry_code);
        set(&mut d.district, self.district);
        set(&mut d.address, self.address);
        set(&mut d.founded_on, self.founded_on);
        set(&mut d.registered_capital, self.registered_capital);
        set(&mut d.capital_currency, self.capital_currency);
        set(&mut d.employees, self.employees.map(|n| n.to_string()));
        set(&mut d.main_products, self.main_products);
        set(&mut d.status, self.status);
    }
}

#[utoipa::path(get, operation_id = "list_enterprises", path = "/api/v1/enterprises", tag = "enterprises", params(ListParams),
    responses((status = 200, description = "Enterprises the caller may see", body = EnterprisePage), (status = 422, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<EnterprisePage>> {
    let query = params.query()?;
    let limit = query.limit.clamp(1, service::MAX_PAGE);
    let list = service::list(&app, ctx.actor()?, &query).await?;
    let next_after = (list.len() as i64 == limit)
        .then(|| list.last().map(|e| e.id))
        .flatten();
    Ok(Json(EnterprisePage {
        items: list.into_iter().map(EnterpriseDto::from).collect(),
        next_after,
    }))
}

#[utoipa::path(post, operation_id = "create_enterprise", path = "/api/v1/enterprises", tag = "enterprises", request_body = EnterpriseInput,
    responses((status = 201, body = EnterpriseDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<EnterpriseInput>,
) -> Result<(StatusCode, Json<EnterpriseDto>)> {
    let mut draft = EnterpriseDraft::default();
    body.apply(&mut draft);
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

#[utoipa::path(patch, operation_id = "update_enterprise", path = "/api/v1/enterprises/{id}", tag = "enterprises", request_body = EnterpriseInput,
    params(("id" = i64, Path, description = "Enterprise id")),
    responses((status = 200, body = EnterpriseDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<EnterpriseInput>,
) -> Result<Json<EnterpriseDto>> {
    let updated = service::update(&app, ctx.actor()?, id, |d: &mut EnterpriseDraft| {
        body.apply(d)
    })
    .await?;
    Ok(Json(updated.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct BulkTagRequest {
    pub ids: Vec<i64>,
    pub tag_id: i64,
    /// true to remove the tag instead of adding it.
    #[serde(default)]
    pub remove: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BulkTagResult {
    /// How many enterprises changed.
    pub changed: usize,
}

#[utoipa::path(post, operation_id = "bulk_tag_enterprises", path = "/api/v1/enterprises/bulk-tag", tag = "enterprises", request_body = BulkTagRequest,
    responses((status = 200, body = BulkTagResult), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_bulk_tag(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<BulkTagRequest>,
) -> Result<Json<BulkTagResult>> {
    let changed =
        service::bulk_tag(&app, ctx.actor()?, &body.ids, body.tag_id, !body.remove).await?;
    Ok(Json(BulkTagResult { changed }))
}

#[derive(Serialize, ToSchema)]
pub struct TagDto {
    pub id: i64,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub retired_at: Option<String>,
}

impl From<Tag> for TagDto {
    fn from(t: Tag) -> Self {
        TagDto {
            id: t.id,
            name_zh: t.name_zh,
            name_ja: t.name_ja,
            name_ko: t.name_ko,
            name_en: t.name_en,
            retired_at: t.retired_at.map(|t| t.rfc3339()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TagInput {
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    /// Retire (true) or reinstate (false) the tag.
    #[serde(default)]
    pub retired: bool,
}

impl TagInput {
    fn names(&self) -> tags::TagNames {
        [
            Some(self.name_zh.clone()),
            self.name_ja.clone(),
            self.name_ko.clone(),
            self.name_en.clone(),
        ]
    }
}

#[utoipa::path(get, operation_id = "list_tags", path = "/api/v1/tags", tag = "enterprises",
    responses((status = 200, body = [TagDto]), (status = 401, body = ErrorBody)))]
async fn api_list_tags(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<TagDto>>> {
    Ok(Json(
        tags::list(&app, ctx.actor()?, true)
            .await?
            .into_iter()
            .map(TagDto::from)
            .collect(),
    ))
}

#[utoipa::path(post, operation_id = "create_tag", path = "/api/v1/tags", tag = "enterprises", request_body = TagInput,
    responses((status = 201, body = TagDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create_tag(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<TagInput>,
) -> Result<(StatusCode, Json<TagDto>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            tags::create(&app, ctx.actor()?, &body.names())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(put, operation_id = "update_tag", path = "/api/v1/tags/{id}", tag = "enterprises", request_body = TagInput,
    params(("id" = i64, Path, description = "Tag id")),
    responses((status = 200, body = TagDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_update_tag(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<TagInput>,
) -> Result<Json<TagDto>> {
    Ok(Json(
        tags::update(&app, ctx.actor()?, id, &body.names(), body.retired)
            .await?
            .into(),
    ))
}
