//! The append-only audit log: who changed which object when, field by field. The database
//! refuses updates and deletes on this table (triggers in both migration trees).

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Actor;
use schoolcert_domain::audit::FieldChange;
use serde::Serialize;
use sqlx::types::Json;

use crate::{Cx, Page, PageRequest, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub board_id: Option<i64>,
    pub object_type: String,
    pub object_id: i64,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    actor_label: String,
    board_id: Option<i64>,
    object_type: String,
    object_id: i64,
    action: String,
    changes: Json<Vec<FieldChange>>,
}

/// Who did it: a person, or the system (imports, the DNS checker, jobs).
#[derive(Debug, Clone)]
pub enum By<'a> {
    Actor(&'a Actor),
    System(&'a str),
}

pub struct Record<'a> {
    pub by: By<'a>,
    pub board_id: Option<BoardId>,
    pub object_type: &'a str,
    pub object_id: i64,
    pub action: &'a str,
    pub changes: Vec<FieldChange>,
}

pub async fn record(cx: &mut Cx, r: Record<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let (user, label) = match r.by {
        By::Actor(a) => (Some(a.user_id.0), a.label.clone()),
        By::System(s) => (None, format!("systeem: {s}")),
    };
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, board_id, object_type, object_id, action, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ).bind(now).bind(user).bind(label).bind(r.board_id.map(|b| b.0)).bind(r.object_type).bind(r.object_id).bind(r.action)
    .bind(Json(&r.changes)).execute(c).await
    })?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub board_id: Option<BoardId>,
    pub actor_user_id: Option<i64>,
}

pub async fn list(
    cx: &mut Cx,
    f: &AuditFilter,
    page: PageRequest,
) -> StoreResult<Page<AuditEntry>> {
    const WHERE: &str = "WHERE ($1 IS NULL OR object_type = $1) AND ($2 IS NULL OR object_id = $2) AND ($3 IS NULL OR board_id = $3) AND ($4 IS NULL OR actor_user_id = $4)";
    let count_sql = format!("SELECT COUNT(*) FROM audit_log {WHERE}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(&f.object_type)
    .bind(f.object_id)
    .bind(f.board_id.map(|b| b.0))
    .bind(f.actor_user_id)
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT id, at, actor_user_id, actor_label, board_id, object_type, object_id, action, changes FROM audit_log {WHERE} ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6"
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&f.object_type)
        .bind(f.object_id)
        .bind(f.board_id.map(|b| b.0))
        .bind(f.actor_user_id)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(c)
        .await)?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor_user_id: r.actor_user_id,
            actor_label: r.actor_label,
            board_id: r.board_id,
            object_type: r.object_type,
            object_id: r.object_id,
            action: r.action,
            changes: r.changes.0,
        })
        .collect();
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}
