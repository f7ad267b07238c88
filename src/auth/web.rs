//! Sign-in and sign-out, the language switcher, one's own profile (password,
//! language, API tokens), and the matching API routes.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::auth::tokens::{self, ApiToken};
use crate::auth::{Actor, Role, login};
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::users;
use crate::web::context::{
    Ctx, LANG_COOKIE, RequestContext, SESSION_COOKIE, local_path, set_cookie,
};
use crate::web::errors::ErrorBody;
use crate::web::extract::{Form, Json, Path, Query};
use crate::web::page::{FormErrors, Page, render};

pub fn pages() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/language", post(switch_language))
        .route("/profile", get(profile_page))
        .route("/profile/password", post(change_password))
        .route("/profile/language", post(switch_language))
        .route("/profile/tokens", post(issue_token_form))
        .route("/profile/tokens/{id}/revoke", post(revoke_token_form))
}

pub fn api() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(api_me))
        .routes(routes!(api_list_tokens, api_issue_token))
        .routes(routes!(api_revoke_token))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    username: String,
    next: String,
    errors: FormErrors,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(State(app): State<App>, Ctx(ctx): Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to(&local_path(q.next.as_deref())).into_response();
    }
    let page = Page::new(&app, &ctx, "login-title");
    let next = local_path(q.next.as_deref());
    render(&LoginPage {
        page,
        username: String::new(),
        next,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login_submit(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    match login::login(&app, &form.username, &form.password, &ctx.address).await {
        Ok(signed_in) => {
            let mut response = Redirect::to(&local_path(form.next.as_deref())).into_response();
            let max_age = app.config.auth.session_max_hours * 3600;
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                set_cookie(
                    &app,
                    SESSION_COOKIE,
                    &signed_in.session.token,
                    Some(max_age),
                ),
            );
            Ok(response)
        }
        Err(Error::Invalid(errors)) => Ok(login_again(
            &app,
            &ctx,
            form,
            &errors,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(
            e @ Error::Throttled {
                retry_after_minutes,
            },
        ) => {
            let status = crate::web::errors::status_of(&e);
            let mut response = login_again(&app, &ctx, form, &e.field_errors(), status);
            let wait = axum::http::HeaderValue::from(retry_after_minutes * 60);
            response.headers_mut().insert(header::RETRY_AFTER, wait);
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

fn login_again(
    app: &App,
    ctx: &RequestContext,
    form: LoginForm,
    errors: &[crate::error::FieldError],
    status: axum::http::StatusCode,
) -> Response {
    let page = Page::new(app, ctx, "login-title");
    let errors = FormErrors::new(app, ctx.locale, errors);
    let next = local_path(form.next.as_deref());
    let mut response = render(&LoginPage {
        page,
        username: form.username,
        next,
        errors,
    });
    *response.status_mut() = status;
    response
}

async fn logout(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Response> {
    if let (Some(actor), Some(token)) = (&ctx.actor, &ctx.session_token) {
        login::logout(&app, actor, token).await?;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&app, SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    back: Option<String>,
}

/// The switcher on every page. Signed-in users' choice is saved to their
/// account (a preference outranks the cookie); everyone gets the cookie.
async fn switch_language(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(form): Form<LanguageForm>,
) -> Result<Response> {
    // An empty choice means "follow the browser": no preference, no cookie.
    let locale = Locale::ALL.into_iter().find(|l| l.tag() == form.lang);
    if let Some(actor) = &ctx.actor {
        users::service::set_own_locale(&app, actor, locale.map_or("", |l| l.tag())).await?;
    }
    let mut response = Redirect::to(&local_path(form.back.as_deref())).into_response();
    let cookie = match locale {
        Some(l) => set_cookie(&app, LANG_COOKIE, l.tag(), Some(365 * 24 * 3600)),
        None => set_cookie(&app, LANG_COOKIE, "", Some(0)),
    };
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    page: Page,
    user: users::User,
    department: Option<String>,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    notice: Option<String>,
    password_errors: FormErrors,
    token_errors: FormErrors,
    now: crate::db::Timestamp,
    /// What was typed into the token form, kept when it is refused.
    token_name: String,
    token_days: String,
}

#[derive(Deserialize)]
struct ProfileQuery {
    done: Option<String>,
}

async fn profile_page(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Query(q): Query<ProfileQuery>,
) -> Result<Response> {
    let notice = match q.done.as_deref() {
        Some("password") => Some("profile-password-changed"),
        Some("revoked") => Some("profile-token-revoked"),
        _ => None,
    };
    profile(&app, &ctx, notice, None, &[], &[], None).await
}

async fn profile(
    app: &App,
    ctx: &RequestContext,
    notice: Option<&str>,
    new_token: Option<String>,
    password_errors: &[crate::error::FieldError],
    token_errors: &[crate::error::FieldError],
    token_form: Option<&TokenForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let id = actor.user_id.ok_or(Error::Forbidden)?;
    let user = users::service::get(app, actor, id).await?;
    let department = match user.department_id {
        Some(d) if actor.role != Role::Enterprise => crate::org::service::get(app, actor, d)
            .await
            .ok()
            .map(|d| d.name(ctx.locale).to_string()),
        _ => None,
    };
    let tokens = tokens::list(app, actor, id).await?;
    let page = Page::new(app, ctx, "profile-title");
    let notice = notice.map(|n| page.t(n));
    let failed = !password_errors.is_empty() || !token_errors.is_empty();
    let mut response = render(&ProfilePage {
        password_errors: FormErrors::new(app, ctx.locale, password_errors),
        token_errors: FormErrors::new(app, ctx.locale, token_errors),
        page,
        user,
        department,
        tokens,
        new_token,
        notice,
        now: app.now(),
        token_name: token_form.map(|f| f.name.clone()).unwrap_or_default(),
        token_days: token_form.and_then(|f| f.days.clone()).unwrap_or_default(),
    });
    if failed {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    match users::service::change_own_password(
        &app,
        actor,
        &f.current_password,
        &f.new_password,
        &f.confirm_password,
    )
    .await
    {
        // Changing the password ends every session, this one too.
        Ok(_) => Ok(Redirect::to("/login?next=/profile%3Fdone%3Dpassword").into_response()),
        Err(Error::Invalid(errors)) => profile(&app, &ctx, None, None, &errors, &[], None).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    days: Option<String>,
}

async fn issue_token_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Form(f): Form<TokenForm>,
) -> Result<Response> {
    let actor = ctx.actor()?;
    let id = actor.user_id.ok_or(Error::Forbidden)?;
    // Not a number is out of range, which the service reports on the field.
    let days = f
        .days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.parse::<i64>().unwrap_or(0));
    match tokens::issue(&app, actor, id, &f.name, days).await {
        Ok((_, secret)) => {
            profile(
                &app,
                &ctx,
                Some("profile-token-issued"),
                Some(secret),
                &[],
                &[],
                None,
            )
            .await
        }
        Err(Error::Invalid(errors)) => {
            profile(&app, &ctx, None, None, &[], &errors, Some(&f)).await
        }
        Err(e) => Err(e),
    }
}

async fn revoke_token_form(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response> {
    tokens::revoke(&app, ctx.actor()?, id).await?;
    Ok(Redirect::to("/profile?done=revoked").into_response())
}

// ---- API ----

/// The signed-in account, as the API sees it.
#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// The language messages and errors are given in.
    pub locale: String,
}

impl MeDto {
    fn new(actor: &Actor, locale: Locale) -> MeDto {
        MeDto {
            id: actor.user_id,
            username: actor.username.clone(),
            display_name: actor.display_name.clone(),
            role: actor.role,
            department_id: actor.department_id,
            enterprise_id: actor.enterprise_id,
            locale: locale.tag().into(),
        }
    }
}

#[utoipa::path(get, operation_id = "get_me", path = "/api/v1/me", tag = "account",
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
async fn api_me(Ctx(ctx): Ctx) -> Result<Json<MeDto>> {
    Ok(Json(MeDto::new(ctx.actor()?, ctx.locale)))
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret, to recognise it by.
    pub prefix: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenDto {
    fn from(t: ApiToken) -> Self {
        TokenDto {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at.rfc3339(),
            expires_at: t.expires_at.rfc3339(),
            last_used_at: t.last_used_at.map(|t| t.rfc3339()),
            revoked_at: t.revoked_at.map(|t| t.rfc3339()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IssuedTokenDto {
    pub token: TokenDto,
    /// The bearer secret. It is shown this once and cannot be read again.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct IssueTokenRequest {
    pub name: String,
    /// Lifetime in days; the configured default when absent.
    pub days: Option<i64>,
}

#[utoipa::path(get, operation_id = "list_tokens", path = "/api/v1/tokens", tag = "account",
    responses((status = 200, body = [TokenDto]), (status = 401, body = ErrorBody)))]
async fn api_list_tokens(State(app): State<App>, Ctx(ctx): Ctx) -> Result<Json<Vec<TokenDto>>> {
    let actor = ctx.actor()?;
    let list = tokens::list(&app, actor, actor.user_id.ok_or(Error::Forbidden)?).await?;
    Ok(Json(list.into_iter().map(TokenDto::from).collect()))
}

#[utoipa::path(post, operation_id = "issue_token", path = "/api/v1/tokens", tag = "account", request_body = IssueTokenRequest,
    responses((status = 201, body = IssuedTokenDto), (status = 422, body = ErrorBody)))]
async fn api_issue_token(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Json(body): Json<IssueTokenRequest>,
) -> Result<(axum::http::StatusCode, Json<IssuedTokenDto>)> {
    let actor = ctx.actor()?;
    let (token, secret) = tokens::issue(
        &app,
        actor,
        actor.user_id.ok_or(Error::Forbidden)?,
        &body.name,
        body.days,
    )
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(IssuedTokenDto {
            token: token.into(),
            secret,
        }),
    ))
}

#[utoipa::path(delete, operation_id = "revoke_token", path = "/api/v1/tokens/{id}", tag = "account",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 200, body = TokenDto), (status = 422, body = ErrorBody)))]
async fn api_revoke_token(
    State(app): State<App>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Json<TokenDto>> {
    Ok(Json(tokens::revoke(&app, ctx.actor()?, id).await?.into()))
}
