//! User accounts: CERT staff and board contacts.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::{Role, Scope};
use schoolcert_domain::{BoardId, Lang, UserId};
use serde::Serialize;

use crate::registry::parse_col;
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub board_id: Option<BoardId>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    #[serde(skip)]
    pub totp_last_step: Option<i64>,
    pub lang: Lang,
    pub disabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    email: String,
    name: String,
    role: String,
    board_id: Option<i64>,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_enabled_at: Option<DateTime<Utc>>,
    totp_last_step: Option<i64>,
    lang: String,
    disabled_at: Option<DateTime<Utc>>,
    last_login_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<Row> for User {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<User> {
        Ok(User {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            role: parse_col(&r.role, "users.role")?,
            board_id: r.board_id.map(BoardId),
            password_hash: r.password_hash,
            totp_secret: r.totp_secret,
            totp_enabled: r.totp_enabled_at.is_some(),
            totp_last_step: r.totp_last_step,
            lang: Lang::parse(&r.lang).unwrap_or_default(),
            disabled: r.disabled_at.is_some(),
            last_login_at: r.last_login_at,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT id, email, name, role, board_id, password_hash, totp_secret, totp_enabled_at, totp_last_step, lang, disabled_at, last_login_at, created_at FROM users";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub board_id: Option<BoardId>,
    pub password_hash: Option<&'a str>,
    pub lang: Lang,
}

pub async fn insert(cx: &mut Cx, u: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<UserId> {
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO users (email, email_key, name, role, board_id, password_hash, lang, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id"
    ).bind(u.email).bind(u.email.to_lowercase()).bind(u.name).bind(u.role.code()).bind(u.board_id.map(|b| b.0))
    .bind(u.password_hash).bind(u.lang.code()).bind(now).fetch_one(c).await
    })?;
    Ok(UserId(id))
}

pub async fn get(cx: &mut Cx, id: UserId) -> StoreResult<User> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Row = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.0)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    row.try_into()
}

pub async fn by_email(cx: &mut Cx, email: &str) -> StoreResult<Option<User>> {
    let sql = format!("{SELECT} WHERE email_key = $1");
    let row: Option<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(email.trim().to_lowercase())
        .fetch_optional(c)
        .await)?;
    row.map(User::try_from).transpose()
}

/// Users visible in a scope: CERT staff see everyone, a board contact their board's users.
pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    board: Option<BoardId>,
    page: PageRequest,
) -> StoreResult<Page<User>> {
    let total: i64 = on!(cx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE ($1 IS NULL OR board_id = $1) AND ($2 IS NULL OR board_id = $2)")
        .bind(scope.board_filter()).bind(board.map(|b| b.0)).fetch_one(c).await
    })?;
    let sql = format!(
        "{SELECT} WHERE ($1 IS NULL OR board_id = $1) AND ($2 IS NULL OR board_id = $2) ORDER BY role, email LIMIT $3 OFFSET $4"
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(board.map(|b| b.0))
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(c)
        .await)?;
    let items = rows
        .into_iter()
        .map(User::try_from)
        .collect::<StoreResult<_>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub async fn count(cx: &mut Cx) -> StoreResult<i64> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users"
    )
    .fetch_one(c)
    .await)?)
}

pub async fn count_admins(cx: &mut Cx) -> StoreResult<i64> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'cert_admin' AND disabled_at IS NULL"
    )
    .fetch_one(c)
    .await)?)
}

pub async fn set_password(
    cx: &mut Cx,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id.0)
    .bind(hash)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

/// Stores a TOTP secret awaiting confirmation (enabled = false) or confirmed (enabled = true).
pub async fn set_totp(
    cx: &mut Cx,
    id: UserId,
    secret: Option<&str>,
    enabled: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let enabled_at = enabled.then_some(now);
    exec!(cx, |c| {
        // A new, unconfirmed secret forgets the last used time step; confirming keeps it, so
        // the code that confirmed the secret cannot be used again to log in.
        sqlx::query("UPDATE users SET totp_secret = $2, totp_enabled_at = $3, totp_last_step = CASE WHEN $3 IS NULL THEN NULL ELSE totp_last_step END, updated_at = $4 WHERE id = $1")

        .bind(id.0).bind(secret).bind(enabled_at).bind(now).execute(c).await
    })?;
    Ok(())
}

/// Records the TOTP time step just used, only if it is newer than the last; false means replay.
pub async fn use_totp_step(cx: &mut Cx, id: UserId, step: i64) -> StoreResult<bool> {
    let n = exec!(cx, |c| {
        sqlx::query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)")
        .bind(id.0).bind(step).execute(c).await
    })?;
    Ok(n == 1)
}

pub async fn set_lang(cx: &mut Cx, id: UserId, lang: Lang) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE users SET lang = $2 WHERE id = $1"
    )
    .bind(id.0)
    .bind(lang.code())
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn set_disabled(
    cx: &mut Cx,
    id: UserId,
    disabled: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let at = disabled.then_some(now);
    exec!(cx, |c| sqlx::query(
        "UPDATE users SET disabled_at = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id.0)
    .bind(at)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn touch_login(cx: &mut Cx, id: UserId, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE users SET last_login_at = $2 WHERE id = $1"
    )
    .bind(id.0)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}
