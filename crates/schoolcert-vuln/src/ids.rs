//! Identifiers of vulnerability information: CVE ids (the one join key between CSAF, CVE,
//! KEV and EPSS), vulnerability keys for statements without a CVE, and CSAF document
//! identities.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A CVE id such as `CVE-2024-3400`, validated and upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CveId(Arc<str>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a CVE id (expected CVE-YYYY-NNNN)")]
pub struct BadCveId(pub String);

impl CveId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year part, used for folder layouts and statistics.
    pub fn year(&self) -> Option<u16> {
        self.0.get(4..8).and_then(|y| y.parse().ok())
    }
}

impl FromStr for CveId {
    type Err = BadCveId;

    /// Accepts `CVE-YYYY-NNNN…` (four or more digits), case-insensitively, trimmed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let ok = t.len() >= 13
            && t.starts_with("CVE-")
            && t.as_bytes().get(8) == Some(&b'-')
            && t[4..8].bytes().all(|b| b.is_ascii_digit())
            && t[9..].bytes().all(|b| b.is_ascii_digit())
            && t.len() - 9 <= 19;
        if ok {
            Ok(CveId(Arc::from(t)))
        } else {
            Err(BadCveId(s.trim().to_owned()))
        }
    }
}

impl TryFrom<String> for CveId {
    type Error = BadCveId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CveId> for String {
    fn from(c: CveId) -> Self {
        c.0.to_string()
    }
}

impl fmt::Display for CveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a statement is about: a CVE when there is one, otherwise the publisher's own id
/// (CSAF `vulnerabilities[].ids[]`) or, as a last resort, the document and the position of
/// the vulnerability in it. Cheap to clone: matches of one vulnerability share it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VulnKey {
    Cve { id: CveId },
    Other { system: Arc<str>, id: Arc<str> },
}

impl VulnKey {
    pub fn cve(&self) -> Option<&CveId> {
        match self {
            VulnKey::Cve { id } => Some(id),
            VulnKey::Other { .. } => None,
        }
    }
}

impl fmt::Display for VulnKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VulnKey::Cve { id } => id.fmt(f),
            VulnKey::Other { system, id } => write!(f, "{system}:{id}"),
        }
    }
}

/// The globally unique identity of a CSAF document: publisher namespace plus tracking id.
/// A newer revision of the same identity replaces the older one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentKey {
    pub publisher_namespace: String,
    pub tracking_id: String,
}

impl fmt::Display for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.publisher_namespace, self.tracking_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_ids_are_validated_and_normalised() {
        let id: CveId = " cve-2024-3400 ".parse().unwrap();
        assert_eq!(id.as_str(), "CVE-2024-3400");
        assert_eq!(id.year(), Some(2024));
        assert!("CVE-2024-123456789".parse::<CveId>().is_ok());
        for bad in [
            "CVE-24-3400",
            "CVE-2024-340",
            "GHSA-xxxx",
            "CVE-2024-34a0",
            "",
        ] {
            assert!(bad.parse::<CveId>().is_err(), "{bad}");
        }
    }
}
