//! Storage tests, each run on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod cases;
mod feeds;
mod fixtures;
mod migrations;
mod platform;
mod registry;
mod vuln;
