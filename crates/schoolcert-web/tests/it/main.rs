//! Web and API tests over the real router, each run on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod api;
mod cases;
mod feeds;
mod isolation;
mod joining;
mod refusals;
mod security;
mod vuln;
