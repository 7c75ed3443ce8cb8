//! Finding and reading a provider's `provider-metadata.json` (CSAF 7.3.1): the discovery
//! URLs for a domain, `CSAF:` fields of security.txt, and the metadata itself (2.0 and the
//! 2.1 draft's per-TLP directories).

use schoolcert_domain::Timestamp;
use schoolcert_domain::time::parse_rfc3339;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::RetrieveError;

/// The provider's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Publisher,
    Provider,
    TrustedProvider,
}

/// A ROLIE feed (or a 2.1 directory) with its TLP label (`WHITE`, `CLEAR`, `UNLABELED`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labelled {
    pub tlp_label: String,
    pub url: Url,
}

/// A published OpenPGP key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRef {
    pub url: Url,
    pub fingerprint: Option<String>,
}

/// What we need from `provider-metadata.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderMetadata {
    pub canonical_url: Url,
    pub role: Role,
    pub publisher_name: String,
    pub publisher_namespace: String,
    pub last_updated: Option<Timestamp>,
    /// CSAF 2.0 `directory_url`s (no TLP) and 2.1 `directory` objects (with TLP).
    pub directories: Vec<Labelled>,
    pub rolie_feeds: Vec<Labelled>,
    pub public_keys: Vec<KeyRef>,
}

/// The URLs to try, in order, for a domain (7.3.1): the well-known path, then security.txt
/// (well-known and legacy) for `CSAF:` fields, then the `csaf.data.security.` host.
pub fn discovery_urls(domain: &str) -> Result<Vec<Url>, RetrieveError> {
    let d = domain.trim().trim_end_matches('/').to_ascii_lowercase();
    if d.is_empty() || d.contains('/') || d.contains(':') {
        return Err(RetrieveError::BadUrl(domain.to_owned()));
    }
    [
        format!("https://{d}/.well-known/csaf/provider-metadata.json"),
        format!("https://{d}/.well-known/security.txt"),
        format!("https://{d}/security.txt"),
        format!("https://csaf.data.security.{d}/"),
    ]
    .iter()
    .map(|u| Url::parse(u).map_err(|_| RetrieveError::BadUrl(u.clone())))
    .collect()
}

/// The `CSAF:` fields of a security.txt, in order (the first should be the well-known one).
/// Only https URLs count.
pub fn security_txt_csaf_urls(text: &str) -> Vec<Url> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case("csaf").then(|| v.trim())
        })
        .filter_map(|v| Url::parse(v).ok())
        .filter(|u| u.scheme() == "https")
        .collect()
}

fn url_field(v: &Value, key: &str, base: &Url) -> Option<Url> {
    let s = v.get(key)?.as_str()?;
    base.join(s.trim()).ok()
}

/// Parses `provider-metadata.json` fetched from `fetched_from`.
pub fn parse_provider_metadata(
    bytes: &[u8],
    fetched_from: &Url,
) -> Result<ProviderMetadata, RetrieveError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| RetrieveError::Metadata(format!("not JSON: {e}")))?;
    let bad = |what: &str| RetrieveError::Metadata(format!("{what} is missing or invalid"));
    let role = match v.get("role").and_then(Value::as_str) {
        Some("csaf_publisher") => Role::Publisher,
        Some("csaf_provider") => Role::Provider,
        Some("csaf_trusted_provider") => Role::TrustedProvider,
        _ => return Err(bad("role")),
    };
    let publisher = v.get("publisher").ok_or_else(|| bad("publisher"))?;
    let canonical_url =
        url_field(&v, "canonical_url", fetched_from).unwrap_or_else(|| fetched_from.clone());
    let mut directories = Vec::new();
    let mut rolie_feeds = Vec::new();
    for d in v
        .get("distributions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some(u) = url_field(d, "directory_url", &canonical_url) {
            directories.push(Labelled {
                tlp_label: "UNLABELED".into(),
                url: u,
            });
        }
        if let Some(dir) = d.get("directory")
            && let Some(u) = url_field(dir, "url", &canonical_url)
        {
            directories.push(Labelled {
                tlp_label: dir
                    .get("tlp_label")
                    .and_then(Value::as_str)
                    .unwrap_or("UNLABELED")
                    .to_owned(),
                url: u,
            });
        }
        for f in d
            .get("rolie")
            .and_then(|r| r.get("feeds"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if let Some(u) = url_field(f, "url", &canonical_url) {
                rolie_feeds.push(Labelled {
                    tlp_label: f
                        .get("tlp_label")
                        .and_then(Value::as_str)
                        .unwrap_or("UNLABELED")
                        .to_owned(),
                    url: u,
                });
            }
        }
    }
    let public_keys = v
        .get("public_openpgp_keys")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| {
            Some(KeyRef {
                url: url_field(k, "url", &canonical_url)?,
                fingerprint: k
                    .get("fingerprint")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect();
    Ok(ProviderMetadata {
        canonical_url,
        role,
        publisher_name: publisher
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        publisher_namespace: publisher
            .get("namespace")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("publisher.namespace"))?
            .to_owned(),
        last_updated: v
            .get("last_updated")
            .and_then(Value::as_str)
            .and_then(parse_rfc3339),
        directories,
        rolie_feeds,
        public_keys,
    })
}
