//! Search in four languages over enterprises, contacts, visits and
//! symposiums, and demands (tantivy).
//!
//! The index is derived state: `follower.rs` keeps it current from the
//! event log, `liaison reindex` (`follower::rebuild`) makes it again from
//! the database; `index.rs` is the index on disk, `documents.rs` and
//! `store.rs` read what it holds, `analyzer.rs` cuts text (see
//! `crate::text`), `service.rs` answers queries within the reader's scope.

pub mod analyzer;
pub mod documents;
pub mod follower;
pub mod index;
pub mod service;
pub mod store;
pub mod web;

pub use index::{Kind, SearchIndex};
