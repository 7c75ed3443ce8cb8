//! School locations (vestigingen): upsert from DUO, scoped reads and lists.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::Scope;
use schoolcert_domain::{BoardId, SchoolId};
use serde::Serialize;

use super::contains_pattern;
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct School {
    pub id: i64,
    pub board_id: i64,
    pub code: String,
    pub brin: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub sectors: String,
    pub website: Option<String>,
    pub in_duo: bool,
}

/// The fields DUO sets; what the importer compares and the audit log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolFields {
    pub board_id: i64,
    pub code: String,
    pub brin: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub sectors: String,
    pub website: Option<String>,
}

impl School {
    pub fn fields(&self) -> SchoolFields {
        SchoolFields {
            board_id: self.board_id,
            code: self.code.clone(),
            brin: self.brin.clone(),
            name: self.name.clone(),
            street: self.street.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            sectors: self.sectors.clone(),
            website: self.website.clone(),
        }
    }
}

const COLUMNS: &str =
    "id, board_id, code, brin, name, street, postcode, city, sectors, website, in_duo";

fn key(f: &SchoolFields) -> String {
    schoolcert_domain::registry::board::search_key(&format!("{} {} {}", f.name, f.code, f.city))
}

pub async fn insert(cx: &mut Cx, f: &SchoolFields, now: DateTime<Utc>) -> StoreResult<SchoolId> {
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO schools (board_id, code, brin, name, search_key, street, postcode, city, sectors, website, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id"
    )
    .bind(f.board_id).bind(&f.code).bind(&f.brin).bind(&f.name).bind(key(f)).bind(&f.street)
    .bind(&f.postcode).bind(&f.city).bind(&f.sectors).bind(&f.website).bind(now)
    .fetch_one(c).await
    })?;
    Ok(SchoolId(id))
}

pub async fn update(
    cx: &mut Cx,
    id: SchoolId,
    f: &SchoolFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE schools SET board_id = $2, name = $3, search_key = $4, street = $5, postcode = $6, city = $7,
         sectors = $8, website = $9, in_duo = TRUE, updated_at = $10 WHERE id = $1"
    )
    .bind(id.0).bind(f.board_id).bind(&f.name).bind(key(f)).bind(&f.street).bind(&f.postcode)
    .bind(&f.city).bind(&f.sectors).bind(&f.website).bind(now)
    .execute(c).await
    })?;
    Ok(())
}

pub async fn all(cx: &mut Cx) -> StoreResult<Vec<School>> {
    let sql = format!("SELECT {COLUMNS} FROM schools ORDER BY id");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

pub async fn get(cx: &mut Cx, scope: Scope, id: SchoolId) -> StoreResult<School> {
    let sql =
        format!("SELECT {COLUMNS} FROM schools WHERE id = $1 AND ($2 IS NULL OR board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.0)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn of_board(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<Vec<School>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM schools WHERE board_id = $1 AND ($2 IS NULL OR board_id = $2) ORDER BY code"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(board.0)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}

#[derive(Debug, Clone, Default)]
pub struct SchoolFilter {
    pub q: Option<String>,
    pub board_id: Option<BoardId>,
}

/// A school row with its board's name, for lists.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SchoolRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub city: String,
    pub sectors: String,
    pub board_id: i64,
    pub board_name: String,
    pub duo_number: String,
}

pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    filter: &SchoolFilter,
    page: PageRequest,
) -> StoreResult<Page<SchoolRow>> {
    let q = filter
        .q
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(contains_pattern);
    let board = filter.board_id.map(|b| b.0);
    const WHERE: &str = "WHERE ($1 IS NULL OR s.board_id = $1) AND ($2 IS NULL OR s.search_key LIKE $2 ESCAPE '\\') AND ($3 IS NULL OR s.board_id = $3)";
    let count_sql = format!("SELECT COUNT(*) FROM schools s {WHERE}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(&q)
    .bind(board)
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT s.id, s.code, s.name, s.city, s.sectors, s.board_id, b.name AS board_name, b.duo_number
         FROM schools s JOIN boards b ON b.id = s.board_id {WHERE} ORDER BY s.name, s.id LIMIT $4 OFFSET $5"
    );
    let items = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(&q)
        .bind(board)
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
