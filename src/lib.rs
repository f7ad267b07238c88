//! Liaison: the working system of a city's program to serve and cultivate
//! its foreign-funded enterprises. See docs/ARCHITECTURE.md for the map.

#![forbid(unsafe_code)]

pub mod app;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod db;
pub mod demands;
pub mod demo;
pub mod engagements;
pub mod enterprises;
pub mod error;
pub mod fields;
pub mod glossary;
pub mod i18n;
pub mod indicators;
pub mod jobs;
pub mod notifications;
pub mod org;
pub mod plans;
pub mod problems;
pub mod reference;
pub mod richtext;
pub mod search;
pub mod sheets;
pub mod startup;
pub mod text;
pub mod users;
pub mod web;

pub use app::App;

/// Pages and lists allocate many small strings per row, from many threads
/// at once (the runtime's and each SQLite connection's); the system
/// allocator spent a fifth of a busy server's time on its locks and free
/// lists. mimalloc keeps a heap per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
