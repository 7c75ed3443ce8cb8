//! The two migration trees stay in lock-step and produce the same tables and columns.

use std::collections::BTreeMap;

use schoolcert_store::{Backend, Db};
use schoolcert_testkit::{TestDb, dual_tests};

#[test]
fn both_trees_define_the_same_versions() {
    assert_eq!(
        Db::migration_versions(Backend::Sqlite),
        Db::migration_versions(Backend::Postgres)
    );
}

/// Table → sorted column names, read from the live database.
async fn schema(tdb: &TestDb) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = match &tdb.db {
        Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (t, c) in rows {
        map.entry(t).or_default().push(c);
    }
    map.values_mut().for_each(|v| v.sort());
    map
}

#[tokio::test]
async fn both_backends_end_up_with_the_same_tables_and_columns() {
    let Some(_) = schoolcert_testkit::postgres_url() else {
        return;
    };
    let (s, p) = (
        TestDb::new(Backend::Sqlite).await,
        TestDb::new(Backend::Postgres).await,
    );
    assert_eq!(schema(&s).await, schema(&p).await);
    s.cleanup().await;
    p.cleanup().await;
}

async fn migrating_twice_is_harmless(b: Backend) {
    let tdb = TestDb::new(b).await;
    tdb.db.migrate().await.unwrap();
    tdb.cleanup().await;
}

dual_tests!(migrating_twice_is_harmless);
