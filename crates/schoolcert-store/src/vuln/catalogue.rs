//! Catalogue products (CERT-maintained): the product as JSON plus the columns lists need.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    /// The pure crate's `Product` as JSON.
    pub data: String,
    pub updated_at: DateTime<Utc>,
}

/// What a caller writes.
#[derive(Debug, Clone)]
pub struct ProductFields<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub vendor: &'a str,
    pub category: &'a str,
    pub data: &'a str,
}

const COLUMNS: &str = "id, slug, name, vendor, category, data, updated_at";

fn key(f: &ProductFields<'_>) -> String {
    schoolcert_domain::registry::board::search_key(&format!("{} {} {}", f.vendor, f.name, f.slug))
}

pub async fn count(cx: &mut Cx) -> StoreResult<i64> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM vuln_products"
    )
    .fetch_one(c)
    .await)?)
}

pub async fn insert(cx: &mut Cx, f: &ProductFields<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO vuln_products (slug, name, vendor, category, search_key, data, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"
    )
    .bind(f.slug)
    .bind(f.name)
    .bind(f.vendor)
    .bind(f.category)
    .bind(key(f))
    .bind(f.data)
    .bind(now)
    .fetch_one(c)
    .await
    })?)
}

pub async fn update(
    cx: &mut Cx,
    id: i64,
    f: &ProductFields<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_products SET slug = $2, name = $3, vendor = $4, category = $5, search_key = $6, data = $7, updated_at = $8 WHERE id = $1"
    )
    .bind(id)
    .bind(f.slug)
    .bind(f.name)
    .bind(f.vendor)
    .bind(f.category)
    .bind(key(f))
    .bind(f.data)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The whole catalogue (it is small: tens to a few hundred products), ordered by vendor and name.
pub async fn all(cx: &mut Cx) -> StoreResult<Vec<ProductRow>> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_products ORDER BY vendor, name, id");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<ProductRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_products WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn by_slug(cx: &mut Cx, slug: &str) -> StoreResult<ProductRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_products WHERE slug = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(slug)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// The sector picture: per product, how many boards have it in their landscape.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProductUse {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    pub boards: i64,
}

pub async fn sector_picture(cx: &mut Cx) -> StoreResult<Vec<ProductUse>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT p.id, p.slug, p.name, p.vendor, p.category, COUNT(DISTINCT e.board_id) AS boards
         FROM vuln_products p LEFT JOIN vuln_landscape_entries e ON e.product_id = p.id
         GROUP BY p.id, p.slug, p.name, p.vendor, p.category
         ORDER BY boards DESC, p.vendor, p.name"
    )
    .fetch_all(c)
    .await)?)
}
