//! The search index on disk: a tantivy index per *generation* under the
//! configured folder, `CURRENT` naming the one in use with the schema and
//! analysis versions it was built with.
//!
//! A rebuild (`liaison reindex`, a version change, a missing index) writes
//! a whole new generation beside the old and then switches `CURRENT`, so
//! searches go on from the old one meanwhile and nothing waits for a
//! writer lock. Each generation records, in its commit payload, the last
//! event of the event log it reflects: the follower carries on from there.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::analyzer::{self, Analyzer};

/// Bumped when the fields change; with [`crate::text::ANALYSIS_VERSION`] it
/// decides whether an index on disk can still be used.
pub const SCHEMA_VERSION: u32 = 1;

/// Marks a generation whose build finished.
const BUILT: &str = "BUILT";

fn version() -> String {
    format!("{SCHEMA_VERSION}.{}", crate::text::ANALYSIS_VERSION)
}

/// What is indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Enterprise,
    Contact,
    Engagement,
    Demand,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Enterprise,
        Kind::Contact,
        Kind::Engagement,
        Kind::Demand,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Enterprise => "enterprise",
            Kind::Contact => "contact",
            Kind::Engagement => "engagement",
            Kind::Demand => "demand",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The event log's name for this kind's entities.
    pub fn entity_type(self) -> &'static str {
        self.as_str()
    }

    /// The kind whose items an event of this entity type changes.
    pub fn of_entity(entity_type: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.entity_type() == entity_type)
    }

    pub fn table(self) -> &'static str {
        match self {
            Kind::Enterprise => "enterprises",
            Kind::Contact => "contacts",
            Kind::Engagement => "engagements",
            Kind::Demand => "demands",
        }
    }
}

/// One indexed item.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: Kind,
    pub id: i64,
    /// The enterprises it belongs to (several for a symposium).
    pub enterprises: Vec<i64>,
    /// Departments that lead or help with a demand.
    pub departments: Vec<i64>,
    pub confidential: bool,
    pub state: String,
    pub lang: String,
    pub title: String,
    /// What everyone who may see the item may read.
    pub body: String,
    /// Staff-only text (a demand's notes, inputs, instructions).
    pub internal: String,
    /// Glossary concept keys named in the title and body.
    pub concepts: Vec<String>,
    /// Seconds since 1970 of the item's date (submission, visit).
    pub date: i64,
}

impl Doc {
    /// An item with nothing but its kind and id yet.
    pub fn new(kind: Kind, id: i64) -> Doc {
        Doc {
            kind,
            id,
            enterprises: Vec::new(),
            departments: Vec::new(),
            confidential: false,
            state: String::new(),
            lang: String::new(),
            title: String::new(),
            body: String::new(),
            internal: String::new(),
            concepts: Vec::new(),
            date: 0,
        }
    }
}

pub fn key(kind: Kind, id: i64) -> String {
    format!("{}:{id}", kind.as_str())
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub enterprise: Field,
    pub department: Field,
    pub confidential: Field,
    pub state: Field,
    pub lang: Field,
    pub title: Field,
    pub body: Field,
    pub internal: Field,
    pub concepts: Field,
    pub date: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_i64_field("id", STORED | FAST),
        enterprise: b.add_i64_field("enterprise", INDEXED | STORED),
        department: b.add_i64_field("department", INDEXED),
        confidential: b.add_i64_field("confidential", INDEXED),
        state: b.add_text_field("state", STRING | STORED),
        lang: b.add_text_field("lang", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text.clone()),
        internal: b.add_text_field("internal", text),
        concepts: b.add_text_field("concepts", STRING),
        date: b.add_i64_field("date", INDEXED | STORED | FAST),
    };
    (b.build(), fields)
}

impl Generation {
    pub fn fields_document(&self, doc: &Doc) -> TantivyDocument {
        self.fields.document(doc)
    }
}

impl Fields {
    fn document(&self, doc: &Doc) -> TantivyDocument {
        let kind = doc.kind;
        let mut d = TantivyDocument::default();
        d.add_text(self.key, key(kind, doc.id));
        d.add_text(self.kind, kind.as_str());
        d.add_i64(self.id, doc.id);
        for &e in &doc.enterprises {
            d.add_i64(self.enterprise, e);
        }
        for &dep in &doc.departments {
            d.add_i64(self.department, dep);
        }
        d.add_i64(self.confidential, i64::from(doc.confidential));
        d.add_text(self.state, &doc.state);
        d.add_text(self.lang, &doc.lang);
        d.add_text(self.title, &doc.title);
        d.add_text(self.body, &doc.body);
        d.add_text(self.internal, &doc.internal);
        for c in &doc.concepts {
            d.add_text(self.concepts, c);
        }
        d.add_i64(self.date, doc.date);
        d
    }
}

/// One built index.
pub struct Generation {
    pub number: u64,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    /// Every event up to this id is reflected.
    event: i64,
}

impl Generation {
    fn open(dir: &Path, number: u64, create: bool) -> anyhow::Result<Generation> {
        let (schema, fields) = schema();
        let index = if create {
            std::fs::create_dir_all(dir)?;
            Index::create_in_dir(dir, schema)?
        } else {
            Index::open_in_dir(dir)?
        };
        index
            .tokenizers()
            .register(analyzer::NAME, TextAnalyzer::from(Analyzer));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Generation {
            number,
            index,
            reader,
            fields,
        })
    }

    /// The last event this generation reflects (`None` before its first
    /// commit).
    pub fn position(&self) -> anyhow::Result<Option<i64>> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .map(|p| p.event))
    }

    pub fn writer(&self, threads: usize, memory: usize) -> anyhow::Result<IndexWriter> {
        Ok(self.index.writer_with_num_threads(threads, memory)?)
    }

    /// Replaces the items named (absent ones are removed) and commits with
    /// the new position. Searches see the change when this returns.
    pub fn apply(
        &self,
        writer: &mut IndexWriter,
        removed: &[(Kind, i64)],
        docs: &[Doc],
        position: i64,
    ) -> anyhow::Result<()> {
        for &(kind, id) in removed {
            writer.delete_term(Term::from_field_text(self.fields.key, &key(kind, id)));
        }
        for doc in docs {
            writer.add_document(self.fields.document(doc))?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(&Payload { event: position })?);
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }
}

/// The index folder, its current generation, and the follower's place.
pub struct SearchIndex {
    root: PathBuf,
    current: RwLock<Option<Arc<Generation>>>,
    /// Held while this process writes to the index (the follower, a test
    /// catching up, a rebuild), so writes never interleave.
    pub(crate) writing: tokio::sync::Mutex<super::follower::Follower>,
}

impl SearchIndex {
    /// Opens the folder; the current generation if it is usable. Never
    /// fails for a missing or outdated index: that one is rebuilt.
    pub fn open(root: &Path) -> SearchIndex {
        let index = SearchIndex {
            root: root.to_path_buf(),
            current: RwLock::new(None),
            writing: tokio::sync::Mutex::new(super::follower::Follower::default()),
        };
        if let Err(e) = index.refresh() {
            tracing::warn!(error = %e, "the search index cannot be opened; it will be rebuilt");
        }
        index
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The generation searches use now, if one is built.
    pub fn current(&self) -> Option<Arc<Generation>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn current_file(&self) -> PathBuf {
        self.root.join("CURRENT")
    }

    fn generation_dir(&self, number: u64) -> PathBuf {
        self.root.join(format!("generation-{number}"))
    }

    /// The generation `CURRENT` names, if its versions are this program's.
    fn named(&self) -> Option<u64> {
        let text = std::fs::read_to_string(self.current_file()).ok()?;
        let (number, built_with) = text.trim().split_once(' ')?;
        (built_with == version())
            .then(|| number.parse().ok())
            .flatten()
    }

    /// Follows `CURRENT` (another process may have rebuilt the index).
    /// Returns whether the generation in use changed.
    pub fn refresh(&self) -> anyhow::Result<bool> {
        let named = self.named();
        let in_use = self.current().map(|g| g.number);
        if named == in_use {
            return Ok(false);
        }
        let opened = match named {
            Some(number) => Some(Arc::new(
                Generation::open(&self.generation_dir(number), number, false)
                    .with_context(|| format!("opening search index generation {number}"))?,
            )),
            None => None,
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = opened;
        Ok(true)
    }

    /// A new, empty generation to build into (not yet in use).
    pub fn start_generation(&self) -> anyhow::Result<Generation> {
        std::fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create {}", self.root.display()))?;
        // Claimed by creating its folder, so that two processes rebuilding
        // at once (a server's first build and `liaison reindex`) never
        // write into the same one.
        let mut number = self.current().map_or(0, |g| g.number) + 1;
        loop {
            match std::fs::create_dir(self.generation_dir(number)) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => number += 1,
                Err(e) => return Err(e.into()),
            }
        }
        Generation::open(&self.generation_dir(number), number, true)
    }

    /// Puts a built generation in use and removes the older built ones.
    /// If another process has meanwhile put a newer one in use, that one
    /// stays and this one is dropped.
    pub fn switch_to(&self, built: Generation) -> anyhow::Result<()> {
        let number = built.number;
        std::fs::write(self.generation_dir(number).join(BUILT), "")?;
        if self.named().is_some_and(|current| current > number) {
            drop(built);
            let _ = std::fs::remove_dir_all(self.generation_dir(number));
            self.refresh()?;
            return Ok(());
        }
        let temp = self.root.join("CURRENT.new");
        std::fs::write(&temp, format!("{number} {}\n", version()))?;
        std::fs::rename(&temp, self.current_file())?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(built));
        self.remove_other_generations(number);
        Ok(())
    }

    fn remove_other_generations(&self, keep: u64) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(number) = name
                .to_str()
                .and_then(|n| n.strip_prefix("generation-"))
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            // One not marked built is still being built by another
            // process; leave it.
            if number < keep && entry.path().join(BUILT).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}
