//! Document listings of a provider: `changes.csv` (incremental), `index.txt` (full) and ROLIE
//! feeds, each turned into absolute document URLs with their update times.

use schoolcert_domain::Timestamp;
use schoolcert_domain::registry::RowError;
use schoolcert_domain::time::parse_rfc3339;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::RetrieveError;

/// One listed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub url: Url,
    pub updated: Option<Timestamp>,
    /// Hash files the feed links (ROLIE `rel: hash`); for directories the conventional
    /// `.sha512` / `.sha256` next to the document are used.
    pub hash_urls: Vec<Url>,
    pub signature_url: Option<Url>,
}

/// Only paths below the listing's folder are followed: a listing must not send us elsewhere.
fn below(base: &Url, path: &str) -> Option<Url> {
    let u = base.join(path.trim()).ok()?;
    (u.origin() == base.origin() && u.path().starts_with(base.path())).then_some(u)
}

/// `changes.csv`: `"path","RFC 3339 time"` per line (2.0 quotes, 2.1 does not), newest first.
/// Times like `2026-09-24T09:14:33.175708+00:00` are read leniently. Bad rows by line.
pub fn parse_changes_csv(bytes: &[u8], directory: &Url) -> (Vec<Listed>, Vec<RowError>) {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for (i, rec) in reader.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 1, |p| p.line() as usize);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let (Some(path), Some(time)) = (rec.get(0), rec.get(1)) else {
            if rec.iter().any(|f| !f.is_empty()) {
                errors.push(RowError {
                    line,
                    reason: "expected \"path\",\"time\"".into(),
                });
            }
            continue;
        };
        let Some(url) = below(directory, path) else {
            errors.push(RowError {
                line,
                reason: format!("'{path}' is not a path below {directory}"),
            });
            continue;
        };
        let Some(updated) = parse_rfc3339(time) else {
            errors.push(RowError {
                line,
                reason: format!("'{time}' is not an RFC 3339 time"),
            });
            continue;
        };
        out.push(Listed {
            url,
            updated: Some(updated),
            hash_urls: Vec::new(),
            signature_url: None,
        });
    }
    (out, errors)
}

/// `index.txt`: one path per line.
pub fn parse_index_txt(bytes: &[u8], directory: &Url) -> (Vec<Listed>, Vec<RowError>) {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        match below(directory, l) {
            Some(url) => out.push(Listed {
                url,
                updated: None,
                hash_urls: Vec::new(),
                signature_url: None,
            }),
            None => errors.push(RowError {
                line: i + 1,
                reason: format!("'{l}' is not a path below {directory}"),
            }),
        }
    }
    (out, errors)
}

/// A ROLIE feed: entries with `content.src` (or the `self` link), `updated`, and the `hash`
/// and `signature` links.
pub fn parse_rolie_feed(bytes: &[u8], feed_url: &Url) -> Result<Vec<Listed>, RetrieveError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| RetrieveError::Listing(format!("feed is not JSON: {e}")))?;
    let entries = v
        .get("feed")
        .and_then(|f| f.get("entry"))
        .and_then(Value::as_array)
        .ok_or_else(|| RetrieveError::Listing("feed.entry is missing".into()))?;
    let mut out = Vec::new();
    for e in entries {
        let links = e
            .get("link")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let link = |rel: &str| -> Vec<Url> {
            links
                .iter()
                .filter(|l| l.get("rel").and_then(Value::as_str) == Some(rel))
                .filter_map(|l| l.get("href").and_then(Value::as_str))
                .filter_map(|h| feed_url.join(h).ok())
                .collect()
        };
        let src = e
            .get("content")
            .and_then(|c| c.get("src"))
            .and_then(Value::as_str)
            .and_then(|s| feed_url.join(s).ok())
            .or_else(|| link("self").into_iter().next());
        let Some(url) = src else { continue };
        out.push(Listed {
            url,
            updated: e
                .get("updated")
                .and_then(Value::as_str)
                .and_then(parse_rfc3339),
            hash_urls: link("hash"),
            signature_url: link("signature").into_iter().next(),
        });
    }
    Ok(out)
}
