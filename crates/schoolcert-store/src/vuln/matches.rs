//! Matches per board × product × vulnerability with their state
//! (`new → notified → not_remediated | in_progress | done | not_applicable`), how they matched,
//! and their priority. Every read that returns matches is scoped.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MatchRow {
    pub id: i64,
    pub board_id: i64,
    pub board_name: String,
    pub product_id: i64,
    pub product_slug: String,
    pub product_name: String,
    pub vuln_key: String,
    pub cve_id: Option<String>,
    pub state: String,
    pub method: String,
    pub relation: String,
    pub level: String,
    /// JSON: affected and fixed versions, remediations, sources.
    pub detail: String,
    pub fingerprint: String,
    pub priority: String,
    pub prio_rank: i64,
    pub reasons: String,
    pub withdrawn: bool,
    pub advisory_id: Option<i64>,
    pub notified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields matching computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchFields {
    pub board_id: BoardId,
    pub product_id: i64,
    pub vuln_key: String,
    pub cve_id: Option<String>,
    pub method: String,
    pub relation: String,
    pub level: String,
    pub detail: String,
    pub fingerprint: String,
    pub priority: String,
    pub prio_rank: i64,
    pub reasons: String,
}

const SELECT: &str = "SELECT m.id, m.board_id, b.name AS board_name, m.product_id, p.slug AS product_slug, p.name AS product_name,
    m.vuln_key, m.cve_id, m.state, m.method, m.relation, m.level, m.detail, m.fingerprint, m.priority, m.prio_rank, m.reasons,
    m.withdrawn, m.advisory_id, m.notified_at, m.created_at, m.updated_at
    FROM vuln_matches m JOIN boards b ON b.id = m.board_id JOIN vuln_products p ON p.id = m.product_id";

pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<MatchRow> {
    let sql = format!("{SELECT} WHERE m.id = $1 AND ($2 IS NULL OR m.board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Stored matches for these vulnerabilities (all boards in scope), withdrawn ones included.
pub async fn for_vulns(
    cx: &mut Cx,
    scope: Scope,
    vuln_keys: &[String],
) -> StoreResult<Vec<MatchRow>> {
    let sql =
        format!("{SELECT} WHERE m.vuln_key = $1 AND ($2 IS NULL OR m.board_id = $2) ORDER BY m.id");
    let mut out = Vec::new();
    for k in vuln_keys {
        let rows: Vec<MatchRow> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(k)
            .bind(scope.board_filter())
            .fetch_all(c)
            .await)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Every stored match in scope, optionally only one board's.
pub async fn all(cx: &mut Cx, scope: Scope, board: Option<BoardId>) -> StoreResult<Vec<MatchRow>> {
    let sql = format!(
        "{SELECT} WHERE ($1 IS NULL OR m.board_id = $1) AND ($2 IS NULL OR m.board_id = $2) ORDER BY m.prio_rank DESC, m.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(board.map(|b| b.0))
    .fetch_all(c)
    .await)?)
}

pub async fn insert(cx: &mut Cx, f: &MatchFields, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO vuln_matches (board_id, product_id, vuln_key, cve_id, state, method, relation, level, detail, fingerprint, priority, prio_rank, reasons, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id"
    )
    .bind(f.board_id.0)
    .bind(f.product_id)
    .bind(&f.vuln_key)
    .bind(&f.cve_id)
    .bind(&f.method)
    .bind(&f.relation)
    .bind(&f.level)
    .bind(&f.detail)
    .bind(&f.fingerprint)
    .bind(&f.priority)
    .bind(f.prio_rank)
    .bind(&f.reasons)
    .bind(now)
    .fetch_one(c)
    .await
    })?)
}

/// Rewrites the computed fields; `reopen` puts the match back to `new` (a revision changed
/// what the board must do), otherwise the state stays.
pub async fn update_facts(
    cx: &mut Cx,
    id: i64,
    f: &MatchFields,
    reopen: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_matches SET method = $2, relation = $3, level = $4, detail = $5, fingerprint = $6, priority = $7, prio_rank = $8, reasons = $9,
         withdrawn = FALSE, state = CASE WHEN $10 THEN 'new' ELSE state END, updated_at = $11 WHERE id = $1"
    )
    .bind(id)
    .bind(&f.method)
    .bind(&f.relation)
    .bind(&f.level)
    .bind(&f.detail)
    .bind(&f.fingerprint)
    .bind(&f.priority)
    .bind(f.prio_rank)
    .bind(&f.reasons)
    .bind(reopen)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn set_priority(
    cx: &mut Cx,
    id: i64,
    priority: &str,
    rank: i64,
    reasons: &str,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE vuln_matches SET priority = $2, prio_rank = $3, reasons = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(priority)
    .bind(rank)
    .bind(reasons)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn withdraw(cx: &mut Cx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE vuln_matches SET withdrawn = TRUE, updated_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

/// Sets the state of a match in scope (the caller checked the transition).
pub async fn set_state(
    cx: &mut Cx,
    scope: Scope,
    id: i64,
    state: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_matches SET state = $3, updated_at = $4 WHERE id = $1 AND ($2 IS NULL OR board_id = $2)"
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

/// Marks a match as sent with an advisory.
pub async fn mark_notified(
    cx: &mut Cx,
    id: i64,
    advisory_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_matches SET state = CASE WHEN state = 'new' THEN 'notified' ELSE state END, advisory_id = $2, notified_at = $3, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(advisory_id)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// One line of the analyst's work queue: a vulnerability with open new matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct QueueItem {
    pub vuln_key: String,
    pub cve_id: Option<String>,
    pub best_rank: i64,
    pub boards: i64,
    pub products: i64,
    pub matches: i64,
}

/// New (not yet notified, not withdrawn, affected or to check) matches grouped by vulnerability,
/// ranked by the best
/// priority and then the number of boards affected.
pub async fn work_queue(cx: &mut Cx, limit: i64) -> StoreResult<Vec<QueueItem>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT vuln_key, MAX(cve_id) AS cve_id, MAX(prio_rank) AS best_rank, COUNT(DISTINCT board_id) AS boards,
         COUNT(DISTINCT product_id) AS products, COUNT(*) AS matches
         FROM vuln_matches WHERE state = 'new' AND withdrawn = FALSE AND relation IN ('affected', 'version_not_stated')
         GROUP BY vuln_key ORDER BY best_rank DESC, boards DESC, vuln_key LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}
