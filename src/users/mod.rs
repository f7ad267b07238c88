//! Accounts: people who sign in, each with one role (SPEC section 2). An
//! officer belongs to a department, an enterprise user to an enterprise.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Profile, User};
