//! The Shadowserver pull log: which listed reports were downloaded and ingested (never twice)
//! and which failed (tried again on the next pull).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Pull {
    pub id: i64,
    pub report_id: String,
    pub file_name: String,
    pub day: String,
    pub status: String,
    pub file_id: Option<i64>,
    pub error: Option<String>,
    pub pulled_at: DateTime<Utc>,
}

/// Whether this report was ingested already.
pub async fn is_done(cx: &mut Cx, report_id: &str) -> StoreResult<bool> {
    let n: i64 = on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM feed_pulls WHERE report_id = $1 AND status = 'ingested'"
    )
    .bind(report_id)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

#[allow(clippy::too_many_arguments)]
pub async fn record(
    cx: &mut Cx,
    report_id: &str,
    file_name: &str,
    day: &str,
    ok: bool,
    file_id: Option<i64>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let status = if ok { "ingested" } else { "failed" };
    exec!(cx, |c| {
        sqlx::query(
            "INSERT INTO feed_pulls (report_id, file_name, day, status, file_id, error, pulled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (report_id) DO UPDATE SET status = excluded.status, file_id = excluded.file_id, error = excluded.error, pulled_at = excluded.pulled_at",
        )
        .bind(report_id).bind(file_name).bind(day).bind(status).bind(file_id).bind(error).bind(now)
        .execute(c).await
    })?;
    Ok(())
}

pub async fn recent(cx: &mut Cx, limit: i64) -> StoreResult<Vec<Pull>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, report_id, file_name, day, status, file_id, error, pulled_at FROM feed_pulls ORDER BY pulled_at DESC, id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}
