//! Reading and keeping the glossary.

use std::sync::Arc;

use super::model::{Concept, LANGUAGES, Matcher, default_concepts, split_terms};
use super::store::{self, Row};
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::config::Config;
use crate::db::events::{self, Entity};
use crate::db::{Conn, DatabaseUrl, Db, Timestamp};
use crate::error::{Code, Error, FieldError, Problems, Result};

fn entity(id: i64) -> Entity {
    Entity::new("glossary_concept", id)
}

/// Fills an empty glossary with the shipped one (first start). Read first
/// without a write transaction, so every later start costs one count; on
/// PostgreSQL the table is locked before filling, so instances starting
/// together do not all fill it (the second would break on the unique key).
pub async fn seed_if_empty(db: &Db, now: Timestamp) -> anyhow::Result<()> {
    if store::count(&mut *db.pool().acquire().await?).await? > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    if db.backend() == crate::db::Backend::Postgres {
        store::lock(&mut tx).await?;
    }
    if store::count(&mut tx).await? > 0 {
        return Ok(());
    }
    let concepts = default_concepts();
    for c in &concepts {
        store::insert(&mut tx, c, now).await?;
    }
    events::record(
        &mut tx,
        &Actor::system(),
        now,
        Entity::new("glossary", 0),
        "seed",
        None::<&()>,
        Some(&serde_json::json!({ "concepts": concepts.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn active(conn: &mut Conn) -> sqlx::Result<Vec<Concept>> {
    Ok(store::all(conn)
        .await?
        .iter()
        .filter(|r| r.retired_at.is_none())
        .map(Row::concept)
        .collect())
}

/// The matcher over the glossary in force (kept in memory, rebuilt after a
/// change).
pub async fn matcher(app: &App) -> Result<Arc<Matcher>> {
    app.cache
        .glossary
        .get(|| async {
            let mut conn = app.db.pool().acquire().await?;
            Ok::<_, Error>(Matcher::new(active(&mut conn).await?))
        })
        .await
}

/// The glossary `liaison cluster` uses when none is named: the database's
/// when there is one, else the shipped one (no database is created for it).
pub async fn for_command_line(config: &Config) -> anyhow::Result<Vec<Concept>> {
    if let Ok(DatabaseUrl::Sqlite(path)) = DatabaseUrl::parse(&config.database_url)
        && !path.exists()
    {
        return Ok(default_concepts());
    }
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let mut conn = db.pool().acquire().await?;
    let concepts = active(&mut conn).await?;
    drop(conn);
    db.close().await;
    Ok(if concepts.is_empty() {
        default_concepts()
    } else {
        concepts
    })
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Row>> {
    authorize(actor, Action::ViewGlossary)?;
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::all(&mut conn).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Row> {
    authorize(actor, Action::ViewGlossary)?;
    let mut conn = app.db.pool().acquire().await?;
    store::get(&mut conn, id).await?.ok_or(Error::NotFound)
}

/// A concept as typed: terms per language separated by `|` or new lines.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ConceptDraft {
    pub key: String,
    pub domain: String,
    #[serde(default)]
    pub zh: String,
    #[serde(default)]
    pub ja: String,
    #[serde(default)]
    pub ko: String,
    #[serde(default)]
    pub en: String,
}

fn is_identifier(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl ConceptDraft {
    pub fn parse(&self) -> Result<Concept> {
        let mut p = Problems::default();
        let key = self.key.trim();
        if !is_identifier(key, 60) {
            p.add(FieldError::new("key", Code::InvalidFormat));
        }
        let domain = self.domain.trim();
        if !is_identifier(domain, 40) {
            p.add(FieldError::new("domain", Code::InvalidFormat));
        }
        let mut terms: Vec<Vec<String>> = Vec::new();
        for (field, cell) in LANGUAGES
            .into_iter()
            .zip([&self.zh, &self.ja, &self.ko, &self.en])
        {
            let list = split_terms(&cell.replace(['\n', '\r'], "|"));
            for term in &list {
                let cjk_only = term.chars().all(crate::text::is_cjk);
                if term.chars().count() > 60 {
                    p.add(FieldError::new(field, Code::TooLong).with("max", 60));
                } else if cjk_only && term.chars().count() < 2 {
                    // One character would be found inside countless words.
                    p.add(FieldError::new(field, Code::GlossaryTermTooShort).with("term", term));
                } else if crate::text::term_pattern(term).is_none() {
                    p.add(FieldError::new(field, Code::InvalidFormat));
                }
            }
            terms.push(list);
        }
        if terms.iter().all(Vec::is_empty) {
            p.add(FieldError::new("en", Code::Required));
        }
        p.finish()?;
        let mut terms = terms.into_iter();
        let mut next = || terms.next().unwrap_or_default();
        Ok(Concept {
            key: key.to_string(),
            domain: domain.to_string(),
            zh: next(),
            ja: next(),
            ko: next(),
            en: next(),
        })
    }
}

fn taken(e: sqlx::Error) -> Error {
    if crate::db::is_unique_violation(&e) {
        Error::Conflict(FieldError::new("key", Code::GlossaryKeyTaken))
    } else {
        e.into()
    }
}

pub async fn create(app: &App, actor: &Actor, draft: &ConceptDraft) -> Result<Row> {
    authorize(actor, Action::ManageGlossary)?;
    let concept = draft.parse()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let row = store::insert(&mut tx, &concept, now).await.map_err(taken)?;
    events::record(
        &mut tx,
        actor,
        now,
        entity(row.id),
        "create",
        None::<&()>,
        Some(&row),
    )
    .await?;
    tx.commit().await?;
    app.cache.glossary.forget();
    Ok(row)
}

pub async fn update(app: &App, actor: &Actor, id: i64, draft: &ConceptDraft) -> Result<Row> {
    authorize(actor, Action::ManageGlossary)?;
    let concept = draft.parse()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::get(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let row = store::update(&mut tx, id, &concept, now)
        .await
        .map_err(taken)?;
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        "update",
        Some(&before),
        Some(&row),
    )
    .await?;
    tx.commit().await?;
    app.cache.glossary.forget();
    Ok(row)
}

/// Retires a concept (it is no longer found in text) or brings it back.
pub async fn set_retired(app: &App, actor: &Actor, id: i64, retired: bool) -> Result<Row> {
    authorize(actor, Action::ManageGlossary)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = store::get(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let row = store::set_retired(&mut tx, id, retired.then_some(now), now).await?;
    let action = if retired { "retire" } else { "restore" };
    events::record(
        &mut tx,
        actor,
        now,
        entity(id),
        action,
        Some(&before),
        Some(&row),
    )
    .await?;
    tx.commit().await?;
    app.cache.glossary.forget();
    Ok(row)
}
