//! CVE JSON 5.x records (cvelistV5): parsing into our model, tolerant of 5.0–5.2 and later
//! minor versions, and turning `affected[]` entries of the CNA and ADP containers into
//! matching statements. Also the cvelistV5 `delta.json` / `deltaLog.json` files.

mod delta;
mod raw;
mod versions;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use chrono::NaiveDate;
use schoolcert_domain::Timestamp;
use schoolcert_domain::time::parse_rfc3339;
use serde::{Deserialize, Serialize};

use crate::cpe::CpeName;
use crate::ids::{CveId, VulnKey};
use crate::ingest::{Batch, InputError};
use crate::statement::{
    AdvisoryProduct, Applicability, Remediation, RemediationCategory, SourceRef, Statement,
};

pub use delta::{CveDelta, DeltaEntry, changed_since, parse_delta, parse_delta_log, record_path};
pub use versions::{CveChange, CveStatus, CveVersionEntry, CveVersions};

/// Why a CVE record cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CveError {
    #[error("not a CVE JSON 5 record: {0}")]
    Json(String),
    #[error("dataType is '{0}', expected CVE_RECORD")]
    DataType(String),
    #[error("dataVersion '{0}' is not 5.x")]
    DataVersion(String),
    #[error(transparent)]
    Id(#[from] crate::ids::BadCveId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CveState {
    Published,
    Rejected,
}

/// A CVSS score as a record states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// `4.0`, `3.1`, `3.0` or `2.0`.
    pub version: String,
    pub base_score: f64,
    pub base_severity: Option<String>,
    pub vector: Option<String>,
}

/// CISA's SSVC decision points from the Vulnrichment ADP container.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ssvc {
    pub exploitation: Option<String>,
    pub automatable: Option<String>,
    pub technical_impact: Option<String>,
}

/// One `affected[]` entry with the container it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CveAffected {
    /// `cna` or the ADP's short name (`CISA-ADP`).
    pub container: String,
    pub vendor: Option<String>,
    pub product: Option<String>,
    /// CPEs that parsed; the others are dropped (they would not match anything).
    pub cpes: Vec<CpeName>,
    pub platforms: Vec<String>,
    pub versions: Arc<CveVersions>,
}

/// A CVE record, reduced to what the CERT uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CveRecord {
    pub id: CveId,
    pub state: CveState,
    pub data_version: Option<String>,
    pub assigner: Option<String>,
    pub date_published: Option<Timestamp>,
    pub date_updated: Option<Timestamp>,
    pub title: Option<String>,
    /// The English description (or the first one).
    pub description: Option<String>,
    /// The highest CVSS version the CNA gives, else the ADPs'.
    pub cvss: Option<Cvss>,
    pub cwes: Vec<String>,
    pub references: Vec<String>,
    pub affected: Vec<CveAffected>,
    pub solutions: Vec<String>,
    pub workarounds: Vec<String>,
    /// When CISA's ADP container records the CVE as added to KEV.
    pub adp_kev_date_added: Option<NaiveDate>,
    pub ssvc: Option<Ssvc>,
}

/// Parses one record.
pub fn parse_record(bytes: &[u8]) -> Result<CveRecord, CveError> {
    let r: raw::Record =
        serde_json::from_slice(bytes).map_err(|e| CveError::Json(e.to_string()))?;
    convert(r)
}

/// Parses many records (a folder, a release zip's entries) given as (name, bytes); a bad
/// record is refused by name and the rest are kept.
pub fn parse_records<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Batch<CveRecord> {
    let mut batch = Batch::default();
    for (name, bytes) in inputs {
        match parse_record(bytes) {
            Ok(r) => batch.accepted.push(r),
            Err(e) => batch.refused.push(InputError::new(name, e.to_string())),
        }
    }
    batch
}

fn convert(r: raw::Record) -> Result<CveRecord, CveError> {
    if let Some(t) = &r.data_type
        && t != "CVE_RECORD"
    {
        return Err(CveError::DataType(t.clone()));
    }
    if let Some(v) = &r.data_version
        && !(v == "5" || v.starts_with("5."))
    {
        return Err(CveError::DataVersion(v.clone()));
    }
    let id: CveId = r.cve_metadata.cve_id.parse()?;
    let state = match r.cve_metadata.state.as_deref() {
        Some("REJECTED") => CveState::Rejected,
        _ => CveState::Published,
    };
    let mut record = CveRecord {
        id,
        state,
        data_version: r.data_version,
        assigner: r.cve_metadata.assigner_short_name,
        date_published: r
            .cve_metadata
            .date_published
            .as_deref()
            .and_then(parse_date),
        date_updated: r.cve_metadata.date_updated.as_deref().and_then(parse_date),
        title: None,
        description: None,
        cvss: None,
        cwes: Vec::new(),
        references: Vec::new(),
        affected: Vec::new(),
        solutions: Vec::new(),
        workarounds: Vec::new(),
        adp_kev_date_added: None,
        ssvc: None,
    };
    let mut cna_cvss = None;
    let mut adp_cvss = None;
    if let Some(cna) = &r.containers.cna {
        record.title = cna.title.clone();
        record.description = english(&cna.descriptions).or_else(|| english(&cna.rejected_reasons));
        read_container(cna, "cna", &mut record);
        cna_cvss = best_cvss(&cna.metrics);
    }
    for adp in &r.containers.adp {
        let name = adp
            .provider_metadata
            .as_ref()
            .and_then(|p| p.short_name.clone())
            .unwrap_or_else(|| "adp".into());
        read_container(adp, &name, &mut record);
        if adp_cvss.is_none() {
            adp_cvss = best_cvss(&adp.metrics);
        }
        read_adp_other(&adp.metrics, &mut record);
    }
    record.cvss = cna_cvss.or(adp_cvss);
    record.cwes.sort();
    record.cwes.dedup();
    record.references.sort();
    record.references.dedup();
    Ok(record)
}

/// Accepts RFC 3339 with or without offset (`2024-04-12T08:15:00` appears in older records).
fn parse_date(s: &str) -> Option<Timestamp> {
    parse_rfc3339(s).or_else(|| parse_rfc3339(&format!("{}Z", s.trim())))
}

fn english(values: &[raw::LangValue]) -> Option<String> {
    values
        .iter()
        .find(|d| d.lang.to_ascii_lowercase().starts_with("en"))
        .or_else(|| values.first())
        .map(|d| d.value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// "n/a" and friends are placeholders, not names: keep them out of alias matching.
fn real_name(s: &Option<String>) -> Option<String> {
    let t = s.as_deref()?.trim();
    if t.is_empty()
        || matches!(
            t.to_ascii_lowercase().as_str(),
            "n/a" | "na" | "unknown" | "-"
        )
    {
        None
    } else {
        Some(t.to_owned())
    }
}

fn read_container(c: &raw::Container, name: &str, record: &mut CveRecord) {
    for a in &c.affected {
        let entries = a
            .versions
            .iter()
            .map(|v| CveVersionEntry {
                version: v.version.trim().to_owned(),
                status: CveStatus::parse(&v.status),
                version_type: v.version_type.clone(),
                less_than: v.less_than.clone(),
                less_than_or_equal: v.less_than_or_equal.clone(),
                changes: v
                    .changes
                    .iter()
                    .map(|c| CveChange {
                        at: c.at.trim().to_owned(),
                        status: CveStatus::parse(&c.status),
                    })
                    .collect(),
            })
            .collect();
        record.affected.push(CveAffected {
            container: name.to_owned(),
            vendor: real_name(&a.vendor),
            product: real_name(&a.product).or_else(|| real_name(&a.package_name)),
            cpes: a
                .cpes
                .iter()
                .filter_map(|c| CpeName::parse(c).ok())
                .collect(),
            platforms: a.platforms.clone(),
            versions: Arc::new(CveVersions {
                entries,
                default_status: a
                    .default_status
                    .as_deref()
                    .map_or(CveStatus::Unknown, CveStatus::parse),
            }),
        });
    }
    for p in &c.problem_types {
        for d in &p.descriptions {
            if let Some(cwe) = &d.cwe_id {
                record.cwes.push(cwe.trim().to_owned());
            }
        }
    }
    record
        .references
        .extend(c.references.iter().map(|r| r.url.trim().to_owned()));
    if let Some(s) = english(&c.solutions) {
        record.solutions.push(s);
    }
    if let Some(w) = english(&c.workarounds) {
        record.workarounds.push(w);
    }
}

fn best_cvss(metrics: &[serde_json::Value]) -> Option<Cvss> {
    for (key, version) in [
        ("cvssV4_0", "4.0"),
        ("cvssV3_1", "3.1"),
        ("cvssV3_0", "3.0"),
        ("cvssV2_0", "2.0"),
    ] {
        for m in metrics {
            let Some(obj) = m.get(key) else { continue };
            let Some(base_score) = obj.get("baseScore").and_then(serde_json::Value::as_f64) else {
                continue;
            };
            return Some(Cvss {
                version: version.into(),
                base_score,
                base_severity: obj
                    .get("baseSeverity")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                vector: obj
                    .get("vectorString")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
            });
        }
    }
    None
}

/// CISA ADP `other` metrics: `kev` (dateAdded) and `ssvc` (options).
fn read_adp_other(metrics: &[serde_json::Value], record: &mut CveRecord) {
    for m in metrics {
        let Some(other) = m.get("other") else {
            continue;
        };
        let content = other.get("content");
        match other.get("type").and_then(|t| t.as_str()) {
            Some("kev") => {
                record.adp_kev_date_added = content
                    .and_then(|c| c.get("dateAdded"))
                    .and_then(|d| d.as_str())
                    .and_then(|d| d.get(..10))
                    .and_then(|d| d.parse().ok());
            }
            Some("ssvc") => {
                let mut ssvc = Ssvc::default();
                let options = content
                    .and_then(|c| c.get("options"))
                    .and_then(|o| o.as_array())
                    .cloned()
                    .unwrap_or_default();
                for o in options {
                    let Some(obj) = o.as_object() else { continue };
                    for (k, v) in obj {
                        let v = v.as_str().map(str::to_owned);
                        match k.as_str() {
                            "Exploitation" => ssvc.exploitation = v,
                            "Automatable" => ssvc.automatable = v,
                            "Technical Impact" => ssvc.technical_impact = v,
                            _ => {}
                        }
                    }
                }
                record.ssvc = Some(ssvc);
            }
            _ => {}
        }
    }
}

impl CveRecord {
    /// One statement per `affected[]` entry of every container. Rejected records say
    /// nothing about products.
    pub fn statements(&self) -> Vec<Statement> {
        if self.state == CveState::Rejected {
            return Vec::new();
        }
        let vulnerability = VulnKey::Cve {
            id: self.id.clone(),
        };
        let mut remediations: Vec<Remediation> = self
            .solutions
            .iter()
            .map(|s| Remediation {
                category: RemediationCategory::VendorFix,
                details: s.clone(),
                url: None,
            })
            .collect();
        remediations.extend(self.workarounds.iter().map(|w| Remediation {
            category: RemediationCategory::Workaround,
            details: w.clone(),
            url: None,
        }));
        remediations.sort();
        remediations.dedup();
        let remediations: Arc<[Remediation]> = Arc::from(remediations);
        let mut sources: Vec<Arc<SourceRef>> = Vec::new();
        self.affected
            .iter()
            .map(|a| {
                let source = match sources.iter().find(
                    |s| matches!(&***s, SourceRef::Cve { container } if *container == a.container),
                ) {
                    Some(s) => s.clone(),
                    None => {
                        let s = Arc::new(SourceRef::Cve {
                            container: a.container.clone(),
                        });
                        sources.push(s.clone());
                        s
                    }
                };
                Statement {
                    vulnerability: vulnerability.clone(),
                    source,
                    product: Arc::new(AdvisoryProduct {
                        vendor: a.vendor.clone(),
                        name: a.product.clone(),
                        full_name: None,
                        cpes: a.cpes.clone(),
                        purls: Vec::new(),
                    }),
                    applicability: Applicability::Cve {
                        versions: a.versions.clone(),
                    },
                    remediations: remediations.clone(),
                    fixed_versions: Arc::from(a.versions.fixed_versions()),
                }
            })
            .collect()
    }
}
