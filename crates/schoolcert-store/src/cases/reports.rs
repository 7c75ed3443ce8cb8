//! Reports (meldingen) as they arrive, before and after they are linked to a case.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub reporter: String,
    pub reporter_user_id: Option<i64>,
    pub board_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub tlp: String,
    pub state: String,
    pub case_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

pub struct NewReport<'a> {
    pub channel: &'a str,
    pub reporter: &'a str,
    pub reporter_user_id: Option<i64>,
    pub board_id: Option<BoardId>,
    pub subject: &'a str,
    pub body: &'a str,
    pub tlp: &'a str,
}

const COLUMNS: &str = "id, channel, received_at, reporter, reporter_user_id, board_id, subject, body, tlp, state, case_id, duplicate_of, reason, decided_at, decided_by";

pub async fn insert(cx: &mut Cx, r: &NewReport<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_reports (channel, received_at, reporter, reporter_user_id, board_id, subject, body, tlp, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new') RETURNING id"
    )
    .bind(r.channel).bind(now).bind(r.reporter).bind(r.reporter_user_id).bind(r.board_id.map(|b| b.0)).bind(r.subject).bind(r.body).bind(r.tlp)
    .fetch_one(c)
    .await
    })?)
}

/// One report; a board sees only its own board's reports.
pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<ReportRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM case_reports WHERE id = $1 AND ($2 IS NULL OR board_id = $2)"
    );
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Reports in a state (the CERT's queue: `new`), newest first.
pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    state: Option<&str>,
    case_id: Option<i64>,
) -> StoreResult<Vec<ReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM case_reports WHERE ($1 IS NULL OR board_id = $1) AND ($2 IS NULL OR state = $2) AND ($3 IS NULL OR case_id = $3)
         ORDER BY received_at DESC, id DESC LIMIT 500"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(state)
    .bind(case_id)
    .fetch_all(c)
    .await)?)
}

/// Writes a decision (linked, rejected, duplicate, or back to new).
pub async fn decide(cx: &mut Cx, r: &ReportRow) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE case_reports SET state = $2, case_id = $3, duplicate_of = $4, reason = $5, decided_at = $6, decided_by = $7 WHERE id = $1"
    )
    .bind(r.id).bind(&r.state).bind(r.case_id).bind(r.duplicate_of).bind(&r.reason).bind(r.decided_at).bind(&r.decided_by)
    .execute(c)
    .await
    })?;
    Ok(())
}
