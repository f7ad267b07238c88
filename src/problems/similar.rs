//! The demands most like one being read, from any enterprise and language:
//! what a coordinator sees when a new demand comes in, so that a problem
//! already raised (or already answered) is recognised.
//!
//! Candidates come from the search index (the demand's glossary concepts
//! and its rarest words, any state), and are scored with the same
//! similarity as `liaison cluster`.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::similarity::{Profile, Space};
use crate::app::App;
use crate::auth::{Action, Actor, authorize};
use crate::error::{Error, Result};
use crate::search::Kind;

/// Candidates read from the index, and similar demands shown.
const CANDIDATES: usize = 60;
const SHOWN: usize = 5;
/// Below this a candidate is not shown as similar.
const MIN_SIMILARITY: f32 = 0.2;
/// Closed demands older than this are left out (seconds).
const RECENT: i64 = 365 * 24 * 3600;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Similar {
    pub demand_id: i64,
    pub title: String,
    pub state: String,
    pub lang: String,
    pub enterprise_id: Option<i64>,
    /// 0–1.
    pub similarity: f32,
    /// Glossary concepts both name, in the reader's language: why they match.
    pub shared_concepts: Vec<String>,
}

pub async fn similar(
    app: &App,
    actor: &Actor,
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<Vec<Similar>> {
    authorize(actor, Action::TriageDemands)?;
    let view = crate::demands::service::get(app, actor, id).await?;
    similar_to(app, actor, &view.demand, locale).await
}

/// [`similar`] for a demand the caller has already read (and may see).
pub async fn similar_to(
    app: &App,
    actor: &Actor,
    demand: &crate::demands::Demand,
    locale: crate::i18n::Locale,
) -> Result<Vec<Similar>> {
    authorize(actor, Action::TriageDemands)?;
    let id = demand.id;
    let Some(generation) = app.search.current() else {
        return Ok(Vec::new());
    };
    let matcher = crate::glossary::service::matcher(app).await?;
    let own = Profile::read(&matcher, &demand.title, &demand.body);
    let f = generation.fields;
    let searcher = generation.reader.searcher();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &(c, _) in own.concepts.iter() {
        let term = Term::from_field_text(f.concepts, &matcher.concepts()[c].key);
        let q: Box<dyn Query> = Box::new(BoostQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            3.0,
        ));
        clauses.push((Occur::Should, q));
    }
    let tokens = crate::text::tokens(&demand.title);
    for token in tokens
        .iter()
        .filter(|t| crate::text::is_content(t))
        .take(20)
    {
        let term = Term::from_field_text(f.title, &token.text);
        clauses.push((
            Occur::Should,
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        ));
    }
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(clauses))),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, Kind::Demand.as_str()),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let top = searcher
        .search(&query, &TopDocs::with_limit(CANDIDATES + 1))
        .map_err(|e| Error::Internal(e.into()))?;
    let now = app.now().0.timestamp();
    let mut found = Vec::new();
    for (_, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| Error::Internal(e.into()))?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let candidate_id = doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0);
        let state = text(f.state);
        let date = doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or(0);
        let open = crate::demands::State::parse(&state).is_some_and(|s| s.is_open());
        if candidate_id == id || !(open || now - date < RECENT) {
            continue;
        }
        let body = text(f.body);
        found.push((
            candidate_id,
            text(f.title),
            body,
            state,
            text(f.lang),
            doc.get_first(f.enterprise).and_then(|v| v.as_i64()),
        ));
    }
    let mut profiles = vec![own];
    profiles.extend(
        found
            .iter()
            .map(|(_, title, body, ..)| Profile::read(&matcher, title, body)),
    );
    let space = Space::new(&profiles);
    let mut out: Vec<Similar> = found
        .into_iter()
        .enumerate()
        .map(
            |(i, (demand_id, title, _, state, lang, enterprise_id))| Similar {
                similarity: space.similarity(0, i + 1),
                shared_concepts: space
                    .shared_concepts(0, i + 1)
                    .into_iter()
                    .map(|c| matcher.concepts()[c].label(locale).to_string())
                    .collect(),
                demand_id,
                title,
                state,
                lang,
                enterprise_id,
            },
        )
        .filter(|s| s.similarity >= MIN_SIMILARITY)
        .collect();
    out.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(b.demand_id.cmp(&a.demand_id))
    });
    out.truncate(SHOWN);
    Ok(out)
}
