//! Importing enterprises from CSV or XLSX and exporting lists to them.
//!
//! Headers may be in any of the four languages: a column is matched by the
//! field's key, its label in any locale, or that label without its
//! bracketed part (when that is not ambiguous), so an exported file can be
//! imported again as it is. A dry run reports every bad row and imports
//! nothing; a real import is all or nothing, and matches existing
//! enterprises by credit code so that a second import updates instead of
//! duplicating.

use std::collections::HashMap;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::enterprises::model::{Enterprise, EnterpriseDraft, EnterpriseStatus, Place};
use crate::enterprises::store::{self, ListQuery, Sort};
use crate::error::{Code, Error, FieldError, Result};
use crate::i18n::Locale;
use crate::reference;
use crate::sheets::mapping::{Column, ENTERPRISE_USCC, Record};
use crate::sheets::report::{ImportFile, ImportReport};
use crate::sheets::{self, Format};

/// The columns, in export order.
pub const COLUMNS: [Column; 16] = [
    ENTERPRISE_USCC,
    Column::new("name_zh", "field-name-zh").or(&["企业名称", "公司名称", "中文名称", "中文名"]),
    Column::new("name_ja", "field-name-ja").or(&["会社名", "企業名", "日本語名", "日文名称"]),
    Column::new("name_ko", "field-name-ko").or(&["회사명", "기업명", "한국어명", "韩文名称"]),
    Column::new("name_en", "field-name-en").or(&[
        "company name",
        "enterprise name",
        "english name",
        "英文名称",
        "英語名",
        "영문명",
    ]),
    Column::new("country", "field-country").or(&[
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
    ]),
    Column::new("parent_company", "field-parent-company").or(&[
        "親会社",
        "母公司",
        "모회사",
        "parent",
    ]),
    Column::new("industry_code", "field-industry").or(&[
        "業種",
        "行业",
        "行业代码",
        "업종",
        "industry",
    ]),
    Column::new("district", "field-district").or(&[
        "地区",
        "区",
        "所在地",
        "所在区",
        "구역",
        "지역",
        "area",
    ]),
    Column::new("address", "field-address").or(&["住所", "地址", "주소"]),
    Column::new("founded_on", "field-founded-on").or(&[
        "設立日",
        "設立年月日",
        "成立日期",
        "成立时间",
        "设立日期",
        "설립일",
        "founded",
        "established",
    ]),
    Column::new("registered_capital", "field-registered-capital").or(&[
        "資本金",
        "注册资本",
        "자본금",
        "capital",
    ]),
    Column::new("capital_currency", "field-capital-currency")
        .or(&["通貨", "币种", "通货", "통화", "currency"]),
    Column::new("employees", "field-employees").or(&[
        "従業員数",
        "社員数",
        "员工数",
        "员工人数",
        "직원수",
        "종업원수",
        "staff",
        "headcount",
    ]),
    Column::new("main_products", "field-main-products").or(&[
        "主要製品",
        "主要产品",
        "主营产品",
        "주요제품",
        "products",
    ]),
    Column::new("status", "field-status").or(&["状態", "状态", "经营状态", "상태"]),
];

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

fn draft_from(record: &Record) -> EnterpriseDraft {
    let get = |k: &str| record.get(k).map(|v| normalise_cell(k, &v));
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

/// The enterprises a file of contacts, figures or demands names by credit
/// code (its `uscc` column), read in one query per 500 codes.
pub(crate) struct NamedEnterprises(HashMap<String, i64>);

impl NamedEnterprises {
    pub(crate) async fn load(conn: &mut crate::db::Conn, records: &[Record]) -> sqlx::Result<Self> {
        let codes: Vec<String> = records
            .iter()
            .filter_map(|r| r.get("uscc"))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        Ok(NamedEnterprises(
            store::find_by_usccs(conn, &codes)
                .await?
                .into_iter()
                .filter_map(|e| e.uscc.map(|code| (code, e.id)))
                .collect(),
        ))
    }

    pub(crate) fn ids(&self) -> Vec<i64> {
        self.0.values().copied().collect()
    }

    /// The record's enterprise, or what is wrong with its credit code.
    pub(crate) fn of(&self, record: &Record) -> std::result::Result<i64, FieldError> {
        let code = record
            .get("uscc")
            .ok_or_else(|| FieldError::new("uscc", Code::Required))?;
        self.0
            .get(&code.to_ascii_uppercase())
            .copied()
            .ok_or_else(|| FieldError::new("uscc", Code::EnterpriseNotFound))
    }
}

/// What a file holds; each has its own columns and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dataset {
    Enterprises,
    Contacts,
    Indicators,
    /// Demands collected elsewhere; imported only (lists are exported from
    /// the demand list, with its filters).
    Demands,
}

impl Dataset {
    pub const ALL: [Dataset; 4] = [
        Dataset::Enterprises,
        Dataset::Contacts,
        Dataset::Indicators,
        Dataset::Demands,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Enterprises => "enterprises",
            Dataset::Contacts => "contacts",
            Dataset::Indicators => "indicators",
            Dataset::Demands => "demands",
        }
    }

    /// Whether the registry exports it (demands are exported from their list).
    pub fn exportable(self) -> bool {
        self != Dataset::Demands
    }

    pub fn parse(s: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.as_str() == s.trim())
    }

    /// Checks a file and, unless `dry_run` or anything is wrong, imports it.
    pub async fn import(
        self,
        app: &App,
        actor: &Actor,
        bytes: &[u8],
        format: Format,
        dry_run: bool,
    ) -> Result<ImportReport> {
        match self {
            Dataset::Enterprises => import(app, actor, bytes, format, dry_run).await,
            Dataset::Contacts => {
                crate::contacts::transfer::import(app, actor, bytes, format, dry_run).await
            }
            Dataset::Indicators => {
                crate::indicators::transfer::import(app, actor, bytes, format, dry_run).await
            }
            Dataset::Demands => {
                crate::demands::transfer::import(app, actor, bytes, format, dry_run).await
            }
        }
    }

    /// The records of every enterprise matching `query` the actor may see.
    pub async fn export(
        self,
        app: &App,
        actor: &Actor,
        query: &ListQuery,
        format: Format,
        locale: Locale,
    ) -> Result<Vec<u8>> {
        match self {
            Dataset::Enterprises => export(app, actor, query, format, locale).await,
            Dataset::Contacts => {
                crate::contacts::transfer::export(app, actor, query, format, locale).await
            }
            Dataset::Indicators => {
                crate::indicators::transfer::export(app, actor, query, format, locale).await
            }
            Dataset::Demands => Err(Error::field("dataset", Code::InvalidChoice)),
        }
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
    let ImportFile {
        table,
        mut report,
        records,
    } = ImportFile::open(
        &app.i18n,
        actor.locale(),
        bytes,
        format,
        &COLUMNS,
        &[
            (&["uscc"], "field-uscc"),
            (&["country"], "field-country"),
            (&["name_zh", "name_ja", "name_ko", "name_en"], "field-name"),
        ],
        dry_run,
    )?;
    let today = app.now().0.date_naive();
    let mut valid = Vec::new();
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    for record in records {
        let Some(v) = report.check(&table, record.row, draft_from(&record).parse(today))? else {
            continue;
        };
        if let Some(first) = seen_codes.insert(v.uscc.as_str().to_string(), record.row) {
            let error = FieldError::new("uscc", Code::DuplicateInFile).with("row", first);
            report.problem(&table, record.row, error);
        } else {
            valid.push(v);
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
    if !report.may_write() {
        return Ok(report);
    }
    let now = app.now();
    let mut changes = Vec::with_capacity(valid.len());
    for (v, before) in valid.iter().zip(existing) {
        let (after, action) = match &before {
            Some(b) => {
                let after = store::update(&mut tx, b.id, v, now).await?;
                crate::demands::tally::enterprise_moved(
                    &mut tx,
                    b.id,
                    &Place::of(b),
                    &Place::of(&after),
                )
                .await?;
                (after, "import_update")
            }
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
            .map(|c| app.i18n.t(locale, c.label))
            .collect::<Vec<_>>(),
    ];
    let query = ListQuery {
        sort: Sort::Name,
        ..query.clone()
    };
    let enterprises = super::service::all(app, actor, &query).await?;
    rows.extend(enterprises.iter().map(export_row));
    Ok(sheets::write(format, "enterprises", &rows)?)
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
