//! What an import found: every bad row with its column and reason, and
//! what it did (or, in a dry run, would do).

use serde::Serialize;

use crate::error::{Error, FieldError, Result};
use crate::i18n::{I18n, Locale};
use crate::sheets::Format;
use crate::sheets::mapping::{Column, Record, Table};

/// An import's file as read: its table (the header and its columns), the
/// report to fill in, and the rows, taken out of the table.
pub struct ImportFile {
    pub table: Table,
    pub report: ImportReport,
    pub records: Vec<Record>,
}

impl ImportFile {
    /// Reads `bytes` against `columns`, refuses the file unless each of
    /// `required` (any of these keys, and the label to name them by) has a
    /// column, and starts its report.
    pub fn open(
        i18n: &I18n,
        locale: Locale,
        bytes: &[u8],
        format: Format,
        columns: &[Column],
        required: &[(&[&str], &str)],
        dry_run: bool,
    ) -> Result<ImportFile> {
        let mut table = Table::read(i18n, bytes, format, columns)?;
        table.require(i18n, locale, required)?;
        let report = ImportReport::new(&table, dry_run);
        let records = std::mem::take(&mut table.records);
        Ok(ImportFile {
            table,
            report,
            records,
        })
    }
}

/// One problem in one row of the file.
#[derive(Debug, Clone)]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub error: FieldError,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub dry_run: bool,
    pub imported: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub problems: Vec<RowProblem>,
    /// Headers that matched no field (their columns are ignored).
    pub ignored_columns: Vec<String>,
}

impl ImportReport {
    pub fn new(table: &Table, dry_run: bool) -> ImportReport {
        ImportReport {
            dry_run,
            rows: table.records.len(),
            ignored_columns: table.ignored_columns.clone(),
            ..Default::default()
        }
    }

    /// Notes a problem in `row`, naming the column of the error's field.
    pub fn problem(&mut self, table: &Table, row: usize, error: FieldError) {
        let column = error.field.as_deref().and_then(|f| table.header_of(f));
        self.problems.push(RowProblem { row, column, error });
    }

    /// Keeps a row's parsed value, or notes each of its problems; errors
    /// other than invalid fields stop the import.
    pub fn check<T>(&mut self, table: &Table, row: usize, parsed: Result<T>) -> Result<Option<T>> {
        match parsed {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid(errors)) => {
                for error in errors {
                    self.problem(table, row, error);
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Nothing is written unless the file is clean and this is no dry run.
    pub fn may_write(&self) -> bool {
        !self.dry_run && self.problems.is_empty()
    }
}

/// A report as the API and pages show it: problems in the reader's language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub dry_run: bool,
    pub imported: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub ignored_columns: Vec<String>,
    /// Every problem found; shaped like the API's error items, with the row.
    pub errors: Vec<RowProblemView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowProblemView {
    pub row: usize,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub field: Option<String>,
    pub code: String,
    pub detail: String,
}

impl ReportView {
    pub fn new(report: &ImportReport, i18n: &I18n, locale: Locale) -> ReportView {
        ReportView {
            dry_run: report.dry_run,
            imported: report.imported,
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            ignored_columns: report.ignored_columns.clone(),
            errors: report
                .problems
                .iter()
                .map(|p| RowProblemView {
                    row: p.row,
                    column: p.column.clone(),
                    field: p.error.field.as_ref().map(|f| f.to_string()),
                    code: p.error.code.as_str().to_string(),
                    detail: i18n.error_message(locale, &p.error),
                })
                .collect(),
        }
    }
}
