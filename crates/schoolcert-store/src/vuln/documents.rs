//! Ingested vulnerability information: CSAF documents (one row per publisher namespace +
//! tracking id, the newest revision kept) and CVE records (one per CVE id), the vulnerabilities
//! each makes statements about, and the KEV and EPSS intelligence joined by CVE id.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub doc_key: String,
    pub version: String,
    pub current_release_date: Option<DateTime<Utc>>,
    pub title: String,
    pub tlp: Option<String>,
    pub sha256: String,
    pub source: String,
    pub model: String,
    pub imported_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A summary for lists (without the large JSON columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DocumentSummary {
    pub id: i64,
    pub kind: String,
    pub doc_key: String,
    pub version: String,
    pub title: String,
    pub tlp: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct DocumentFields<'a> {
    pub kind: &'a str,
    pub doc_key: &'a str,
    pub version: &'a str,
    pub current_release_date: Option<DateTime<Utc>>,
    pub title: &'a str,
    pub tlp: Option<&'a str>,
    pub sha256: &'a str,
    pub source: &'a str,
    pub raw: &'a str,
    pub model: &'a str,
}

const COLUMNS: &str = "id, kind, doc_key, version, current_release_date, title, tlp, sha256, source, model, imported_at, updated_at";

pub async fn find(cx: &mut Cx, kind: &str, doc_key: &str) -> StoreResult<Option<DocumentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_documents WHERE kind = $1 AND doc_key = $2");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(kind)
    .bind(doc_key)
    .fetch_optional(c)
    .await)?)
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<DocumentRow> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_documents WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Inserts a new document or replaces the stored one of the same kind and key; returns its id.
pub async fn upsert(cx: &mut Cx, f: &DocumentFields<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    if let Some(old) = find(cx, f.kind, f.doc_key).await? {
        exec!(cx, |c| {
            sqlx::query(
            "UPDATE vuln_documents SET version = $2, current_release_date = $3, title = $4, tlp = $5, sha256 = $6, source = $7, raw = $8, model = $9, updated_at = $10 WHERE id = $1"
        )
        .bind(old.id)
        .bind(f.version)
        .bind(f.current_release_date)
        .bind(f.title)
        .bind(f.tlp)
        .bind(f.sha256)
        .bind(f.source)
        .bind(f.raw)
        .bind(f.model)
        .bind(now)
        .execute(c)
        .await
        })?;
        return Ok(old.id);
    }
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO vuln_documents (kind, doc_key, version, current_release_date, title, tlp, sha256, source, raw, model, imported_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id"
    )
    .bind(f.kind)
    .bind(f.doc_key)
    .bind(f.version)
    .bind(f.current_release_date)
    .bind(f.title)
    .bind(f.tlp)
    .bind(f.sha256)
    .bind(f.source)
    .bind(f.raw)
    .bind(f.model)
    .bind(now)
    .fetch_one(c)
    .await
    })?)
}

/// Replaces the list of vulnerabilities a document speaks about.
pub async fn set_statements(
    cx: &mut Cx,
    document_id: i64,
    vuln_keys: &[String],
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "DELETE FROM vuln_statements WHERE document_id = $1"
    )
    .bind(document_id)
    .execute(c)
    .await)?;
    let mut keys: Vec<&String> = vuln_keys.iter().collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        exec!(cx, |c| sqlx::query(
            "INSERT INTO vuln_statements (document_id, vuln_key) VALUES ($1, $2)"
        )
        .bind(document_id)
        .bind(k)
        .execute(c)
        .await)?;
    }
    Ok(())
}

/// The documents that speak about any of `vuln_keys`.
pub async fn about(cx: &mut Cx, vuln_keys: &[String]) -> StoreResult<Vec<DocumentRow>> {
    let mut out: Vec<DocumentRow> = Vec::new();
    let sql = format!(
        "SELECT {COLUMNS} FROM vuln_documents WHERE id IN (SELECT document_id FROM vuln_statements WHERE vuln_key = $1) ORDER BY id"
    );
    for k in vuln_keys {
        let rows: Vec<DocumentRow> =
            on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(k)
                .fetch_all(c)
                .await)?;
        for r in rows {
            if !out.iter().any(|o| o.id == r.id) {
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// Every document (re-matching after a landscape or catalogue change).
pub async fn all(cx: &mut Cx) -> StoreResult<Vec<DocumentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM vuln_documents ORDER BY id");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

pub async fn list(cx: &mut Cx, limit: i64) -> StoreResult<Vec<DocumentSummary>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, kind, doc_key, version, title, tlp, updated_at FROM vuln_documents ORDER BY updated_at DESC, id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}

/// One KEV entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct KevRow {
    pub cve_id: String,
    pub date_added: String,
    pub ransomware: bool,
    pub data: String,
}

/// Inserts or replaces a KEV entry; returns whether anything changed.
pub async fn upsert_kev(cx: &mut Cx, row: &KevRow, now: DateTime<Utc>) -> StoreResult<bool> {
    let old: Option<String> = on!(cx, |c| sqlx::query_scalar(
        "SELECT data FROM vuln_kev WHERE cve_id = $1"
    )
    .bind(&row.cve_id)
    .fetch_optional(c)
    .await)?;
    match old {
        Some(d) if d == row.data => Ok(false),
        Some(_) => {
            exec!(cx, |c| {
                sqlx::query(
                "UPDATE vuln_kev SET date_added = $2, ransomware = $3, data = $4, updated_at = $5 WHERE cve_id = $1"
            )
            .bind(&row.cve_id)
            .bind(&row.date_added)
            .bind(row.ransomware)
            .bind(&row.data)
            .bind(now)
            .execute(c)
            .await
            })?;
            Ok(true)
        }
        None => {
            exec!(cx, |c| {
                sqlx::query(
                "INSERT INTO vuln_kev (cve_id, date_added, ransomware, data, updated_at) VALUES ($1, $2, $3, $4, $5)"
            )
            .bind(&row.cve_id)
            .bind(&row.date_added)
            .bind(row.ransomware)
            .bind(&row.data)
            .bind(now)
            .execute(c)
            .await
            })?;
            Ok(true)
        }
    }
}

pub async fn kev_for(cx: &mut Cx, cves: &[String]) -> StoreResult<Vec<KevRow>> {
    let mut out = Vec::new();
    for id in cves {
        let row: Option<KevRow> = on!(cx, |c| sqlx::query_as(
            "SELECT cve_id, date_added, ransomware, data FROM vuln_kev WHERE cve_id = $1"
        )
        .bind(id)
        .fetch_optional(c)
        .await)?;
        out.extend(row);
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct EpssRow {
    pub cve_id: String,
    pub epss: f64,
    pub percentile: f64,
}

/// Replaces the EPSS score of one CVE (the daily file is the whole truth for its date).
pub async fn upsert_epss(
    cx: &mut Cx,
    row: &EpssRow,
    score_date: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE vuln_epss SET epss = $2, percentile = $3, score_date = $4, updated_at = $5 WHERE cve_id = $1"
    )
    .bind(&row.cve_id)
    .bind(row.epss)
    .bind(row.percentile)
    .bind(score_date)
    .bind(now)
    .execute(c)
    .await
    })?;
    if n == 0 {
        exec!(cx, |c| {
            sqlx::query(
            "INSERT INTO vuln_epss (cve_id, epss, percentile, score_date, updated_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(&row.cve_id)
        .bind(row.epss)
        .bind(row.percentile)
        .bind(score_date)
        .bind(now)
        .execute(c)
        .await
        })?;
    }
    Ok(())
}

/// Replaces every EPSS score with a day's file (the file is the whole truth for its date).
/// Rows go in batches, since the file lists every published CVE (~300,000).
pub async fn replace_epss(
    cx: &mut Cx,
    rows: &[EpssRow],
    score_date: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query("DELETE FROM vuln_epss")
        .execute(c)
        .await)?;
    const BATCH: usize = 500;
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<&EpssRow> = rows
        .iter()
        .filter(|r| seen.insert(r.cve_id.as_str()))
        .collect();
    for chunk in unique.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 3 + 3;
                format!("(${}, ${}, ${}, $1, $2)", b, b + 1, b + 2)
            })
            .collect();
        let sql = format!(
            "INSERT INTO vuln_epss (cve_id, epss, percentile, score_date, updated_at) VALUES {}",
            values.join(", ")
        );
        exec!(cx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(score_date)
                .bind(now);
            for r in chunk {
                q = q.bind(&r.cve_id).bind(r.epss).bind(r.percentile);
            }
            q.execute(c).await
        })?;
    }
    Ok(())
}

pub async fn epss_for(cx: &mut Cx, cves: &[String]) -> StoreResult<Vec<EpssRow>> {
    let mut out = Vec::new();
    for id in cves {
        let row: Option<EpssRow> = on!(cx, |c| sqlx::query_as(
            "SELECT cve_id, epss, percentile FROM vuln_epss WHERE cve_id = $1"
        )
        .bind(id)
        .fetch_optional(c)
        .await)?;
        out.extend(row);
    }
    Ok(out)
}

/// CVE ids with stored matches, to recompute priorities after KEV/EPSS changes.
pub async fn matched_cves(cx: &mut Cx) -> StoreResult<Vec<String>> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT DISTINCT cve_id FROM vuln_matches WHERE cve_id IS NOT NULL ORDER BY cve_id"
    )
    .fetch_all(c)
    .await)?)
}
