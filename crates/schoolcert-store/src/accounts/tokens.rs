//! API tokens (stored as hashes, revocable) and one-time setup links.

use chrono::{DateTime, Utc};
use schoolcert_domain::UserId;
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters, so a person can tell tokens apart.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    cx: &mut Cx,
    user: UserId,
    name: &str,
    token_hash: &str,
    hint: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, hint, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    ).bind(user.0).bind(name).bind(token_hash).bind(hint).bind(now).fetch_one(c).await
    })?)
}

/// The user behind a live (not revoked) token.
pub async fn user_of(cx: &mut Cx, token_hash: &str) -> StoreResult<Option<(i64, i64)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await)?)
}

pub async fn touch(cx: &mut Cx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn of_user(cx: &mut Cx, user: UserId) -> StoreResult<Vec<ApiToken>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, user_id, name, hint, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
    ).bind(user.0).fetch_all(c).await
    })?)
}

/// Revokes a token of this user; false if it is not theirs or already revoked.
pub async fn revoke(cx: &mut Cx, user: UserId, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec!(cx, |c| {
        sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
        .bind(id).bind(user.0).bind(now).execute(c).await
    })?;
    Ok(n == 1)
}

pub async fn revoke_all(cx: &mut Cx, user: UserId, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"
    )
    .bind(user.0)
    .bind(now)
    .execute(c)
    .await)?)
}

/// A one-time link: first-administrator setup or password reset.
pub async fn insert_setup(
    cx: &mut Cx,
    token_hash: &str,
    purpose: &str,
    user: Option<UserId>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query("INSERT INTO setup_tokens (token_hash, purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash).bind(purpose).bind(user.map(|u| u.0)).bind(now).bind(expires_at).execute(c).await
    })?;
    Ok(())
}

/// Uses a one-time link: returns its user (if any) once; a used or expired link returns `None`.
pub async fn use_setup(
    cx: &mut Cx,
    token_hash: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Option<i64>>> {
    let row: Option<(Option<i64>,)> = on!(cx, |c| {
        sqlx::query_as(
        "UPDATE setup_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id"
    ).bind(token_hash).bind(purpose).bind(now).fetch_optional(c).await
    })?;
    Ok(row.map(|(u,)| u))
}

/// Whether a one-time link is still usable, without using it.
pub async fn setup_valid(
    cx: &mut Cx,
    token_hash: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n: i64 = on!(cx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3")
        .bind(token_hash).bind(purpose).bind(now).fetch_one(c).await
    })?;
    Ok(n > 0)
}
