//! Pulling reports from Shadowserver's Reports API: list the reports of the last days (signed
//! with HMAC-SHA256 of the body, as Shadowserver documents), download each one not ingested
//! yet, and ingest it like an uploaded file. The base URLs are configurable, so tests run it
//! against a local server that plays Shadowserver.

use chrono::{Duration, NaiveDate};
use schoolcert_feeds::shadowserver_api::{
    API_ROOT, Credentials, DOWNLOAD_ROOT, SIGNATURE_HEADER, download_url, list_request,
    parse_list_response,
};
use schoolcert_store::audit::By;
use schoolcert_store::feeds::pulls;
use serde::Serialize;

use super::ingest::{IngestSummary, ingest_path};
use crate::{App, AppError, AppResult};

/// What a pull did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PullSummary {
    pub listed: usize,
    pub skipped: usize,
    pub ingested: Vec<IngestSummary>,
    pub failed: Vec<(String, String)>,
}

/// Pulls the reports dated `day` and the configured days before it (default: today).
pub async fn pull(app: &App, day: Option<NaiveDate>) -> AppResult<PullSummary> {
    let cfg = &app.config.feeds.shadowserver;
    if !cfg.enabled() {
        return Err(AppError::conflict(
            "Er is geen Shadowserver API-sleutel ingesteld (feeds.shadowserver.key en secret).",
            "No Shadowserver API key is configured (feeds.shadowserver.key and secret).",
        ));
    }
    let to = day.unwrap_or_else(|| app.now().date_naive());
    let from = to - Duration::days(cfg.days_back.max(0));
    let creds = Credentials {
        key: cfg.key.clone(),
        secret: cfg.secret.clone(),
    };
    let req = list_request(&creds, from, to, &cfg.reports, None, None);
    let url = rebase(&req.url, API_ROOT, &cfg.api_url);
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(300))
        .user_agent(concat!("schoolcert/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let resp = client
        .post(&url)
        .header(SIGNATURE_HEADER, &req.signature)
        .header("Content-Type", "application/json")
        .body(req.body)
        .send()
        .await
        .map_err(|e| AppError::Internal(format!("Shadowserver list: {e}")))?;
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| AppError::Internal(format!("Shadowserver list: {e}")))?;
    if !status.is_success() {
        return Err(AppError::Internal(format!(
            "Shadowserver list: HTTP {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        )));
    }
    let listed = parse_list_response(&bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut out = PullSummary {
        listed: listed.len(),
        ..PullSummary::default()
    };
    for report in listed {
        let done = {
            let mut cx = app.db.read().await?;
            pulls::is_done(&mut cx, &report.id).await?
        };
        if done {
            out.skipped += 1;
            continue;
        }
        let day = report
            .timestamp
            .clone()
            .unwrap_or_else(|| report.file.chars().take(10).collect());
        let url = rebase(&download_url(&report.id), DOWNLOAD_ROOT, &cfg.download_url);
        // Streamed to a temporary file named like the report, so a large report never sits
        // in memory and the parser recognises its type from the name.
        let dir = std::env::temp_dir().join(format!(
            "schoolcert-pull-{}-{}",
            std::process::id(),
            safe_name(&report.id)
        ));
        let path = dir.join(safe_name(&report.file));
        let result = download(&client, &url, &dir, &path).await;
        let outcome = match result {
            Ok(()) => ingest_path(app, By::System("Shadowserver"), &path, None)
                .await
                .map_err(|e| match e {
                    AppError::Invalid(f) => f
                        .iter()
                        .map(|f| f.message.en.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                }),
            Err(e) => Err(e),
        };
        let _ = tokio::fs::remove_dir_all(&dir).await;
        let mut cx = app.db.write().await?;
        match outcome {
            Ok(summary) => {
                pulls::record(
                    &mut cx,
                    &report.id,
                    &report.file,
                    &day,
                    true,
                    summary.file_id,
                    None,
                    app.now(),
                )
                .await?;
                out.ingested.push(summary);
            }
            Err(e) => {
                tracing::warn!(report = %report.file, error = %e, "Shadowserver report not ingested");
                pulls::record(
                    &mut cx,
                    &report.id,
                    &report.file,
                    &day,
                    false,
                    None,
                    Some(&e),
                    app.now(),
                )
                .await?;
                out.failed.push((report.file.clone(), e));
            }
        }
        cx.commit().await?;
    }
    Ok(out)
}

async fn download(
    client: &reqwest::Client,
    url: &str,
    dir: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| e.to_string())?;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| e.to_string())?;
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// A file-system-safe version of a name from the API.
fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned()
}

/// Swaps the pure crate's default root for the configured one.
fn rebase(url: &str, default_root: &str, configured: &str) -> String {
    match url.strip_prefix(default_root) {
        Some(rest) => format!("{}/{rest}", configured.trim_end_matches('/')),
        None => url.to_owned(),
    }
}
