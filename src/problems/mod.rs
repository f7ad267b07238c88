//! Common problems (共性问题): the same problem raised by several
//! enterprises, found across languages and solved once.
//!
//! `similarity.rs` says how alike two demands are, `cluster.rs` groups
//! them, `lines.rs` is `liaison cluster`'s file format.

pub mod cluster;
pub mod lines;
pub mod model;
pub mod service;
pub mod similar;
pub mod similarity;
pub mod store;
pub mod web;
