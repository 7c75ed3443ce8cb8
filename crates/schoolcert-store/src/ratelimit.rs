//! Fixed-window rate limits kept in the database (shared by every instance): public forms,
//! the CVD intake, API bursts.

use chrono::{DateTime, Duration, Utc};

use crate::{Cx, StoreResult, exec, on};

/// Counts one hit for `key`; returns false when the limit for the current window is exceeded.
pub async fn hit(
    cx: &mut Cx,
    key: &str,
    limit: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let window_start = now - window;
    let row: Option<(i64,)> = on!(cx, |c| {
        sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
         RETURNING hits"
    ).bind(key).bind(now).bind(window_start).fetch_optional(c).await
    })?;
    Ok(row.is_some_and(|(hits,)| hits <= limit))
}

pub async fn purge(cx: &mut Cx, older_than: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM rate_limits WHERE window_start < $1"
    )
    .bind(older_than)
    .execute(c)
    .await)?)
}
