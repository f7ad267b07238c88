//! The integration suite: one binary, each test with its own server on port
//! 0 and its own database (SQLite file, or a fresh PostgreSQL database when
//! LIAISON_TEST_DATABASE_URL is set).

mod helpers;

mod access;
mod api;
mod attachments;
mod auth;
mod cli;
mod contacts;
mod demand_pages;
mod demand_settings;
mod demands;
mod departments;
mod engagements;
mod enterprises;
mod glossary;
mod i18n;
mod indicators;
mod jobs;
mod mail;
mod migrations;
mod plans;
mod problems;
mod search;
mod supervision;
mod transfer;
mod users;
