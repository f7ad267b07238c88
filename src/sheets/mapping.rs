//! Reading an uploaded table by what its headers mean.
//!
//! A column is matched by the field's key, its label in any locale, that
//! label without its bracketed part (when that is not ambiguous), or a
//! synonym people commonly write — so a file exported in Japanese, or typed
//! by hand in Korean, imports as it is.

use std::collections::{HashMap, HashSet};

use crate::error::{Code, Error, FieldError, Result};
use crate::i18n::{I18n, Locale};
use crate::sheets::{self, Format};

/// A field an import reads: its key, the message id of its label, and
/// further headers that mean it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub synonyms: &'static [&'static str],
}

impl Column {
    pub const fn new(key: &'static str, label: &'static str) -> Column {
        Column {
            key,
            label,
            synonyms: &[],
        }
    }

    pub const fn or(self, synonyms: &'static [&'static str]) -> Column {
        Column { synonyms, ..self }
    }
}

/// The credit code names the enterprise a row of contacts or indicators
/// belongs to; every import that needs one spells it alike.
pub const ENTERPRISE_USCC: Column = Column::new("uscc", "field-uscc").or(&[
    "信用代码",
    "社会信用代码",
    "统一社会信用代码",
    "信用コード",
    "社会信用コード",
    "신용코드",
    "사회신용코드",
    "credit code",
    "social credit code",
]);

/// One data row: its number as the spreadsheet shows it, and its cells by
/// field key.
#[derive(Debug)]
pub struct Record {
    pub row: usize,
    cells: HashMap<&'static str, String>,
}

impl Record {
    /// The cell's text, or `None` when empty or absent.
    pub fn get(&self, key: &str) -> Option<String> {
        self.cells
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }
}

/// An uploaded file whose header row has been matched to fields.
#[derive(Debug)]
pub struct Table {
    /// The data rows, without empty ones; take them to consume them.
    pub records: Vec<Record>,
    /// column index → (field key, header as written)
    columns: Vec<Option<(&'static str, String)>>,
    /// Headers that matched no field (their columns are ignored).
    pub ignored_columns: Vec<String>,
}

impl Table {
    /// Reads the first sheet; the first non-empty row is the header.
    pub fn read(i18n: &I18n, bytes: &[u8], format: Format, fields: &[Column]) -> Result<Table> {
        let rows =
            sheets::read(bytes, format).map_err(|_| Error::field("file", Code::FileUnreadable))?;
        let Some(header_at) = rows.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
            return Err(Error::field("file", Code::FileEmpty));
        };
        let aliases = header_aliases(i18n, fields);
        let mut ignored_columns = Vec::new();
        let mut columns = Vec::new();
        for header in &rows[header_at] {
            let key = aliases.get(&sheets::normalise_header(header)).copied();
            if key.is_none() && !header.trim().is_empty() {
                ignored_columns.push(header.clone());
            }
            columns.push(key.map(|k| (k, header.clone())));
        }
        let records = rows
            .iter()
            .enumerate()
            .skip(header_at + 1)
            .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
            .map(|(index, row)| Record {
                row: index + 1,
                cells: row
                    .iter()
                    .enumerate()
                    .filter_map(|(i, cell)| {
                        columns
                            .get(i)
                            .and_then(|c| c.as_ref())
                            .map(|(key, _)| (*key, cell.clone()))
                    })
                    .collect(),
            })
            .collect();
        Ok(Table {
            records,
            columns,
            ignored_columns,
        })
    }

    pub fn has(&self, key: &str) -> bool {
        self.columns.iter().flatten().any(|(k, _)| *k == key)
    }

    /// Refuses a file that lacks a needed column: each requirement is a set
    /// of keys of which one must be present, and the label to name it by.
    pub fn require(
        &self,
        i18n: &I18n,
        locale: Locale,
        requirements: &[(&[&str], &str)],
    ) -> Result<()> {
        let missing: Vec<FieldError> = requirements
            .iter()
            .filter(|(keys, _)| !keys.iter().any(|k| self.has(k)))
            .map(|(_, label)| {
                FieldError::general(Code::ColumnMissing).with("column", i18n.t(locale, label))
            })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(missing))
        }
    }

    /// The header as written in the file of the column holding `key`.
    pub fn header_of(&self, key: &str) -> Option<String> {
        self.columns
            .iter()
            .flatten()
            .find(|(k, _)| *k == key)
            .map(|(_, h)| h.clone())
    }
}

/// Which field each header names, from every locale's labels.
fn header_aliases(i18n: &I18n, fields: &[Column]) -> HashMap<String, &'static str> {
    let mut aliases: HashMap<String, &'static str> = HashMap::new();
    let mut ambiguous: HashSet<String> = HashSet::new();
    for column in fields {
        let mut names = vec![column.key.to_string()];
        names.extend(column.synonyms.iter().map(|s| s.to_string()));
        for locale in Locale::ALL {
            let label = i18n.t(locale, column.label);
            if let Some(short) = label
                .split(['(', '（'])
                .next()
                .filter(|s| s.trim() != label.trim())
            {
                names.push(short.to_string());
            }
            names.push(label);
        }
        for name in names {
            let normal = sheets::normalise_header(&name);
            match aliases.get(&normal) {
                Some(other) if *other != column.key => {
                    ambiguous.insert(normal);
                }
                _ => {
                    aliases.insert(normal, column.key);
                }
            }
        }
    }
    // A short name shared by two fields ("Name") picks neither.
    aliases.retain(|k, _| !ambiguous.contains(k));
    aliases
}

/// A choice written in a cell: its code, or its label in any locale
/// ("売上高", "매출액" and "revenue" are all `revenue`).
pub fn choice_from<T: Copy>(
    i18n: &I18n,
    cell: &str,
    choices: impl IntoIterator<Item = (T, &'static str, String)>,
) -> Option<T> {
    let wanted = sheets::normalise_header(cell);
    choices.into_iter().find_map(|(value, code, message)| {
        let matches = sheets::normalise_header(code) == wanted
            || Locale::ALL
                .into_iter()
                .any(|l| sheets::normalise_header(&i18n.t(l, &message)) == wanted);
        matches.then_some(value)
    })
}

/// "日本語", "Japanese" and "ja" are all Japanese.
pub fn locale_from(cell: &str) -> String {
    let lower = cell.trim().to_lowercase();
    Locale::ALL
        .into_iter()
        .find(|l| {
            l.tag().eq_ignore_ascii_case(&lower)
                || l.native_name().to_lowercase() == lower
                || english_name(*l) == lower
        })
        .map(|l| l.tag().to_string())
        .unwrap_or_else(|| cell.to_string())
}

fn english_name(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "chinese",
        Locale::Ja => "japanese",
        Locale::Ko => "korean",
        Locale::En => "english",
    }
}
