//! Bulk intake: demands collected elsewhere (a symposium's sign-up sheet, a
//! survey) imported from CSV or XLSX, headers in any of the four
//! languages; a dry run reports every bad row; an import is all or nothing
//! and every demand starts as submitted, with source "import".

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::events;
use crate::demands::model::{DemandDraft, Priority, Source};
use crate::demands::store;
use crate::enterprises::transfer::NamedEnterprises;
use crate::error::{Code, FieldError, Result};
use crate::i18n::Locale;
use crate::sheets::Format;
use crate::sheets::mapping::{Column, ENTERPRISE_USCC, choice_from, locale_from};
use crate::sheets::report::{ImportFile, ImportReport};

const COLUMNS: [Column; 6] = [
    ENTERPRISE_USCC,
    Column::new("title", "field-title").or(&["标题", "诉求标题", "件名", "제목", "subject"]),
    Column::new("body", "field-body").or(&[
        "内容",
        "诉求内容",
        "要望内容",
        "내용",
        "details",
        "description",
    ]),
    Column::new("lang", "field-language-written").or(&["语言", "言語", "언어", "language"]),
    Column::new("category", "field-category").or(&["分类", "分類", "분류", "category"]),
    Column::new("priority", "field-priority").or(&["紧急程度", "優先度", "우선순위", "priority"]),
];

pub async fn import(
    app: &App,
    actor: &Actor,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportReport> {
    authorize(actor, Action::TriageDemands)?;
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
            (&["title"], "field-title"),
            (&["body"], "field-body"),
        ],
        dry_run,
    )?;
    let categories = crate::demands::categories::list(app, actor).await?;
    let mut tx = app.db.begin().await?;
    let enterprises = NamedEnterprises::load(&mut tx, &records).await?;
    let mut valid = Vec::new();
    for record in &records {
        let before = report.problems.len();
        let enterprise_id = enterprises
            .of(record)
            .map_err(|e| report.problem(&table, record.row, e))
            .ok();
        // A category by its name in any language, or its number.
        let category_id = match record.get("category") {
            None => None,
            Some(name) => {
                let wanted = name.trim();
                let found = categories
                    .iter()
                    .filter(|c| c.retired_at.is_none())
                    .find(|c| {
                        c.id.to_string() == wanted
                            || Locale::ALL.iter().any(|l| c.name(*l) == wanted)
                    })
                    .map(|c| c.id);
                if found.is_none() {
                    let missing = FieldError::new("category", Code::CategoryNotFound);
                    report.problem(&table, record.row, missing);
                }
                found
            }
        };
        let draft = DemandDraft {
            // An unknown enterprise is reported above; 0 keeps the parse
            // from reporting it again as missing.
            enterprise_id: enterprise_id.or(Some(0)),
            title: record.get("title").unwrap_or_default(),
            body: record.get("body").unwrap_or_default(),
            lang: record.get("lang").map(|l| locale_from(&l)),
            category_id,
            priority: record.get("priority").map(|p| {
                let choices = Priority::ALL
                    .iter()
                    .map(|v| (*v, v.as_str(), v.message_id()));
                choice_from(&app.i18n, &p, choices).map_or(p, |v| v.as_str().to_string())
            }),
            source: Some(Source::Import.as_str().into()),
            ..Default::default()
        };
        let parsed = report.check(&table, record.row, draft.parse(actor.locale()))?;
        if let Some(v) = parsed
            && report.problems.len() == before
        {
            valid.push(v);
        }
    }
    report.created = valid.len();
    if !report.may_write() {
        return Ok(report);
    }
    let now = app.now();
    let mut changes = Vec::with_capacity(valid.len() * 2);
    for v in &valid {
        let place = crate::enterprises::service::place(&mut tx, v.enterprise_id)
            .await?
            .unwrap_or_default();
        let created = store::insert(&mut tx, v, place, actor.user_id, now).await?;
        changes.extend(crate::demands::service::submitted(&created)?);
    }
    events::record_all(&mut tx, actor, now, &changes).await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}
