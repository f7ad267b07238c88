//! Operating indicators of enterprises: revenue, output value, tax paid,
//! exports, imports, employees and new investment, per year or quarter,
//! entered by coordinators or reported by the enterprise itself.

pub mod model;
pub mod service;
pub mod store;
pub mod transfer;
pub mod web;

pub use model::{Indicator, IndicatorDraft, Metric};
