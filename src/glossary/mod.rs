//! The multilingual glossary of domain concepts (VAT refund / 留抵退税 /
//! 還付 / 환급, ...): what lets Liaison see that demands written in
//! different languages are about the same problem. Admin-kept data; a
//! default of about two hundred concepts ships in `data/glossary.csv`.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Concept, Matcher};
