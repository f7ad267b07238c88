//! Notifications: what someone must know or do, in the app (the bell) and
//! by email (`mail`). Each is written in the same transaction as the change
//! it tells of, and shown or mailed in the reader's language.

pub mod mail;
pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Kind, Notification};
