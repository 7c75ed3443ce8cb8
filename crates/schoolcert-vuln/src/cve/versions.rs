//! The version data of one CVE `affected[]` entry and the record format's own evaluation
//! algorithm (CVE schema, `versions` description), made three-valued: any comparison that
//! cannot be decided yields `unknown`, never a guess.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::version::{VersionKey, VersionScheme};

/// A CVE version status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CveStatus {
    Affected,
    Unaffected,
    Unknown,
}

impl CveStatus {
    /// Reads `affected`, `unaffected`, `unknown`; anything else is `unknown`.
    pub fn parse(s: &str) -> CveStatus {
        match s.trim() {
            "affected" => CveStatus::Affected,
            "unaffected" => CveStatus::Unaffected,
            _ => CveStatus::Unknown,
        }
    }
}

/// A `changes[]` item: from version `at` on, the status becomes `status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CveChange {
    pub at: String,
    pub status: CveStatus,
}

/// One `versions[]` item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CveVersionEntry {
    pub version: String,
    pub status: CveStatus,
    pub version_type: Option<String>,
    pub less_than: Option<String>,
    pub less_than_or_equal: Option<String>,
    pub changes: Vec<CveChange>,
}

/// The versions and default status of one affected product.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CveVersions {
    pub entries: Vec<CveVersionEntry>,
    pub default_status: CveStatus,
}

/// Start values that mean "from the first version on" in real records.
fn unbounded_start(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "*" | "unspecified" | "n/a" | "all"
    )
}

/// The scheme to compare one entry with: the catalogue's vendor scheme wins; `git` commit
/// ids cannot be ordered; `semver` is honoured when the product uses plain dotted numbers.
fn scheme_for(entry: &CveVersionEntry, product: VersionScheme) -> Option<VersionScheme> {
    if product == VersionScheme::None {
        return None;
    }
    if product.is_vendor_specific() {
        return Some(product);
    }
    match entry.version_type.as_deref() {
        Some("git") => None,
        Some("semver") if product == VersionScheme::Dotted => Some(VersionScheme::Semver),
        _ => Some(product),
    }
}

/// An upper bound: a version, `*` (none), or `1.2.*` (everything starting with 1.2).
enum Upper {
    Unbounded,
    Key(VersionKey),
    Prefix(Vec<u64>),
}

fn upper(bound: &str, scheme: VersionScheme) -> Option<Upper> {
    let b = bound.trim();
    if b == "*" {
        return Some(Upper::Unbounded);
    }
    if let Some(prefix) = b.strip_suffix(".*") {
        // Only numeric dotted schemes have a meaningful "all versions starting with".
        if matches!(
            scheme,
            VersionScheme::Dotted | VersionScheme::Intdot | VersionScheme::MsftBuild
        ) && let Some(VersionKey::Numeric(parts)) = scheme.key(prefix)
        {
            return Some(Upper::Prefix(parts));
        }
        return None;
    }
    scheme.key(b).map(Upper::Key)
}

fn below(v: &VersionKey, bound: &Upper, inclusive: bool) -> bool {
    match bound {
        Upper::Unbounded => true,
        Upper::Key(k) => {
            let o = v.cmp(k);
            o == Ordering::Less || (inclusive && o == Ordering::Equal)
        }
        Upper::Prefix(p) => match v {
            VersionKey::Numeric(parts) => {
                let head: Vec<u64> = (0..p.len())
                    .map(|i| parts.get(i).copied().unwrap_or(0))
                    .collect();
                head <= *p
            }
            VersionKey::Semver(_) => false,
        },
    }
}

impl CveVersions {
    /// The status of `version` (as a board recorded it) under the product's scheme.
    pub fn status_of(&self, version: &str, product: VersionScheme) -> CveStatus {
        for e in &self.entries {
            let Some(scheme) = scheme_for(e, product) else {
                return CveStatus::Unknown;
            };
            let Some(v) = scheme.key(version) else {
                return CveStatus::Unknown;
            };
            if e.less_than.is_none() && e.less_than_or_equal.is_none() {
                match scheme.key(&e.version) {
                    Some(k) if k == v => return e.status,
                    Some(_) => continue,
                    None if e.version.trim().eq_ignore_ascii_case(version.trim()) => {
                        return e.status;
                    }
                    None => return CveStatus::Unknown,
                }
            }
            let above_start = if unbounded_start(&e.version) {
                true
            } else {
                match scheme.key(&e.version) {
                    Some(start) => start <= v,
                    None => return CveStatus::Unknown,
                }
            };
            let (bound, inclusive) = match (&e.less_than, &e.less_than_or_equal) {
                (Some(lt), _) => (lt, false),
                (None, Some(le)) => (le, true),
                (None, None) => continue,
            };
            let Some(bound) = upper(bound, scheme) else {
                return CveStatus::Unknown;
            };
            if !(above_start && below(&v, &bound, inclusive)) {
                continue;
            }
            let mut changes = Vec::with_capacity(e.changes.len());
            for c in &e.changes {
                match scheme.key(&c.at) {
                    Some(k) => changes.push((k, c.status)),
                    None => return CveStatus::Unknown,
                }
            }
            changes.sort_by(|a, b| a.0.cmp(&b.0));
            let mut status = e.status;
            for (at, s) in changes {
                if at <= v {
                    status = s;
                }
            }
            return status;
        }
        self.default_status
    }

    /// The status when the board recorded no version (or the product is SaaS): decided only
    /// when every version has the same status.
    pub fn status_without_version(&self) -> CveStatus {
        if self.entries.is_empty() {
            return self.default_status;
        }
        let all_unaffected = self.default_status == CveStatus::Unaffected
            && self.entries.iter().all(|e| {
                e.status == CveStatus::Unaffected
                    && e.changes.iter().all(|c| c.status == CveStatus::Unaffected)
            });
        if all_unaffected {
            CveStatus::Unaffected
        } else {
            CveStatus::Unknown
        }
    }

    /// Versions that end an affected range: `lessThan` bounds and `changes` to unaffected.
    pub fn fixed_versions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in &self.entries {
            if e.status != CveStatus::Affected {
                continue;
            }
            if let Some(lt) = &e.less_than
                && lt != "*"
                && !lt.ends_with(".*")
            {
                out.push(lt.trim().to_owned());
            }
            for c in &e.changes {
                if c.status == CveStatus::Unaffected {
                    out.push(c.at.trim().to_owned());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}
