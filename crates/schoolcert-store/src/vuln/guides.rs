//! The CERT's guides (*handreikingen*), written in Markdown; published ones are public.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GuideRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, slug, title, body_md, published, published_at, updated_at";

/// Inserts or updates the guide with this slug; returns its id.
pub async fn save(
    cx: &mut Cx,
    slug: &str,
    title: &str,
    body_md: &str,
    published: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let existing: Option<i64> = on!(cx, |c| sqlx::query_scalar(
        "SELECT id FROM vuln_guides WHERE slug = $1"
    )
    .bind(slug)
    .fetch_optional(c)
    .await)?;
    match existing {
        Some(id) => {
            exec!(cx, |c| {
                sqlx::query(
                "UPDATE vuln_guides SET title = $2, body_md = $3, published = $4,
                 published_at = CASE WHEN $4 THEN COALESCE(published_at, $5) ELSE NULL END, updated_at = $5 WHERE id = $1"
            )
            .bind(id)
            .bind(title)
            .bind(body_md)
            .bind(published)
            .bind(now)
            .execute(c)
            .await
            })?;
            Ok(id)
        }
        None => {
            let published_at = published.then_some(now);
            Ok(on!(cx, |c| {
                sqlx::query_scalar(
                "INSERT INTO vuln_guides (slug, title, body_md, published, published_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"
            )
            .bind(slug)
            .bind(title)
            .bind(body_md)
            .bind(published)
            .bind(published_at)
            .bind(now)
            .fetch_one(c)
            .await
            })?)
        }
    }
}

pub async fn by_slug(cx: &mut Cx, slug: &str) -> StoreResult<GuideRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_guides WHERE slug = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(slug)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// All guides, or only published ones, newest first.
pub async fn list(cx: &mut Cx, only_published: bool) -> StoreResult<Vec<GuideRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM vuln_guides WHERE ($1 = FALSE OR published = TRUE) ORDER BY updated_at DESC, id DESC"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(only_published)
    .fetch_all(c)
    .await)?)
}
