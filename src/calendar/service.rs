//! Reading and keeping the calendar. Every change is an event; a file of
//! days is checked whole and applied all or nothing, like other imports.

use chrono::NaiveDate;

use std::sync::Arc;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::calendar::model::{Calendar, DayKind};
use crate::calendar::store::{self, CalendarDay};
use crate::db::Conn;
use crate::db::events::{self, Change, Entity};
use crate::error::{Code, Error, FieldError, Result};
use crate::sheets::Format;
use crate::sheets::mapping::Column;
use crate::sheets::report::{ImportFile, ImportReport};

/// The whole calendar, for computing deadlines inside a transaction.
pub(crate) async fn load(conn: &mut Conn) -> sqlx::Result<Calendar> {
    let days = store::list(conn, None).await?;
    Ok(Calendar::new(
        days.iter()
            .filter_map(|d| d.date().map(|date| (date, d.kind))),
    ))
}

/// The working-day calendar, shared with every reader (kept in memory).
pub async fn calendar(app: &App, actor: &Actor) -> Result<Arc<Calendar>> {
    authorize(actor, Action::UseOwnAccount)?;
    app.cache
        .calendar
        .get(|| async {
            let mut conn = app.db.pool().acquire().await?;
            Ok::<_, Error>(load(&mut conn).await?)
        })
        .await
}

/// The exceptions of a year.
pub async fn list(app: &App, actor: &Actor, year: i32) -> Result<Vec<CalendarDay>> {
    authorize(actor, Action::UseOwnAccount)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::list(&mut conn, Some(year)).await?)
}

fn entity(day: NaiveDate) -> Entity {
    // Days are keyed by their number, 20261001.
    let key = day.format("%Y%m%d").to_string().parse().unwrap_or(0);
    Entity::new("calendar_day", key)
}

pub fn parse_day(field: &'static str, raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim().replace(['/', '.'], "-");
    match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        Ok(d) if (2000..=2100).contains(&chrono::Datelike::year(&d)) => Ok(d),
        Ok(_) => Err(FieldError::new(field, Code::DateOutOfRange)),
        Err(_) => Err(FieldError::new(field, Code::InvalidDate)),
    }
}

/// Marks a day as a holiday or an adjusted working day.
pub async fn set_day(
    app: &App,
    actor: &Actor,
    day: &str,
    kind: &str,
    name: Option<&str>,
) -> Result<CalendarDay> {
    authorize(actor, Action::ManageCalendar)?;
    let mut problems = crate::error::Problems::default();
    let date = problems.check(parse_day("day", day));
    let kind = DayKind::parse(kind);
    if kind.is_none() {
        problems.add(FieldError::new("kind", Code::InvalidChoice));
    }
    let name = crate::fields::text(&mut problems, "name", name, 100);
    problems.finish()?;
    let (date, kind) = (date.expect("checked"), kind.expect("checked"));
    let mut tx = app.db.begin().await?;
    let key = date.format("%Y-%m-%d").to_string();
    let before = store::get(&mut tx, &key).await?;
    let now = app.now();
    let after = store::upsert(&mut tx, date, kind, name.as_deref(), now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        entity(date),
        "set",
        before.as_ref(),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    app.cache.calendar.forget();
    Ok(after)
}

/// Returns a day to the weekday rule.
pub async fn clear_day(app: &App, actor: &Actor, day: &str) -> Result<()> {
    authorize(actor, Action::ManageCalendar)?;
    let date = parse_day("day", day).map_err(|e| Error::Invalid(vec![e]))?;
    let key = date.format("%Y-%m-%d").to_string();
    let mut tx = app.db.begin().await?;
    let before = store::get(&mut tx, &key).await?.ok_or(Error::NotFound)?;
    store::delete(&mut tx, &key).await?;
    let now = app.now();
    events::record(
        &mut tx,
        actor,
        now,
        entity(date),
        "clear",
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await?;
    app.cache.calendar.forget();
    Ok(())
}

const COLUMNS: [Column; 3] = [
    Column::new("day", "calendar-day").or(&["date", "日期", "日付", "날짜"]),
    Column::new("kind", "calendar-kind").or(&["type", "类型", "種類", "종류"]),
    Column::new("name", "calendar-name").or(&["name", "名称", "名称", "이름", "节日"]),
];

/// Reads a file of days (`date,kind,name`; headers in any language) and,
/// unless `dry_run` or anything is wrong, applies all of it.
pub async fn import(
    app: &App,
    actor: &Actor,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportReport> {
    authorize(actor, Action::ManageCalendar)?;
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
        &[(&["day"], "calendar-day"), (&["kind"], "calendar-kind")],
        dry_run,
    )?;
    let mut days: Vec<(NaiveDate, DayKind, Option<String>)> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for record in records {
        let date = parse_day("day", &record.get("day").unwrap_or_default());
        let kind = record
            .get("kind")
            .as_deref()
            .and_then(DayKind::parse)
            .ok_or_else(|| FieldError::new("kind", Code::InvalidChoice));
        let name = record.get("name");
        if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
            let error = FieldError::new("name", Code::TooLong).with("max", 100);
            report.problem(&table, record.row, error);
            continue;
        }
        match (date, kind) {
            (Ok(date), Ok(kind)) => {
                if let Some(first) = seen.insert(date, record.row) {
                    let error = FieldError::new("day", Code::DuplicateInFile).with("row", first);
                    report.problem(&table, record.row, error);
                } else {
                    days.push((date, kind, name));
                }
            }
            (date, kind) => {
                for error in [date.err(), kind.err()].into_iter().flatten() {
                    report.problem(&table, record.row, error);
                }
            }
        }
    }
    let mut tx = app.db.begin().await?;
    let known = store::list(&mut tx, None).await?;
    let is_known = |d: &NaiveDate| known.iter().any(|k| k.date() == Some(*d));
    report.updated = days.iter().filter(|(d, _, _)| is_known(d)).count();
    report.created = days.len() - report.updated;
    if !report.may_write() {
        return Ok(report);
    }
    let now = app.now();
    let mut changes = Vec::with_capacity(days.len());
    for (date, kind, name) in &days {
        let before = known.iter().find(|k| k.date() == Some(*date));
        let after = store::upsert(&mut tx, *date, *kind, name.as_deref(), now).await?;
        changes.push(Change::new(entity(*date), "set", before, Some(&after))?);
    }
    events::record_all(&mut tx, actor, now, &changes).await?;
    tx.commit().await?;
    app.cache.calendar.forget();
    report.imported = true;
    Ok(report)
}
