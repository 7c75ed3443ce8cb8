//! The CSAF trusted-provider directory under `/.well-known/csaf/`: provider-metadata.json,
//! the public key, and per TLP folder the documents in `<YYYY>/` folders with `.sha256`,
//! `.sha512` and `.asc`, plus `index.txt`, `changes.csv` and a ROLIE feed. Generated as a
//! list of files for the app layer to write atomically (temp dir, then rename). Only
//! TLP:CLEAR (CSAF `WHITE`) files are public; every document must pass validation first.

use std::collections::BTreeMap;

use schoolcert_domain::{Timestamp, Tlp};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};

use super::csaf_export::{PublisherInfo, csaf_tlp_label, document_path, tlp_folder};
use super::rolie;
use crate::csaf::{self, CsafVersion, PUBLISH_EXTRA_TESTS, ValidationReport};
use crate::openpgp::{PgpError, Signer};

/// Where the provider lives and what it announces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderConfig {
    /// URL of `/.well-known/csaf/`, with trailing slash.
    pub base_url: String,
    pub publisher: PublisherInfo,
    pub list_on_aggregators: bool,
    pub mirror_on_aggregators: bool,
    /// List the ROLIE feeds of GREEN/AMBER/RED folders in provider-metadata.json (they are
    /// served behind authentication). Off by default: even their existence says something.
    pub advertise_protected_feeds: bool,
}

/// One document ready to publish: canonical bytes plus what the indexes need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDocument {
    pub tracking_id: String,
    pub title: String,
    pub tlp: Tlp,
    pub initial_release_date: Timestamp,
    pub current_release_date: Timestamp,
    pub summary: Option<String>,
    pub bytes: Vec<u8>,
}

/// Who may fetch a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "tlp", rename_all = "snake_case")]
pub enum Access {
    Public,
    /// Behind authentication, for recipients the label allows.
    Restricted(Tlp),
}

/// A file of the provider directory; `path` is relative to the web root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub access: Access,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error("{tracking_id} fails CSAF validation and is not published:\n{}", report.summary())]
    Invalid {
        tracking_id: String,
        report: ValidationReport,
    },
    #[error("the document is not usable CSAF: {0}")]
    NotCsaf(String),
    #[error("the document has no TLP label; only labelled documents are published")]
    NoTlp,
    #[error("two documents would be written to {0}")]
    DuplicatePath(String),
    #[error(transparent)]
    Pgp(#[from] PgpError),
}

/// Writes JSON with object keys sorted (CSAF: keys SHOULD be sorted) and pretty-printed.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let sorted: BTreeMap<&String, Value> =
                    map.iter().map(|(k, v)| (k, sort(v))).collect();
                let mut out = serde_json::Map::new();
                for (k, v) in sorted {
                    out.insert(k.clone(), v);
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&sort(value)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

impl PublishedDocument {
    /// Reads what the indexes need from a CSAF 2.0 document and serialises it canonically.
    /// The TLP comes from the document itself (AMBER with a "TLP:AMBER+STRICT" distribution
    /// text is AMBER+STRICT), so a document can never land in a looser folder than it says.
    pub fn from_json(value: &Value) -> Result<PublishedDocument, PublishError> {
        let doc = value
            .get("document")
            .ok_or_else(|| PublishError::NotCsaf("no document".into()))?;
        let tracking = doc
            .get("tracking")
            .ok_or_else(|| PublishError::NotCsaf("no document.tracking".into()))?;
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let tracking_id =
            text(tracking, "id").ok_or_else(|| PublishError::NotCsaf("no tracking.id".into()))?;
        let when = |k: &str| {
            text(tracking, k)
                .as_deref()
                .and_then(schoolcert_domain::time::parse_rfc3339)
                .ok_or_else(|| PublishError::NotCsaf(format!("tracking.{k} is not a date")))
        };
        let distribution = doc.get("distribution");
        let label = distribution
            .and_then(|d| d.get("tlp"))
            .and_then(|t| text(t, "label"))
            .ok_or(PublishError::NoTlp)?;
        let strict = distribution
            .and_then(|d| text(d, "text"))
            .is_some_and(|t| t.contains("AMBER+STRICT"));
        let tlp = match label.parse::<Tlp>().map_err(|_| PublishError::NoTlp)? {
            Tlp::Amber if strict => Tlp::AmberStrict,
            t => t,
        };
        let summary = doc
            .get("notes")
            .and_then(Value::as_array)
            .and_then(|notes| {
                notes
                    .iter()
                    .find(|n| n.get("category").and_then(Value::as_str) == Some("summary"))
            })
            .and_then(|n| text(n, "text"));
        Ok(PublishedDocument {
            title: text(doc, "title").unwrap_or_default(),
            initial_release_date: when("initial_release_date")?,
            current_release_date: when("current_release_date")?,
            tracking_id,
            tlp,
            summary,
            bytes: canonical_json(value),
        })
    }

    /// `<tlp>/<year>/<file>.json`, relative to `/.well-known/csaf/`.
    pub fn path(&self) -> String {
        document_path(
            self.tlp,
            chrono::Datelike::year(&self.initial_release_date),
            &self.tracking_id,
        )
    }
}

/// `<hex>  <file name>` as requirement 18 describes (and `sha256sum` writes).
pub fn hash_file(digest_hex: &str, file_name: &str) -> Vec<u8> {
    format!("{digest_hex}  {file_name}\n").into_bytes()
}

const WELL_KNOWN: &str = ".well-known/csaf/";

/// Builds every file of the provider directory. Fails, publishing nothing, when any
/// document fails the schema, the mandatory tests or the publication tests.
pub fn build(
    config: &ProviderConfig,
    documents: &[PublishedDocument],
    signer: &Signer,
    now: Timestamp,
) -> Result<Vec<ProviderFile>, PublishError> {
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut by_tlp: BTreeMap<&'static str, Vec<(&PublishedDocument, String)>> = BTreeMap::new();
    for d in documents {
        let value: Value =
            serde_json::from_slice(&d.bytes).map_err(|e| PublishError::NotCsaf(e.to_string()))?;
        let report = csaf::validate(&value, CsafVersion::V2_0, &PUBLISH_EXTRA_TESTS);
        if !report.is_valid() {
            return Err(PublishError::Invalid {
                tracking_id: d.tracking_id.clone(),
                report,
            });
        }
        let path = d.path();
        if !seen.insert(path.clone()) {
            return Err(PublishError::DuplicatePath(path));
        }
        by_tlp.entry(tlp_folder(d.tlp)).or_default().push((d, path));
    }
    let access = |tlp: Tlp| {
        if tlp.is_public() {
            Access::Public
        } else {
            Access::Restricted(tlp)
        }
    };
    let mut feeds = Vec::new();
    for (folder, docs) in &mut by_tlp {
        // Newest first, as changes.csv requires; the path breaks ties deterministically.
        docs.sort_by(|a, b| {
            b.0.current_release_date
                .cmp(&a.0.current_release_date)
                .then(a.1.cmp(&b.1))
        });
        // The folder's access is its strictest document's (AMBER and AMBER+STRICT share one).
        let folder_tlp = docs.iter().map(|(d, _)| d.tlp).max().unwrap_or(Tlp::Red);
        let folder_access = access(folder_tlp);
        for (d, path) in docs.iter() {
            let name = path.rsplit('/').next().unwrap_or(path).to_owned();
            let sha256 = hex::encode(Sha256::digest(&d.bytes));
            let sha512 = hex::encode(Sha512::digest(&d.bytes));
            let asc = signer.sign(&d.bytes, d.current_release_date)?;
            let a = access(d.tlp);
            files.push(ProviderFile {
                path: format!("{WELL_KNOWN}{path}"),
                bytes: d.bytes.clone(),
                access: a,
            });
            files.push(ProviderFile {
                path: format!("{WELL_KNOWN}{path}.sha256"),
                bytes: hash_file(&sha256, &name),
                access: a,
            });
            files.push(ProviderFile {
                path: format!("{WELL_KNOWN}{path}.sha512"),
                bytes: hash_file(&sha512, &name),
                access: a,
            });
            files.push(ProviderFile {
                path: format!("{WELL_KNOWN}{path}.asc"),
                bytes: asc.into_bytes(),
                access: a,
            });
        }
        // index.txt and changes.csv list paths relative to the folder (the directory_url).
        let prefix = format!("{folder}/");
        let relative = |p: &str| p.strip_prefix(&prefix).unwrap_or(p).to_owned();
        let mut index: Vec<String> = docs.iter().map(|(_, p)| relative(p)).collect();
        index.sort();
        let index_txt: String = index.iter().map(|p| format!("{p}\n")).collect();
        files.push(ProviderFile {
            path: format!("{WELL_KNOWN}{folder}/index.txt"),
            bytes: index_txt.into_bytes(),
            access: folder_access,
        });
        let changes: String = docs
            .iter()
            .map(|(d, p)| {
                format!(
                    "\"{}\",\"{}\"\n",
                    relative(p),
                    d.current_release_date
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                )
            })
            .collect();
        files.push(ProviderFile {
            path: format!("{WELL_KNOWN}{folder}/changes.csv"),
            bytes: changes.into_bytes(),
            access: folder_access,
        });
        let feed_name = format!("csaf-feed-tlp-{folder}.json");
        let feed_url = format!("{}{folder}/{feed_name}", config.base_url);
        let entries: Vec<(&PublishedDocument, String)> = docs
            .iter()
            .map(|(d, p)| (*d, format!("{}{p}", config.base_url)))
            .collect();
        let feed = rolie::feed(
            &config.publisher.name,
            csaf_tlp_label(folder_tlp),
            &feed_url,
            &entries,
            now,
        );
        files.push(ProviderFile {
            path: format!("{WELL_KNOWN}{folder}/{feed_name}"),
            bytes: canonical_json(&feed),
            access: folder_access,
        });
        if folder_access == Access::Public || config.advertise_protected_feeds {
            feeds.push(json!({
                "summary": format!("{} CSAF-feed {}", config.publisher.name, folder_tlp.label()),
                "tlp_label": csaf_tlp_label(folder_tlp),
                "url": feed_url,
            }));
        }
    }
    // The public folder always exists so directory_url resolves even before the first
    // public advisory.
    if !by_tlp.contains_key("white") {
        for (name, bytes) in [("index.txt", Vec::new()), ("changes.csv", Vec::new())] {
            files.push(ProviderFile {
                path: format!("{WELL_KNOWN}white/{name}"),
                bytes,
                access: Access::Public,
            });
        }
    }
    let fingerprint = signer.fingerprint();
    let key_path = format!("openpgp/{fingerprint}.asc");
    files.push(ProviderFile {
        path: format!("{WELL_KNOWN}{key_path}"),
        bytes: signer.public_key_armored()?.into_bytes(),
        access: Access::Public,
    });
    let mut distribution = json!({ "directory_url": format!("{}white/", config.base_url) });
    if !feeds.is_empty()
        && let Some(obj) = distribution.as_object_mut()
    {
        obj.insert("rolie".into(), json!({ "feeds": feeds }));
    }
    let mut publisher = json!({
        "category": "coordinator",
        "name": config.publisher.name,
        "namespace": config.publisher.namespace,
    });
    if let Some(obj) = publisher.as_object_mut() {
        if let Some(c) = &config.publisher.contact_details {
            obj.insert("contact_details".into(), json!(c));
        }
        if let Some(a) = &config.publisher.issuing_authority {
            obj.insert("issuing_authority".into(), json!(a));
        }
    }
    let metadata = json!({
        "canonical_url": format!("{}provider-metadata.json", config.base_url),
        "distributions": [distribution],
        "last_updated": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "list_on_CSAF_aggregators": config.list_on_aggregators,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": config.mirror_on_aggregators,
        "public_openpgp_keys": [{ "fingerprint": fingerprint, "url": format!("{}{key_path}", config.base_url) }],
        "publisher": publisher,
        "role": "csaf_trusted_provider",
    });
    files.push(ProviderFile {
        path: format!("{WELL_KNOWN}provider-metadata.json"),
        bytes: canonical_json(&metadata),
        access: Access::Public,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The `security.txt` line announcing the provider (requirement 8).
pub fn security_txt_line(config: &ProviderConfig) -> String {
    format!("CSAF: {}provider-metadata.json", config.base_url)
}
