//! Files attached to records: visit reports, photos, minutes, and later
//! the papers of demands and tasks. A file is seen by whoever may see what
//! it is attached to, and only through a download that names it as a file,
//! never rendered in the page.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Attachment, Owner};
