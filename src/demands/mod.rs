//! Demands (诉求): what an enterprise asks for or complains about, from its
//! words to a rated answer. `model.rs` holds the states and the one table
//! of allowed steps; `workflow.rs` the steps themselves; `service.rs`
//! intake and reading; `categories.rs` the categories with their default
//! lead departments and SLA policies.

pub mod api;
pub mod categories;
pub mod figures;
pub mod figures_web;
pub mod model;
pub mod pages;
pub mod service;
pub mod settings_pages;
pub mod store;
pub mod supervision;
pub mod tally;
pub mod transfer;
pub mod workflow;

pub use model::{Demand, State};
