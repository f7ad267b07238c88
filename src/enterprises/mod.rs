//! Foreign-funded enterprises. For now only what accounts need (names and
//! investor country); the registry grows in its own issue.

pub mod model;
pub mod service;
pub mod store;
pub mod tags;
pub mod transfer;
pub mod uscc;
pub mod web;

pub use model::{Enterprise, EnterpriseDraft};
