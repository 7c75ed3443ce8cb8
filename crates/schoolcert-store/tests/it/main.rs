//! Storage tests, each run on SQLite and on PostgreSQL.

mod fixtures;
mod migrations;
mod platform;
mod registry;
