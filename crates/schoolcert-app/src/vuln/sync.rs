//! Syncing remote CSAF providers: the pure retrieving state machine
//! (`schoolcert_vuln::retrieve`) driven over HTTP with reqwest — provider-metadata.json, ROLIE
//! feeds or changes.csv for incremental runs from the stored cursor, documents verified against
//! `.sha256`/`.sha512` and, when the provider publishes keys, `.asc` — then validated, stored
//! and matched like an import. A refused document never reaches the database.

use std::time::Duration;

use schoolcert_store::vuln::provider as store;
use schoolcert_vuln::csaf;
use schoolcert_vuln::openpgp::TrustedKeys;
use schoolcert_vuln::retrieve::{ProviderSync, Request, Response, SyncConfig};
use serde::Serialize;
use url::Url;

use super::ingest::{ImportReport, Refused};
use super::matching::{self, Target};
use crate::{App, AppError, AppResult};

/// What one provider's run did.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRun {
    pub provider: String,
    pub fetched: usize,
    pub import: ImportReport,
    /// Documents refused before parsing (wrong hash, bad signature, fetch failed).
    pub refused: Vec<Refused>,
    pub problems: Vec<String>,
    pub fatal: Option<String>,
}

fn client() -> AppResult<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("schoolcert/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn fetch(client: &reqwest::Client, r: &Request, limit: usize) -> Response {
    let resp = match client.get(r.url.clone()).send().await {
        Ok(resp) => resp,
        Err(e) => return Response::Failed(e.to_string()),
    };
    let status = resp.status().as_u16();
    if status == 404 || status == 410 {
        return Response::NotFound;
    }
    if status != 200 {
        return Response::Failed(format!("HTTP {status}"));
    }
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Response::Failed(format!("larger than {limit} bytes"));
    }
    match resp.bytes().await {
        Ok(b) if b.len() > limit => Response::Failed(format!("larger than {limit} bytes")),
        Ok(b) => Response::Body(b.to_vec()),
        Err(e) => Response::Failed(e.to_string()),
    }
}

/// Syncs one provider from its stored cursor.
pub async fn sync_provider(app: &App, metadata_url: &str) -> AppResult<ProviderRun> {
    let url = Url::parse(metadata_url)
        .map_err(|e| AppError::Internal(format!("provider URL {metadata_url:?}: {e}")))?;
    let mut cx = app.db.write().await?;
    let row = store::ensure_provider(&mut cx, metadata_url, app.now()).await?;
    cx.commit().await?;
    let config = SyncConfig {
        since: row.cursor_at,
        max_documents: app.config.vuln.sync_max_documents,
        ..SyncConfig::default()
    };
    let limit = config.max_document_bytes;
    let mut sync = ProviderSync::new(url, config, TrustedKeys::new());
    let client = client()?;
    loop {
        let batch = sync.next_batch();
        if batch.is_empty() {
            break;
        }
        for r in &batch {
            let response = fetch(&client, r, limit).await;
            sync.handle(r, response);
        }
    }
    let report = sync.finish();
    let mut import = ImportReport::default();
    let mut accepted = Vec::new();
    for d in &report.documents {
        match csaf::load(&d.bytes) {
            Ok(loaded) => accepted.push((d.url.to_string(), loaded, d.bytes.clone())),
            Err(e) => import.refused.push(Refused {
                source: d.url.to_string(),
                reason: schoolcert_domain::lang::Localized::message(
                    &e,
                    schoolcert_domain::Lang::Nl,
                ),
            }),
        }
    }
    let keys = super::ingest::store_csaf(app, None, accepted, &mut import).await?;
    if !keys.is_empty() {
        import.rematch = matching::rematch(app, Target::vulns(keys)).await?;
    }
    let run = ProviderRun {
        provider: metadata_url.to_owned(),
        fetched: report.documents.len(),
        import,
        refused: report.refused.iter().cloned().map(Refused::from).collect(),
        problems: report.problems.clone(),
        fatal: report.fatal.clone(),
    };
    let mut cx = app.db.write().await?;
    let summary = serde_json::to_string(&run).map_err(|e| AppError::Internal(e.to_string()))?;
    // The cursor only moves when the run got through (a fatal error leaves it).
    let cursor = if report.fatal.is_none() {
        report.cursor
    } else {
        None
    };
    store::record_run(&mut cx, row.id, cursor, &summary, app.now()).await?;
    cx.commit().await?;
    Ok(run)
}

/// Syncs every configured provider; one failing provider does not stop the others.
pub async fn sync_all(app: &App) -> AppResult<Vec<ProviderRun>> {
    let mut out = Vec::new();
    for p in &app.config.vuln.providers {
        match sync_provider(app, p).await {
            Ok(run) => out.push(run),
            Err(e) => out.push(ProviderRun {
                provider: p.clone(),
                fetched: 0,
                import: ImportReport::default(),
                refused: vec![],
                problems: vec![],
                fatal: Some(e.to_string()),
            }),
        }
    }
    Ok(out)
}
