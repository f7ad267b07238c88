//! The working-day calendar: which days the city works. Deadlines of
//! demands (and later tasks) are counted on it. Administrators keep the
//! exceptions to the weekday rule, by page, API or CSV file (see
//! `data/calendar/README.md` for the format).

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Calendar, DayKind};
