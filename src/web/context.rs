//! The request context, built once per request by [`layer`]:
//! who is acting (session cookie or bearer token), in which language, with
//! which CSRF token. The same layer enforces CSRF on every state-changing
//! request and renders service errors once, as JSON or as a page.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::App;
use crate::auth::{Actor, secret, sessions, tokens};
use crate::error::{Code, Error};
use crate::i18n::{self, Locale};
use crate::web::errors::{ErrorReport, render_error};

pub const SESSION_COOKIE: &str = "liaison_session";
pub const CSRF_COOKIE: &str = "liaison_csrf";
pub const LANG_COOKIE: &str = "lang";
const API_PREFIX: &str = "/api/v1/";
/// Forms are small; a larger body is not a form we sent.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

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

fn client_address(app: &App, req: &Request) -> String {
    if app.config.server.trust_forwarded_for {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string());
        if let Some(addr) = forwarded.filter(|a| !a.is_empty()) {
            return addr;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn wants_json(req: &Request) -> bool {
    if req.uri().path().starts_with("/api/") {
        return true;
    }
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

pub async fn layer(State(app): State<App>, req: Request, next: Next) -> Response {
    let json = wants_json(&req);
    let path = req.uri().path().to_string();
    match build(&app, req, json).await {
        Ok((req, ctx, new_csrf_cookie)) => {
            let mut response = next.run(req).await;
            if let Some(report) = response.extensions_mut().remove::<ErrorReport>() {
                response = finish_error(&app, &ctx, report, response.status());
            }
            if let Some(value) = new_csrf_cookie {
                response.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(&app, CSRF_COOKIE, &value, None),
                );
            }
            response
        }
        Err((error, locale)) => {
            let ctx = RequestContext {
                actor: None,
                locale,
                csrf_token: String::new(),
                session_token: None,
                via_bearer: false,
                wants_json: json,
                address: String::new(),
                path,
            };
            let status = crate::web::errors::status_of(&error);
            finish_error(&app, &ctx, ErrorReport::new(error), status)
        }
    }
}

async fn build(
    app: &App,
    req: Request,
    json: bool,
) -> Result<(Request, RequestContext, Option<String>), (Error, Locale)> {
    let headers = req.headers();
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang_cookie = cookie(headers, LANG_COOKIE);
    let fallback_locale = i18n::negotiate(None, lang_cookie, accept_language);

    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());
    let session_token = cookie(headers, SESSION_COOKIE).map(str::to_string);

    let fail = |e: Error| (e, fallback_locale);
    let (actor, session_csrf, via_bearer) = if let Some(bearer) = bearer {
        let actor = tokens::authenticate(app, &bearer).await.map_err(fail)?;
        // A wrong token is an error, not an anonymous request.
        (
            Some(actor.ok_or_else(|| fail(Error::Unauthenticated))?),
            None,
            true,
        )
    } else if let Some(token) = &session_token {
        match sessions::resolve(app, token).await.map_err(fail)? {
            Some(s) => (Some(s.actor), Some(s.csrf_token), false),
            None => (None, None, false),
        }
    } else {
        (None, None, false)
    };

    let locale = i18n::negotiate(
        actor.as_ref().and_then(|a| a.locale).map(|l| l.tag()),
        lang_cookie,
        accept_language,
    );
    // Every API route needs an account: say so before looking at the request.
    if actor.is_none() && req.uri().path().starts_with(API_PREFIX) {
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
        wants_json: json,
        address: client_address(app, &req),
        path: req.uri().path().to_string(),
    };
    let mut req = check_csrf(req, &ctx).await.map_err(|e| (e, locale))?;
    req.extensions_mut().insert(ctx.clone());
    Ok((req, ctx, new_csrf_cookie))
}

/// State-changing requests must carry the CSRF token unless they are
/// authenticated by a bearer token (which a browser never sends by itself).
async fn check_csrf(req: Request, ctx: &RequestContext) -> Result<Request, Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || ctx.via_bearer {
        return Ok(req);
    }
    let expected = ctx.csrf_token.as_str();
    let given_header = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let given_query = req
        .uri()
        .query()
        .and_then(|q| form_value(q.as_bytes(), "_csrf"));
    if let Some(given) = given_header.or(given_query) {
        return if secret::same(&given, expected) {
            Ok(req)
        } else {
            Err(csrf_failed())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_failed());
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| Error::field("_csrf", Code::InvalidBody))?;
    match form_value(&bytes, "_csrf") {
        Some(given) if secret::same(&given, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(csrf_failed()),
    }
}

fn csrf_failed() -> Error {
    Error::Invalid(vec![crate::error::FieldError::general(Code::CsrfFailed)])
}

fn form_value(encoded: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn finish_error(
    app: &App,
    ctx: &RequestContext,
    report: ErrorReport,
    status: StatusCode,
) -> Response {
    if matches!(report.error(), Error::Unauthenticated) && !ctx.wants_json {
        let next: String = url_encode(&ctx.path);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    render_error(app, ctx, &report, status)
}

pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_string())
        .unwrap_or_default()
}
