//! Our version-neutral model of a CSAF document (2.0 or 2.1): identity, tracking, notes,
//! the product tree flattened to product ids with their identifiers and versions, and the
//! vulnerabilities with per-product status, remediations, scores and threats.

use std::cmp::Ordering;

use schoolcert_domain::{Timestamp, Tlp};
use serde::{Deserialize, Serialize};

use crate::ids::{CveId, DocumentKey};
use crate::statement::{ProductStatus, RemediationCategory};
use crate::version::VersionSpec;

/// Which CSAF version the document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CsafVersion {
    #[serde(rename = "2.0")]
    V2_0,
    /// CSAF 2.1 (a committee draft): parsed tolerantly, never published.
    #[serde(rename = "2.1")]
    V2_1,
}

impl CsafVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            CsafVersion::V2_0 => "2.0",
            CsafVersion::V2_1 => "2.1",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackingStatus {
    Draft,
    Interim,
    Final,
}

/// One `revision_history` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub number: String,
    pub date: Option<Timestamp>,
    pub summary: String,
}

/// `document.tracking`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub id: String,
    pub status: TrackingStatus,
    pub version: String,
    pub initial_release_date: Option<Timestamp>,
    pub current_release_date: Option<Timestamp>,
    pub revisions: Vec<Revision>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    pub name: String,
    pub namespace: String,
    pub category: String,
}

/// A note (document or vulnerability level). Its text may be Markdown: render it only with
/// [`crate::feed::markdown_to_safe_html`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub category: String,
    pub title: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub url: String,
    pub summary: String,
    /// `external` (default) or `self`.
    pub category: String,
}

/// A product of the flattened product tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsafProduct {
    pub product_id: String,
    /// `full_product_name.name`.
    pub name: String,
    /// From the `vendor` branch.
    pub vendor: Option<String>,
    /// From the `product_name` branch (else the `product_family` branch).
    pub product_name: Option<String>,
    /// From `product_version` (exact) or `product_version_range` (range) branches.
    pub versions: VersionSpec,
    pub cpe: Option<String>,
    pub purls: Vec<String>,
    /// For products defined by a relationship (2.0) or product path (2.1): the category
    /// (`installed_on`, …) and the product whose identity this one carries.
    pub relationship: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsafRemediation {
    pub category: RemediationCategory,
    pub details: String,
    pub url: Option<String>,
    /// Product ids, with groups resolved.
    pub product_ids: Vec<String>,
}

/// A CVSS score (2.0 `scores[]`, 2.1 `metrics[]`) for some products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsafScore {
    pub product_ids: Vec<String>,
    pub cvss_version: String,
    pub base_score: f64,
    pub base_severity: Option<String>,
    pub vector: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threat {
    pub category: String,
    pub details: String,
    pub product_ids: Vec<String>,
}

/// One vulnerability of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsafVulnerability {
    pub cve: Option<CveId>,
    /// `ids[]` as (system_name, text).
    pub ids: Vec<(String, String)>,
    pub title: Option<String>,
    pub cwes: Vec<String>,
    pub notes: Vec<Note>,
    /// Every (product id, status) pair of `product_status`.
    pub product_status: Vec<(String, ProductStatus)>,
    pub remediations: Vec<CsafRemediation>,
    pub scores: Vec<CsafScore>,
    pub threats: Vec<Threat>,
    /// 2.1 `metrics[].content.epss.probability`, when given.
    pub epss: Option<f64>,
}

/// A CSAF document in our model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsafDocument {
    pub csaf_version: CsafVersion,
    pub key: DocumentKey,
    pub category: String,
    pub title: String,
    pub publisher: Publisher,
    /// TLP 1.0 `WHITE` reads as CLEAR; no label: `None`.
    pub tlp: Option<Tlp>,
    pub lang: Option<String>,
    pub tracking: Tracking,
    pub notes: Vec<Note>,
    pub references: Vec<Reference>,
    pub aggregate_severity: Option<String>,
    pub products: Vec<CsafProduct>,
    pub vulnerabilities: Vec<CsafVulnerability>,
}

/// How a newer revision's version relates to an older one of the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionChange {
    Older,
    Same,
    Patch,
    Minor,
    /// Semantic major change: CSAF 3.1.11 says the asset comparison must be redone.
    Major,
    /// Integer versioning (`1`, `2`): every increase may change the product tree.
    IntegerIncrease,
    /// The versions cannot be compared (mixed schemes): treated as a major change.
    Incomparable,
}

impl VersionChange {
    /// Whether matching must run again for the new revision (CSAF 9.1.13: a major version
    /// change). Minor and patch revisions keep the matches as they are.
    pub fn requires_rematch(self) -> bool {
        matches!(
            self,
            VersionChange::Major | VersionChange::IntegerIncrease | VersionChange::Incomparable
        )
    }

    /// Whether the new revision should replace the stored one.
    pub fn is_newer(self) -> bool {
        !matches!(self, VersionChange::Older | VersionChange::Same)
    }
}

/// Compares two `tracking.version` values (integer or semantic versioning).
pub fn version_change(old: &str, new: &str) -> VersionChange {
    if let (Ok(a), Ok(b)) = (old.trim().parse::<u64>(), new.trim().parse::<u64>()) {
        return match b.cmp(&a) {
            Ordering::Less => VersionChange::Older,
            Ordering::Equal => VersionChange::Same,
            Ordering::Greater => VersionChange::IntegerIncrease,
        };
    }
    let (Ok(a), Ok(b)) = (
        semver::Version::parse(old.trim()),
        semver::Version::parse(new.trim()),
    ) else {
        return VersionChange::Incomparable;
    };
    match b.cmp(&a) {
        Ordering::Less => VersionChange::Older,
        Ordering::Equal => VersionChange::Same,
        Ordering::Greater if b.major != a.major => VersionChange::Major,
        Ordering::Greater if b.minor != a.minor => VersionChange::Minor,
        Ordering::Greater => VersionChange::Patch,
    }
}

impl CsafDocument {
    /// How `newer` relates to `self` as a revision: `None` when it is another document.
    pub fn revision_change(&self, newer: &CsafDocument) -> Option<VersionChange> {
        (self.key == newer.key)
            .then(|| version_change(&self.tracking.version, &newer.tracking.version))
    }

    pub fn product(&self, product_id: &str) -> Option<&CsafProduct> {
        self.products.iter().find(|p| p.product_id == product_id)
    }

    /// The first note of one of the given categories (e.g. `summary`).
    pub fn note(&self, categories: &[&str]) -> Option<&Note> {
        self.notes
            .iter()
            .find(|n| categories.contains(&n.category.as_str()))
    }

    /// The `self` reference: the document's canonical URL.
    pub fn canonical_url(&self) -> Option<&str> {
        self.references
            .iter()
            .find(|r| r.category == "self")
            .map(|r| r.url.as_str())
    }
}

/// CSAF 5.1: the file name of a document from its tracking id (`BSI-2022-0001` →
/// `bsi-2022-0001.json`).
pub fn file_name(tracking_id: &str) -> String {
    let mut out = String::with_capacity(tracking_id.len() + 5);
    let mut gap = false;
    for c in tracking_id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
            gap = false;
        } else if !gap {
            out.push('_');
            gap = true;
        }
    }
    out.push_str(".json");
    out
}
