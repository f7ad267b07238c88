//! User admin pages and `/api/v1/users`.

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
use crate::auth::{Role, authorize};
use crate::error::{Error, FieldError, Result};
use crate::i18n::Locale;
use crate::org::model::as_tree;
use crate::users::model::{Profile, User};
use crate::users::service;
use crate::users::store::Filter;
use crate::web::context::{Ctx, RequestContext};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::page::{Choice, FormErrors, Page, render};
use crate::{enterprises, org};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/users", get(list_page).post(create_form))
        .route("/users/new", get(new_page))
        .route("/users/{id}", get(edit_page).post(update_form))
        .route("/users/{id}/password", post(password_form))
        .route("/users/{id}/disable", post(disable_form))
        .route("/users/{id}/enable", post(enable_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_get, api_update))
        .routes(routes!(api_set_password))
        .routes(routes!(api_disable))
        .routes(routes!(api_enable))
}

pub struct UserRow {
    pub user: User,
    pub role: String,
    pub department: String,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<UserRow>,
    roles: Vec<Choice>,
    q: String,
    show_disabled: bool,
    can_manage: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Only this role.
    pub role: Option<String>,
    /// Only this department.
    pub department_id: Option<i64>,
    /// Text in the login name or display name.
    pub q: Option<String>,
    /// Include disabled accounts ("1"/"true" on pages).
    pub disabled: Option<String>,
}

impl ListParams {
    /// The filter, refusing a role that does not exist rather than ignoring it.
    fn filter(&self) -> Result<Filter> {
        let role = match self
            .role
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            None => None,
            Some(r) => Some(
                Role::parse(r).ok_or(Error::field("role", crate::error::Code::InvalidChoice))?,
            ),
        };
        Ok(Filter {
            role,
            department_id: self.department_id,
            include_disabled: self
                .disabled
                .as_deref()
                .is_some_and(|d| !d.is_empty() && d != "false" && d != "0"),
            text: self
                .q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_string),
        })
    }
}

async fn department_names(app: &App, ctx: &RequestContext) -> Vec<(i64, String)> {
    let Ok(actor) = ctx.actor() else {
        return Vec::new();
    };
    let all = org::service::list(app, actor, true)
        .await
        .unwrap_or_default();
    all.iter()
        .map(|d| (d.id, d.name(ctx.locale).to_string()))
        .collect()
}

async fn list_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let filter = params.filter()?;
    let users = service::list(&app, actor, &filter).await?;
    let departments = department_names(&app, &ctx).await;
    let page = Page::new(&app, &ctx, "users-title");
    let rows = users
        .into_iter()
        .map(|user| UserRow {
            role: page.t(&user.role.message_id()),
            department: user
                .department_id
                .and_then(|id| departments.iter().find(|(d, _)| *d == id))
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            user,
        })
        .collect();
    let mut roles = vec![Choice {
        value: String::new(),
        label: page.t("users-all-roles"),
        selected: filter.role.is_none(),
    }];
    roles.extend(Role::ALL.into_iter().map(|r| Choice {
        value: r.as_str().into(),
        label: page.t(&r.message_id()),
        selected: filter.role == Some(r),
    }));
    Ok(render(&ListPage {
        can_manage: allows(actor, Action::ManageUsers),
        page,
        rows,
        roles,
        q: filter.text.unwrap_or_default(),
        show_disabled: filter.include_disabled,
    }))
}

/// The user form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct UserFormData {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub enterprise_id: String,
    #[serde(default)]
    pub locale: String,
}

fn parse_id(s: &str) -> Option<i64> {
    // An unparsable id is treated as an unknown one.
    Some(s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(-1))
}

impl UserFormData {
    fn from_user(u: &User) -> Self {
        UserFormData {
            username: u.username.clone(),
            password: String::new(),
            display_name: u.display_name.clone(),
            email: u.email.clone().unwrap_or_default(),
            role: u.role.as_str().into(),
            department_id: u.department_id.map(|d| d.to_string()).unwrap_or_default(),
            enterprise_id: u.enterprise_id.map(|d| d.to_string()).unwrap_or_default(),
            locale: u.locale.clone().unwrap_or_default(),
        }
    }

    fn profile(&self) -> Profile {
        Profile {
            display_name: self.display_name.clone(),
            email: Some(self.email.clone()),
            role: self.role.clone(),
            department_id: parse_id(&self.department_id),
            enterprise_id: parse_id(&self.enterprise_id),
            locale: Some(self.locale.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    page: Page,
    user: Option<User>,
    form: UserFormData,
    roles: Vec<Choice>,
    departments: Vec<Choice>,
    enterprises: Vec<Choice>,
    locales: Vec<Choice>,
    errors: FormErrors,
    notice: Option<String>,
    /// The administrator is looking at their own account.
    is_self: bool,
}

async fn form_page(
    app: &App,
    ctx: &RequestContext,
    user: Option<User>,
    form: UserFormData,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let title = if user.is_some() {
        "users-edit-title"
    } else {
        "users-new-title"
    };
    let page = Page::new(app, ctx, title);
    let none = |page: &Page| Choice {
        value: String::new(),
        label: page.t("choice-none"),
        selected: false,
    };
    let roles = Role::ALL
        .into_iter()
        .map(|r| Choice {
            value: r.as_str().into(),
            label: page.t(&r.message_id()),
            selected: form.role == r.as_str(),
        })
        .collect();
    let all_departments = org::service::list(app, actor, false).await?;
    let mut departments = vec![none(&page)];
    departments.extend(
        as_tree(&all_departments)
            .into_iter()
            .map(|(depth, d)| Choice {
                value: d.id.to_string(),
                label: format!("{}{}", "\u{3000}".repeat(depth), d.name(ctx.locale)),
                selected: form.department_id == d.id.to_string(),
            }),
    );
    let mut enterprise_choices = vec![none(&page)];
    enterprise_choices.extend(
        enterprises::service::list(app, actor, &enterprise_choices_query())
            .await?
            .into_iter()
            .map(|e| Choice {
                value: e.id.to_string(),
                label: e.name(ctx.locale).to_string(),
                selected: form.enterprise_id == e.id.to_string(),
            }),
    );
    let mut locales = vec![Choice {
        value: String::new(),
        label: page.t("users-locale-auto"),
        selected: form.locale.is_empty(),
    }];
    locales.extend(Locale::ALL.into_iter().map(|l| Choice {
        value: l.tag().into(),
        label: l.native_name().into(),
        selected: form.locale == l.tag(),
    }));
    let notice = notice.map(|n| page.t(n));
    let errors_view = FormErrors::new(app, ctx.locale, errors);
    let is_self = user.as_ref().is_some_and(|u| Some(u.id) == actor.user_id);
    let mut response = render(&FormPage {
        page,
        user,
        form,
        roles,
        departments,
        enterprises: enterprise_choices,
        locales,
        is_self,
        errors: errors_view,
        notice,
    });
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The enterprises offered in the account form: the first page by name.
fn enterprise_choices_query() -> enterprises::store::ListQuery {
    enterprises::store::ListQuery {
        limit: enterprises::service::MAX_PAGE,
        ..Default::default()
    }
}

async fn new_page(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    authorize(ctx.actor()?, Action::ManageUsers)?;
    let form = UserFormData {
        role: "officer".into(),
        ..Default::default()
    };
    form_page(&app, &ctx, None, form, &[], None).await
}

async fn create_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<UserFormData>,
) -> Result<Response> {
    match service::create(
        &app,
        ctx.actor()?,
        &form.username,
        &form.password,
        &form.profile(),
    )
    .await
    {
        Ok(u) => Ok(Redirect::to(&format!("/users/{}", u.id)).into_response()),
        Err(Error::Invalid(errors)) => {
            let form = UserFormData {
                password: String::new(),
                ..form
            };
            form_page(&app, &ctx, None, form, &errors, None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn edit_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    authorize(actor, Action::ManageUsers)?;
    let user = service::get(&app, actor, id).await?;
    let form = UserFormData::from_user(&user);
    let notice = match q.done.as_deref() {
        Some("saved") => Some("notice-saved"),
        Some("password") => Some("users-password-set"),
        _ => None,
    };
    form_page(&app, &ctx, Some(user), form, &[], notice).await
}

async fn update_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<UserFormData>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let profile = form.profile();
    match service::update(&app, actor, id, |p: &mut Profile| *p = profile).await {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?done=saved")).into_response()),
        Err(Error::Invalid(errors)) => {
            let user = service::get(&app, actor, id).await?;
            let form = UserFormData {
                username: user.username.clone(),
                ..form
            };
            form_page(&app, &ctx, Some(user), form, &errors, None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn password_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    match service::set_password(&app, actor, id, &f.password).await {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?done=password")).into_response()),
        Err(Error::Invalid(errors)) => {
            let user = service::get(&app, actor, id).await?;
            let form = UserFormData::from_user(&user);
            form_page(&app, &ctx, Some(user), form, &errors, None).await
        }
        Err(e) => Err(e),
    }
}

async fn disable_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    service::set_disabled(&app, ctx.actor()?, id, true).await?;
    Ok(Redirect::to(&format!("/users/{id}?done=saved")).into_response())
}

async fn enable_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    service::set_disabled(&app, ctx.actor()?, id, false).await?;
    Ok(Redirect::to(&format!("/users/{id}?done=saved")).into_response())
}

// ---- API ----

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub locale: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub disabled_at: Option<String>,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        UserDto {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            role: u.role,
            department_id: u.department_id,
            enterprise_id: u.enterprise_id,
            locale: u.locale,
            created_at: u.created_at.rfc3339(),
            updated_at: u.updated_at.rfc3339(),
            disabled_at: u.disabled_at.map(|t| t.rfc3339()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateUser {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub email: Option<String>,
    /// admin, leader, coordinator, officer, enterprise or viewer.
    pub role: String,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// zh-CN, ja, ko or en; absent to follow the browser.
    pub locale: Option<String>,
}

/// Changes to an account; absent fields stay as they are, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    pub role: Option<String>,
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<i64>)]
    pub department_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<i64>)]
    pub enterprise_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::web::extract::present")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}

#[derive(Deserialize, ToSchema)]
pub struct SetPassword {
    pub password: String,
}

#[utoipa::path(get, operation_id = "list_users", path = "/api/v1/users", tag = "users", params(ListParams),
    responses((status = 200, body = [UserDto]), (status = 403, body = ErrorBody)))]
async fn api_list(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<UserDto>>> {
    let users = service::list(&app, ctx.actor()?, &params.filter()?).await?;
    Ok(Json(users.into_iter().map(UserDto::from).collect()))
}

#[utoipa::path(post, operation_id = "create_user", path = "/api/v1/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = UserDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_create(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<CreateUser>,
) -> Result<(StatusCode, Json<UserDto>)> {
    let profile = Profile {
        display_name: body.display_name,
        email: body.email,
        role: body.role,
        department_id: body.department_id,
        enterprise_id: body.enterprise_id,
        locale: body.locale,
    };
    let user =
        service::create(&app, ctx.actor()?, &body.username, &body.password, &profile).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[utoipa::path(get, operation_id = "get_user", path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn api_get(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>> {
    Ok(Json(service::get(&app, ctx.actor()?, id).await?.into()))
}

#[utoipa::path(patch, operation_id = "update_user", path = "/api/v1/users/{id}", tag = "users", request_body = UpdateUser,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_update(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<UpdateUser>,
) -> Result<Json<UserDto>> {
    let edit = |p: &mut Profile| {
        if let Some(v) = body.display_name {
            p.display_name = v;
        }
        if let Some(v) = body.email {
            p.email = v;
        }
        if let Some(v) = body.role {
            p.role = v;
        }
        if let Some(v) = body.department_id {
            p.department_id = v;
        }
        if let Some(v) = body.enterprise_id {
            p.enterprise_id = v;
        }
        if let Some(v) = body.locale {
            p.locale = v;
        }
    };
    Ok(Json(
        service::update(&app, ctx.actor()?, id, edit).await?.into(),
    ))
}

#[utoipa::path(post, operation_id = "set_user_password", path = "/api/v1/users/{id}/password", tag = "users", request_body = SetPassword,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_set_password(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Json(body): Json<SetPassword>,
) -> Result<Json<UserDto>> {
    Ok(Json(
        service::set_password(&app, ctx.actor()?, id, &body.password)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, operation_id = "disable_user", path = "/api/v1/users/{id}/disable", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserDto), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn api_disable(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>> {
    Ok(Json(
        service::set_disabled(&app, ctx.actor()?, id, true)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, operation_id = "enable_user", path = "/api/v1/users/{id}/enable", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserDto), (status = 403, body = ErrorBody)))]
async fn api_enable(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>> {
    Ok(Json(
        service::set_disabled(&app, ctx.actor()?, id, false)
            .await?
            .into(),
    ))
}
