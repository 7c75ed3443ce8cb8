//! The CSAF provider side: the generated `/.well-known/csaf/` files (replaced as a whole on
//! every publication), remote providers we sync from with their cursor, and area settings.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub path: String,
    #[serde(skip)]
    pub content: Vec<u8>,
    /// `public` or the TLP code a reader needs.
    pub access: String,
    pub updated_at: DateTime<Utc>,
}

/// Replaces every provider file at once (inside the caller's transaction).
pub async fn replace_files(
    cx: &mut Cx,
    files: &[(String, Vec<u8>, String)],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query("DELETE FROM vuln_provider_files")
        .execute(c)
        .await)?;
    for (path, content, access) in files {
        exec!(cx, |c| {
            sqlx::query(
            "INSERT INTO vuln_provider_files (path, content, access, updated_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(path)
        .bind(content)
        .bind(access)
        .bind(now)
        .execute(c)
        .await
        })?;
    }
    Ok(())
}

pub async fn file(cx: &mut Cx, path: &str) -> StoreResult<Option<FileRow>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT path, content, access, updated_at FROM vuln_provider_files WHERE path = $1"
    )
    .bind(path)
    .fetch_optional(c)
    .await)?)
}

/// Paths under a folder prefix (directory listings).
pub async fn paths(cx: &mut Cx) -> StoreResult<Vec<(String, String)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT path, access FROM vuln_provider_files ORDER BY path"
    )
    .fetch_all(c)
    .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProviderRow {
    pub id: i64,
    pub metadata_url: String,
    pub cursor_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_report: Option<String>,
}

/// The provider row for this URL, created on first use.
pub async fn ensure_provider(
    cx: &mut Cx,
    url: &str,
    now: DateTime<Utc>,
) -> StoreResult<ProviderRow> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO vuln_providers (metadata_url, created_at) VALUES ($1, $2) ON CONFLICT (metadata_url) DO NOTHING"
    )
    .bind(url)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, metadata_url, cursor_at, last_run_at, last_report FROM vuln_providers WHERE metadata_url = $1"
    )
    .bind(url)
    .fetch_one(c)
    .await
    })?)
}

pub async fn providers(cx: &mut Cx) -> StoreResult<Vec<ProviderRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, metadata_url, cursor_at, last_run_at, last_report FROM vuln_providers ORDER BY id"
    )
    .fetch_all(c)
    .await
    })?)
}

pub async fn record_run(
    cx: &mut Cx,
    id: i64,
    cursor: Option<DateTime<Utc>>,
    report: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_providers SET cursor_at = COALESCE($2, cursor_at), last_run_at = $3, last_report = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(cursor)
    .bind(now)
    .bind(report)
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn setting(cx: &mut Cx, name: &str) -> StoreResult<Option<String>> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT value FROM vuln_settings WHERE name = $1"
    )
    .bind(name)
    .fetch_optional(c)
    .await)?)
}

pub async fn set_setting(
    cx: &mut Cx,
    name: &str,
    value: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "INSERT INTO vuln_settings (name, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}
