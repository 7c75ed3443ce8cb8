//! cvelistV5's change lists: `cves/delta.json` (the last run) and `cves/deltaLog.json` (recent
//! runs), telling an incremental sync which records to fetch.

use std::collections::BTreeMap;

use schoolcert_domain::Timestamp;
use schoolcert_domain::time::parse_rfc3339;
use serde::{Deserialize, Serialize};

use super::CveError;
use crate::ids::CveId;

/// One changed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaEntry {
    pub cve_id: CveId,
    /// Raw-file link in the repository, when given.
    pub github_link: Option<String>,
    pub cve_org_link: Option<String>,
    pub date_updated: Option<Timestamp>,
}

/// One delta: new and updated records since the previous run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CveDelta {
    pub fetch_time: Option<Timestamp>,
    pub new: Vec<DeltaEntry>,
    pub updated: Vec<DeltaEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDelta {
    #[serde(default)]
    fetch_time: Option<String>,
    #[serde(default)]
    new: Vec<RawEntry>,
    #[serde(default)]
    updated: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    cve_id: String,
    #[serde(default)]
    github_link: Option<String>,
    #[serde(default)]
    cve_org_link: Option<String>,
    #[serde(default)]
    date_updated: Option<String>,
}

fn convert(d: RawDelta) -> CveDelta {
    // An entry with a malformed id cannot be fetched by id; it is skipped.
    let entries = |v: Vec<RawEntry>| {
        v.into_iter()
            .filter_map(|e| {
                Some(DeltaEntry {
                    cve_id: e.cve_id.parse().ok()?,
                    github_link: e.github_link,
                    cve_org_link: e.cve_org_link,
                    date_updated: e.date_updated.as_deref().and_then(parse_rfc3339),
                })
            })
            .collect()
    };
    CveDelta {
        fetch_time: d.fetch_time.as_deref().and_then(parse_rfc3339),
        new: entries(d.new),
        updated: entries(d.updated),
    }
}

/// Parses `delta.json`.
pub fn parse_delta(bytes: &[u8]) -> Result<CveDelta, CveError> {
    let d: RawDelta = serde_json::from_slice(bytes).map_err(|e| CveError::Json(e.to_string()))?;
    Ok(convert(d))
}

/// Parses `deltaLog.json` (an array of deltas, newest first).
pub fn parse_delta_log(bytes: &[u8]) -> Result<Vec<CveDelta>, CveError> {
    let d: Vec<RawDelta> =
        serde_json::from_slice(bytes).map_err(|e| CveError::Json(e.to_string()))?;
    Ok(d.into_iter().map(convert).collect())
}

/// Where a record lives in a cvelistV5 checkout: `cves/<year>/<thousands>xxx/<id>.json`
/// (CVE-2024-3400 → `cves/2024/3xxx/CVE-2024-3400.json`), so a delta file can be resolved
/// against the checkout it came with.
pub fn record_path(id: &CveId) -> Option<String> {
    let year = id.year()?;
    let number: u64 = id.as_str().get(9..)?.parse().ok()?;
    Some(format!(
        "cves/{year}/{}xxx/{}.json",
        number / 1000,
        id.as_str()
    ))
}

/// The records to fetch since `since` (exclusive): every new or updated entry of deltas
/// fetched after it, once per CVE with its latest update, ordered by id.
pub fn changed_since(deltas: &[CveDelta], since: Option<Timestamp>) -> Vec<DeltaEntry> {
    let mut latest: BTreeMap<CveId, DeltaEntry> = BTreeMap::new();
    for d in deltas {
        if let (Some(since), Some(t)) = (since, d.fetch_time)
            && t <= since
        {
            continue;
        }
        for e in d.new.iter().chain(&d.updated) {
            let keep = match latest.get(&e.cve_id) {
                Some(old) => e.date_updated > old.date_updated,
                None => true,
            };
            if keep {
                latest.insert(e.cve_id.clone(), e.clone());
            }
        }
    }
    latest.into_values().collect()
}
