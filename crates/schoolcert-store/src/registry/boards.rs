//! Boards: create, read (scoped), search, list, update and status changes.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::{BoardStatus, Sectors};
use serde::Serialize;

use super::{contains_pattern, parse_col};
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    pub id: BoardId,
    pub duo_number: String,
    pub name: String,
    pub sectors: Sectors,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub kvk_number: Option<String>,
    pub rio_id: Option<String>,
    pub website: Option<String>,
    pub status: BoardStatus,
    pub status_reason: Option<String>,
    pub joined_at: Option<DateTime<Utc>>,
    pub in_duo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields DUO's registry (or a CERT analyst) sets; what an audit diff compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardFields {
    pub duo_number: String,
    pub name: String,
    pub sectors: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub kvk_number: Option<String>,
    pub rio_id: Option<String>,
    pub website: Option<String>,
}

impl Board {
    pub fn fields(&self) -> BoardFields {
        BoardFields {
            duo_number: self.duo_number.clone(),
            name: self.name.clone(),
            sectors: self.sectors.code().to_owned(),
            street: self.street.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            kvk_number: self.kvk_number.clone(),
            rio_id: self.rio_id.clone(),
            website: self.website.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct BoardRow {
    id: i64,
    duo_number: String,
    name: String,
    sectors: String,
    street: String,
    postcode: String,
    city: String,
    kvk_number: Option<String>,
    rio_id: Option<String>,
    website: Option<String>,
    status: String,
    status_reason: Option<String>,
    joined_at: Option<DateTime<Utc>>,
    in_duo: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<BoardRow> for Board {
    type Error = StoreError;
    fn try_from(r: BoardRow) -> StoreResult<Board> {
        Ok(Board {
            id: BoardId(r.id),
            duo_number: r.duo_number,
            name: r.name,
            sectors: Sectors::parse(&r.sectors),
            street: r.street,
            postcode: r.postcode,
            city: r.city,
            kvk_number: r.kvk_number,
            rio_id: r.rio_id,
            website: r.website,
            status: parse_col(&r.status, "boards.status")?,
            status_reason: r.status_reason,
            joined_at: r.joined_at,
            in_duo: r.in_duo,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, duo_number, name, sectors, street, postcode, city, kvk_number, rio_id, website, status, status_reason, joined_at, in_duo, created_at, updated_at";

pub async fn insert(
    cx: &mut Cx,
    f: &BoardFields,
    status: BoardStatus,
    now: DateTime<Utc>,
) -> StoreResult<BoardId> {
    let key = schoolcert_domain::registry::board::search_key(&format!(
        "{} {} {}",
        f.name, f.duo_number, f.city
    ));
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO boards (duo_number, name, search_key, sectors, street, postcode, city, kvk_number, rio_id, website, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id"
    )
    .bind(&f.duo_number).bind(&f.name).bind(&key).bind(&f.sectors).bind(&f.street).bind(&f.postcode)
    .bind(&f.city).bind(&f.kvk_number).bind(&f.rio_id).bind(&f.website).bind(status.code()).bind(now)
    .fetch_one(c).await
    })?;
    Ok(BoardId(id))
}

pub async fn update_fields(
    cx: &mut Cx,
    id: BoardId,
    f: &BoardFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let key = schoolcert_domain::registry::board::search_key(&format!(
        "{} {} {}",
        f.name, f.duo_number, f.city
    ));
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE boards SET name = $2, search_key = $3, sectors = $4, street = $5, postcode = $6, city = $7,
         kvk_number = $8, rio_id = $9, website = $10, in_duo = TRUE, updated_at = $11 WHERE id = $1"
    )
    .bind(id.0).bind(&f.name).bind(&key).bind(&f.sectors).bind(&f.street).bind(&f.postcode).bind(&f.city)
    .bind(&f.kvk_number).bind(&f.rio_id).bind(&f.website).bind(now)
    .execute(c).await
    })?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn set_status(
    cx: &mut Cx,
    id: BoardId,
    status: BoardStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let joined = (status == BoardStatus::Active).then_some(now);
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE boards SET status = $2, status_reason = $3, joined_at = COALESCE(joined_at, $4), updated_at = $5 WHERE id = $1"
    )
    .bind(id.0).bind(status.code()).bind(reason).bind(joined).bind(now)
    .execute(c).await
    })?;
    Ok(())
}

/// One board, if the scope includes it.
pub async fn get(cx: &mut Cx, scope: Scope, id: BoardId) -> StoreResult<Board> {
    let sql = format!("SELECT {COLUMNS} FROM boards WHERE id = $1 AND ($2 IS NULL OR id = $2)");
    let row: BoardRow = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.0)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    row.try_into()
}

/// By DUO number, unscoped: for the importers and the CERT.
pub async fn find_by_duo(cx: &mut Cx, duo: &str) -> StoreResult<Option<Board>> {
    let sql = format!("SELECT {COLUMNS} FROM boards WHERE duo_number = $1");
    let row: Option<BoardRow> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(duo)
        .fetch_optional(c)
        .await)?;
    row.map(Board::try_from).transpose()
}

/// Every board keyed by DUO number, for the importer's change detection.
pub async fn all(cx: &mut Cx) -> StoreResult<Vec<Board>> {
    let sql = format!("SELECT {COLUMNS} FROM boards ORDER BY id");
    let rows: Vec<BoardRow> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(Board::try_from).collect()
}

#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub q: Option<String>,
    pub status: Option<BoardStatus>,
    pub sector: Option<String>,
}

/// A row of the board list, with counts that tell an analyst what is missing.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BoardSummary {
    pub id: i64,
    pub duo_number: String,
    pub name: String,
    pub city: String,
    pub sectors: String,
    pub status: String,
    pub schools: i64,
    pub contacts: i64,
    pub assets: i64,
    pub pending_assets: i64,
}

pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    filter: &BoardFilter,
    page: PageRequest,
) -> StoreResult<Page<BoardSummary>> {
    let q = filter
        .q
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(contains_pattern);
    let status = filter.status.map(|s| s.code());
    let sector = filter
        .sector
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{s}%"));
    const WHERE: &str = "WHERE ($1 IS NULL OR b.id = $1) AND ($2 IS NULL OR b.search_key LIKE $2 ESCAPE '\\') AND ($3 IS NULL OR b.status = $3) AND ($4 IS NULL OR b.sectors LIKE $4)";
    let count_sql = format!("SELECT COUNT(*) FROM boards b {WHERE}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(&q)
    .bind(status)
    .bind(&sector)
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT b.id, b.duo_number, b.name, b.city, b.sectors, b.status,
          (SELECT COUNT(*) FROM schools s WHERE s.board_id = b.id) AS schools,
          (SELECT COUNT(*) FROM contacts k WHERE k.board_id = b.id) AS contacts,
          (SELECT COUNT(*) FROM assets a WHERE a.board_id = b.id AND a.status IN ('verified','approved')) AS assets,
          (SELECT COUNT(*) FROM assets a WHERE a.board_id = b.id AND a.status = 'pending') AS pending_assets
         FROM boards b {WHERE} ORDER BY b.name, b.id LIMIT $5 OFFSET $6"
    );
    let items: Vec<BoardSummary> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(&q)
        .bind(status)
        .bind(&sector)
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

/// The public search of the joining page: only what DUO publishes anyway.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicBoard {
    pub id: i64,
    pub duo_number: String,
    pub name: String,
    pub city: String,
    pub status: String,
}

pub async fn search_public(cx: &mut Cx, q: &str, limit: i64) -> StoreResult<Vec<PublicBoard>> {
    let pattern = contains_pattern(q);
    let rows = on!(cx, |c| {
        sqlx::query_as(
        "SELECT DISTINCT b.id, b.duo_number, b.name, b.city, b.status FROM boards b
         LEFT JOIN schools s ON s.board_id = b.id
         WHERE b.status <> 'left' AND (b.search_key LIKE $1 ESCAPE '\\' OR s.search_key LIKE $1 ESCAPE '\\' OR b.duo_number = $2)
         ORDER BY b.name, b.id LIMIT $3"
    )
    .bind(&pattern).bind(q.trim()).bind(limit).fetch_all(c).await
    })?;
    Ok(rows)
}

pub async fn count_by_status(cx: &mut Cx) -> StoreResult<Vec<(String, i64)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT status, COUNT(*) FROM boards GROUP BY status ORDER BY status"
    )
    .fetch_all(c)
    .await)?)
}

/// Marks boards absent from a complete DUO file; they are never deleted.
pub async fn mark_missing_from_duo(
    cx: &mut Cx,
    present: &[String],
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let json = sqlx::types::Json(present);
    let sql = match cx.backend() {
        crate::Backend::Sqlite => {
            "UPDATE boards SET in_duo = FALSE, updated_at = $2 WHERE in_duo AND duo_number NOT IN (SELECT value FROM json_each($1))"
        }
        crate::Backend::Postgres => {
            "UPDATE boards SET in_duo = FALSE, updated_at = $2 WHERE in_duo AND duo_number NOT IN (SELECT jsonb_array_elements_text($1))"
        }
    };
    Ok(exec!(cx, |c| sqlx::query(sql)
        .bind(json)
        .bind(now)
        .execute(c)
        .await)?)
}
