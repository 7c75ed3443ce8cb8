//! Joining applications: created from the public page, confirmed by e-mail, reviewed by the CERT.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::application::ApplicationState;
use schoolcert_domain::{BoardId, UserId};
use serde::Serialize;

use super::parse_col;
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub board_id: BoardId,
    pub board_name: String,
    pub duo_number: String,
    pub applicant_name: String,
    pub applicant_email: String,
    pub user_id: Option<UserId>,
    pub state: ApplicationState,
    pub confirm_expires_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    board_id: i64,
    board_name: String,
    duo_number: String,
    applicant_name: String,
    applicant_email: String,
    user_id: Option<i64>,
    state: String,
    confirm_expires_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
    return_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Application {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Application> {
        Ok(Application {
            id: r.id,
            board_id: BoardId(r.board_id),
            board_name: r.board_name,
            duo_number: r.duo_number,
            applicant_name: r.applicant_name,
            applicant_email: r.applicant_email,
            user_id: r.user_id.map(UserId),
            state: parse_col(&r.state, "applications.state")?,
            confirm_expires_at: r.confirm_expires_at,
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            return_reason: r.return_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT a.id, a.board_id, b.name AS board_name, b.duo_number, a.applicant_name, a.applicant_email, a.user_id, a.state,
    a.confirm_expires_at, a.submitted_at, a.decided_at, a.return_reason, a.created_at, a.updated_at
    FROM applications a JOIN boards b ON b.id = a.board_id";

pub struct NewApplication<'a> {
    pub board_id: BoardId,
    pub applicant_name: &'a str,
    pub applicant_email: &'a str,
    pub confirm_token_hash: &'a str,
    pub confirm_expires_at: DateTime<Utc>,
}

pub async fn insert(cx: &mut Cx, a: &NewApplication<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO applications (board_id, applicant_name, applicant_email, state, confirm_token_hash, confirm_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'unconfirmed', $4, $5, $6, $6) RETURNING id"
    ).bind(a.board_id.0).bind(a.applicant_name).bind(a.applicant_email).bind(a.confirm_token_hash)
    .bind(a.confirm_expires_at).bind(now).fetch_one(c).await
    })?)
}

pub async fn by_confirm_token(cx: &mut Cx, token_hash: &str) -> StoreResult<Option<Application>> {
    let sql = format!("{SELECT} WHERE a.confirm_token_hash = $1");
    let row: Option<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
    row.map(Application::try_from).transpose()
}

pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<Application> {
    let sql = format!("{SELECT} WHERE a.id = $1 AND ($2 IS NULL OR a.board_id = $2)");
    let row: Row = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    row.try_into()
}

/// The open application of a board, if any (there is at most one past confirmation).
pub async fn open_of_board(cx: &mut Cx, board: BoardId) -> StoreResult<Option<Application>> {
    let sql = format!(
        "{SELECT} WHERE a.board_id = $1 AND a.state IN ('draft','submitted','returned') ORDER BY a.id DESC LIMIT 1"
    );
    let row: Option<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(board.0)
        .fetch_optional(c)
        .await)?;
    row.map(Application::try_from).transpose()
}

/// The latest application of a board in any state.
pub async fn latest_of_board(
    cx: &mut Cx,
    scope: Scope,
    board: BoardId,
) -> StoreResult<Option<Application>> {
    let sql = format!(
        "{SELECT} WHERE a.board_id = $1 AND ($2 IS NULL OR a.board_id = $2) AND a.state <> 'unconfirmed' ORDER BY a.id DESC LIMIT 1"
    );
    let row: Option<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(board.0)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?;
    row.map(Application::try_from).transpose()
}

pub async fn list(
    cx: &mut Cx,
    state: Option<ApplicationState>,
    page: PageRequest,
) -> StoreResult<Page<Application>> {
    let st = state.map(|s| s.code());
    let total: i64 = on!(cx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE ($1 IS NULL OR state = $1) AND state <> 'unconfirmed'")
        .bind(st).fetch_one(c).await
    })?;
    let sql = format!(
        "{SELECT} WHERE ($1 IS NULL OR a.state = $1) AND a.state <> 'unconfirmed' ORDER BY COALESCE(a.submitted_at, a.created_at) DESC, a.id DESC LIMIT $2 OFFSET $3"
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(st)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(c)
        .await)?;
    let items = rows
        .into_iter()
        .map(Application::try_from)
        .collect::<StoreResult<_>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Moves an application to `to`; the caller checked `can_become`. Confirmation clears the token.
pub async fn set_state(
    cx: &mut Cx,
    id: i64,
    to: ApplicationState,
    by: Option<UserId>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let submitted = (to == ApplicationState::Submitted).then_some(now);
    let decided =
        matches!(to, ApplicationState::Approved | ApplicationState::Returned).then_some(now);
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE applications SET state = $2, submitted_at = COALESCE($3, submitted_at), decided_at = COALESCE($4, decided_at),
         decided_by = COALESCE($5, decided_by), return_reason = CASE WHEN $2 = 'returned' THEN $6 ELSE return_reason END,
         confirm_token_hash = CASE WHEN $2 = 'unconfirmed' THEN confirm_token_hash ELSE NULL END, updated_at = $7 WHERE id = $1"
    ).bind(id).bind(to.code()).bind(submitted).bind(decided).bind(by.map(|u| u.0)).bind(reason).bind(now).execute(c).await
    })?;
    Ok(())
}

pub async fn set_user(cx: &mut Cx, id: i64, user: UserId) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE applications SET user_id = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(user.0)
    .execute(c)
    .await)?;
    Ok(())
}

/// Unconfirmed applications past their link's expiry are withdrawn, freeing the board.
pub async fn expire_unconfirmed(cx: &mut Cx, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| {
        sqlx::query(
        "UPDATE applications SET state = 'withdrawn', confirm_token_hash = NULL, updated_at = $1 WHERE state = 'unconfirmed' AND confirm_expires_at < $1"
    ).bind(now).execute(c).await
    })?)
}
