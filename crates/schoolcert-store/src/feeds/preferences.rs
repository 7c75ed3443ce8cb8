//! A board's notice preferences, stored as the JSON of the pure crate's `Preferences` (the
//! store keeps it opaque; the application checks the rules before writing).

use chrono::{DateTime, Utc};
use schoolcert_domain::{BoardId, UserId};

use crate::{Cx, StoreResult, exec, on};

pub async fn get(cx: &mut Cx, board: BoardId) -> StoreResult<Option<String>> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT prefs FROM feed_preferences WHERE board_id = $1"
    )
    .bind(board.0)
    .fetch_optional(c)
    .await)?)
}

pub async fn set(
    cx: &mut Cx,
    board: BoardId,
    prefs_json: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
            "INSERT INTO feed_preferences (board_id, prefs, updated_by, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (board_id) DO UPDATE SET prefs = excluded.prefs, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(board.0).bind(prefs_json).bind(by.map(|u| u.0)).bind(now)
        .execute(c).await
    })?;
    Ok(())
}
