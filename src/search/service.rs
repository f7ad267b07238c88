//! Searching: one box over enterprises, contacts, visits and symposiums,
//! and demands, results grouped by kind and narrowed by the permission
//! module's [`search_scope`] before anything is counted or highlighted.
//!
//! A query is cut by the same analysis as the text: each word typed must
//! be found (as a phrase of its CJK pairs, so 通関 inside 輸入通関手続き
//! matches and 関手 across two words does not); a lone CJK character
//! matches any pair that contains it.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

use super::index::{Fields, Kind};
use crate::app::App;
use crate::auth::permission::{DemandScope, EnterpriseScope, search_scope};
use crate::auth::{Action, Actor, authorize};
use crate::error::{Code, Error, FieldError, Problems, Result};
use crate::text::{self, TokenKind};

pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_LIMIT: usize = 50;
pub const MAX_OFFSET: usize = 1000;

/// A search as asked: the words, and optionally one kind, a demand state,
/// how many per kind and from where.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct SearchRequest {
    /// Words in any of the four languages; every word must be found.
    #[serde(default)]
    pub q: String,
    /// enterprise, contact, engagement or demand.
    pub kind: Option<String>,
    /// Demands in this state only (e.g. submitted, in_progress, closed).
    pub state: Option<String>,
    /// Results per kind (1–50, default 10).
    pub limit: Option<usize>,
    /// Skip this many results (with `kind`, for the next page).
    pub offset: Option<usize>,
}

struct Valid {
    words: Vec<Vec<text::Token>>,
    kind: Option<Kind>,
    state: Option<String>,
    limit: usize,
    offset: usize,
}

impl SearchRequest {
    fn parse(&self) -> Result<Valid> {
        let mut p = Problems::default();
        let q = self.q.trim();
        if q.is_empty() {
            p.add(FieldError::new("q", Code::Required));
        } else if q.chars().count() > MAX_QUERY_CHARS {
            p.add(FieldError::new("q", Code::TooLong).with("max", MAX_QUERY_CHARS));
        }
        let kind = match self
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => None,
            Some(k) => Kind::parse(k).or_else(|| {
                p.add(FieldError::new("kind", Code::InvalidChoice));
                None
            }),
        };
        let state = match self
            .state
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match crate::demands::model::State::parse(s) {
                Some(state) => Some(state.as_str().to_string()),
                None => {
                    p.add(FieldError::new("state", Code::InvalidChoice));
                    None
                }
            },
        };
        let limit = self.limit.unwrap_or(10);
        if !(1..=MAX_LIMIT).contains(&limit) {
            p.add(
                FieldError::new("limit", Code::NumberOutOfRange)
                    .with("min", 1)
                    .with("max", MAX_LIMIT),
            );
        }
        let offset = self.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            p.add(
                FieldError::new("offset", Code::NumberOutOfRange)
                    .with("min", 0)
                    .with("max", MAX_OFFSET),
            );
        }
        p.finish()?;
        let words = q
            .split_whitespace()
            .map(text::tokens)
            .filter(|t| !t.is_empty())
            .collect();
        Ok(Valid {
            words,
            kind,
            state,
            limit,
            offset,
        })
    }
}

/// A stretch of text with the parts that matched marked (byte ranges).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Highlight {
    pub text: String,
    /// Byte ranges `[start, end)` of the matches in `text`.
    pub marks: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub title: Highlight,
    /// Where the words were found in the text (empty when only the title
    /// matched).
    pub snippet: Highlight,
    /// A demand's state, a visit's kind.
    pub state: String,
    /// A demand's language.
    pub lang: String,
    /// The enterprise the item belongs to (the first, for a symposium).
    pub enterprise_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub kind: Kind,
    /// How many items of this kind match (that the reader may see).
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Results {
    pub groups: Vec<Group>,
    /// The index is being built for the first time: results may be missing.
    pub building: bool,
}

fn term_query(field: Field, token: &text::Token) -> Box<dyn Query> {
    let term = Term::from_field_text(field, &token.text);
    let exact: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
    if token.kind != TokenKind::Single {
        return exact;
    }
    // A lone character was indexed inside pairs: match those too.
    let c = regex_escape(&token.text);
    match RegexQuery::from_pattern(&format!("{c}.|.{c}"), field) {
        Ok(pairs) => Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (Occur::Should, Box::new(pairs)),
        ])),
        Err(_) => exact,
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~\"@<>".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// Every word found in one of the fields (the title counting double).
fn words_query(words: &[Vec<text::Token>], fields: &[(Field, f32)]) -> Box<dyn Query> {
    let clauses = words
        .iter()
        .map(|tokens| {
            let per_field = fields
                .iter()
                .map(|&(field, boost)| {
                    let q: Box<dyn Query> = if tokens.len() == 1 {
                        term_query(field, &tokens[0])
                    } else {
                        let terms = tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, &t.text))
                            .collect();
                        Box::new(PhraseQuery::new(terms))
                    };
                    let q: Box<dyn Query> = Box::new(BoostQuery::new(q, boost));
                    (Occur::Should, q)
                })
                .collect();
            let q: Box<dyn Query> = Box::new(BooleanQuery::new(per_field));
            (Occur::Must, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn is_(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn is_number(field: Field, value: i64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_i64(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The filter a kind's results must pass for this reader, or `None` when
/// the reader may see none of that kind.
fn scope_filter(actor: &Actor, kind: Kind, f: &Fields) -> Option<Vec<Box<dyn Query>>> {
    let scope = search_scope(actor);
    let by_enterprise = |s: EnterpriseScope| match s {
        EnterpriseScope::All => Some(vec![]),
        EnterpriseScope::Only(id) => Some(vec![is_number(f.enterprise, id)]),
        EnterpriseScope::Nothing => None,
    };
    match kind {
        Kind::Enterprise => by_enterprise(scope.enterprises),
        Kind::Contact => by_enterprise(scope.contacts),
        Kind::Engagement => scope.engagements.then(Vec::new),
        Kind::Demand => match scope.demands {
            DemandScope::All => Some(vec![]),
            DemandScope::NotConfidential => Some(vec![is_number(f.confidential, 0)]),
            DemandScope::Department(d) => Some(vec![is_number(f.department, d)]),
            DemandScope::Enterprise(e) => Some(vec![is_number(f.enterprise, e)]),
            DemandScope::Nothing => None,
        },
    }
}

pub async fn search(app: &App, actor: &Actor, request: &SearchRequest) -> Result<Results> {
    authorize(actor, Action::Search)?;
    let valid = request.parse()?;
    let Some(generation) = app.search.current() else {
        return Ok(Results {
            groups: Vec::new(),
            building: true,
        });
    };
    let searcher = generation.reader.searcher();
    let f = generation.fields;
    let mut fields = vec![(f.title, 2.0), (f.body, 1.0)];
    if search_scope(actor).internals {
        fields.push((f.internal, 0.5));
    }
    let mut groups = Vec::new();
    if valid.words.is_empty() {
        return Ok(Results {
            groups,
            building: false,
        });
    }
    for kind in Kind::ALL {
        if valid.kind.is_some_and(|k| k != kind) {
            continue;
        }
        let Some(filters) = scope_filter(actor, kind, &f) else {
            continue;
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, words_query(&valid.words, &fields)),
            (Occur::Must, is_(f.kind, kind.as_str())),
        ];
        clauses.extend(filters.into_iter().map(|q| (Occur::Must, q)));
        if let (Kind::Demand, Some(state)) = (kind, &valid.state) {
            clauses.push((Occur::Must, is_(f.state, state)));
        }
        let query = BooleanQuery::new(clauses);
        let group = run(&searcher, &f, &fields, kind, &query, &valid)
            .map_err(|e| Error::Internal(e.into()))?;
        if group.total > 0 || valid.kind.is_some() {
            groups.push(group);
        }
    }
    Ok(Results {
        groups,
        building: false,
    })
}

fn highlight(generator: &SnippetGenerator, text: &str) -> Highlight {
    let snippet = generator.snippet(text);
    Highlight {
        text: snippet.fragment().to_string(),
        marks: merged(snippet.highlighted()),
    }
}

/// Matched pairs overlap (樱花, 花精, 精密): one mark per stretch.
fn merged(ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let mut sorted: Vec<[usize; 2]> = ranges.iter().map(|r| [r.start, r.end]).collect();
    sorted.sort();
    let mut out: Vec<[usize; 2]> = Vec::new();
    for [start, end] in sorted {
        match out.last_mut() {
            Some(last) if start <= last[1] => last[1] = last[1].max(end),
            _ => out.push([start, end]),
        }
    }
    out
}

fn run(
    searcher: &Searcher,
    f: &Fields,
    fields: &[(Field, f32)],
    kind: Kind,
    query: &BooleanQuery,
    valid: &Valid,
) -> tantivy::Result<Group> {
    let (top, total) = searcher.search(
        query,
        &(
            TopDocs::with_limit(valid.limit).and_offset(valid.offset),
            Count,
        ),
    )?;
    // A generator reads the query's terms' statistics: only when there is
    // something to highlight (most kinds of most searches find nothing).
    let mut generators = Vec::new();
    for &(field, _) in fields.iter().filter(|_| !top.is_empty()) {
        let mut g = SnippetGenerator::create(searcher, query, field)?;
        g.set_max_num_chars(if field == f.title { 300 } else { 160 });
        generators.push((field, g));
    }
    let mut hits = Vec::new();
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let title_text = text_of(f.title);
        let mut title = Highlight {
            text: title_text.clone(),
            marks: Vec::new(),
        };
        let mut snippet = Highlight {
            text: String::new(),
            marks: Vec::new(),
        };
        for (field, generator) in &generators {
            if *field == f.title {
                let h = highlight(generator, &title_text);
                if !h.marks.is_empty() {
                    title = h;
                }
            } else if snippet.marks.is_empty() {
                let h = highlight(generator, &text_of(*field));
                if !h.marks.is_empty() {
                    snippet = h;
                }
            }
        }
        hits.push(Hit {
            kind,
            id: doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0),
            title,
            snippet,
            state: text_of(f.state),
            lang: text_of(f.lang),
            enterprise_id: doc.get_first(f.enterprise).and_then(|v| v.as_i64()),
        });
    }
    Ok(Group { kind, total, hits })
}
