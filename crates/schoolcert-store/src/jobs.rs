//! The background job queue. Any instance may claim a due job (PostgreSQL: `FOR UPDATE SKIP
//! LOCKED`; SQLite serialises writers anyway). Periodic jobs carry a unique key per period, so
//! two instances scheduling the same run insert it once.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::types::Json;

use crate::{Backend, Cx, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: Json<serde_json::Value>,
    pub unique_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub status: String,
}

const COLUMNS: &str = "id, kind, payload, unique_key, run_at, attempts, last_error, status";

/// Queues a job; with a `unique_key` already present nothing happens and `None` is returned.
pub async fn enqueue(
    cx: &mut Cx,
    kind: &str,
    payload: &serde_json::Value,
    run_at: DateTime<Utc>,
    unique_key: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, unique_key, run_at, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (unique_key) DO NOTHING RETURNING id"
    ).bind(kind).bind(Json(payload)).bind(unique_key).bind(run_at).bind(now).fetch_optional(c).await
    })?)
}

/// Claims the next due job for `lease`.
pub async fn claim(
    cx: &mut Cx,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> StoreResult<Option<Job>> {
    let lock = if cx.backend() == Backend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE jobs SET locked_until = $2, locked_by = $3, attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                     ORDER BY run_at, id LIMIT 1 {lock})
         RETURNING {COLUMNS}"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(now)
    .bind(now + lease)
    .bind(worker)
    .fetch_optional(c)
    .await)?)
}

pub async fn complete(cx: &mut Cx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query("UPDATE jobs SET status = 'done', finished_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id).bind(now).execute(c).await
    })?;
    Ok(())
}

/// Records a failure: retried at `retry_at`, or dead (`None`) after the last attempt.
pub async fn fail(
    cx: &mut Cx,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    match retry_at {
        Some(t) => exec!(cx, |c| sqlx::query(
            "UPDATE jobs SET run_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1"
        )
        .bind(id)
        .bind(t)
        .bind(error)
        .execute(c)
        .await)?,
        None => exec!(cx, |c| {
            sqlx::query("UPDATE jobs SET status = 'dead', finished_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
            .bind(id).bind(now).bind(error).execute(c).await
        })?,
    };
    Ok(())
}

pub async fn list(cx: &mut Cx, status: Option<&str>, limit: i64) -> StoreResult<Vec<Job>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR status = $1) ORDER BY run_at DESC, id DESC LIMIT $2"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(status)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// Forgets finished jobs older than `before` (their unique keys are no longer needed).
pub async fn purge_finished(cx: &mut Cx, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM jobs WHERE status IN ('done','dead') AND finished_at < $1"
    )
    .bind(before)
    .execute(c)
    .await)?)
}
