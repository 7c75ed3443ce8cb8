//! The items inside a case: timeline entries, messages, attachments, tasks and observables.
//! Each carries a TLP label and a sharing record (JSON); `shared_board` and `shared_reporter`
//! repeat the sharing flags so the SQL can filter by them. Lists take a `Scope`: a board sees
//! only items shared with it, of cases it may see; a reporter's lists are separate functions.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::Scope;
use serde::Serialize;

use super::item_visible;
use crate::{Cx, StoreError, StoreResult, exec, on};

/// Label and sharing of an item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub tlp: String,
    /// JSON of `schoolcert_cases::visibility::Sharing`.
    pub sharing: String,
    pub shared_board: bool,
    pub shared_reporter: bool,
}

// ---------------------------------------------------------------- timeline

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimelineRow {
    pub id: i64,
    pub case_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// JSON of `schoolcert_cases::timeline::TimelineEvent`.
    pub event: String,
    pub tlp: String,
    pub sharing: String,
}

pub async fn add_timeline(
    cx: &mut Cx,
    case_id: i64,
    at: DateTime<Utc>,
    actor: &str,
    event: &str,
    l: &Label,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_timeline (case_id, at, actor, event, tlp, sharing, shared_board, shared_reporter) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(case_id).bind(at).bind(actor).bind(event).bind(&l.tlp).bind(&l.sharing).bind(l.shared_board).bind(l.shared_reporter)
    .fetch_one(c)
    .await
    })?)
}

pub async fn timeline(cx: &mut Cx, scope: Scope, case_id: i64) -> StoreResult<Vec<TimelineRow>> {
    let sql = format!(
        "SELECT i.id, i.case_id, i.at, i.actor, i.event, i.tlp, i.sharing FROM case_timeline i JOIN cases c ON c.id = i.case_id
         WHERE i.case_id = $1 AND {} ORDER BY i.at, i.id",
        item_visible("i", "c", 2)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

/// The timeline entries shared with the reporter of a CVD case.
pub async fn reporter_timeline(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<TimelineRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, case_id, at, actor, event, tlp, sharing FROM case_timeline WHERE case_id = $1 AND shared_reporter ORDER BY at, id"
    )
    .bind(case_id)
    .fetch_all(c)
    .await
    })?)
}

// ---------------------------------------------------------------- messages

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub case_id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub direction: String,
    pub author: String,
    pub author_user_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub tlp: String,
    pub sharing: String,
    pub email_message_id: Option<String>,
    pub sector_message_id: Option<i64>,
}

pub struct NewMessage<'a> {
    pub case_id: i64,
    pub parent_id: Option<i64>,
    pub kind: &'a str,
    pub direction: &'a str,
    pub author: &'a str,
    pub author_user_id: Option<i64>,
    pub subject: &'a str,
    pub body: &'a str,
    pub label: Label,
    pub email_message_id: Option<&'a str>,
    pub sector_message_id: Option<i64>,
}

const MSG_COLUMNS: &str = "i.id, i.case_id, i.parent_id, i.kind, i.direction, i.author, i.author_user_id, i.at, i.subject, i.body, i.tlp, i.sharing, i.email_message_id, i.sector_message_id";

pub async fn add_message(cx: &mut Cx, m: &NewMessage<'_>, at: DateTime<Utc>) -> StoreResult<i64> {
    let key = schoolcert_domain::registry::board::search_key(&format!("{} {}", m.subject, m.body));
    let l = &m.label;
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_messages (case_id, parent_id, kind, direction, author, author_user_id, at, subject, body, search_key, tlp, sharing,
           shared_board, shared_reporter, email_message_id, sector_message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id"
    )
    .bind(m.case_id).bind(m.parent_id).bind(m.kind).bind(m.direction).bind(m.author).bind(m.author_user_id).bind(at).bind(m.subject)
    .bind(m.body).bind(&key).bind(&l.tlp).bind(&l.sharing).bind(l.shared_board).bind(l.shared_reporter).bind(m.email_message_id)
    .bind(m.sector_message_id)
    .fetch_one(c)
    .await
    })?)
}

pub async fn messages(cx: &mut Cx, scope: Scope, case_id: i64) -> StoreResult<Vec<MessageRow>> {
    let sql = format!(
        "SELECT {MSG_COLUMNS} FROM case_messages i JOIN cases c ON c.id = i.case_id WHERE i.case_id = $1 AND {} ORDER BY i.at, i.id",
        item_visible("i", "c", 2)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

pub async fn reporter_messages(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<MessageRow>> {
    let sql = format!(
        "SELECT {MSG_COLUMNS} FROM case_messages i WHERE i.case_id = $1 AND i.shared_reporter ORDER BY i.at, i.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .fetch_all(c)
    .await)?)
}

/// Whether a message with this e-mail Message-ID is already in the case (a resent reply).
pub async fn has_email(cx: &mut Cx, case_id: i64, message_id: &str) -> StoreResult<bool> {
    let n: i64 = on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_messages WHERE case_id = $1 AND email_message_id = $2"
    )
    .bind(case_id)
    .bind(message_id)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

// ---------------------------------------------------------------- attachments

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub message_id: Option<i64>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub tlp: String,
    pub sharing: String,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewAttachment<'a> {
    pub case_id: i64,
    pub message_id: Option<i64>,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub label: Label,
    pub uploaded_by: &'a str,
}

const ATT_COLUMNS: &str = "i.id, i.case_id, i.message_id, i.filename, i.content_type, i.size, i.sha256, i.tlp, i.sharing, i.uploaded_by, i.created_at";

pub async fn add_attachment(
    cx: &mut Cx,
    a: &NewAttachment<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let size = i64::try_from(a.data.len()).map_err(|_| StoreError::Invalid("size".into()))?;
    let l = &a.label;
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_attachments (case_id, message_id, filename, content_type, size, sha256, data, tlp, sharing, shared_board, shared_reporter, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"
    )
    .bind(a.case_id).bind(a.message_id).bind(a.filename).bind(a.content_type).bind(size).bind(a.sha256).bind(a.data).bind(&l.tlp)
    .bind(&l.sharing).bind(l.shared_board).bind(l.shared_reporter).bind(a.uploaded_by).bind(now)
    .fetch_one(c)
    .await
    })?)
}

pub async fn attachments(
    cx: &mut Cx,
    scope: Scope,
    case_id: i64,
) -> StoreResult<Vec<AttachmentRow>> {
    let sql = format!(
        "SELECT {ATT_COLUMNS} FROM case_attachments i JOIN cases c ON c.id = i.case_id WHERE i.case_id = $1 AND {} ORDER BY i.created_at, i.id",
        item_visible("i", "c", 2)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

pub async fn reporter_attachments(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<AttachmentRow>> {
    let sql = format!(
        "SELECT {ATT_COLUMNS} FROM case_attachments i WHERE i.case_id = $1 AND i.shared_reporter ORDER BY i.created_at, i.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .fetch_all(c)
    .await)?)
}

/// One attachment with its bytes, if the scope may see it.
pub async fn attachment_data(
    cx: &mut Cx,
    scope: Scope,
    id: i64,
) -> StoreResult<(AttachmentRow, Vec<u8>)> {
    let sql = format!(
        "SELECT {ATT_COLUMNS} FROM case_attachments i JOIN cases c ON c.id = i.case_id WHERE i.id = $1 AND {}",
        item_visible("i", "c", 2)
    );
    let row: AttachmentRow = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    let data: Vec<u8> = on!(cx, |c| sqlx::query_scalar(
        "SELECT data FROM case_attachments WHERE id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    Ok((row, data))
}

// ---------------------------------------------------------------- tasks

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub case_id: i64,
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub assignee_user_id: Option<i64>,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub playbook: Option<String>,
    pub tlp: String,
    pub sharing: String,
}

pub struct NewTask<'a> {
    pub case_id: i64,
    pub code: Option<&'a str>,
    pub title: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub due_at: Option<DateTime<Utc>>,
    pub playbook: Option<&'a str>,
    pub label: Label,
}

const TASK_COLUMNS: &str = "i.id, i.case_id, i.code, i.title, i.description, i.owner, i.assignee_user_id, i.due_at, i.done_at, i.done_by, i.playbook, i.tlp, i.sharing";

pub async fn add_task(cx: &mut Cx, t: &NewTask<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let l = &t.label;
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_tasks (case_id, code, title, description, owner, due_at, playbook, tlp, sharing, shared_board, shared_reporter, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
    )
    .bind(t.case_id).bind(t.code).bind(t.title).bind(t.description).bind(t.owner).bind(t.due_at).bind(t.playbook).bind(&l.tlp)
    .bind(&l.sharing).bind(l.shared_board).bind(l.shared_reporter).bind(now)
    .fetch_one(c)
    .await
    })?)
}

pub async fn tasks(cx: &mut Cx, scope: Scope, case_id: i64) -> StoreResult<Vec<TaskRow>> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM case_tasks i JOIN cases c ON c.id = i.case_id WHERE i.case_id = $1 AND {} ORDER BY i.due_at, i.id",
        item_visible("i", "c", 2)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

/// Marks a task done (or open again with `None`); scoped so a board may tick its own tasks.
pub async fn set_task_done(
    cx: &mut Cx,
    scope: Scope,
    id: i64,
    done: Option<(DateTime<Utc>, &str)>,
) -> StoreResult<TaskRow> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM case_tasks i JOIN cases c ON c.id = i.case_id WHERE i.id = $1 AND {}",
        item_visible("i", "c", 2)
    );
    let row: TaskRow = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    let (at, by) = match done {
        Some((at, by)) => (Some(at), Some(by)),
        None => (None, None),
    };
    exec!(cx, |c| sqlx::query(
        "UPDATE case_tasks SET done_at = $2, done_by = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(c)
    .await)?;
    Ok(row)
}

// ---------------------------------------------------------------- observables

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ObservableRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub value: String,
    pub ioc: bool,
    pub note: String,
    /// What the registry lookup found, as text ("Stichting X (145.97.16.0/24)").
    pub lookup: String,
    pub tlp: String,
    pub sharing: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewObservable<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub value: &'a str,
    pub ioc: bool,
    pub note: &'a str,
    pub lookup: &'a str,
    pub label: Label,
}

pub async fn add_observable(
    cx: &mut Cx,
    o: &NewObservable<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let l = &o.label;
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_observables (case_id, kind, value, ioc, note, lookup, tlp, sharing, shared_board, shared_reporter, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
    )
    .bind(o.case_id).bind(o.kind).bind(o.value).bind(o.ioc).bind(o.note).bind(o.lookup).bind(&l.tlp).bind(&l.sharing)
    .bind(l.shared_board).bind(l.shared_reporter).bind(now)
    .fetch_one(c)
    .await
    })?)
}

pub async fn observables(
    cx: &mut Cx,
    scope: Scope,
    case_id: i64,
) -> StoreResult<Vec<ObservableRow>> {
    let sql = format!(
        "SELECT i.id, i.case_id, i.kind, i.value, i.ioc, i.note, i.lookup, i.tlp, i.sharing, i.created_at
         FROM case_observables i JOIN cases c ON c.id = i.case_id WHERE i.case_id = $1 AND {} ORDER BY i.id",
        item_visible("i", "c", 2)
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(case_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}
