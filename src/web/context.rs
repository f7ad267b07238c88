//! The request context, built once per request by [`layer`]:
//! who is acting (session cookie or bearer token), in which language, with
//! which CSRF token. The same layer enforces CSRF on every state-changing
//! request and renders service errors once, as JSON or as a page.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::App;
use crate::auth::{Actor, secret, sessions, tokens};
use crate::error::{Code, Error, FieldError};
use crate::i18n::{self, Locale};
use crate::web::errors::{ErrorReport, render_error, status_of};

pub const SESSION_COOKIE: &str = "liaison_session";
pub const CSRF_COOKIE: &str = "liaison_csrf";
pub const LANG_COOKIE: &str = "lang";
const API_PREFIX: &str = "/api/v1/";
/// Forms and JSON bodies are small; file uploads are not read here.
const MAX_TEXT_BODY: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub actor: Option<Actor>,
    pub locale: Locale,
    pub csrf_token: String,
    pub session_token: Option<String>,
    pub via_bearer: bool,
    pub wants_json: bool,
    pub address: String,
    pub path: String,
    /// This page as a safe local path (with its query), to come back to.
    pub back: String,
    /// For the bell on pages (not counted for API calls).
    pub unread_notifications: i64,
}

impl RequestContext {
    /// The actor, or "sign in first".
    pub fn actor(&self) -> Result<&Actor, Error> {
        self.actor.as_ref().ok_or(Error::Unauthenticated)
    }
}

/// Handlers take `Ctx` to get the request context.
pub struct Ctx(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("request context layer is missing")))
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value with our attributes. `max_age` None = session cookie.
pub fn set_cookie(app: &App, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if app.config.server.secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn client_address(app: &App, req: &Parts) -> String {
    if app.config.server.trust_forwarded_for {
        let forwarded = req
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string());
        if let Some(addr) = forwarded.filter(|a| !a.is_empty()) {
            return addr;
        }
    }
    req.extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn wants_json(req: &Parts) -> bool {
    if req.uri.path().starts_with("/api/") {
        return true;
    }
    let accept = req
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

pub async fn layer(State(app): State<App>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let (ctx, new_csrf_cookie) = match resolve(&app, &parts).await {
        Ok(resolved) => resolved,
        Err((error, locale)) => {
            let ctx = RequestContext::anonymous(&parts, locale);
            return finish_error(&app, &ctx, ErrorReport::new(error));
        }
    };
    let req = Request::from_parts(parts, body);
    let mut response = match check_input(req, &ctx).await {
        Ok(mut req) => {
            req.extensions_mut().insert(ctx.clone());
            let mut response = next.run(req).await;
            match response.extensions_mut().remove::<ErrorReport>() {
                Some(report) => finish_error(&app, &ctx, report),
                None => response,
            }
        }
        Err(error) => finish_error(&app, &ctx, ErrorReport::new(error)),
    };
    if let Some(value) = new_csrf_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&app, CSRF_COOKIE, &value, None),
        );
    }
    response
}

impl RequestContext {
    fn anonymous(req: &Parts, locale: Locale) -> RequestContext {
        RequestContext {
            actor: None,
            locale,
            csrf_token: String::new(),
            session_token: None,
            via_bearer: false,
            wants_json: wants_json(req),
            address: String::new(),
            path: req.uri.path().to_string(),
            back: "/".into(),
            unread_notifications: 0,
        }
    }
}

/// Who is asking, in which language, with which CSRF token.
async fn resolve(
    app: &App,
    req: &Parts,
) -> Result<(RequestContext, Option<String>), (Error, Locale)> {
    let headers = &req.headers;
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang_cookie = cookie(headers, LANG_COOKIE);
    let fallback_locale = i18n::negotiate(None, lang_cookie, accept_language);
    let fail = |e: Error| (e, fallback_locale);

    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());
    let session_token = cookie(headers, SESSION_COOKIE).map(str::to_string);
    let (actor, session, via_bearer) = if let Some(bearer) = bearer {
        let actor = tokens::authenticate(app, &bearer).await.map_err(fail)?;
        // A wrong token is an error, not an anonymous request.
        (
            Some(actor.ok_or_else(|| fail(Error::Unauthenticated))?),
            None,
            true,
        )
    } else if let Some(token) = &session_token {
        match sessions::resolve(app, token).await.map_err(fail)? {
            Some(s) => (
                Some(s.actor),
                Some((s.csrf_token, s.unread_notifications)),
                false,
            ),
            None => (None, None, false),
        }
    } else {
        (None, None, false)
    };
    let (session_csrf, unread_notifications) = match session {
        Some((csrf, unread)) => (Some(csrf), unread),
        // An API client has no bell.
        None => (None, 0),
    };

    let preference = actor.as_ref().and_then(|a| a.locale).map(|l| l.tag());
    let locale = i18n::negotiate(preference, lang_cookie, accept_language);
    // Every API route needs an account: say so before looking at the request.
    if actor.is_none() && req.uri.path().starts_with(API_PREFIX) {
        return Err((Error::Unauthenticated, locale));
    }
    let mut new_csrf_cookie = None;
    let csrf_token = match session_csrf {
        Some(token) => token,
        None => match cookie(headers, CSRF_COOKIE) {
            Some(token) => token.to_string(),
            None => {
                let token = secret::generate("");
                new_csrf_cookie = Some(token.clone());
                token
            }
        },
    };
    let ctx = RequestContext {
        actor,
        locale,
        csrf_token,
        session_token: session_token.filter(|_| !via_bearer),
        via_bearer,
        wants_json: wants_json(req),
        address: client_address(app, req),
        path: req.uri.path().to_string(),
        back: back_path(req),
        unread_notifications,
    };
    Ok((ctx, new_csrf_cookie))
}

/// Where "back" is for the language switcher and sign-in: this page with its
/// query for a GET; for a form post, the page the form was on (the POST-only
/// URL would not answer a GET).
fn back_path(req: &Parts) -> String {
    if matches!(req.method, Method::GET | Method::HEAD) {
        let uri = &req.uri;
        let with_query = match uri.query() {
            Some(q) => format!("{}?{q}", uri.path()),
            None => uri.path().to_string(),
        };
        return local_path(Some(&with_query));
    }
    let host = req
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let referer = req
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let same_site = referer
        .split_once("://")
        .and_then(|(_, rest)| rest.strip_prefix(host))
        .filter(|_| !host.is_empty());
    local_path(same_site)
}

/// `path` if it is a path on this site, else "/": so that a crafted link
/// cannot send someone elsewhere after signing in. Control characters and
/// backslashes are refused because browsers drop or rewrite them.
pub fn local_path(path: Option<&str>) -> String {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(PartialEq, Eq)]
enum BodyKind {
    Form,
    Json,
    Other,
}

fn body_kind(req: &Request) -> BodyKind {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if content_type.starts_with("application/json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

/// Checks what the request carries before any handler sees it: text free of
/// control characters (PostgreSQL refuses NUL; none belongs in our data),
/// and the CSRF token on every state-changing request not authenticated by
/// a bearer token (which a browser never sends by itself).
async fn check_input(req: Request, ctx: &RequestContext) -> Result<Request, Error> {
    if let Some(query) = req.uri().query() {
        check_pairs(query.as_bytes())?;
    }
    let needs_csrf =
        !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !ctx.via_bearer;
    let given_header = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let given_query = req
        .uri()
        .query()
        .and_then(|q| form_value(q.as_bytes(), "_csrf"));
    let kind = body_kind(&req);
    let (req, given_form) = if kind == BodyKind::Other {
        (req, None)
    } else {
        let (parts, body) = req.into_parts();
        let bytes = to_bytes(body, MAX_TEXT_BODY)
            .await
            .map_err(|_| Error::field("body", Code::InvalidBody))?;
        let given_form = match kind {
            BodyKind::Form => {
                check_pairs(&bytes)?;
                form_value(&bytes, "_csrf")
            }
            _ => {
                check_json(&bytes)?;
                None
            }
        };
        (Request::from_parts(parts, Body::from(bytes)), given_form)
    };
    if needs_csrf {
        let given = given_header.or(given_query).or(given_form);
        if !given.is_some_and(|g| secret::same(&g, &ctx.csrf_token)) {
            return Err(Error::Invalid(vec![FieldError::general(Code::CsrfFailed)]));
        }
    }
    Ok(req)
}

/// Text may hold tabs and line breaks, but no other control character.
fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn check_pairs(encoded: &[u8]) -> Result<(), Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).unwrap_or_default();
    match pairs.iter().find(|(k, v)| has_control(k) || has_control(v)) {
        Some((key, _)) => Err(control_character(key)),
        None => Ok(()),
    }
}

fn check_json(bytes: &[u8]) -> Result<(), Error> {
    fn find(value: &serde_json::Value, path: &str) -> Option<String> {
        match value {
            serde_json::Value::String(s) if has_control(s) => Some(path.to_string()),
            serde_json::Value::Array(items) => items.iter().find_map(|v| find(v, path)),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
                if has_control(k) {
                    Some(k.clone())
                } else {
                    find(v, k)
                }
            }),
            _ => None,
        }
    }
    // A body that is not JSON is left to the handler's extractor to refuse.
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    match find(&value, "") {
        Some(field) => Err(control_character(&field)),
        None => Ok(()),
    }
}

fn control_character(name: &str) -> Error {
    // The name comes from the request: shown escaped and shortened.
    let name: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    Error::Invalid(vec![
        FieldError::general(Code::ControlCharacter).with("name", name),
    ])
}

fn form_value(encoded: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn finish_error(app: &App, ctx: &RequestContext, report: ErrorReport) -> Response {
    if let Error::Internal(cause) = report.error() {
        tracing::error!(error = format!("{cause:#}"), "internal error");
    }
    if matches!(report.error(), Error::Unauthenticated) && !ctx.wants_json {
        let next: String = url_encode(&ctx.back);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    render_error(app, ctx, &report, status_of(report.error()))
}

pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_string())
        .unwrap_or_default()
}
