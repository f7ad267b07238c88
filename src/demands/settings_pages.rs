//! The administrator's page for demand categories (with their default lead
//! departments: the responsibility matrix) and SLA policies.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::app::App;
use crate::auth::{Action, authorize};
use crate::demands::categories::{self, CategoryDraft, SlaKind, SlaPolicy};
use crate::error::{Error, FieldError, Result};
use crate::web::context::{Ctx, RequestContext};
use crate::web::extract::{Pairs, Path};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route(
            "/admin/demand-categories",
            get(settings_page).post(create_form),
        )
        .route("/admin/demand-categories/{id}", post(update_form))
        .route("/admin/sla-policies/{kind}", post(policy_form))
}

struct CategoryRow {
    id: i64,
    child: bool,
    name_zh: String,
    name_ja: String,
    name_ko: String,
    name_en: String,
    lead: Vec<Choice>,
    sla: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "demands/settings.html")]
struct SettingsPage {
    page: Page,
    rows: Vec<CategoryRow>,
    parents: Vec<Choice>,
    leads: Vec<Choice>,
    slas: Vec<Choice>,
    policies: Vec<(SlaPolicy, String)>,
    errors: FormErrors,
}

fn sla_choices(page: &Page, chosen: Option<SlaKind>) -> Vec<Choice> {
    SlaKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: page.t(&k.message_id()),
            selected: chosen == Some(*k),
        })
        .collect()
}

async fn render_page(app: &App, ctx: &RequestContext, errors: &[FieldError]) -> Result<Response> {
    let actor = ctx.actor()?;
    authorize(actor, Action::ManageDemandSettings)?;
    let page = Page::new(app, ctx, "nav-demand-categories");
    let departments = crate::org::service::list(app, actor, false).await?;
    let lead_choices = |chosen: Option<i64>| {
        let mut list = vec![Choice {
            value: String::new(),
            label: page.t("choice-none"),
            selected: chosen.is_none(),
        }];
        list.extend(departments.iter().map(|d| Choice {
            value: d.id.to_string(),
            label: d.name(ctx.locale).to_string(),
            selected: chosen == Some(d.id),
        }));
        list
    };
    let all = categories::list(app, actor).await?;
    let rows = all
        .iter()
        .filter(|c| c.retired_at.is_none())
        .map(|c| CategoryRow {
            id: c.id,
            child: c.parent_id.is_some(),
            name_zh: c.name_zh.clone(),
            name_ja: c.name_ja.clone().unwrap_or_default(),
            name_ko: c.name_ko.clone().unwrap_or_default(),
            name_en: c.name_en.clone().unwrap_or_default(),
            lead: lead_choices(c.lead_department_id),
            sla: sla_choices(&page, Some(c.sla_kind)),
        })
        .collect();
    let mut parents = vec![Choice {
        value: String::new(),
        label: page.t("choice-none"),
        selected: true,
    }];
    parents.extend(
        all.iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name(ctx.locale).to_string(),
                selected: false,
            }),
    );
    let policies = categories::policies(app, actor)
        .await?
        .into_iter()
        .map(|p| {
            let label = page.t(&p.kind.message_id());
            (p, label)
        })
        .collect();
    let mut response = render(&SettingsPage {
        rows,
        parents,
        leads: lead_choices(None),
        slas: sla_choices(&page, Some(SlaKind::Enquiry)),
        policies,
        errors: FormErrors::new(app, ctx.locale, errors),
        page,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn settings_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    render_page(&app, &ctx, &[]).await
}

fn draft_from(form: &Pairs) -> CategoryDraft {
    let opt = |name: &str| Some(form.one(name)).filter(|v| !v.trim().is_empty());
    CategoryDraft {
        parent_id: form.ids("parent_id").first().copied(),
        name_zh: form.one("name_zh"),
        name_ja: opt("name_ja"),
        name_ko: opt("name_ko"),
        name_en: opt("name_en"),
        lead_department_id: form.ids("lead_department_id").first().copied(),
        sla_kind: form.one("sla_kind"),
    }
}

/// Back to the page after a change, or the page with the problems.
async fn respond(app: &App, ctx: &RequestContext, result: Result<()>) -> Result<Response> {
    match result {
        Ok(()) => Ok(Redirect::to("/admin/demand-categories").into_response()),
        Err(Error::Invalid(errors)) => render_page(app, ctx, &errors).await,
        Err(e) => Err(e),
    }
}

async fn create_form(State(app): State<App>, Ctx(ctx): Ctx, form: Pairs) -> Result<Response> {
    let result = categories::create(&app, ctx.actor()?, &draft_from(&form))
        .await
        .map(|_| ());
    respond(&app, &ctx, result).await
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response> {
    let draft = draft_from(&form);
    let result = categories::update(&app, ctx.actor()?, id, |d| {
        // The parent is kept: moving a category is not done from the table.
        *d = CategoryDraft {
            parent_id: d.parent_id,
            ..draft
        }
    })
    .await
    .map(|_| ());
    respond(&app, &ctx, result).await
}

async fn policy_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(kind): Path<String>,
    form: Pairs,
) -> Result<Response> {
    let kind = SlaKind::parse(&kind).ok_or(Error::NotFound)?;
    let number = |name: &str| form.one(name).trim().parse::<i64>().unwrap_or(-1);
    let days = [
        number("sign_for_days"),
        number("reply_days"),
        number("urgent_reply_days"),
        number("feedback_days"),
    ];
    let result = categories::set_policy(&app, ctx.actor()?, kind, days)
        .await
        .map(|_| ());
    respond(&app, &ctx, result).await
}
