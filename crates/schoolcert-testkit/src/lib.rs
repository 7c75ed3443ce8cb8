//! Test-only helpers: a fresh SQLite or PostgreSQL database per test, and `dual_tests!`, which
//! runs one async test function once per backend so a PostgreSQL failure has its own name.

mod db;

pub use db::{TestDb, postgres_url};
pub use schoolcert_store::Backend;

/// For each named `async fn name(backend: Backend)`, generates `name::sqlite` and
/// `name::postgres` tests. Without `SCHOOLCERT_TEST_POSTGRES_URL` the PostgreSQL half says so
/// loudly and passes, unless `SCHOOLCERT_TEST_REQUIRE_POSTGRES=1` (set by `.ci/run`) makes it fail.
#[macro_export]
macro_rules! dual_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if $crate::postgres_url().is_none() {
                        return;
                    }
                    super::$name($crate::Backend::Postgres).await;
                }
            }
        )*
    };
}
