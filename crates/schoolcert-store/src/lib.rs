//! schoolcert's storage: one `Db` over SQLite (embedded default) or PostgreSQL (production),
//! migrations for both, and queries grouped per aggregate. Every query that returns board data
//! takes a `Scope` and filters by it in SQL.

mod db;
mod error;
pub mod paging;
mod pgcopy;

pub mod accounts;
pub mod audit;
pub mod cases;
pub mod changes;
pub mod feeds;
pub mod jobs;
pub mod outbox;
pub mod ratelimit;
pub mod registry;
pub mod vuln;

pub use db::{Backend, Cx, Db, DbOptions, Raw, is_postgres_url};
pub use error::{StoreError, StoreResult};
pub use paging::{Page, PageRequest};
