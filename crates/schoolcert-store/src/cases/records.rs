//! Incident and CVD cases: reference numbers, create, read (scoped), update, link boards,
//! find by reply or status token, list with filters and search, and the rows metrics need.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use super::case_visible;
use crate::registry::contains_pattern;
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

/// A stored case. CVD-only details (reporter, targets, disclosure plan) are in `cvd` as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub kind: String,
    pub reference: String,
    pub state: String,
    pub title: String,
    pub summary: String,
    pub taxonomy: Option<String>,
    pub rsit_type: Option<String>,
    pub severity: Option<i64>,
    pub tlp: String,
    pub personal_data: String,
    pub nis2: bool,
    pub became_aware_at: Option<DateTime<Utc>>,
    pub role: Option<String>,
    pub assignee_user_id: Option<i64>,
    pub outcome: Option<String>,
    pub exercise: bool,
    pub school_ids: String,
    #[serde(skip)]
    pub status_token_hash: Option<String>,
    pub disclosure_deadline: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub cvd: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "c.id, c.kind, c.reference, c.state, c.title, c.summary, c.taxonomy, c.rsit_type, c.severity, c.tlp, c.personal_data, c.nis2, c.became_aware_at, c.role, c.assignee_user_id, c.outcome, c.exercise, c.school_ids, c.status_token_hash, c.disclosure_deadline, c.cvd, c.opened_at, c.first_response_at, c.closed_at, c.updated_at";

/// The next sequence number of a reference (`INC-2026-0042`) for a kind and year.
pub async fn next_seq(cx: &mut Cx, kind: &str, year: i32) -> StoreResult<u32> {
    let seq: i64 = on!(cx, |c| sqlx::query_scalar(
        "INSERT INTO case_counters (kind, year, last_seq) VALUES ($1, $2, 1)
         ON CONFLICT (kind, year) DO UPDATE SET last_seq = case_counters.last_seq + 1
         RETURNING last_seq"
    )
    .bind(kind)
    .bind(year)
    .fetch_one(c)
    .await)?;
    u32::try_from(seq).map_err(|_| StoreError::Corrupt(format!("case counter {seq}")))
}

/// Inserts a case from a complete row (its `id` is ignored) and links its boards.
pub async fn insert(cx: &mut Cx, r: &CaseRow, boards: &[BoardId]) -> StoreResult<i64> {
    let key = search_key(r);
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cases (kind, reference, state, title, summary, search_key, taxonomy, rsit_type, severity, tlp, personal_data, nis2,
           became_aware_at, role, assignee_user_id, outcome, exercise, school_ids, status_token_hash, disclosure_deadline,
           cvd, opened_at, first_response_at, closed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id"
    )
    .bind(&r.kind).bind(&r.reference).bind(&r.state).bind(&r.title).bind(&r.summary).bind(&key).bind(&r.taxonomy).bind(&r.rsit_type)
    .bind(r.severity).bind(&r.tlp).bind(&r.personal_data).bind(r.nis2).bind(r.became_aware_at).bind(&r.role).bind(r.assignee_user_id)
    .bind(&r.outcome).bind(r.exercise).bind(&r.school_ids).bind(&r.status_token_hash).bind(r.disclosure_deadline)
    .bind(&r.cvd).bind(r.opened_at).bind(r.first_response_at).bind(r.closed_at).bind(r.updated_at)
    .fetch_one(c).await
    })?;
    set_boards(cx, id, boards).await?;
    Ok(id)
}

fn search_key(r: &CaseRow) -> String {
    schoolcert_domain::registry::board::search_key(&format!(
        "{} {} {}",
        r.reference, r.title, r.summary
    ))
}

/// Writes every mutable field of a case (the application changed the row it read).
pub async fn update(cx: &mut Cx, r: &CaseRow) -> StoreResult<()> {
    let key = search_key(r);
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE cases SET state = $2, title = $3, summary = $4, search_key = $5, taxonomy = $6, rsit_type = $7, severity = $8, tlp = $9,
           personal_data = $10, nis2 = $11, became_aware_at = $12, role = $13, assignee_user_id = $14, outcome = $15, exercise = $16,
           school_ids = $17, disclosure_deadline = $18, cvd = $19, first_response_at = $20, closed_at = $21, updated_at = $22
         WHERE id = $1"
    )
    .bind(r.id).bind(&r.state).bind(&r.title).bind(&r.summary).bind(&key).bind(&r.taxonomy).bind(&r.rsit_type).bind(r.severity)
    .bind(&r.tlp).bind(&r.personal_data).bind(r.nis2).bind(r.became_aware_at).bind(&r.role).bind(r.assignee_user_id).bind(&r.outcome)
    .bind(r.exercise).bind(&r.school_ids).bind(r.disclosure_deadline).bind(&r.cvd).bind(r.first_response_at).bind(r.closed_at)
    .bind(r.updated_at)
    .execute(c).await
    })?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Replaces the boards of a case.
pub async fn set_boards(cx: &mut Cx, case_id: i64, boards: &[BoardId]) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "DELETE FROM case_boards WHERE case_id = $1"
    )
    .bind(case_id)
    .execute(c)
    .await)?;
    for b in boards {
        exec!(cx, |c| sqlx::query(
            "INSERT INTO case_boards (case_id, board_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        )
        .bind(case_id)
        .bind(b.0)
        .execute(c)
        .await)?;
    }
    Ok(())
}

pub async fn boards_of(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<BoardId>> {
    let rows: Vec<i64> = on!(cx, |c| sqlx::query_scalar(
        "SELECT board_id FROM case_boards WHERE case_id = $1 ORDER BY board_id"
    )
    .bind(case_id)
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().map(BoardId).collect())
}

/// One case, if the scope may see it.
pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<CaseRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cases c WHERE c.id = $1 AND {}",
        case_visible("c", 2)
    );
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// By reference (`INC-2026-0042`), if the scope may see it.
pub async fn get_by_reference(cx: &mut Cx, scope: Scope, reference: &str) -> StoreResult<CaseRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cases c WHERE c.reference = $1 AND {}",
        case_visible("c", 2)
    );
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(reference)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// The case whose reply token hashes to `hash` (e-mail intake, unscoped: the token is the key).
pub async fn by_reply_token(cx: &mut Cx, hash: &str) -> StoreResult<Option<CaseRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cases c JOIN case_reply_tokens t ON t.case_id = c.id WHERE t.token_hash = $1"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(hash)
    .fetch_optional(c)
    .await)?)
}

/// The CVD case whose status token hashes to `hash` (the reporter's link).
pub async fn by_status_token(cx: &mut Cx, hash: &str) -> StoreResult<Option<CaseRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM cases c WHERE c.status_token_hash = $1 AND c.kind = 'cvd'");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(hash)
    .fetch_optional(c)
    .await)?)
}

/// Stores the hash of a new reply token of a case (one per outgoing message).
pub async fn add_reply_token(
    cx: &mut Cx,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "INSERT INTO case_reply_tokens (token_hash, case_id, created_at) VALUES ($1, $2, $3)"
    )
    .bind(hash)
    .bind(id)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

/// A named server secret of the case service, made from `fresh` on first use (so every
/// instance shares it).
pub async fn secret(cx: &mut Cx, name: &str, fresh: &str) -> StoreResult<String> {
    exec!(cx, |c| sqlx::query(
        "INSERT INTO case_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    )
    .bind(name)
    .bind(fresh)
    .execute(c)
    .await)?;
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT value FROM case_secrets WHERE name = $1"
    )
    .bind(name)
    .fetch_one(c)
    .await)?)
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub kind: Option<String>,
    pub state: Option<String>,
    /// Open cases only (not closed, not rejected).
    pub open: bool,
    pub taxonomy: Option<String>,
    pub board_id: Option<BoardId>,
    pub tlp: Option<String>,
    pub exercise: Option<bool>,
    pub assignee_user_id: Option<i64>,
    /// Only cases with a deadline (legal clock or disclosure) before this time.
    pub deadline_before: Option<DateTime<Utc>>,
    /// Words in the reference, title, summary, or a message the scope may see.
    pub q: Option<String>,
}

/// A row of a case list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CaseListItem {
    pub id: i64,
    pub kind: String,
    pub reference: String,
    pub state: String,
    pub title: String,
    pub taxonomy: Option<String>,
    pub severity: Option<i64>,
    pub tlp: String,
    pub exercise: bool,
    pub assignee_user_id: Option<i64>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The earliest open legal deadline or the disclosure deadline.
    pub next_deadline: Option<DateTime<Utc>>,
}

const CLOSED_STATES: &str = "'closed','invalid','duplicate','out_of_scope'";

pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    f: &CaseFilter,
    page: PageRequest,
) -> StoreResult<Page<CaseListItem>> {
    let q =
        f.q.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(contains_pattern);
    let deadline = "(SELECT MIN(o.due_at) FROM case_obligations o WHERE o.case_id = c.id AND o.met_at IS NULL AND o.waived_reason IS NULL)";
    let wh = format!(
        "WHERE {vis} AND ($2 IS NULL OR c.kind = $2) AND ($3 IS NULL OR c.state = $3) AND ($4 = FALSE OR c.state NOT IN ({CLOSED_STATES}))
         AND ($5 IS NULL OR c.taxonomy = $5) AND ($6 IS NULL OR EXISTS (SELECT 1 FROM case_boards fb WHERE fb.case_id = c.id AND fb.board_id = $6))
         AND ($7 IS NULL OR c.tlp = $7) AND ($8 IS NULL OR c.exercise = $8) AND ($9 IS NULL OR c.assignee_user_id = $9)
         AND ($10 IS NULL OR COALESCE({deadline}, c.disclosure_deadline) < $10)
         AND ($11 IS NULL OR c.search_key LIKE $11 ESCAPE '\\' OR EXISTS (SELECT 1 FROM case_messages m WHERE m.case_id = c.id AND m.search_key LIKE $11 ESCAPE '\\' AND ($1 IS NULL OR m.shared_board)))",
        vis = case_visible("c", 1)
    );
    let count_sql = format!("SELECT COUNT(*) FROM cases c {wh}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(&f.kind)
    .bind(&f.state)
    .bind(f.open)
    .bind(&f.taxonomy)
    .bind(f.board_id.map(|b| b.0))
    .bind(&f.tlp)
    .bind(f.exercise)
    .bind(f.assignee_user_id)
    .bind(f.deadline_before)
    .bind(&q)
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT c.id, c.kind, c.reference, c.state, c.title, c.taxonomy, c.severity, c.tlp, c.exercise, c.assignee_user_id, c.opened_at, c.updated_at,
           COALESCE({deadline}, c.disclosure_deadline) AS next_deadline
         FROM cases c {wh} ORDER BY c.opened_at DESC, c.id DESC LIMIT $12 OFFSET $13"
    );
    let items = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(&f.kind)
        .bind(&f.state)
        .bind(f.open)
        .bind(&f.taxonomy)
        .bind(f.board_id.map(|b| b.0))
        .bind(&f.tlp)
        .bind(f.exercise)
        .bind(f.assignee_user_id)
        .bind(f.deadline_before)
        .bind(&q)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(c)
        .await)?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Every case the scope may see with its boards, for metrics and the clock job.
pub async fn all(cx: &mut Cx, scope: Scope) -> StoreResult<Vec<CaseRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cases c WHERE {} ORDER BY c.id",
        case_visible("c", 1)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

/// Open incident cases whose legal clocks run (became-aware set), for the reminder job.
pub async fn with_running_clocks(cx: &mut Cx) -> StoreResult<Vec<CaseRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cases c WHERE c.kind = 'incident' AND c.state <> 'closed' AND c.became_aware_at IS NOT NULL ORDER BY c.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

/// (case id, board id) pairs of every case, for metrics' sector breakdown.
pub async fn all_board_links(cx: &mut Cx) -> StoreResult<Vec<(i64, i64)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT case_id, board_id FROM case_boards ORDER BY case_id, board_id"
    )
    .fetch_all(c)
    .await)?)
}
