//! Login throttling kept in the database, so it holds across restarts and across instances.

use chrono::{DateTime, Duration, Utc};

use crate::{Cx, StoreResult, exec, on};

/// Failures allowed within the window before the key is locked.
pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_MINUTES: i64 = 15;

/// When `key` (an account or a client address) is locked, until when.
pub async fn locked_until(
    cx: &mut Cx,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let row: Option<(Option<DateTime<Utc>>,)> = on!(cx, |c| sqlx::query_as(
        "SELECT locked_until FROM login_throttle WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(c)
    .await)?;
    Ok(row.and_then(|(u,)| u).filter(|u| *u > now))
}

/// Counts a failure; the fifth within the window locks the key, longer each time it repeats.
pub async fn record_failure(
    cx: &mut Cx,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let row: Option<(i64, DateTime<Utc>)> = on!(cx, |c| sqlx::query_as(
        "SELECT failures, window_start FROM login_throttle WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(c)
    .await)?;
    let (failures, start) = match row {
        Some((f, s)) if now - s < Duration::minutes(WINDOW_MINUTES * 4) => (f + 1, s),
        _ => (1, now),
    };
    let lock = (failures >= MAX_FAILURES).then(|| {
        let rounds = (failures - MAX_FAILURES).min(6) as u32;
        now + Duration::minutes(WINDOW_MINUTES * 2i64.pow(rounds))
    });
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until"
    ).bind(key).bind(failures).bind(start).bind(lock).execute(c).await
    })?;
    Ok(lock)
}

pub async fn clear(cx: &mut Cx, key: &str) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "DELETE FROM login_throttle WHERE key = $1"
    )
    .bind(key)
    .execute(c)
    .await)?;
    Ok(())
}
