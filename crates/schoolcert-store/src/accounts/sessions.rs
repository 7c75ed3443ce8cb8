//! Server-side sessions: the cookie carries a random id, the database keeps only its hash, the
//! user, the CSRF token, whether the second factor was given, and the expiry.

use chrono::{DateTime, Utc};
use schoolcert_domain::UserId;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub second_factor_done: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(cx: &mut Cx, s: &Session) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, second_factor_done, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ).bind(&s.id_hash).bind(s.user_id).bind(&s.csrf_token).bind(s.second_factor_done).bind(s.created_at).bind(s.last_seen_at).bind(s.expires_at)
    .execute(c).await
    })?;
    Ok(())
}

/// A live session (not expired at `now`).
pub async fn get(cx: &mut Cx, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id_hash, user_id, csrf_token, second_factor_done, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2"
    ).bind(id_hash).bind(now).fetch_optional(c).await
    })?)
}

/// Slides the idle expiry forward, never past the absolute limit the caller computed.
pub async fn touch(
    cx: &mut Cx,
    id_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1"
    )
    .bind(id_hash)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn mark_second_factor(cx: &mut Cx, id_hash: &str) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE sessions SET second_factor_done = TRUE WHERE id_hash = $1"
    )
    .bind(id_hash)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn delete(cx: &mut Cx, id_hash: &str) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "DELETE FROM sessions WHERE id_hash = $1"
    )
    .bind(id_hash)
    .execute(c)
    .await)?;
    Ok(())
}

/// "Log out everywhere", and what disabling a user or changing a password does.
pub async fn delete_for_user(cx: &mut Cx, user: UserId, except: Option<&str>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)"
    )
    .bind(user.0)
    .bind(except)
    .execute(c)
    .await)?)
}

pub async fn purge_expired(cx: &mut Cx, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1"
    )
    .bind(now)
    .execute(c)
    .await)?)
}
