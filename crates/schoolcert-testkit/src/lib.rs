//! Test-only helpers: a fresh SQLite or PostgreSQL database per test, and `dual_tests!`, which
//! runs one async test function once per backend so a PostgreSQL failure has its own name.
//! With the `web` feature: `TestApp` (the whole application in-process on a fake clock, with
//! captured mail and a fake DNS server) and a `Client` that keeps cookies and CSRF tokens.

#[cfg(feature = "web")]
mod client;
mod db;
#[cfg(feature = "web")]
mod dns;
#[cfg(feature = "web")]
mod web;

#[cfg(feature = "web")]
pub use client::{Client, TestResponse};
pub use db::{TestDb, postgres_url};
#[cfg(feature = "web")]
pub use dns::FakeDns;
pub use schoolcert_store::Backend;
#[cfg(feature = "web")]
pub use web::{PASSWORD, TOTP_SECRET, TestApp};

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
