//! Digest notices: one per board per period, the outbox message that carries it, and the link
//! to exactly the events it reported (an event can be in one notice only).

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, Page, PageRequest, Raw, StoreError, StoreResult, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub board_id: i64,
    pub board_name: String,
    pub outbox_id: i64,
    pub mail_status: String,
    pub subject: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub event_count: i64,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT n.id, n.board_id, b.name AS board_name, n.outbox_id, o.status AS mail_status, n.subject,
    n.period_start, n.period_end, n.event_count, n.created_at
    FROM feed_notices n JOIN boards b ON b.id = n.board_id JOIN outbox o ON o.id = n.outbox_id";

pub struct NewNotice<'a> {
    pub board_id: BoardId,
    pub outbox_id: i64,
    pub subject: &'a str,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
}

/// Records a notice and links its events, in the caller's transaction (the one that queued the
/// mail). An event already carried by another notice makes this fail as `Duplicate`.
pub async fn insert(
    cx: &mut Cx,
    n: &NewNotice<'_>,
    event_ids: &[i64],
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let count = i64::try_from(event_ids.len()).unwrap_or(i64::MAX);
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
            "INSERT INTO feed_notices (board_id, outbox_id, subject, period_start, period_end, event_count, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(n.board_id.0).bind(n.outbox_id).bind(n.subject).bind(n.period_start).bind(n.period_end).bind(count).bind(now)
        .fetch_one(c).await
    })?;
    match cx.raw() {
        Raw::Postgres(c) => {
            sqlx::query("INSERT INTO feed_notice_events (notice_id, event_id) SELECT $1, UNNEST($2::bigint[])")
                .bind(id)
                .bind(event_ids)
                .execute(c)
                .await?;
        }
        Raw::Sqlite(c) => {
            for chunk in event_ids.chunks(5000) {
                let marks = (0..chunk.len())
                    .map(|i| format!("(?1, ?{})", i + 2))
                    .collect::<Vec<_>>()
                    .join(",");
                let sql =
                    format!("INSERT INTO feed_notice_events (notice_id, event_id) VALUES {marks}");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
                for e in chunk {
                    q = q.bind(e);
                }
                q.execute(&mut *c).await?;
            }
        }
    }
    Ok(id)
}

pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<Notice> {
    let sql = format!("{SELECT} WHERE n.id = $1 AND ($2 IS NULL OR n.board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Newest first; `board` narrows a CERT view to one board.
pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    board: Option<BoardId>,
    page: PageRequest,
) -> StoreResult<Page<Notice>> {
    const WHERE: &str = "WHERE ($1 IS NULL OR n.board_id = $1) AND ($2 IS NULL OR n.board_id = $2)";
    let count_sql = format!("SELECT COUNT(*) FROM feed_notices n {WHERE}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(board.map(|b| b.0))
    .fetch_one(c)
    .await)?;
    let sql = format!("{SELECT} {WHERE} ORDER BY n.created_at DESC, n.id DESC LIMIT $3 OFFSET $4");
    let items = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(board.map(|b| b.0))
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

/// When the board's last notice was made (the start of its next period).
pub async fn last_at(cx: &mut Cx, board: BoardId) -> StoreResult<Option<DateTime<Utc>>> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT MAX(created_at) FROM feed_notices WHERE board_id = $1"
    )
    .bind(board.0)
    .fetch_one(c)
    .await)?)
}
