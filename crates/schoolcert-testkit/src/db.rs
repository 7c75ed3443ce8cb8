//! One isolated database per test: a temporary SQLite file, or a private PostgreSQL schema in
//! the database named by `SCHOOLCERT_TEST_POSTGRES_URL`, migrated and dropped afterwards.

use std::sync::atomic::{AtomicU64, Ordering};

use schoolcert_store::{Backend, Db, DbOptions};

/// The PostgreSQL URL for tests, or `None` with a loud warning. Panics when PostgreSQL is
/// required (`SCHOOLCERT_TEST_REQUIRE_POSTGRES=1`) but not configured, so CI cannot pass
/// with the PostgreSQL half silently skipped.
pub fn postgres_url() -> Option<String> {
    match std::env::var("SCHOOLCERT_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var("SCHOOLCERT_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!(
                    "SCHOOLCERT_TEST_REQUIRE_POSTGRES=1 but SCHOOLCERT_TEST_POSTGRES_URL is not set"
                );
            }
            eprintln!(
                "\n!!! SKIPPING the PostgreSQL half of this test: SCHOOLCERT_TEST_POSTGRES_URL is not set.\n!!! Run ./.ci/run (or set the variable, e.g. postgres://postgres@127.0.0.1:5432/test) to test PostgreSQL.\n"
            );
            None
        }
    }
}

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl TestDb {
    /// A migrated, empty database on `backend`.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let db = Db::open(&DbOptions::new(url.clone()))
                    .await
                    .expect("open sqlite");
                db.migrate().await.expect("migrate sqlite");
                TestDb {
                    db,
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("PostgreSQL URL");
                let schema = format!(
                    "t_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    schoolcert_domain::token::random_bytes::<4>()
                        .map(u32::from_le_bytes)
                        .unwrap_or(0)
                );
                let admin = Db::open(&DbOptions {
                    max_connections: 1,
                    ..DbOptions::new(admin_url.clone())
                })
                .await
                .expect("connect to PostgreSQL for tests");
                let Db::Postgres(pool) = &admin else {
                    unreachable!()
                };
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(pool)
                    .await
                    .expect("create test schema");
                admin.close().await;
                let opts = DbOptions {
                    pg_schema: Some(schema.clone()),
                    max_connections: 5,
                    ..DbOptions::new(admin_url.clone())
                };
                let db = Db::open(&opts).await.expect("open test schema");
                db.migrate().await.expect("migrate postgres");
                let url = admin_url.clone();
                TestDb {
                    db,
                    url,
                    cleanup: Cleanup::Postgres { admin_url, schema },
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// The PostgreSQL schema of this test, for code that opens its own pool.
    pub fn pg_schema(&self) -> Option<&str> {
        match &self.cleanup {
            Cleanup::Postgres { schema, .. } => Some(schema),
            Cleanup::Sqlite(_) => None,
        }
    }

    /// Drops the PostgreSQL schema (SQLite's temp dir goes with the value).
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Cleanup::Postgres { admin_url, schema } = &self.cleanup
            && let Ok(Db::Postgres(pool)) = Db::open(&DbOptions {
                max_connections: 1,
                ..DbOptions::new(admin_url.clone())
            })
            .await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&pool)
                .await;
            pool.close().await;
        }
    }
}
