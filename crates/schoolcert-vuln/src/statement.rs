//! The version-neutral unit that matching works on: one advisory's statement about one
//! product and one vulnerability. CSAF documents and CVE records both become statements.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cpe::CpeName;
use crate::cve::CveVersions;
use crate::ids::{DocumentKey, VulnKey};
use crate::purl::Purl;
use crate::version::VersionSpec;

/// How the advisory names the product. Parsed identifiers are kept beside the names; an
/// identifier that did not parse is dropped from matching (and reported by the parser).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AdvisoryProduct {
    pub vendor: Option<String>,
    pub name: Option<String>,
    /// The full product name as the advisory shows it (CSAF `full_product_name.name`).
    pub full_name: Option<String>,
    pub cpes: Vec<CpeName>,
    pub purls: Vec<Purl>,
}

/// A CSAF product status, reduced to its contradiction group (CSAF test 6.1.6):
/// `first_affected`/`known_affected`/`last_affected` are all "affected", `first_fixed`/`fixed`
/// are "fixed". `recommended` is kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    Affected,
    NotAffected,
    Fixed,
    UnderInvestigation,
    Recommended,
    /// CSAF 2.1's `unknown` set.
    Unknown,
}

/// What the statement says about versions and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Applicability {
    /// CSAF: a status for the product, whose versions are given by the product tree.
    Csaf {
        status: ProductStatus,
        versions: VersionSpec,
    },
    /// CVE: an `affected[]` entry, evaluated with the record's own algorithm.
    Cve { versions: Arc<CveVersions> },
}

/// CSAF remediation categories (CVE `solutions` become `vendor_fix`, `workarounds`
/// become `workaround`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemediationCategory {
    VendorFix,
    Mitigation,
    Workaround,
    NoFixPlanned,
    NoneAvailable,
    /// A category from a newer CSAF version that we do not know.
    Other,
}

impl RemediationCategory {
    pub fn parse(s: &str) -> RemediationCategory {
        match s.trim() {
            "vendor_fix" => RemediationCategory::VendorFix,
            "mitigation" => RemediationCategory::Mitigation,
            "workaround" => RemediationCategory::Workaround,
            "no_fix_planned" => RemediationCategory::NoFixPlanned,
            "none_available" => RemediationCategory::NoneAvailable,
            _ => RemediationCategory::Other,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RemediationCategory::VendorFix => "vendor_fix",
            RemediationCategory::Mitigation => "mitigation",
            RemediationCategory::Workaround => "workaround",
            RemediationCategory::NoFixPlanned => "no_fix_planned",
            RemediationCategory::NoneAvailable => "none_available",
            RemediationCategory::Other => "other",
        }
    }
}

/// What to do about the vulnerability for this product.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Remediation {
    pub category: RemediationCategory,
    pub details: String,
    pub url: Option<String>,
}

/// Where a statement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceRef {
    Csaf {
        document: DocumentKey,
        /// `tracking.version` of the revision the statement was taken from.
        version: String,
    },
    Cve {
        /// The container: `cna` or the ADP's short name (`CISA-ADP`).
        container: String,
    },
}

/// One statement: vulnerability × advisory product × applicability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub vulnerability: VulnKey,
    pub source: Arc<SourceRef>,
    pub product: Arc<AdvisoryProduct>,
    pub applicability: Applicability,
    /// Remediations that name this product (sorted; shared between statements and matches,
    /// which is what keeps a year of matches small).
    pub remediations: Arc<[Remediation]>,
    /// Versions the advisory names as fixed for this product (CSAF `fixed` leaves, CVE
    /// `lessThan` bounds and `changes` to unaffected): the "update to" of a notice.
    pub fixed_versions: Arc<[String]>,
}
