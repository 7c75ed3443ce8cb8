//! The two backends behind one type. `Db` holds a typed pool per backend (not `sqlx::Any`, which
//! cannot bind `$n` on PostgreSQL nor decode `TIMESTAMPTZ`); `Cx` is one pooled connection or one
//! write transaction; the `on!` macro runs the same SQL on whichever backend is active.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::error::{StoreError, StoreResult};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// How to open a database.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// `sqlite://path`, `sqlite:path`, a bare path, or `postgres://...`.
    pub url: String,
    /// Create a missing SQLite file. The server refuses to invent an empty database at a bare
    /// path that does not exist unless this is set, so a typo cannot silently start afresh.
    pub create_if_missing: bool,
    pub max_connections: u32,
    /// PostgreSQL schema to use (tests isolate themselves in one schema each).
    pub pg_schema: Option<String>,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        DbOptions {
            url: url.into(),
            create_if_missing: true,
            max_connections: 8,
            pg_schema: None,
        }
    }
}

/// One connection: pooled for reads, or a transaction for writes.
pub struct Cx {
    inner: CxInner,
}

enum CxInner {
    SqlitePooled(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    PgPooled(PoolConnection<Postgres>),
    PgTx(Transaction<'static, Postgres>),
}

/// The concrete connection the `on!` macro hands to a query.
pub enum Raw<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Runs `$body` with `$c` bound to the concrete connection (`&mut SqliteConnection` or
/// `&mut PgConnection`); the body is the same SQL for both backends.
#[macro_export]
macro_rules! on {
    ($cx:expr, |$c:ident| $body:expr) => {
        match $cx.raw() {
            $crate::Raw::Sqlite($c) => $body,
            $crate::Raw::Postgres($c) => $body,
        }
    };
}

/// Like `on!` for statements: runs `$body` (ending in `.execute(c).await`) and returns the
/// number of affected rows, since the two backends' result types differ.
#[macro_export]
macro_rules! exec {
    ($cx:expr, |$c:ident| $body:expr) => {
        match $cx.raw() {
            $crate::Raw::Sqlite($c) => $body.map(|r| r.rows_affected()),
            $crate::Raw::Postgres($c) => $body.map(|r| r.rows_affected()),
        }
    };
}

impl Cx {
    pub fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            CxInner::SqlitePooled(c) => Raw::Sqlite(c),
            CxInner::SqliteTx(t) => Raw::Sqlite(t),
            CxInner::PgPooled(c) => Raw::Postgres(c),
            CxInner::PgTx(t) => Raw::Postgres(t),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.inner {
            CxInner::SqlitePooled(_) | CxInner::SqliteTx(_) => Backend::Sqlite,
            CxInner::PgPooled(_) | CxInner::PgTx(_) => Backend::Postgres,
        }
    }

    /// Commits a write transaction; a pooled read connection just goes back to the pool.
    pub async fn commit(self) -> StoreResult<()> {
        match self.inner {
            CxInner::SqliteTx(t) => t.commit().await?,
            CxInner::PgTx(t) => t.commit().await?,
            CxInner::SqlitePooled(_) | CxInner::PgPooled(_) => {}
        }
        Ok(())
    }
}

/// Whether a URL names PostgreSQL.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Db {
    /// Opens (and for SQLite, creates when allowed) the database. Does not migrate.
    pub async fn open(opts: &DbOptions) -> StoreResult<Db> {
        if is_postgres_url(&opts.url) {
            let mut o = PgConnectOptions::from_str(&opts.url)
                .map_err(|e| StoreError::Open(e.to_string()))?;
            if let Some(schema) = &opts.pg_schema {
                o = o.options([("search_path", schema.as_str())]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(o)
                .await
                .map_err(|e| StoreError::Open(e.to_string()))?;
            return Ok(Db::Postgres(pool));
        }
        let path = opts
            .url
            .strip_prefix("sqlite://")
            .or_else(|| opts.url.strip_prefix("sqlite:"))
            .unwrap_or(&opts.url);
        if !opts.create_if_missing && !Path::new(path).exists() {
            return Err(StoreError::Open(format!(
                "{path} does not exist (refusing to create an empty database at a path that may be a typo)"
            )));
        }
        let o = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(opts.create_if_missing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(opts.max_connections)
            .connect_with(o)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        Ok(Db::Sqlite(pool))
    }

    /// Brings the schema up to date. Runs on every start.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> StoreResult<Cx> {
        let inner = match self {
            Db::Sqlite(p) => CxInner::SqlitePooled(p.acquire().await?),
            Db::Postgres(p) => CxInner::PgPooled(p.acquire().await?),
        };
        Ok(Cx { inner })
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so a
    /// read-then-write never fails halfway with "database is locked".
    pub async fn write(&self) -> StoreResult<Cx> {
        let inner = match self {
            Db::Sqlite(p) => CxInner::SqliteTx(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => CxInner::PgTx(p.begin().await?),
        };
        Ok(Cx { inner })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// PostgreSQL: creates a schema (for scratch databases such as the benchmark's); SQLite:
    /// nothing.
    pub async fn create_schema(&self, name: &str) -> StoreResult<()> {
        if let Db::Postgres(p) = self {
            let sql = format!("CREATE SCHEMA IF NOT EXISTS \"{}\"", name.replace('"', ""));
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
        }
        Ok(())
    }

    /// PostgreSQL: drops a schema and everything in it; SQLite: nothing.
    pub async fn drop_schema(&self, name: &str) -> StoreResult<()> {
        if let Db::Postgres(p) = self {
            let sql = format!(
                "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
                name.replace('"', "")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
        }
        Ok(())
    }

    /// The migration versions each tree defines (a test keeps them identical).
    pub fn migration_versions(backend: Backend) -> Vec<i64> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter().map(|m| m.version).collect()
    }
}
