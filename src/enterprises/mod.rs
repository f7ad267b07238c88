//! The registry of foreign-funded enterprises: names in four languages,
//! credit code, investor country, industry, district, tags and status; the
//! list with its filters, and import and export of enterprises with their
//! contacts and indicators.

pub mod model;
pub mod service;
pub mod store;
pub mod tags;
pub mod transfer;
pub mod transfer_web;
pub mod uscc;
pub mod web;

pub use model::{Enterprise, EnterpriseDraft};
