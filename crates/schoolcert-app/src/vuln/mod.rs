//! Vulnerability information: the catalogue and board landscapes, ingesting CSAF/CVE/KEV/EPSS
//! (files and remote CSAF providers), matching with state per board × product × vulnerability,
//! the analyst's work queue, sector advisories with one notice per affected board, and the
//! CERT's own CSAF provider directory. The rules live in `schoolcert-vuln`; this layer loads,
//! checks permissions and writes in one transaction.

pub mod advisories;
pub mod catalogue;
pub mod guides;
pub mod ingest;
pub mod landscape;
pub mod matching;
pub mod provider;
pub mod sync;

use std::path::PathBuf;

use schoolcert_vuln::priority::PriorityConfig;
use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult};

/// NCSC-NL's CSAF provider (Security Advisories), configured by default.
pub const NCSC_NL_PROVIDER: &str =
    "https://advisories.ncsc.nl/.well-known/csaf/provider-metadata.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct VulnConfig {
    /// `provider-metadata.json` URLs of CSAF providers to sync from.
    pub providers: Vec<String>,
    /// Hours between scheduled syncs inside `serve` (0: never).
    pub sync_every_hours: u32,
    /// At most this many documents per provider per run.
    pub sync_max_documents: usize,
    /// KEV on an internet-facing product notifies the matched boards at once with a standard
    /// text (the analyst follows up).
    pub automatic_p1: bool,
    pub priority: PriorityConfig,
    /// The CERT's OpenPGP secret key (armoured) for signing published CSAF documents. Without
    /// it a key is generated once and kept in the database.
    pub signing_key_path: Option<PathBuf>,
    pub signing_key_passphrase: String,
    /// `document.publisher.namespace` of the CERT's advisories.
    pub publisher_namespace: String,
    pub publisher_contact: Option<String>,
}

impl Default for VulnConfig {
    fn default() -> Self {
        VulnConfig {
            providers: vec![NCSC_NL_PROVIDER.to_owned()],
            sync_every_hours: 6,
            sync_max_documents: 500,
            automatic_p1: true,
            priority: PriorityConfig::default(),
            signing_key_path: None,
            signing_key_passphrase: String::new(),
            publisher_namespace: "https://www.schoolcert.nl".into(),
            publisher_contact: Some("cert@schoolcert.nl".into()),
        }
    }
}

/// The stable snake_case code of a serde enum value (`affected`, `cpe`, `P1`).
pub(crate) fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> AppResult<T> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Internal(format!("stored {what} cannot be read: {e}")))
}
