//! Contacts in and out of files. A row names its enterprise by credit code;
//! a contact of that enterprise with the same name is updated, any other
//! row adds one. Exports of personal data are events.

use std::collections::HashMap;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::contacts::model::{Contact, ContactDraft, ValidContact};
use crate::contacts::store;
use crate::db::events::{self, Change, Entity};
use crate::enterprises::store::ListQuery;
use crate::enterprises::transfer::NamedEnterprises;
use crate::error::{Code, FieldError, Result};
use crate::i18n::Locale;
use crate::sheets::mapping::{Column, ENTERPRISE_USCC, Record, locale_from};
use crate::sheets::report::{ImportFile, ImportReport};
use crate::sheets::{self, Format};

/// The columns, in export order. The enterprise's name is there for people
/// reading the file; the import goes by the credit code.
pub const COLUMNS: [Column; 8] = [
    ENTERPRISE_USCC,
    Column::new("enterprise", "field-enterprise").or(&["企业", "企業", "기업", "company"]),
    Column::new("name", "field-contact-name").or(&[
        "联系人",
        "联系人姓名",
        "担当者",
        "担当者名",
        "담당자",
        "담당자명",
        "contact",
        "contact name",
    ]),
    Column::new("title", "field-contact-title").or(&["职位", "職位", "직위", "title", "position"]),
    Column::new("phone", "field-phone").or(&[
        "手机",
        "电话号码",
        "联系电话",
        "携帯",
        "電話",
        "전화",
        "휴대폰",
        "tel",
        "mobile",
    ]),
    Column::new("email", "field-email").or(&["邮箱", "メール", "e-mail", "mail"]),
    Column::new("preferred_locale", "field-preferred-language")
        .or(&["语言", "言語", "언어", "language"]),
    Column::new("primary", "contacts-primary").or(&["primary", "主联系人", "주담당"]),
];

fn yes(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "1" | "y" | "yes" | "true" | "是" | "√" | "✓" | "○" | "はい" | "예"
    )
}

fn draft_from(record: &Record) -> ContactDraft {
    ContactDraft {
        name: record.get("name").unwrap_or_default(),
        title: record.get("title"),
        phone: record.get("phone"),
        email: record.get("email"),
        preferred_locale: record.get("preferred_locale").map(|l| locale_from(&l)),
        primary: record.get("primary").is_some_and(|p| yes(&p)),
    }
}

/// Checks a file of contacts and, unless `dry_run` or anything is wrong,
/// imports all of it in one transaction.
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
        &[(&["uscc"], "field-uscc"), (&["name"], "field-contact-name")],
        dry_run,
    )?;
    let mut tx = app.db.begin().await?;
    let enterprises = NamedEnterprises::load(&mut tx, &records).await?;
    let ids = enterprises.ids();
    let mut existing: HashMap<(i64, String), Contact> = store::list_for(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|c| ((c.enterprise_id, name_key(&c.name)), c))
        .collect();

    let mut rows: Vec<(i64, ValidContact, Option<Contact>)> = Vec::new();
    let mut seen: HashMap<(i64, String), usize> = HashMap::new();
    let mut primary_row: HashMap<i64, usize> = HashMap::new();
    for record in &records {
        let enterprise_id = enterprises
            .of(record)
            .map_err(|e| report.problem(&table, record.row, e))
            .ok();
        let valid = report.check(&table, record.row, draft_from(record).parse())?;
        let (Some(enterprise_id), Some(valid)) = (enterprise_id, valid) else {
            continue;
        };
        let key = (enterprise_id, name_key(&valid.name));
        if let Some(first) = seen.insert(key.clone(), record.row) {
            let error = FieldError::new("name", Code::DuplicateInFile).with("row", first);
            report.problem(&table, record.row, error);
            continue;
        }
        if valid.primary
            && let Some(first) = primary_row.insert(enterprise_id, record.row)
        {
            let error = FieldError::new("primary", Code::DuplicateInFile).with("row", first);
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
    let mut changes = Vec::with_capacity(rows.len());
    for (enterprise_id, valid, before) in &rows {
        let after = match before {
            Some(b) => {
                let since = valid.primary.then(|| b.primary_since.unwrap_or(now));
                store::update(&mut tx, b.id, valid, since, now).await?
            }
            None => store::insert(&mut tx, *enterprise_id, valid, now).await?,
        };
        if valid.primary {
            store::clear_primary(&mut tx, *enterprise_id, after.id, now).await?;
        }
        let action = if before.is_some() {
            "import_update"
        } else {
            "import_create"
        };
        let entity = Entity::new("contact", after.id);
        changes.push(Change::new(entity, action, before.as_ref(), Some(&after))?);
    }
    events::record_all(&mut tx, actor, now, &changes).await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}

/// Names compare without case and surrounding spaces.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Contacts of every enterprise matching `query` that the actor may see,
/// as a file (which the import reads back). Personal data leaving the
/// system is an event: who, when, how many, with which filters.
pub async fn export(
    app: &App,
    actor: &Actor,
    query: &ListQuery,
    format: Format,
    locale: Locale,
) -> Result<Vec<u8>> {
    authorize(actor, Action::ExportContacts)?;
    let mut rows = vec![
        COLUMNS
            .iter()
            .map(|c| app.i18n.t(locale, c.label))
            .collect::<Vec<_>>(),
    ];
    let all = crate::enterprises::service::all(app, actor, query).await?;
    let mut count = 0usize;
    for enterprises in all.chunks(500) {
        let ids: Vec<i64> = enterprises.iter().map(|e| e.id).collect();
        let mut conn = app.db.pool().acquire().await?;
        let mut by_enterprise: HashMap<i64, Vec<Contact>> = HashMap::new();
        for c in store::list_for(&mut conn, &ids).await? {
            by_enterprise.entry(c.enterprise_id).or_default().push(c);
        }
        drop(conn);
        for e in enterprises {
            for c in by_enterprise.remove(&e.id).unwrap_or_default() {
                count += 1;
                rows.push(vec![
                    e.uscc.clone().unwrap_or_default(),
                    e.name(locale).to_string(),
                    c.name,
                    c.title.unwrap_or_default(),
                    c.phone.unwrap_or_default(),
                    c.email.unwrap_or_default(),
                    c.preferred_locale.unwrap_or_default(),
                    if c.primary_since.is_some() {
                        "1".into()
                    } else {
                        String::new()
                    },
                ]);
            }
        }
    }
    let file = sheets::write(format, "contacts", &rows)?;
    #[derive(serde::Serialize)]
    struct Exported<'a> {
        contacts: usize,
        format: &'a str,
        country: &'a Option<String>,
        industry: &'a Option<String>,
        district: &'a Option<String>,
        tag_id: Option<i64>,
        text: &'a Option<String>,
    }
    let what = Exported {
        contacts: count,
        format: format.extension(),
        country: &query.country,
        industry: &query.industry,
        district: &query.district,
        tag_id: query.tag_id,
        text: &query.text,
    };
    let mut tx = app.db.begin().await?;
    let on = Entity::new("user", actor.user_id.unwrap_or(0));
    events::record(
        &mut tx,
        actor,
        app.now(),
        on,
        "export_contacts",
        None::<&()>,
        Some(&what),
    )
    .await?;
    tx.commit().await?;
    Ok(file)
}
