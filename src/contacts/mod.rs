//! Contact persons of an enterprise: the managers officials talk to. Their
//! names, phones and emails are personal data: shown only to actors granted
//! it (`Actor::sees_personal_data`) and never to other enterprises.

pub mod model;
pub mod service;
pub mod store;
pub mod transfer;
pub mod web;

pub use model::{Contact, ContactDraft};
