//! A board's case settings: whether it is a NIS2 entity or under the sector duty (which legal
//! clocks apply) and the domains its security.txt is for. Proof-of-work replay protection.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BoardCaseSettings {
    pub nis2_entity: bool,
    pub sector_duty: bool,
    /// One domain per line.
    pub securitytxt_domains: String,
}

/// The settings of a board (defaults when none are stored), if the scope includes it.
pub async fn get(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<BoardCaseSettings> {
    if scope.board_filter().is_some_and(|b| b != board.0) {
        return Err(crate::StoreError::NotFound);
    }
    let row: Option<BoardCaseSettings> = on!(cx, |c| {
        sqlx::query_as(
        "SELECT nis2_entity, sector_duty, securitytxt_domains FROM board_case_settings WHERE board_id = $1"
    )
    .bind(board.0)
    .fetch_optional(c)
    .await
    })?;
    Ok(row.unwrap_or_default())
}

pub async fn put(
    cx: &mut Cx,
    board: BoardId,
    s: &BoardCaseSettings,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO board_case_settings (board_id, nis2_entity, sector_duty, securitytxt_domains, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (board_id) DO UPDATE SET nis2_entity = $2, sector_duty = $3, securitytxt_domains = $4, updated_at = $5"
    )
    .bind(board.0).bind(s.nis2_entity).bind(s.sector_duty).bind(&s.securitytxt_domains).bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// Spends a proof-of-work nonce; false when it was spent before (a replayed solution).
pub async fn spend_pow(cx: &mut Cx, nonce: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec!(cx, |c| sqlx::query(
        "INSERT INTO cvd_pow_used (nonce, used_at) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    )
    .bind(nonce)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

pub async fn purge_pow(cx: &mut Cx, older_than: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM cvd_pow_used WHERE used_at < $1"
    )
    .bind(older_than)
    .execute(c)
    .await)?)
}
