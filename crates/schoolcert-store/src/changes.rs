//! Change counters: a write that affects an in-memory structure (the lookup index) bumps a
//! counter in the same transaction; every instance compares the counter with the version it
//! built from and rebuilds when the database says something changed.

use chrono::{DateTime, Utc};

use crate::{Cx, StoreResult, exec, on};

pub const ASSETS: &str = "assets";

pub async fn bump(cx: &mut Cx, name: &str, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO change_counters (name, version, changed_at) VALUES ($1, 1, $2)
         ON CONFLICT (name) DO UPDATE SET version = change_counters.version + 1, changed_at = excluded.changed_at"
    ).bind(name).bind(now).execute(c).await
    })?;
    Ok(())
}

pub async fn version(cx: &mut Cx, name: &str) -> StoreResult<i64> {
    let v: Option<i64> = on!(cx, |c| sqlx::query_scalar(
        "SELECT version FROM change_counters WHERE name = $1"
    )
    .bind(name)
    .fetch_optional(c)
    .await)?;
    Ok(v.unwrap_or(0))
}
