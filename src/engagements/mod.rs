//! Engagements: visits to one enterprise and symposiums with several, who
//! went, who attended, what was learned, and the follow-ups agreed. They
//! appear on the calendar list and on each enterprise's page and timeline.

pub mod model;
pub mod service;
pub mod store;
pub mod web;

pub use model::{Engagement, EngagementDraft, EngagementKind, FollowUp};
