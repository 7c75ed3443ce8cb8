//! The e-mail outbox. Mail is written here in the same transaction as the change that causes
//! it; a sender claims due rows, sends, and marks them. A row found still "sending" after its
//! lease (the process died between sending and marking) becomes "uncertain" and is not sent
//! again automatically: an administrator decides, so no recipient gets a notice twice.

use chrono::{DateTime, Duration, Utc};
use schoolcert_domain::BoardId;
use serde::Serialize;
use sqlx::types::Json;

use crate::{Backend, Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub kind: String,
    pub board_id: Option<BoardId>,
    pub to: Vec<String>,
    pub subject: String,
    pub body_text: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Mail {
    pub id: i64,
    pub kind: String,
    pub board_id: Option<i64>,
    #[sqlx(json)]
    pub to_addrs: Vec<String>,
    pub subject: String,
    pub body_text: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Reply-To, for case mail: the case mailbox with the case's reply token.
    pub reply_to: Option<String>,
}

const COLUMNS: &str = "id, kind, board_id, to_addrs, subject, body_text, message_id, status, attempts, next_attempt_at, last_error, sent_at, created_at, reply_to";

/// Queues a message; `message_id` must be unique (`<random@domain>`).
pub async fn enqueue(
    cx: &mut Cx,
    m: &NewMail,
    message_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO outbox (kind, board_id, to_addrs, subject, body_text, message_id, status, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7) RETURNING id"
    ).bind(&m.kind).bind(m.board_id.map(|b| b.0)).bind(Json(&m.to)).bind(&m.subject).bind(&m.body_text).bind(message_id).bind(now)
    .fetch_one(c).await
    })?;
    for a in &m.attachments {
        exec!(cx, |c| {
            sqlx::query("INSERT INTO outbox_attachments (outbox_id, filename, content_type, data) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(&a.filename).bind(&a.content_type).bind(&a.data).execute(c).await
        })?;
    }
    Ok(id)
}

/// Sets the Reply-To of a queued message (case mail, so replies land in the case).
pub async fn set_reply_to(cx: &mut Cx, id: i64, reply_to: &str) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE outbox SET reply_to = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(reply_to)
    .execute(c)
    .await)?;
    Ok(())
}

/// Claims up to `limit` due messages for sending, holding them for `lease`.
pub async fn claim_due(
    cx: &mut Cx,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> StoreResult<Vec<Mail>> {
    let lock = if cx.backend() == Backend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', lease_until = $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3 {lock})
         RETURNING {COLUMNS}"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(now)
    .bind(now + lease)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

pub async fn attachments(cx: &mut Cx, id: i64) -> StoreResult<Vec<Attachment>> {
    let rows: Vec<(String, String, Vec<u8>)> = on!(cx, |c| {
        sqlx::query_as("SELECT filename, content_type, data FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id")
        .bind(id).fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(filename, content_type, data)| Attachment {
            filename,
            content_type,
            data,
        })
        .collect())
}

pub async fn mark_sent(cx: &mut Cx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1 AND status = 'sending'")
        .bind(id).bind(now).execute(c).await
    })?;
    Ok(())
}

/// A send that failed cleanly (the server refused or was unreachable): retry at `retry_at`, or
/// give up (`None`) after too many attempts.
pub async fn mark_failed(
    cx: &mut Cx,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let (status, next) = match retry_at {
        Some(t) => ("pending", Some(t)),
        None => ("failed", None),
    };
    exec!(cx, |c| {
        sqlx::query("UPDATE outbox SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), lease_until = NULL, last_error = $4 WHERE id = $1 AND status = 'sending'")
        .bind(id).bind(status).bind(next).bind(error).execute(c).await
    })?;
    Ok(())
}

/// Rows left in "sending" past their lease: the outcome is unknown, so they are not resent.
pub async fn mark_stale_uncertain(cx: &mut Cx, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec!(cx, |c| {
        sqlx::query(
        "UPDATE outbox SET status = 'uncertain', lease_until = NULL, last_error = 'the sender stopped while sending; it is unknown whether this message went out' WHERE status = 'sending' AND lease_until < $1"
    ).bind(now).execute(c).await
    })?)
}

/// An administrator's decision to send an uncertain or failed message again.
pub async fn requeue(cx: &mut Cx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query("UPDATE outbox SET status = 'pending', next_attempt_at = $2 WHERE id = $1 AND status IN ('uncertain','failed')")
        .bind(id).bind(now).execute(c).await
    })?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<Mail> {
    let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct MailFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub to: Option<String>,
    pub board_id: Option<BoardId>,
}

pub async fn list(cx: &mut Cx, f: &MailFilter, page: PageRequest) -> StoreResult<Page<Mail>> {
    let to =
        f.to.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase()));
    let to_col = if cx.backend() == Backend::Postgres {
        "lower(to_addrs::text)"
    } else {
        "lower(to_addrs)"
    };
    let wh = format!(
        "WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR {to_col} LIKE $3) AND ($4 IS NULL OR board_id = $4)"
    );
    let count_sql = format!("SELECT COUNT(*) FROM outbox {wh}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(&f.status)
    .bind(&f.kind)
    .bind(&to)
    .bind(f.board_id.map(|b| b.0))
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox {wh} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    );
    let items = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&f.status)
        .bind(&f.kind)
        .bind(&to)
        .bind(f.board_id.map(|b| b.0))
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
