//! The glossary pages (`/admin/glossary`) and `/api/v1/glossary`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, ConceptDraft};
use super::store::Row;
use crate::app::App;
use crate::auth::permission::{Action, allows};
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::web::context::Ctx;
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::page::{FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/admin/glossary", get(list_page).post(create_form))
        .route("/admin/glossary/{id}", get(edit_page).post(update_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_update))
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
pub struct ListParams {
    /// Only concepts whose key, domain or terms contain this.
    pub q: String,
}

fn matches(row: &Row, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty()
        || [
            &row.key,
            &row.domain,
            &row.terms_zh,
            &row.terms_ja,
            &row.terms_ko,
            &row.terms_en,
        ]
        .iter()
        .any(|cell| cell.to_lowercase().contains(&q))
}

#[derive(Template)]
#[template(path = "glossary/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    total: usize,
    shown: usize,
    q: String,
    can_edit: bool,
    draft: ConceptDraft,
    term_fields: Vec<(&'static str, &'static str, String)>,
    errors: FormErrors,
}

async fn list_view(
    app: &App,
    ctx: &crate::web::context::RequestContext,
    q: String,
    draft: ConceptDraft,
    errors: FormErrors,
) -> Result<ListPage> {
    let actor = ctx.actor()?;
    let all = service::list(app, actor).await?;
    let total = all.len();
    let rows: Vec<Row> = all.into_iter().filter(|r| matches(r, &q)).collect();
    Ok(ListPage {
        page: Page::new(app, ctx, "glossary-title"),
        shown: rows.len(),
        rows,
        total,
        q,
        can_edit: allows(actor, Action::ManageGlossary),
        term_fields: term_fields(&draft),
        draft,
        errors,
    })
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Response> {
    let view = list_view(
        &app,
        &ctx,
        params.q,
        ConceptDraft::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&view))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConceptForm {
    key: String,
    domain: String,
    zh: String,
    ja: String,
    ko: String,
    en: String,
    retired: Option<String>,
}

impl ConceptForm {
    fn draft(&self) -> ConceptDraft {
        ConceptDraft {
            key: self.key.clone(),
            domain: self.domain.clone(),
            zh: self.zh.clone(),
            ja: self.ja.clone(),
            ko: self.ko.clone(),
            en: self.en.clone(),
        }
    }
}

/// The four term boxes: name, label (in its own language), text.
fn term_fields(d: &ConceptDraft) -> Vec<(&'static str, &'static str, String)> {
    let name = |l: Locale| l.native_name();
    vec![
        ("zh", name(Locale::ZhCn), d.zh.clone()),
        ("ja", name(Locale::Ja), d.ja.clone()),
        ("ko", name(Locale::Ko), d.ko.clone()),
        ("en", name(Locale::En), d.en.clone()),
    ]
}

fn refused(mut response: Response) -> Response {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn create_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<ConceptForm>,
) -> Result<Response> {
    let draft = form.draft();
    match service::create(&app, ctx.actor()?, &draft).await {
        Ok(row) => Ok(Redirect::to(&format!("/admin/glossary?q={}", row.key)).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let errors = FormErrors::new(&app, ctx.locale, &e.field_errors());
            let view = list_view(&app, &ctx, String::new(), draft, errors).await?;
            Ok(refused(render(&view)))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "glossary/edit.html")]
struct EditPage {
    page: Page,
    id: i64,
    draft: ConceptDraft,
    term_fields: Vec<(&'static str, &'static str, String)>,
    retired: bool,
    errors: FormErrors,
}

fn draft_of(row: &Row) -> ConceptDraft {
    let lines = |cell: &str| cell.replace('|', "\n");
    ConceptDraft {
        key: row.key.clone(),
        domain: row.domain.clone(),
        zh: lines(&row.terms_zh),
        ja: lines(&row.terms_ja),
        ko: lines(&row.terms_ko),
        en: lines(&row.terms_en),
    }
}

async fn edit_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let actor = ctx.actor()?;
    crate::auth::authorize(actor, Action::ManageGlossary)?;
    let row = service::get(&app, actor, id).await?;
    Ok(render(&EditPage {
        page: Page::new(&app, &ctx, "glossary-edit-title"),
        id,
        term_fields: term_fields(&draft_of(&row)),
        draft: draft_of(&row),
        retired: row.retired_at.is_some(),
        errors: FormErrors::default(),
    }))
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ConceptForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let draft = form.draft();
    let saved = match service::update(&app, actor, id, &draft).await {
        Ok(row) => row,
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            return Ok(refused(render(&EditPage {
                page: Page::new(&app, &ctx, "glossary-edit-title"),
                id,
                term_fields: term_fields(&draft),
                draft,
                retired: form.retired.is_some(),
                errors: FormErrors::new(&app, ctx.locale, &e.field_errors()),
            })));
        }
        Err(e) => return Err(e),
    };
    let retire = form.retired.is_some();
    if retire != saved.retired_at.is_some() {
        service::set_retired(&app, actor, id, retire).await?;
    }
    Ok(Redirect::to(&format!("/admin/glossary?q={}", saved.key)).into_response())
}

// ---- API ----

#[utoipa::path(get, operation_id = "list_glossary", path = "/api/v1/glossary", tag = "glossary",
    params(ListParams),
    responses((status = 200, description = "Every concept (retired ones too), terms `|`-separated", body = Vec<Row>),
        (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<Row>>> {
    let rows = service::list(&app, ctx.actor()?).await?;
    Ok(Json(
        rows.into_iter().filter(|r| matches(r, &params.q)).collect(),
    ))
}

#[utoipa::path(post, operation_id = "create_glossary_concept", path = "/api/v1/glossary", tag = "glossary",
    request_body = ConceptDraft,
    responses((status = 201, body = Row), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(draft): Json<ConceptDraft>,
) -> Result<(StatusCode, Json<Row>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&app, ctx.actor()?, &draft).await?),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ConceptChange {
    #[serde(flatten)]
    pub draft: ConceptDraft,
    /// Retire (true) or bring back (false); absent: unchanged.
    pub retired: Option<bool>,
}

#[utoipa::path(put, operation_id = "update_glossary_concept", path = "/api/v1/glossary/{id}", tag = "glossary",
    request_body = ConceptChange,
    responses((status = 200, body = Row), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(change): Json<ConceptChange>,
) -> Result<Json<Row>> {
    let actor = ctx.actor()?;
    let mut row = service::update(&app, actor, id, &change.draft).await?;
    if let Some(retired) = change.retired
        && retired != row.retired_at.is_some()
    {
        row = service::set_retired(&app, actor, id, retired).await?;
    }
    Ok(Json(row))
}
