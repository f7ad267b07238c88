//! Service errors as HTTP: the status here, the body (JSON or a page in the
//! user's language) in `context::layer`, which knows the locale. Internal
//! causes are logged, never shown.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::App;
use crate::error::{Code, Error, FieldError};
use crate::web::context::RequestContext;
use crate::web::page::Page;

/// Carries a service error from the handler to the context layer.
#[derive(Clone)]
pub struct ErrorReport(Arc<Error>);

impl ErrorReport {
    pub fn new(e: Error) -> ErrorReport {
        ErrorReport(Arc::new(e))
    }

    pub fn error(&self) -> &Error {
        &self.0
    }
}

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid(errors) if errors.iter().any(|e| e.code == Code::CsrfFailed) => {
            StatusCode::FORBIDDEN
        }
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Error::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = status_of(&self);
        if let Error::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorReport::new(self));
        response
    }
}

/// The error body of every API response: `{"errors":[{code, field, detail}]}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<ErrorItem>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorItem {
    /// Stable snake_case code, e.g. `username_taken`.
    pub code: String,
    /// The input field the problem is about, when there is one.
    pub field: Option<String>,
    /// The problem explained in the caller's language.
    pub detail: String,
}

pub fn error_items(app: &App, ctx: &RequestContext, errors: &[FieldError]) -> Vec<ErrorItem> {
    errors
        .iter()
        .map(|e| ErrorItem {
            code: e.code.as_str().to_string(),
            field: e.field.as_ref().map(|f| f.to_string()),
            detail: app.i18n.error_message(ctx.locale, e),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    messages: Vec<String>,
}

pub fn render_error(
    app: &App,
    ctx: &RequestContext,
    report: &ErrorReport,
    status: StatusCode,
) -> Response {
    let errors = report.error().field_errors();
    let mut response = render_error_body(app, ctx, &errors, status);
    if let Error::Throttled {
        retry_after_minutes,
    } = report.error()
    {
        if let Ok(value) =
            axum::http::HeaderValue::from_str(&(retry_after_minutes * 60).to_string())
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
    }
    response
}

fn render_error_body(
    app: &App,
    ctx: &RequestContext,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    if ctx.wants_json {
        let body = ErrorBody {
            errors: error_items(app, ctx, errors),
        };
        return (status, axum::Json(body)).into_response();
    }
    let page = Page::new(app, ctx, &format!("error-title-{}", status.as_u16()));
    let messages = errors
        .iter()
        .map(|e| app.i18n.error_message(ctx.locale, e))
        .collect();
    let html = ErrorPage {
        page,
        status: status.as_u16(),
        messages,
    };
    let mut response = crate::web::page::render(&html);
    *response.status_mut() = status;
    response
}

/// Reads which field a deserialisation message is about. serde reports
/// "missing field `name`" or, through axum's path tracking,
/// "name: invalid type: …".
fn field_problem(message: &str, fallback: Code) -> Error {
    let detail = message
        .split_once("target type: ")
        .or_else(|| message.split_once("query string: "))
        .map(|(_, d)| d);
    let Some(detail) = detail else {
        return Error::Invalid(vec![FieldError::general(fallback)]);
    };
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default().to_string();
        return Error::Invalid(vec![FieldError::named(name, Code::Required)]);
    }
    match detail.split_once(": ") {
        Some((path, _)) if !path.is_empty() && !path.contains(' ') => {
            Error::Invalid(vec![FieldError::named(
                path.to_string(),
                Code::InvalidFormat,
            )])
        }
        _ => Error::Invalid(vec![FieldError::general(fallback)]),
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => field_problem(&e.body_text(), Code::InvalidBody),
            _ => Error::Invalid(vec![FieldError::general(Code::InvalidBody)]),
        }
    }
}

impl From<FormRejection> for Error {
    fn from(rejection: FormRejection) -> Self {
        field_problem(&rejection.body_text(), Code::InvalidBody)
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        field_problem(&rejection.body_text(), Code::InvalidQuery)
    }
}

impl From<PathRejection> for Error {
    fn from(_: PathRejection) -> Self {
        Error::NotFound
    }
}
