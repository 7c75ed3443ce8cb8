//! Sector advisories (the analyst's interpretation, as JSON plus list columns; the CSAF
//! document once published) and the notices sent per board with its remediation state.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AdvisoryRow {
    pub id: i64,
    pub tracking_id: String,
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub automatic: bool,
    /// The pure crate's `SectorAdvisory` as JSON.
    pub data: String,
    pub csaf: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, tracking_id, status, tlp, title, automatic, data, csaf, published_at, created_at, updated_at";

pub async fn insert(
    cx: &mut Cx,
    tracking_id: &str,
    tlp: &str,
    title: &str,
    automatic: bool,
    data: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO vuln_advisories (tracking_id, status, tlp, title, automatic, data, created_at, updated_at)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $6) RETURNING id"
    )
    .bind(tracking_id)
    .bind(tlp)
    .bind(title)
    .bind(automatic)
    .bind(data)
    .bind(now)
    .fetch_one(c)
    .await
    })?)
}

/// Saves the edited advisory (draft or published: a published one changes on re-publish).
pub async fn update(
    cx: &mut Cx,
    id: i64,
    tlp: &str,
    title: &str,
    data: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_advisories SET tlp = $2, title = $3, data = $4, updated_at = $5 WHERE id = $1"
    )
    .bind(id)
    .bind(tlp)
    .bind(title)
    .bind(data)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn mark_published(
    cx: &mut Cx,
    id: i64,
    data: &str,
    csaf: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_advisories SET status = 'published', data = $2, csaf = $3, published_at = COALESCE(published_at, $4), updated_at = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(data)
    .bind(csaf)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<AdvisoryRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_advisories WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn by_tracking_id(cx: &mut Cx, tracking_id: &str) -> StoreResult<AdvisoryRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_advisories WHERE tracking_id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(tracking_id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// All advisories (CERT), newest first.
pub async fn all(cx: &mut Cx) -> StoreResult<Vec<AdvisoryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_advisories ORDER BY created_at DESC, id DESC");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

/// Published advisories with one of these TLP codes, newest first (public pages: `clear`).
pub async fn published_with_tlp(cx: &mut Cx, tlps: &[&str]) -> StoreResult<Vec<AdvisoryRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM vuln_advisories WHERE status = 'published' ORDER BY published_at DESC, id DESC"
    );
    let rows: Vec<AdvisoryRow> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .filter(|r| tlps.contains(&r.tlp.as_str()))
        .collect())
}

/// The next free number for `SC-<year>-NNNN`.
pub async fn next_number(cx: &mut Cx, year: i32) -> StoreResult<i64> {
    let prefix = format!("SC-{year}-%");
    let ids: Vec<String> = on!(cx, |c| sqlx::query_scalar(
        "SELECT tracking_id FROM vuln_advisories WHERE tracking_id LIKE $1"
    )
    .bind(&prefix)
    .fetch_all(c)
    .await)?;
    let max = ids
        .iter()
        .filter_map(|t| t.rsplit('-').next().and_then(|n| n.parse::<i64>().ok()))
        .max()
        .unwrap_or(0);
    Ok(max + 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub advisory_id: i64,
    pub tracking_id: String,
    pub title: String,
    pub tlp: String,
    pub board_id: i64,
    pub board_name: String,
    pub version: String,
    pub fingerprint: String,
    /// JSON: the board's own products and versions as told.
    pub products: String,
    pub outbox_id: Option<i64>,
    pub state: String,
    pub sent_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const NOTICE_SELECT: &str = "SELECT n.id, n.advisory_id, a.tracking_id, a.title, a.tlp, n.board_id, b.name AS board_name, n.version, n.fingerprint,
    n.products, n.outbox_id, n.state, n.sent_at, n.updated_at
    FROM vuln_notices n JOIN vuln_advisories a ON a.id = n.advisory_id JOIN boards b ON b.id = n.board_id";

/// Notices of one advisory (CERT: every board; a board: its own).
pub async fn notices_of(
    cx: &mut Cx,
    scope: Scope,
    advisory_id: i64,
) -> StoreResult<Vec<NoticeRow>> {
    let sql = format!(
        "{NOTICE_SELECT} WHERE n.advisory_id = $1 AND ($2 IS NULL OR n.board_id = $2) ORDER BY b.name, n.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(advisory_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

/// A board's notices, newest first.
pub async fn notices_of_board(
    cx: &mut Cx,
    scope: Scope,
    board: BoardId,
) -> StoreResult<Vec<NoticeRow>> {
    let sql = format!(
        "{NOTICE_SELECT} WHERE n.board_id = $1 AND ($2 IS NULL OR n.board_id = $2) ORDER BY n.sent_at DESC, n.id DESC"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(board.0)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

pub async fn notice(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<NoticeRow> {
    let sql = format!("{NOTICE_SELECT} WHERE n.id = $1 AND ($2 IS NULL OR n.board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Records a (re)sent notice: inserts or replaces what the board was told; a re-sent notice
/// goes back to `notified`.
#[allow(clippy::too_many_arguments)]
pub async fn record_notice(
    cx: &mut Cx,
    advisory_id: i64,
    board: BoardId,
    version: &str,
    fingerprint: &str,
    products: &str,
    outbox_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_notices SET version = $3, fingerprint = $4, products = $5, outbox_id = $6, state = 'notified', sent_at = $7, updated_at = $7
         WHERE advisory_id = $1 AND board_id = $2"
    )
    .bind(advisory_id)
    .bind(board.0)
    .bind(version)
    .bind(fingerprint)
    .bind(products)
    .bind(outbox_id)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        exec!(cx, |c| {
            sqlx::query(
            "INSERT INTO vuln_notices (advisory_id, board_id, version, fingerprint, products, outbox_id, state, sent_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'notified', $7, $7)"
        )
        .bind(advisory_id)
        .bind(board.0)
        .bind(version)
        .bind(fingerprint)
        .bind(products)
        .bind(outbox_id)
        .bind(now)
        .execute(c)
        .await
        })?;
    }
    Ok(())
}

/// Moves a notice to a new remediation state (the caller checked the transition).
pub async fn set_notice_state(
    cx: &mut Cx,
    scope: Scope,
    id: i64,
    state: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_notices SET state = $3, updated_at = $4 WHERE id = $1 AND ($2 IS NULL OR board_id = $2)"
    )
    .bind(id)
    .bind(scope.board_filter())
    .bind(state)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Sets the state of the board's matches that came with an advisory.
pub async fn set_match_states_for_notice(
    cx: &mut Cx,
    advisory_id: i64,
    board: BoardId,
    state: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_matches SET state = $3, updated_at = $4 WHERE advisory_id = $1 AND board_id = $2 AND state <> 'new'"
    )
    .bind(advisory_id)
    .bind(board.0)
    .bind(state)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}
