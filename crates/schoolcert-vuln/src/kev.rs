//! CISA's Known Exploited Vulnerabilities catalog (JSON). Joined to everything else by CVE id
//! only: its vendor and product strings are free text that drifts ("Pulse Secure" →
//! "Ivanti") and are never used for matching.

use chrono::NaiveDate;
use schoolcert_domain::Timestamp;
use schoolcert_domain::time::parse_rfc3339;
use serde::{Deserialize, Serialize};

use crate::ids::CveId;
use crate::ingest::InputError;

/// One KEV entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve_id: CveId,
    pub vendor_project: String,
    pub product: String,
    pub vulnerability_name: String,
    pub date_added: NaiveDate,
    pub short_description: String,
    pub required_action: String,
    /// A US federal deadline: an urgency hint, not a Dutch obligation.
    pub due_date: Option<NaiveDate>,
    /// `knownRansomwareCampaignUse` is "Known".
    pub known_ransomware_use: bool,
    pub notes: Option<String>,
    pub cwes: Vec<String>,
}

/// The catalog header and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevCatalog {
    pub catalog_version: String,
    pub date_released: Option<Timestamp>,
    pub entries: Vec<KevEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KevError {
    #[error("not a KEV catalog: {0}")]
    Json(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    #[serde(default)]
    catalog_version: String,
    #[serde(default)]
    date_released: Option<String>,
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default)]
    vendor_project: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    date_added: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    required_action: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default)]
    known_ransomware_campaign_use: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    cwes: Option<serde_json::Value>,
}

/// Parses the catalog. A bad entry is refused by its position (`vulnerabilities[12]`) and
/// CVE id when readable; the rest are kept.
pub fn parse(bytes: &[u8]) -> Result<(KevCatalog, Vec<InputError>), KevError> {
    let raw: RawCatalog =
        serde_json::from_slice(bytes).map_err(|e| KevError::Json(e.to_string()))?;
    let mut entries = Vec::with_capacity(raw.vulnerabilities.len());
    let mut errors = Vec::new();
    for (i, v) in raw.vulnerabilities.into_iter().enumerate() {
        let name = v.get("cveID").and_then(|c| c.as_str()).map_or_else(
            || format!("vulnerabilities[{i}]"),
            |c| format!("vulnerabilities[{i}] ({c})"),
        );
        match entry(v) {
            Ok(e) => entries.push(e),
            Err(reason) => errors.push(InputError::new(name, reason)),
        }
    }
    Ok((
        KevCatalog {
            catalog_version: raw.catalog_version,
            date_released: raw.date_released.as_deref().and_then(parse_rfc3339),
            entries,
        },
        errors,
    ))
}

fn entry(v: serde_json::Value) -> Result<KevEntry, String> {
    let r: RawEntry = serde_json::from_value(v).map_err(|e| e.to_string())?;
    let cve_id: CveId = r
        .cve_id
        .parse()
        .map_err(|e: crate::ids::BadCveId| e.to_string())?;
    let date = |s: &str| -> Result<NaiveDate, String> {
        s.trim()
            .get(..10)
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| format!("'{s}' is not a date (YYYY-MM-DD)"))
    };
    let cwes = match r.cwes {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect(),
        // The CSV form joins them with commas; some mirrors keep that string in JSON.
        Some(serde_json::Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    Ok(KevEntry {
        cve_id,
        vendor_project: r.vendor_project,
        product: r.product,
        vulnerability_name: r.vulnerability_name,
        date_added: date(&r.date_added)?,
        short_description: r.short_description,
        required_action: r.required_action,
        due_date: r.due_date.as_deref().map(date).transpose()?,
        known_ransomware_use: r
            .known_ransomware_campaign_use
            .is_some_and(|k| k.trim().eq_ignore_ascii_case("known")),
        notes: r.notes.filter(|n| !n.trim().is_empty()),
        cwes,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"{
      "title": "CISA Catalog of Known Exploited Vulnerabilities",
      "catalogVersion": "2025.08.25",
      "dateReleased": "2025-08-25T17:00:00.000Z",
      "count": 3,
      "vulnerabilities": [
        {"cveID": "CVE-2024-3400", "vendorProject": "Palo Alto Networks", "product": "PAN-OS",
         "vulnerabilityName": "Palo Alto Networks PAN-OS Command Injection Vulnerability",
         "dateAdded": "2024-04-12", "shortDescription": "Command injection in GlobalProtect.",
         "requiredAction": "Apply mitigations per vendor instructions.", "dueDate": "2024-04-19",
         "knownRansomwareCampaignUse": "Unknown", "notes": "https://security.paloaltonetworks.com/CVE-2024-3400", "cwes": ["CWE-77"]},
        {"cveID": "CVE-2019-11510", "vendorProject": "Pulse Secure", "product": "Pulse Connect Secure",
         "vulnerabilityName": "Pulse Connect Secure Arbitrary File Read", "dateAdded": "2021-11-03",
         "shortDescription": "Arbitrary file reading.", "requiredAction": "Apply updates.",
         "dueDate": "2022-05-03", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": "CWE-22"},
        {"cveID": "not-a-cve", "dateAdded": "2021-11-03"}
      ]
    }"#;

    #[test]
    fn parses_entries_and_refuses_bad_ones_by_position() {
        let (cat, errors) = parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(cat.catalog_version, "2025.08.25");
        assert_eq!(cat.entries.len(), 2);
        assert!(!cat.entries[0].known_ransomware_use);
        assert!(cat.entries[1].known_ransomware_use);
        assert_eq!(cat.entries[1].cwes, ["CWE-22"]);
        assert_eq!(cat.entries[1].notes, None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].source, "vulnerabilities[2] (not-a-cve)");
        assert!(matches!(parse(b"[]"), Err(KevError::Json(_))));
    }
}
