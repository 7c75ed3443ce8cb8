//! The general terms of use: versioned texts and each board's acceptance of a version.

use chrono::{DateTime, Utc};
use schoolcert_domain::{BoardId, UserId};
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TermsVersion {
    pub id: i64,
    pub version: String,
    pub body_nl: String,
    pub body_en: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Acceptance {
    pub version: String,
    pub user_id: i64,
    pub user_email: Option<String>,
    pub accepted_at: DateTime<Utc>,
}

pub async fn current(cx: &mut Cx) -> StoreResult<Option<TermsVersion>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, version, body_nl, body_en, published_at FROM terms_versions ORDER BY published_at DESC, id DESC LIMIT 1"
    ).fetch_optional(c).await
    })?)
}

pub async fn all(cx: &mut Cx) -> StoreResult<Vec<TermsVersion>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, version, body_nl, body_en, published_at FROM terms_versions ORDER BY published_at DESC, id DESC"
    ).fetch_all(c).await
    })?)
}

pub async fn publish(
    cx: &mut Cx,
    version: &str,
    body_nl: &str,
    body_en: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO terms_versions (version, body_nl, body_en, published_at, published_by) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    ).bind(version).bind(body_nl).bind(body_en).bind(now).bind(by.map(|u| u.0)).fetch_one(c).await
    })?)
}

pub async fn accept(
    cx: &mut Cx,
    board: BoardId,
    terms_version_id: i64,
    user: UserId,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO terms_acceptances (board_id, terms_version_id, user_id, accepted_at) VALUES ($1, $2, $3, $4)"
    ).bind(board.0).bind(terms_version_id).bind(user.0).bind(now).execute(c).await
    })?;
    Ok(())
}

/// The board's acceptances, newest first (who, when, which version).
pub async fn acceptances(cx: &mut Cx, board: BoardId) -> StoreResult<Vec<Acceptance>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT t.version, a.user_id, u.email AS user_email, a.accepted_at FROM terms_acceptances a
         JOIN terms_versions t ON t.id = a.terms_version_id LEFT JOIN users u ON u.id = a.user_id
         WHERE a.board_id = $1 ORDER BY a.accepted_at DESC, a.id DESC"
    )
    .bind(board.0)
    .fetch_all(c)
    .await)?)
}

/// Whether the board accepted the given (normally the current) version.
pub async fn has_accepted(cx: &mut Cx, board: BoardId, terms_version_id: i64) -> StoreResult<bool> {
    let n: i64 = on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM terms_acceptances WHERE board_id = $1 AND terms_version_id = $2"
    )
    .bind(board.0)
    .bind(terms_version_id)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}
