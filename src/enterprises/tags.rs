//! Tags on enterprises ("key enterprise", "Fortune Global 500", …): names in
//! four languages, maintained by administrators, retired rather than deleted.

use serde::Serialize;

use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::db::Timestamp;
use crate::db::events::{self, Entity};
use crate::enterprises::store;
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::i18n::Locale;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Tag {
    pub id: i64,
    pub name_zh: String,
    pub name_ja: Option<String>,
    pub name_ko: Option<String>,
    pub name_en: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl Tag {
    pub fn name(&self, locale: Locale) -> &str {
        crate::i18n::localized_name(
            locale,
            &self.name_zh,
            self.name_ja.as_deref(),
            self.name_ko.as_deref(),
            self.name_en.as_deref(),
        )
    }
}

/// A tag's names as typed: zh (required), ja, ko, en.
pub type TagNames = [Option<String>; 4];

fn parse_names(names: &TagNames) -> Result<TagNames> {
    let mut problems = Problems::default();
    let fields = ["name_zh", "name_ja", "name_ko", "name_en"];
    let clean: Vec<Option<String>> = names
        .iter()
        .zip(fields)
        .map(|(n, field)| {
            let n = n
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            if n.as_ref().is_some_and(|n| n.chars().count() > 60) {
                problems.add(FieldError::new(field, Code::TooLong).with("max", 60));
            }
            n
        })
        .collect();
    if clean[0].is_none() {
        problems.add(FieldError::new("name_zh", Code::Required));
    }
    problems.finish()?;
    Ok([
        clean[0].clone(),
        clean[1].clone(),
        clean[2].clone(),
        clean[3].clone(),
    ])
}

pub async fn list(app: &App, actor: &Actor, include_retired: bool) -> Result<Vec<Tag>> {
    authorize(actor, Action::ListEnterprises)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::tags(&mut conn, include_retired).await?)
}

pub async fn create(app: &App, actor: &Actor, names: &TagNames) -> Result<Tag> {
    authorize(actor, Action::ManageTags)?;
    let names = parse_names(names)?;
    let mut tx = app.db.begin().await?;
    let tag = store::insert_tag(&mut tx, &names, app.now()).await?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        Entity::new("tag", tag.id),
        "create",
        None::<&()>,
        Some(&tag),
    )
    .await?;
    tx.commit().await?;
    Ok(tag)
}

/// Renames a tag, or retires (`retired = true`) or reinstates it.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    names: &TagNames,
    retired: bool,
) -> Result<Tag> {
    authorize(actor, Action::ManageTags)?;
    let names = parse_names(names)?;
    let mut tx = app.db.begin().await?;
    let before = store::tag(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let retired_at = match (retired, before.retired_at) {
        (true, Some(at)) => Some(at),
        (true, None) => Some(app.now()),
        (false, _) => None,
    };
    let after = store::update_tag(&mut tx, id, &names, retired_at, app.now()).await?;
    events::record(
        &mut tx,
        actor,
        app.now(),
        Entity::new("tag", id),
        "update",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
