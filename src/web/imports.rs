//! The HTTP side of every import (enterprises, contacts, indicators,
//! calendar days, demands): the query naming the body's format, and the
//! answer — 200 when the file is clean, 422 with every bad row.

use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::App;
use crate::error::{Code, Error, Result};
use crate::i18n::Locale;
use crate::sheets::Format;
use crate::sheets::report::{ImportReport, ReportView};
use crate::web::extract::Json;

#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// csv or xlsx (the body is the file itself).
    pub format: String,
    /// Check only; change nothing.
    pub dry_run: Option<bool>,
}

impl ImportParams {
    /// The body's format and whether this is a dry run.
    pub fn parse(&self) -> Result<(Format, bool)> {
        let format =
            Format::parse(&self.format).ok_or(Error::field("format", Code::InvalidChoice))?;
        Ok((format, self.dry_run.unwrap_or(false)))
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    /// csv or xlsx (default).
    pub format: Option<String>,
}

impl ExportParams {
    pub fn format(&self) -> Result<Format> {
        Format::parse(self.format.as_deref().unwrap_or("xlsx"))
            .ok_or(Error::field("format", Code::InvalidChoice))
    }
}

/// 200 when nothing is wrong, else 422 (and nothing was changed).
pub fn status(report: &ImportReport) -> StatusCode {
    if report.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// The report as the API answers it, in the reader's language.
pub fn respond(app: &App, locale: Locale, report: &ImportReport) -> (StatusCode, Json<ReportView>) {
    (
        status(report),
        Json(ReportView::new(report, &app.i18n, locale)),
    )
}
