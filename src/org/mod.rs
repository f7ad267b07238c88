//! The organisation: departments in a hierarchy (city > bureau > division;
//! district > committee). Departments are retired, never deleted, because
//! events, users and (later) demands point at them.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Department, DepartmentDraft, DepartmentKind};
