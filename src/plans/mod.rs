//! The road map and the task book (SPEC 1.5): plans with a horizon and a
//! period, goals with KPIs, a tree of tasks under each goal with a lead
//! unit, co-units, milestones and progress reports, and progress that
//! rolls up from sub-tasks to tasks, goals and the plan.
//!
//! `rollup.rs` is the rule (documented there and on the pages), `kpi.rs`
//! where a KPI's value comes from, `service.rs` plans, goals and KPIs,
//! `tasks.rs` the tasks.

pub mod api;
pub mod book;
pub mod book_web;
pub mod edit_web;
pub mod gantt;
pub mod instructions;
pub mod kpi;
pub mod links;
pub mod model;
pub mod rollup;
pub mod service;
pub mod store;
pub mod supervision;
pub mod tasks;
pub mod web;
