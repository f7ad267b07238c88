//! Department admin pages and `/api/v1/departments`.

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
use crate::error::{Error, FieldError, Result};
use crate::org::model::{Department, DepartmentDraft, DepartmentKind, as_tree};
use crate::org::service;
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::page::{Choice, FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/departments", get(list_page).post(create_form))
        .route("/departments/new", get(new_page))
        .route("/departments/{id}", get(edit_page).post(update_form))
        .route("/departments/{id}/retire", post(retire_form))
        .route("/departments/{id}/reinstate", post(reinstate_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_get, api_update))
        .routes(routes!(api_retire))
        .routes(routes!(api_reinstate))
}

pub struct Row {
    pub id: i64,
    pub depth: usize,
    pub name: String,
    pub kind: String,
    pub retired: bool,
}

#[derive(Template)]
#[template(path = "departments/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    can_manage: bool,
    show_retired: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    retired: Option<String>,
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let show_retired = q.retired.is_some();
    let all = service::list(&app, actor, show_retired).await?;
    let page = Page::new(&app, &ctx, "departments-title");
    let rows = as_tree(&all)
        .into_iter()
        .map(|(depth, d)| Row {
            id: d.id,
            depth,
            name: d.name(ctx.locale).to_string(),
            kind: page.t(&d.kind.message_id()),
            retired: !d.is_active(),
        })
        .collect();
    let can_manage = allows(actor, Action::ManageOrganisation);
    Ok(render(&ListPage {
        page,
        rows,
        can_manage,
        show_retired,
    }))
}

#[derive(Template)]
#[template(path = "departments/form.html")]
struct FormPage {
    page: Page,
    department: Option<Department>,
    form: DepartmentFormData,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
    errors: FormErrors,
    can_manage: bool,
    /// For the read-only view: the kind and parent by name.
    kind_name: String,
    parent_name: String,
}

/// The department form as posted (all text, as browsers send it).
#[derive(Deserialize, Default, Clone)]
pub struct DepartmentFormData {
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_ja: String,
    #[serde(default)]
    pub name_ko: String,
    #[serde(default)]
    pub name_en: String,
}

impl DepartmentFormData {
    fn from_department(d: &Department) -> Self {
        DepartmentFormData {
            parent_id: d.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            kind: d.kind.as_str().into(),
            name_zh: d.name_zh.clone(),
            name_ja: d.name_ja.clone().unwrap_or_default(),
            name_ko: d.name_ko.clone().unwrap_or_default(),
            name_en: d.name_en.clone().unwrap_or_default(),
        }
    }

    fn draft(&self) -> DepartmentDraft {
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        DepartmentDraft {
            // An unparsable id is treated as an unknown department.
            parent_id: opt(&self.parent_id).map(|p| p.trim().parse().unwrap_or(-1)),
            kind: self.kind.clone(),
            name_zh: self.name_zh.clone(),
            name_ja: opt(&self.name_ja),
            name_ko: opt(&self.name_ko),
            name_en: opt(&self.name_en),
        }
    }
}

async fn form_page(
    app: &App,
    ctx: &RequestContext,
    department: Option<Department>,
    form: DepartmentFormData,
    errors: &[FieldError],
) -> Result<Response> {
    form_page_with_status(
        app,
        ctx,
        department,
        form,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn form_page_with_status(
    app: &App,
    ctx: &RequestContext,
    department: Option<Department>,
    form: DepartmentFormData,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let all = service::list(app, actor, false).await?;
    let title = if department.is_some() {
        "departments-edit-title"
    } else {
        "departments-new-title"
    };
    let page = Page::new(app, ctx, title);
    let kinds = DepartmentKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: page.t(&k.message_id()),
            selected: form.kind == k.as_str(),
        })
        .collect();
    let own_id = department.as_ref().map(|d| d.id);
    let mut parents = vec![Choice {
        value: String::new(),
        label: page.t("departments-no-parent"),
        selected: form.parent_id.is_empty(),
    }];
    parents.extend(
        as_tree(&all)
            .into_iter()
            .filter(|(_, d)| Some(d.id) != own_id)
            .map(|(depth, d)| Choice {
                value: d.id.to_string(),
                label: format!("{}{}", "\u{3000}".repeat(depth), d.name(ctx.locale)),
                selected: form.parent_id == d.id.to_string(),
            }),
    );
    let kinds: Vec<Choice> = kinds;
    let errors_view = FormErrors::new(app, ctx.locale, errors);
    let can_manage = allows(actor, Action::ManageOrganisation);
    let mut page = page;
    if let (false, Some(d)) = (can_manage, &department) {
        // Those who may not edit see the department, not an edit form.
        page.title = d.name(ctx.locale).to_string();
    }
    let selected = |choices: &[Choice]| {
        choices
            .iter()
            .find(|c| c.selected)
            .map(|c| c.label.trim_start_matches('\u{3000}').to_string())
            .unwrap_or_default()
    };
    let (kind_name, parent_name) = (selected(&kinds), selected(&parents));
    let mut response = render(&FormPage {
        page,
        department,
        form,
        kinds,
        parents,
        errors: errors_view,
        can_manage,
        kind_name,
        parent_name,
    });
    if !errors.is_empty() {
        *response.status_mut() = status;
    }
    Ok(response)
}

async fn new_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    crate::auth::authorize(ctx.actor()?, Action::ManageOrganisation)?;
    let form = DepartmentFormData {
        kind: "bureau".into(),
        ..Default::default()
    };
    form_page(&app, &ctx, None, form, &[]).await
}

async fn create_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<DepartmentFormData>,
) -> Result<Response> {
    match service::create(&app, ctx.actor()?, &form.draft()).await {
        Ok(d) => Ok(Redirect::to(&format!("/departments/{}", d.id)).into_response()),
        Err(Error::Invalid(errors)) => form_page(&app, &ctx, None, form, &errors).await,
        Err(e) => Err(e),
    }
}

async fn edit_page(State(app): State<App>, Ctx(ctx): Ctx, Path(id): Path<i64>) -> Result<Response> {
    let department = service::get(&app, ctx.actor()?, id).await?;
    let form = DepartmentFormData::from_department(&department);
    form_page(&app, &ctx, Some(department), form, &[]).await
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DepartmentFormData>,
) -> Result<Response> {
    let draft = form.draft();
    match service::update(&app, ctx.actor()?, id, |d: &mut DepartmentDraft| *d = draft).await {
        Ok(d) => Ok(Redirect::to(&format!("/departments/{}", d.id)).into_response()),
        Err(Error::Invalid(errors)) => {
            let department = service::get(&app, ctx.actor()?, id).await?;
            form_page(&app, &ctx, Some(department), form, &errors).await
        }
        Err(e) => Err(e),
    }
}

async fn retire_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let result = service::retire(&app, ctx.actor()?, id).await;
    retired_or_explained(&app, &ctx, id, result, "/departments").await
}

async fn reinstate_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let result = service::reinstate(&app, ctx.actor()?, id).await;
    retired_or_explained(&app, &ctx, id, result, &format!("/departments/{id}")).await
}

/// After retiring or reinstating: onwards, or back to the department page
/// with the reason it could not be done.
async fn retired_or_explained(
    app: &App,
    ctx: &RequestContext,
    id: i64,
    result: Result<Department>,
    onwards: &str,
) -> Result<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(onwards).into_response()),
        Err(Error::Conflict(problem)) => {
            let department = service::get(app, ctx.actor()?, id).await?;
            let form = DepartmentFormData::from_department(&department);
            form_page_with_status(
                app,
                ctx,
                Some(department),
                form,
                &[problem],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

// ---- API ----

#[derive(Serialize, ToSchema)]
pub struct DepartmentDto {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: DepartmentKind,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub retired_at: Option<String>,
}

impl From<Department> for DepartmentDto {
    fn from(d: Department) -> Self {
        DepartmentDto {
            id: d.id,
            parent_id: d.parent_id,
            kind: d.kind,
            name_zh: d.name_zh,
            name_ja: d.name_ja,
            name_ko: d.name_ko,
            name_en: d.name_en,
            created_at: d.created_at.rfc3339(),
            updated_at: d.updated_at.rfc3339(),
            retired_at: d.retired_at.map(|t| t.rfc3339()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateDepartment {
    pub parent_id: Option<i64>,
    /// city, bureau, division, district or committee.
    pub kind: String,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
}

/// Changes to a department; absent fields stay as they are. `parent_id: null`
/// moves it to the top level.
#[derive(Deserialize, ToSchema)]
pub struct UpdateDepartment {
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    pub kind: Option<String>,
    pub name_zh: Option<String>,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Include retired departments.
    pub include_retired: Option<bool>,
}

#[utoipa::path(get, operation_id = "list_departments", path = "/api/v1/departments", tag = "organisation", params(ListParams),
    responses((status = 200, body = [DepartmentDto]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<DepartmentDto>>> {
    let list = service::list(&app, ctx.actor()?, q.include_retired.unwrap_or(false)).await?;
    Ok(Json(list.into_iter().map(DepartmentDto::from).collect()))
}

#[utoipa::path(post, operation_id = "create_department", path = "/api/v1/departments", tag = "organisation", request_body = CreateDepartment,
    responses((status = 201, body = DepartmentDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<CreateDepartment>,
) -> Result<(StatusCode, Json<DepartmentDto>)> {
    let draft = DepartmentDraft {
        parent_id: body.parent_id,
        kind: body.kind,
        name_zh: body.name_zh,
        name_ja: body.name_ja,
        name_ko: body.name_ko,
        name_en: body.name_en,
    };
    let created = service::create(&app, ctx.actor()?, &draft).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

#[utoipa::path(get, operation_id = "get_department", path = "/api/v1/departments/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentDto), (status = 404, body = ErrorBody)))]
async fn api_get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<DepartmentDto>> {
    Ok(Json(service::get(&app, ctx.actor()?, id).await?.into()))
}

#[utoipa::path(patch, operation_id = "update_department", path = "/api/v1/departments/{id}", tag = "organisation", request_body = UpdateDepartment,
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentDto), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<UpdateDepartment>,
) -> Result<Json<DepartmentDto>> {
    let updated = service::update(&app, ctx.actor()?, id, |draft: &mut DepartmentDraft| {
        if let Some(parent) = body.parent_id {
            draft.parent_id = parent;
        }
        if let Some(kind) = body.kind {
            draft.kind = kind;
        }
        if let Some(name) = body.name_zh {
            draft.name_zh = name;
        }
        for (field, value) in [
            (&mut draft.name_ja, body.name_ja),
            (&mut draft.name_ko, body.name_ko),
            (&mut draft.name_en, body.name_en),
        ] {
            if value.is_some() {
                *field = value;
            }
        }
    })
    .await?;
    Ok(Json(updated.into()))
}

#[utoipa::path(post, operation_id = "retire_department", path = "/api/v1/departments/{id}/retire", tag = "organisation",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentDto), (status = 409, body = ErrorBody)))]
async fn api_retire(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<DepartmentDto>> {
    Ok(Json(service::retire(&app, ctx.actor()?, id).await?.into()))
}

#[utoipa::path(post, operation_id = "reinstate_department", path = "/api/v1/departments/{id}/reinstate", tag = "organisation",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentDto), (status = 409, body = ErrorBody)))]
async fn api_reinstate(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<DepartmentDto>> {
    Ok(Json(
        service::reinstate(&app, ctx.actor()?, id).await?.into(),
    ))
}
