//! CSAF documents in: load (2.0 strictly, 2.1 drafts tolerantly), validate with `csaf-rs`
//! (schema + mandatory tests), read into our model, and derive matching statements.
//! Invalid 2.0 documents are refused with a report naming each failed test.

mod extract;
mod model;
mod statements;
mod validate;

#[cfg(test)]
mod tests;

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ingest::{Batch, InputError};

pub use extract::ExtractError;
pub use model::*;
pub use validate::{Finding, PUBLISH_EXTRA_TESTS, ValidationReport, validate};

/// Documents larger than this are refused before parsing (the standard's guidance is far
/// larger; no school-relevant advisory comes near it).
pub const MAX_DOCUMENT_BYTES: usize = 15 * 1024 * 1024;

/// A document that passed: the model, the validation report (warnings, and for 2.1 drafts
/// the tolerated errors), and the SHA-256 of the bytes for idempotent storage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadedCsaf {
    pub document: CsafDocument,
    pub report: ValidationReport,
    pub sha256: String,
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsafLoadError {
    #[error("the document is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("not JSON: {0}")]
    Json(String),
    #[error("document.csaf_version is missing")]
    NoVersion,
    #[error("CSAF version '{0}' is not supported (2.0 and 2.1 are)")]
    UnsupportedVersion(String),
    #[error("{} fails CSAF validation:\n{}", tracking_id.as_deref().unwrap_or("the document"), report.summary())]
    Invalid {
        tracking_id: Option<String>,
        report: ValidationReport,
    },
    #[error("the document cannot be read: {0}")]
    Extract(#[from] ExtractError),
}

impl Localized for CsafLoadError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CsafLoadError::TooLarge { size, limit }, Lang::Nl) => {
                format!("Het document is {size} bytes, groter dan de grens van {limit}.")
            }
            (CsafLoadError::Json(e), Lang::Nl) => format!("Dit is geen geldige JSON: {e}"),
            (CsafLoadError::NoVersion, Lang::Nl) => {
                "Het veld document.csaf_version ontbreekt; dit is geen CSAF-document.".into()
            }
            (CsafLoadError::UnsupportedVersion(v), Lang::Nl) => {
                format!("CSAF-versie '{v}' wordt niet ondersteund (wel 2.0 en 2.1).")
            }
            (
                CsafLoadError::Invalid {
                    tracking_id,
                    report,
                },
                Lang::Nl,
            ) => format!(
                "{} voldoet niet aan de verplichte CSAF-tests ({}):\n{}",
                tracking_id.as_deref().unwrap_or("Het document"),
                report.failed_tests().join(", "),
                report.summary()
            ),
            (CsafLoadError::Extract(e), Lang::Nl) => {
                format!("Het document is niet te lezen: {e}")
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// Detects the declared version.
pub fn detect_version(root: &serde_json::Value) -> Result<CsafVersion, CsafLoadError> {
    let v = root
        .get("document")
        .and_then(|d| d.get("csaf_version"))
        .and_then(|v| v.as_str())
        .ok_or(CsafLoadError::NoVersion)?;
    match v.trim() {
        "2.0" => Ok(CsafVersion::V2_0),
        t if t == "2.1" || t.starts_with("2.1-") => Ok(CsafVersion::V2_1),
        other => Err(CsafLoadError::UnsupportedVersion(other.to_owned())),
    }
}

/// Loads one document: size check, JSON, version, validation (schema + mandatory tests),
/// then our model. A 2.0 document with any failed mandatory test is refused; a 2.1 draft
/// document is accepted when it can be read, its findings kept in the report (the draft
/// tests may still change).
pub fn load(bytes: &[u8]) -> Result<LoadedCsaf, CsafLoadError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(CsafLoadError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let root: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| CsafLoadError::Json(e.to_string()))?;
    let version = detect_version(&root)?;
    let report = validate(&root, version, &[]);
    if version == CsafVersion::V2_0 && !report.is_valid() {
        let tracking_id = root
            .get("document")
            .and_then(|d| d.get("tracking"))
            .and_then(|t| t.get("id"))
            .and_then(|i| i.as_str())
            .map(str::to_owned);
        return Err(CsafLoadError::Invalid {
            tracking_id,
            report,
        });
    }
    let document = extract::extract(&root, version)?;
    Ok(LoadedCsaf {
        document,
        report,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

/// Loads many documents (a folder, a downloaded batch) given as (name, bytes). A refused
/// document is reported by name with the reason (in `lang`); the rest are kept.
pub fn load_many<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    lang: Lang,
) -> Batch<LoadedCsaf> {
    let mut batch = Batch::default();
    for (name, bytes) in inputs {
        for (i, part) in split_json_seq(bytes).into_iter().enumerate() {
            match load(part) {
                Ok(doc) => batch.accepted.push(doc),
                Err(e) => {
                    let source = if i == 0 {
                        name.to_owned()
                    } else {
                        format!("{name} #{}", i + 1)
                    };
                    batch.refused.push(InputError::new(source, e.message(lang)));
                }
            }
        }
    }
    batch
}

/// Splits an RFC 7464 JSON text sequence (records separated by 0x1E) into records; a plain
/// JSON document is one record.
pub fn split_json_seq(bytes: &[u8]) -> Vec<&[u8]> {
    if !bytes.contains(&0x1E) {
        return vec![bytes];
    }
    bytes
        .split(|b| *b == 0x1E)
        .filter(|p| p.iter().any(|b| !b.is_ascii_whitespace()))
        .collect()
}
