//! Importing enterprises from CSV or XLSX and exporting lists to them.
//!
//! Headers may be in any of the four languages: a column is matched by the
//! field's key, its label in any locale, or that label without its
//! bracketed part (when that is not ambiguous), so an exported file can be
//! imported again as it is. A dry run reports every bad row and imports
//! nothing; a real import is all or nothing, and matches existing
//! enterprises by credit code so that a second import updates instead of
//! duplicating.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::app::App;
use crate::auth::permission::enterprise_scope;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::enterprises::model::{Enterprise, EnterpriseDraft, EnterpriseStatus};
use crate::enterprises::store::{self, ListQuery, Sort};
use crate::error::{Code, Error, FieldError, Result};
use crate::i18n::{I18n, Locale};
use crate::reference;
use crate::sheets::{self, Format};

/// The columns, in export order: (field key, message id of its label).
pub const COLUMNS: [(&str, &str); 16] = [
    ("uscc", "field-uscc"),
    ("name_zh", "field-name-zh"),
    ("name_ja", "field-name-ja"),
    ("name_ko", "field-name-ko"),
    ("name_en", "field-name-en"),
    ("country", "field-country"),
    ("parent_company", "field-parent-company"),
    ("industry_code", "field-industry"),
    ("district", "field-district"),
    ("address", "field-address"),
    ("founded_on", "field-founded-on"),
    ("registered_capital", "field-registered-capital"),
    ("capital_currency", "field-capital-currency"),
    ("employees", "field-employees"),
    ("main_products", "field-main-products"),
    ("status", "field-status"),
];

/// Headers people commonly write, beyond the labels the interface uses.
const SYNONYMS: [(&str, &[&str]); 16] = [
    (
        "uscc",
        &[
            "信用代码",
            "社会信用代码",
            "信用コード",
            "社会信用コード",
            "신용코드",
            "사회신용코드",
            "credit code",
            "social credit code",
        ],
    ),
    ("name_zh", &["企业名称", "公司名称", "中文名称", "中文名"]),
    ("name_ja", &["会社名", "企業名", "日本語名", "日文名称"]),
    ("name_ko", &["회사명", "기업명", "한국어명", "韩文名称"]),
    (
        "name_en",
        &[
            "company name",
            "enterprise name",
            "english name",
            "英文名称",
            "英語名",
            "영문명",
        ],
    ),
    (
        "country",
        &[
            "国",
            "国家",
            "国别",
            "国家/地区",
            "国・地域",
            "投資国",
            "投资国",
            "국가",
            "투자국",
            "country/region",
        ],
    ),
    ("parent_company", &["親会社", "母公司", "모회사", "parent"]),
    (
        "industry_code",
        &["業種", "行业", "行业代码", "업종", "industry"],
    ),
    (
        "district",
        &["地区", "区", "所在地", "所在区", "구역", "지역", "area"],
    ),
    ("address", &["住所", "地址", "주소"]),
    (
        "founded_on",
        &[
            "設立日",
            "設立年月日",
            "成立日期",
            "成立时间",
            "设立日期",
            "설립일",
            "founded",
            "established",
        ],
    ),
    (
        "registered_capital",
        &["資本金", "注册资本", "자본금", "capital"],
    ),
    (
        "capital_currency",
        &["通貨", "币种", "通货", "통화", "currency"],
    ),
    (
        "employees",
        &[
            "従業員数",
            "社員数",
            "员工数",
            "员工人数",
            "직원수",
            "종업원수",
            "staff",
            "headcount",
        ],
    ),
    (
        "main_products",
        &["主要製品", "主要产品", "主营产品", "주요제품", "products"],
    ),
    ("status", &["状態", "状态", "经营状态", "상태"]),
];

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

/// Which field each header names, from every locale's labels.
fn header_aliases(i18n: &I18n) -> HashMap<String, &'static str> {
    let mut aliases: HashMap<String, &'static str> = HashMap::new();
    let mut ambiguous: HashSet<String> = HashSet::new();
    for (key, message) in COLUMNS {
        let mut names = vec![key.to_string()];
        let synonyms = SYNONYMS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        names.extend(synonyms.iter().map(|s| s.to_string()));
        for locale in Locale::ALL {
            let label = i18n.t(locale, message);
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
                Some(other) if *other != key => {
                    ambiguous.insert(normal);
                }
                _ => {
                    aliases.insert(normal, key);
                }
            }
        }
    }
    // A short name shared by two fields ("Name") picks neither.
    aliases.retain(|k, _| !ambiguous.contains(k));
    aliases
}

/// Cells of codes may also hold names in any language.
fn normalise_cell(key: &str, value: &str) -> String {
    let mapped = match key {
        "country" => reference::country_code_from(value),
        "district" => reference::district_code_from(value),
        // "34 通用设备制造业" → "34"
        "industry_code" => value.split_whitespace().next().map(str::to_string),
        "status" => EnterpriseStatus::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(value.trim()))
            .map(|s| s.as_str().to_string()),
        _ => None,
    };
    mapped.unwrap_or_else(|| value.to_string())
}

fn draft_from(cells: &HashMap<&str, String>) -> EnterpriseDraft {
    let get = |k: &str| cells.get(k).cloned().filter(|v| !v.trim().is_empty());
    EnterpriseDraft {
        uscc: get("uscc").unwrap_or_default(),
        name_zh: get("name_zh"),
        name_ja: get("name_ja"),
        name_ko: get("name_ko"),
        name_en: get("name_en"),
        country: get("country").unwrap_or_default(),
        parent_company: get("parent_company"),
        industry_code: get("industry_code"),
        district: get("district"),
        address: get("address"),
        founded_on: get("founded_on"),
        registered_capital: get("registered_capital"),
        capital_currency: get("capital_currency"),
        employees: get("employees"),
        main_products: get("main_products"),
        status: get("status"),
    }
}

/// Checks a file and, unless `dry_run` or anything is wrong, imports it.
pub async fn import(
    app: &App,
    actor: &Actor,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportReport> {
    authorize(actor, Action::ManageEnterprises)?;
    let rows =
        sheets::read(bytes, format).map_err(|_| Error::field("file", Code::FileUnreadable))?;
    let Some(header_at) = rows.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
        return Err(Error::field("file", Code::FileEmpty));
    };
    let aliases = header_aliases(&app.i18n);
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    // column index → (field key, header as written)
    let mut columns: Vec<Option<(&'static str, String)>> = Vec::new();
    for header in &rows[header_at] {
        let key = aliases.get(&sheets::normalise_header(header)).copied();
        if key.is_none() && !header.trim().is_empty() {
            report.ignored_columns.push(header.clone());
        }
        columns.push(key.map(|k| (k, header.clone())));
    }
    let has = |k: &str| columns.iter().flatten().any(|(key, _)| *key == k);
    let mut missing = Vec::new();
    if !has("uscc") {
        missing.push(
            FieldError::general(Code::ColumnMissing)
                .with("column", app.i18n.t(actor_locale(actor), "field-uscc")),
        );
    }
    if !has("country") {
        missing.push(
            FieldError::general(Code::ColumnMissing)
                .with("column", app.i18n.t(actor_locale(actor), "field-country")),
        );
    }
    if !["name_zh", "name_ja", "name_ko", "name_en"]
        .iter()
        .any(|k| has(k))
    {
        missing.push(
            FieldError::general(Code::ColumnMissing)
                .with("column", app.i18n.t(actor_locale(actor), "field-name")),
        );
    }
    if !missing.is_empty() {
        return Err(Error::Invalid(missing));
    }

    let today = app.now().0.date_naive();
    let header_of = |field: &str| {
        columns
            .iter()
            .flatten()
            .find(|(k, _)| *k == field)
            .map(|(_, h)| h.clone())
    };
    let mut valid = Vec::new();
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row_number = index + 1;
        report.rows += 1;
        let mut cells: HashMap<&str, String> = HashMap::new();
        for (i, cell) in row.iter().enumerate() {
            if let Some(Some((key, _))) = columns.get(i) {
                cells.insert(key, normalise_cell(key, cell));
            }
        }
        match draft_from(&cells).parse(today) {
            Ok(v) => {
                if let Some(first) = seen_codes.insert(v.uscc.as_str().to_string(), row_number) {
                    let error = FieldError::new("uscc", Code::DuplicateInFile).with("row", first);
                    report.problems.push(RowProblem {
                        row: row_number,
                        column: header_of("uscc"),
                        error,
                    });
                } else {
                    valid.push(v);
                }
            }
            Err(Error::Invalid(errors)) => {
                for error in errors {
                    let column = error.field.as_deref().and_then(header_of);
                    report.problems.push(RowProblem {
                        row: row_number,
                        column,
                        error,
                    });
                }
            }
            Err(e) => return Err(e),
        }
    }

    let mut tx = app.db.begin().await?;
    let codes: Vec<String> = valid.iter().map(|v| v.uscc.as_str().to_string()).collect();
    let mut known: HashMap<String, Enterprise> = store::find_by_usccs(&mut tx, &codes)
        .await?
        .into_iter()
        .filter_map(|e| e.uscc.clone().map(|code| (code, e)))
        .collect();
    let existing: Vec<Option<Enterprise>> = valid
        .iter()
        .map(|v| known.remove(v.uscc.as_str()))
        .collect();
    report.updated = existing.iter().filter(|e| e.is_some()).count();
    report.created = valid.len() - report.updated;
    if dry_run || !report.problems.is_empty() {
        return Ok(report);
    }
    let now = app.now();
    let mut changes = Vec::with_capacity(valid.len());
    for (v, before) in valid.iter().zip(existing) {
        let (after, action) = match &before {
            Some(b) => (store::update(&mut tx, b.id, v, now).await?, "import_update"),
            None => (store::insert(&mut tx, v, now).await?, "import_create"),
        };
        let entity = Entity::new("enterprise", after.id);
        changes.push(events::Change::new(
            entity,
            action,
            before.as_ref(),
            Some(&after),
        )?);
    }
    events::record_all(&mut tx, actor, now, &changes).await?;
    tx.commit().await?;
    report.imported = true;
    if report.rows > 1000 {
        // Many new rows change which index is best for the list's filters.
        if let Err(e) = app.db.refresh_statistics().await {
            tracing::warn!(
                error = format!("{e:#}"),
                "refreshing statistics after an import failed"
            );
        }
    }
    Ok(report)
}

fn actor_locale(actor: &Actor) -> Locale {
    actor.locale.unwrap_or(Locale::DEFAULT)
}

/// Every enterprise the actor may see that matches `query`, as a file with
/// headers in `locale` (which the import reads back).
pub async fn export(
    app: &App,
    actor: &Actor,
    query: &ListQuery,
    format: Format,
    locale: Locale,
) -> Result<Vec<u8>> {
    authorize(actor, Action::ListEnterprises)?;
    let mut rows = vec![
        COLUMNS
            .iter()
            .map(|(_, message)| app.i18n.t(locale, message))
            .collect::<Vec<_>>(),
    ];
    let mut page = ListQuery {
        sort: Sort::Name,
        after: None,
        limit: 1000,
        ..query.clone()
    };
    let mut conn = app.db.pool().acquire().await?;
    loop {
        let batch = store::list(&mut conn, enterprise_scope(actor), &page).await?;
        rows.extend(batch.iter().map(export_row));
        match batch.last() {
            Some(last) if batch.len() as i64 == page.limit => page.after = Some(last.id),
            _ => break,
        }
    }
    let file = match format {
        Format::Csv => sheets::write_csv(&rows)?,
        Format::Xlsx => sheets::write_xlsx("enterprises", &rows)?,
    };
    Ok(file)
}

fn export_row(e: &Enterprise) -> Vec<String> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        s(&e.uscc),
        s(&e.name_zh),
        s(&e.name_ja),
        s(&e.name_ko),
        s(&e.name_en),
        e.country.clone(),
        s(&e.parent_company),
        s(&e.industry_code),
        s(&e.district),
        s(&e.address),
        s(&e.founded_on),
        s(&e.registered_capital),
        s(&e.capital_currency),
        e.employees.map(|n| n.to_string()).unwrap_or_default(),
        s(&e.main_products),
        e.status.as_str().to_string(),
    ]
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
