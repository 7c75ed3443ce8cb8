//! Board landscapes: which catalogue products a board uses (or proposes), with versions,
//! schools, who manages them and notes. Every read is scoped.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub board_id: i64,
    pub product_id: Option<i64>,
    /// The catalogue slug, when linked to a product.
    pub product_slug: Option<String>,
    pub product_name: Option<String>,
    pub proposed_vendor: Option<String>,
    pub proposed_name: Option<String>,
    /// JSON arrays of strings.
    pub versions: String,
    pub schools: String,
    pub managed_by: Option<String>,
    pub notes: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// One entry to write (lists already encoded as JSON arrays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields {
    pub product_id: Option<i64>,
    pub proposed_vendor: Option<String>,
    pub proposed_name: Option<String>,
    pub versions: String,
    pub schools: String,
    pub managed_by: Option<String>,
    pub notes: Option<String>,
}

const SELECT: &str =
    "SELECT e.id, e.board_id, e.product_id, p.slug AS product_slug, p.name AS product_name,
    e.proposed_vendor, e.proposed_name, e.versions, e.schools, e.managed_by, e.notes, e.updated_at
    FROM vuln_landscape_entries e LEFT JOIN vuln_products p ON p.id = e.product_id";

/// A board's entries (empty for a board outside the scope).
pub async fn of_board(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<Vec<EntryRow>> {
    let sql = format!(
        "{SELECT} WHERE e.board_id = $1 AND ($2 IS NULL OR e.board_id = $2) ORDER BY p.name, e.proposed_name, e.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(board.0)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

/// Every entry in scope (matching runs over all boards with `Scope::All`).
pub async fn all(cx: &mut Cx, scope: Scope) -> StoreResult<Vec<EntryRow>> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR e.board_id = $1) ORDER BY e.board_id, e.id");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<EntryRow> {
    let sql = format!("{SELECT} WHERE e.id = $1 AND ($2 IS NULL OR e.board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Proposed products not in the catalogue yet (all boards; CERT only).
pub async fn proposals(cx: &mut Cx, scope: Scope) -> StoreResult<Vec<EntryRow>> {
    let sql = format!(
        "{SELECT} WHERE e.product_id IS NULL AND ($1 IS NULL OR e.board_id = $1) ORDER BY e.proposed_vendor, e.proposed_name, e.id"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

pub async fn insert(
    cx: &mut Cx,
    board: BoardId,
    f: &EntryFields,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO vuln_landscape_entries (board_id, product_id, proposed_vendor, proposed_name, versions, schools, managed_by, notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"
    )
    .bind(board.0)
    .bind(f.product_id)
    .bind(&f.proposed_vendor)
    .bind(&f.proposed_name)
    .bind(&f.versions)
    .bind(&f.schools)
    .bind(&f.managed_by)
    .bind(&f.notes)
    .bind(now)
    .fetch_one(c)
    .await
    })?)
}

/// Updates an entry of a board in scope; NotFound otherwise.
pub async fn update(
    cx: &mut Cx,
    scope: Scope,
    id: i64,
    f: &EntryFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_landscape_entries SET product_id = $3, proposed_vendor = $4, proposed_name = $5, versions = $6, schools = $7, managed_by = $8, notes = $9, updated_at = $10
         WHERE id = $1 AND ($2 IS NULL OR board_id = $2)"
    )
    .bind(id)
    .bind(scope.board_filter())
    .bind(f.product_id)
    .bind(&f.proposed_vendor)
    .bind(&f.proposed_name)
    .bind(&f.versions)
    .bind(&f.schools)
    .bind(&f.managed_by)
    .bind(&f.notes)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn delete(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<()> {
    let n = exec!(cx, |c| sqlx::query(
        "DELETE FROM vuln_landscape_entries WHERE id = $1 AND ($2 IS NULL OR board_id = $2)"
    )
    .bind(id)
    .bind(scope.board_filter())
    .execute(c)
    .await)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Removes every entry of a board (a CSV import replaces the landscape).
pub async fn delete_board(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<u64> {
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM vuln_landscape_entries WHERE board_id = $1 AND ($2 IS NULL OR board_id = $2)"
    )
    .bind(board.0)
    .bind(scope.board_filter())
    .execute(c)
    .await)?)
}

/// Links every proposal with this vendor and name to a catalogue product (CERT adopted it).
pub async fn link_proposals(
    cx: &mut Cx,
    vendor: &str,
    name: &str,
    product_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "UPDATE vuln_landscape_entries SET product_id = $3, proposed_vendor = NULL, proposed_name = NULL, updated_at = $4
         WHERE product_id IS NULL AND lower(proposed_vendor) = lower($1) AND lower(proposed_name) = lower($2) RETURNING board_id"
    )
    .bind(vendor)
    .bind(name)
    .bind(product_id)
    .bind(now)
    .fetch_all(c)
    .await
    })?)
}
