//! Use-case tests without HTTP, each run on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod cases;
mod feeds;
mod imports;
mod index;
mod mail;
mod smtp;
mod vuln;
