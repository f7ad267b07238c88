//! Notifications: what someone must know or do, in the app (the bell) and,
//! later, by email. Each is written in the same transaction as the change
//! it tells of, and shown in the reader's language when read.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Kind, Notification};
