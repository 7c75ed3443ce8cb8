//! Ingested files: one row per distinct file content (SHA-256), so the same file is never
//! ingested twice, with the counts of its ingest and the rows it rejected.

use chrono::{DateTime, Utc};
use schoolcert_domain::UserId;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

/// A rejected row: its line in the file and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: u64,
    pub reason: String,
}

/// The counters of one ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCounts {
    pub rows_read: i64,
    pub events: i64,
    pub rejected: i64,
    pub matched: i64,
    pub unmatched: i64,
    pub duplicates: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FeedFile {
    pub id: i64,
    pub sha256: String,
    pub name: String,
    pub feed: String,
    pub rows_read: i64,
    pub events: i64,
    pub rejected: i64,
    pub matched: i64,
    pub unmatched: i64,
    pub duplicates: i64,
    pub complete: bool,
    #[sqlx(json)]
    pub errors: Vec<Rejected>,
    pub ingested_by: Option<i64>,
    pub ingested_by_label: String,
    pub ingested_at: DateTime<Utc>,
    /// How the file's stored records are parsed again (JSON, written by the application).
    pub source: Option<String>,
}

const COLUMNS: &str = "id, sha256, name, feed, rows_read, events, rejected, matched, unmatched, duplicates, complete, errors, ingested_by, ingested_by_label, ingested_at, source";

pub async fn find_by_hash(cx: &mut Cx, sha256: &str) -> StoreResult<Option<FeedFile>> {
    let sql = format!("SELECT {COLUMNS} FROM feed_files WHERE sha256 = $1");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(sha256)
    .fetch_optional(c)
    .await)?)
}

/// A file about to be ingested.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    pub sha256: &'a str,
    pub name: &'a str,
    pub feed: &'a str,
    pub by: Option<UserId>,
    pub by_label: &'a str,
    /// How its stored records are parsed again (see [`FeedFile::source`]).
    pub source: Option<&'a str>,
}

/// Registers a file before its events are written (incomplete until [`finish`]).
pub async fn insert(cx: &mut Cx, f: NewFile<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let none: Vec<Rejected> = Vec::new();
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
            "INSERT INTO feed_files (sha256, name, feed, rows_read, events, rejected, matched, unmatched, duplicates, complete, errors,
             ingested_by, ingested_by_label, ingested_at, source) VALUES ($1, $2, $3, 0, 0, 0, 0, 0, 0, FALSE, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(f.sha256).bind(f.name).bind(f.feed).bind(Json(&none)).bind(f.by.map(|u| u.0)).bind(f.by_label).bind(now).bind(f.source)

        .fetch_one(c).await
    })?)
}

/// Records the outcome of a file's ingest and marks it complete.
pub async fn finish(
    cx: &mut Cx,
    id: i64,
    feed: &str,
    counts: &FileCounts,
    errors: &[Rejected],
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
            "UPDATE feed_files SET feed = $2, rows_read = $3, events = $4, rejected = $5, matched = $6, unmatched = $7,
             duplicates = $8, errors = $9, complete = TRUE WHERE id = $1",
        )
        .bind(id).bind(feed).bind(counts.rows_read).bind(counts.events).bind(counts.rejected).bind(counts.matched)
        .bind(counts.unmatched).bind(counts.duplicates).bind(Json(errors))
        .execute(c).await
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<FeedFile> {
    let sql = format!("SELECT {COLUMNS} FROM feed_files WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Newest first. Files are CERT-only (they hold every board's rows), so no scope.
pub async fn list(cx: &mut Cx, page: PageRequest) -> StoreResult<Page<FeedFile>> {
    let total: i64 = on!(cx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM feed_files"
    )
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM feed_files ORDER BY ingested_at DESC, id DESC LIMIT $1 OFFSET $2"
    );
    let items = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
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
