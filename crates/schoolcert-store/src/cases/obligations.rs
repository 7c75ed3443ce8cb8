//! Legal clock rows: one per obligation of a case with its due time and whether (and when) it
//! was met; and the markers of reminders sent, keyed by the due time they were for.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ObligationRow {
    pub id: i64,
    pub case_id: i64,
    pub code: String,
    pub due_at: Option<DateTime<Utc>>,
    pub met_at: Option<DateTime<Utc>>,
    pub reference: Option<String>,
    pub late_reason: Option<String>,
    pub waived_reason: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, case_id, code, due_at, met_at, reference, late_reason, waived_reason, recorded_by, recorded_at";

/// The obligation rows of a case (the case itself was scope-checked by the caller).
pub async fn of_case(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<ObligationRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM case_obligations WHERE case_id = $1 ORDER BY due_at, code");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .fetch_all(c)
    .await)?)
}

/// Creates the row or moves its due time (when "became aware" changes).
pub async fn upsert_due(
    cx: &mut Cx,
    case_id: i64,
    code: &str,
    due_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "INSERT INTO case_obligations (case_id, code, due_at) VALUES ($1, $2, $3)
         ON CONFLICT (case_id, code) DO UPDATE SET due_at = $3"
    )
    .bind(case_id)
    .bind(code)
    .bind(due_at)
    .execute(c)
    .await)?;
    Ok(())
}

/// Records that an obligation was met (or waived).
pub async fn record(cx: &mut Cx, r: &ObligationRow) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO case_obligations (case_id, code, due_at, met_at, reference, late_reason, waived_reason, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (case_id, code) DO UPDATE SET met_at = $4, reference = $5, late_reason = $6, waived_reason = $7, recorded_by = $8, recorded_at = $9"
    )
    .bind(r.case_id).bind(&r.code).bind(r.due_at).bind(r.met_at).bind(&r.reference).bind(&r.late_reason).bind(&r.waived_reason)
    .bind(&r.recorded_by).bind(r.recorded_at)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// Open obligations of cases not closed, soonest first: the CERT-wide deadline view.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeadlineRow {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub exercise: bool,
    pub code: String,
    pub due_at: Option<DateTime<Utc>>,
}

pub async fn open_deadlines(cx: &mut Cx) -> StoreResult<Vec<DeadlineRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT o.case_id, c.reference, c.title, c.exercise, o.code, o.due_at FROM case_obligations o JOIN cases c ON c.id = o.case_id
         WHERE o.met_at IS NULL AND o.waived_reason IS NULL AND c.state <> 'closed' ORDER BY o.due_at, c.id"
    )
    .fetch_all(c)
    .await
    })?)
}

/// Marks a reminder as sent for this due time; false when it was already sent.
pub async fn mark_reminder(
    cx: &mut Cx,
    case_id: i64,
    obligation: &str,
    reminder: &str,
    audience: &str,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO case_reminders_sent (case_id, obligation, reminder, audience, due_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
    )
    .bind(case_id).bind(obligation).bind(reminder).bind(audience).bind(due_at).bind(now)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

/// The reminders already sent for a case: (obligation, reminder, audience, due time).
pub async fn reminders_sent(
    cx: &mut Cx,
    case_id: i64,
) -> StoreResult<Vec<(String, String, String, DateTime<Utc>)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT obligation, reminder, audience, due_at FROM case_reminders_sent WHERE case_id = $1"
    )
    .bind(case_id)
    .fetch_all(c)
    .await)?)
}
