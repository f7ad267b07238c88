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
            field: e.field.map(str::to_string),
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
    if ctx.wants_json {
        let body = ErrorBody {
            errors: error_items(app, ctx, &errors),
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

fn invalid_body() -> Error {
    Error::Invalid(vec![FieldError::general(Code::InvalidBody)])
}

impl From<JsonRejection> for Error {
    fn from(_: JsonRejection) -> Self {
        invalid_body()
    }
}

impl From<FormRejection> for Error {
    fn from(_: FormRejection) -> Self {
        invalid_body()
    }
}

impl From<QueryRejection> for Error {
    fn from(_: QueryRejection) -> Self {
        invalid_body()
    }
}

impl From<PathRejection> for Error {
    fn from(_: PathRejection) -> Self {
        Error::NotFound
    }
}
