//! Contact persons of boards: scoped reads, create, update, delete, confirm.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::ContactRole;
use schoolcert_domain::{BoardId, ContactId};
use serde::Serialize;

use super::parse_col;
use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub board_id: BoardId,
    pub name: String,
    pub function: String,
    pub email: String,
    pub phone: String,
    pub role: ContactRole,
    pub pgp_key: Option<String>,
    pub pgp_fingerprint: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What a board contact edits; compared by the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactFields {
    pub name: String,
    pub function: String,
    pub email: String,
    pub phone: String,
    pub role: ContactRole,
    pub pgp_key: Option<String>,
    pub pgp_fingerprint: Option<String>,
}

impl Contact {
    pub fn fields(&self) -> ContactFields {
        ContactFields {
            name: self.name.clone(),
            function: self.function.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            role: self.role,
            pgp_key: self.pgp_key.clone(),
            pgp_fingerprint: self.pgp_fingerprint.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    board_id: i64,
    name: String,
    function: String,
    email: String,
    phone: String,
    role: String,
    pgp_key: Option<String>,
    pgp_fingerprint: Option<String>,
    confirmed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<Row> for Contact {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Contact> {
        Ok(Contact {
            id: ContactId(r.id),
            board_id: BoardId(r.board_id),
            name: r.name,
            function: r.function,
            email: r.email,
            phone: r.phone,
            role: parse_col(&r.role, "contacts.role")?,
            pgp_key: r.pgp_key,
            pgp_fingerprint: r.pgp_fingerprint,
            confirmed_at: r.confirmed_at,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, board_id, name, function, email, phone, role, pgp_key, pgp_fingerprint, confirmed_at, created_at";

pub async fn of_board(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<Vec<Contact>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts WHERE board_id = $1 AND ($2 IS NULL OR board_id = $2) ORDER BY role, name, id"
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(board.0)
        .bind(scope.board_filter())
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(Contact::try_from).collect()
}

pub async fn get(cx: &mut Cx, scope: Scope, id: ContactId) -> StoreResult<Contact> {
    let sql =
        format!("SELECT {COLUMNS} FROM contacts WHERE id = $1 AND ($2 IS NULL OR board_id = $2)");
    let row: Row = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.0)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    row.try_into()
}

pub async fn insert(
    cx: &mut Cx,
    board: BoardId,
    f: &ContactFields,
    confirmed: bool,
    now: DateTime<Utc>,
) -> StoreResult<ContactId> {
    let confirmed_at = confirmed.then_some(now);
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO contacts (board_id, name, function, email, email_key, phone, role, pgp_key, pgp_fingerprint, confirmed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id"
    )
    .bind(board.0).bind(&f.name).bind(&f.function).bind(&f.email).bind(f.email.to_lowercase()).bind(&f.phone)
    .bind(f.role.code()).bind(&f.pgp_key).bind(&f.pgp_fingerprint).bind(confirmed_at).bind(now)
    .fetch_one(c).await
    })?;
    Ok(ContactId(id))
}

pub async fn update(
    cx: &mut Cx,
    id: ContactId,
    f: &ContactFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE contacts SET name = $2, function = $3, email = $4, email_key = $5, phone = $6, role = $7,
         pgp_key = $8, pgp_fingerprint = $9, confirmed_at = $10, updated_at = $10 WHERE id = $1"
    )
    .bind(id.0).bind(&f.name).bind(&f.function).bind(&f.email).bind(f.email.to_lowercase()).bind(&f.phone)
    .bind(f.role.code()).bind(&f.pgp_key).bind(&f.pgp_fingerprint).bind(now)
    .execute(c).await
    })?;
    Ok(())
}

/// Marks a contact's details as checked by the board now.
pub async fn confirm(cx: &mut Cx, id: ContactId, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE contacts SET confirmed_at = $2, updated_at = $2 WHERE id = $1"
    )
    .bind(id.0)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn delete(cx: &mut Cx, id: ContactId) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query("DELETE FROM contacts WHERE id = $1")
        .bind(id.0)
        .execute(c)
        .await)?;
    Ok(())
}

/// The e-mail addresses to notify for a board, primary contacts first, without duplicates.
pub async fn notification_addresses(cx: &mut Cx, board: BoardId) -> StoreResult<Vec<String>> {
    let rows: Vec<(String, String)> = on!(cx, |c| {
        sqlx::query_as(
        "SELECT email, role FROM contacts WHERE board_id = $1 ORDER BY CASE role WHEN 'primary' THEN 0 WHEN 'secondary' THEN 1 WHEN 'security' THEN 2 ELSE 3 END, id"
    ).bind(board.0).fetch_all(c).await
    })?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(e, _)| seen.insert(e.to_lowercase()))
        .map(|(e, _)| e)
        .collect())
}

/// Contacts of active boards unconfirmed since `stale_before` and not reminded since
/// `reminded_before`, grouped by board in id order.
pub async fn due_for_reminder(
    cx: &mut Cx,
    stale_before: DateTime<Utc>,
    reminded_before: DateTime<Utc>,
) -> StoreResult<Vec<Contact>> {
    let sql = format!(
        "SELECT {} FROM contacts c JOIN boards b ON b.id = c.board_id
         WHERE b.status = 'active' AND COALESCE(c.confirmed_at, c.created_at) < $1 AND (c.reminded_at IS NULL OR c.reminded_at < $2)
         ORDER BY c.board_id, c.id",
        COLUMNS.split(", ").map(|col| format!("c.{col}")).collect::<Vec<_>>().join(", ")
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(stale_before)
        .bind(reminded_before)
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(Contact::try_from).collect()
}

pub async fn mark_reminded(cx: &mut Cx, id: ContactId, now: DateTime<Utc>) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "UPDATE contacts SET reminded_at = $2 WHERE id = $1"
    )
    .bind(id.0)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}
