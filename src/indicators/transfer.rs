//! Operating indicators in and out of files: one row per enterprise,
//! period and metric. A figure already recorded for that period and metric
//! is replaced (the event log keeps the old one).

use std::collections::HashMap;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Change, Entity};
use crate::enterprises::store::ListQuery;
use crate::enterprises::transfer::NamedEnterprises;
use crate::error::{Code, FieldError, Result};
use crate::i18n::{I18n, Locale};
use crate::indicators::model::{Indicator, IndicatorDraft, Metric, Unit, ValidIndicator};
use crate::indicators::store;
use crate::sheets::mapping::{Column, ENTERPRISE_USCC, Record, choice_from};
use crate::sheets::report::{ImportFile, ImportReport};
use crate::sheets::{self, Format};

/// The columns, in export order; the enterprise's name is for readers.
pub const COLUMNS: [Column; 7] = [
    ENTERPRISE_USCC,
    Column::new("enterprise", "field-enterprise").or(&["企业", "企業", "기업", "company"]),
    Column::new("period", "field-period").or(&["期间", "年度", "期間", "기간", "연도", "year"]),
    Column::new("metric", "field-metric").or(&["指标名称", "項目", "항목", "indicator"]),
    Column::new("value", "field-value").or(&["金额", "数额", "金額", "금액", "amount"]),
    Column::new("unit", "field-unit").or(&["計量単位", "계량단위"]),
    Column::new("currency", "field-currency").or(&["币种", "通貨", "통화", "currency"]),
];

fn metric_from(i18n: &I18n, cell: &str) -> String {
    let choices = Metric::ALL.map(|m| (m, m.as_str(), m.message_id()));
    choice_from(i18n, cell, choices)
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| cell.to_string())
}

fn unit_from(i18n: &I18n, cell: &str) -> String {
    let choices = Unit::ALL.map(|u| (u, u.as_str(), u.message_id()));
    choice_from(i18n, cell, choices)
        .map(|u| u.as_str().to_string())
        .unwrap_or_else(|| cell.to_string())
}

fn draft_from(i18n: &I18n, record: &Record) -> IndicatorDraft {
    IndicatorDraft {
        period: record.get("period").unwrap_or_default(),
        metric: record
            .get("metric")
            .map(|m| metric_from(i18n, &m))
            .unwrap_or_default(),
        value: record.get("value").unwrap_or_default(),
        unit: record.get("unit").map(|u| unit_from(i18n, &u)),
        currency: record.get("currency"),
    }
}

/// Checks a file of figures and, unless `dry_run` or anything is wrong,
/// records all of them in one transaction, as entered by the actor.
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
            (&["period"], "field-period"),
            (&["metric"], "field-metric"),
            (&["value"], "field-value"),
        ],
        dry_run,
    )?;
    let today = app.now().0.date_naive();
    let mut tx = app.db.begin().await?;
    let enterprises = NamedEnterprises::load(&mut tx, &records).await?;
    let ids = enterprises.ids();
    let mut existing: HashMap<(i64, String, Metric), Indicator> = store::list_for(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|i| ((i.enterprise_id, i.period.clone(), i.metric), i))
        .collect();

    let mut rows: Vec<(i64, ValidIndicator, Option<Indicator>)> = Vec::new();
    let mut seen: HashMap<(i64, String, Metric), usize> = HashMap::new();
    for record in &records {
        let enterprise_id = enterprises
            .of(record)
            .map_err(|e| report.problem(&table, record.row, e))
            .ok();
        let valid = report.check(
            &table,
            record.row,
            draft_from(&app.i18n, record).parse(today),
        )?;
        let (Some(enterprise_id), Some(valid)) = (enterprise_id, valid) else {
            continue;
        };
        let key = (enterprise_id, valid.period.label(), valid.metric);
        if let Some(first) = seen.insert(key.clone(), record.row) {
            let error = FieldError::new("period", Code::DuplicateInFile).with("row", first);
            report.problem(&table, record.row, error);
            continue;
        }
        let before = existing.remove(&key);
        rows.push((enterprise_id, valid, before));
    }
    report.updated = rows.iter().filter(|(_, _, b)| b.is_some()).count();
    report.created = rows.len() - report.updated;
    if !report.may_write() {
        return Ok(report);
    }

    let now = app.now();
    let mut changes = Vec::with_capacity(rows.len() * 2);
    for (enterprise_id, valid, before) in &rows {
        let after = store::upsert(&mut tx, *enterprise_id, valid, None, actor.user_id, now).await?;
        let action = if before.is_some() {
            "import_update"
        } else {
            "import_create"
        };
        let entity = Entity::new("indicator", after.id);
        changes.push(Change::new(entity, action, before.as_ref(), Some(&after))?);
        // The enterprise's own timeline shows it too.
        let on_enterprise = Entity::new("enterprise", *enterprise_id);
        changes.push(Change::new(
            on_enterprise,
            "record_indicator",
            None::<&()>,
            Some(&after),
        )?);
    }
    events::record_all(&mut tx, actor, now, &changes).await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}

/// Figures of every enterprise matching `query` that the actor may see, as
/// a file with headers and choices in `locale` (which the import reads
/// back).
pub async fn export(
    app: &App,
    actor: &Actor,
    query: &ListQuery,
    format: Format,
    locale: Locale,
) -> Result<Vec<u8>> {
    authorize(actor, Action::ListEnterprises)?;
    let t = |id: &str| app.i18n.t(locale, id);
    let mut rows = vec![COLUMNS.iter().map(|c| t(c.label)).collect::<Vec<_>>()];
    let all = crate::enterprises::service::all(app, actor, query).await?;
    for enterprises in all.chunks(500) {
        let ids: Vec<i64> = enterprises.iter().map(|e| e.id).collect();
        let mut conn = app.db.pool().acquire().await?;
        let mut by_enterprise: HashMap<i64, Vec<Indicator>> = HashMap::new();
        for i in store::list_for(&mut conn, &ids).await? {
            by_enterprise.entry(i.enterprise_id).or_default().push(i);
        }
        drop(conn);
        for e in enterprises {
            for i in by_enterprise.remove(&e.id).unwrap_or_default() {
                rows.push(vec![
                    e.uscc.clone().unwrap_or_default(),
                    e.name(locale).to_string(),
                    i.period,
                    t(&i.metric.message_id()),
                    i.value,
                    t(&i.unit.message_id()),
                    i.currency.unwrap_or_default(),
                ]);
            }
        }
    }
    Ok(sheets::write(format, "indicators", &rows)?)
}
