//! Version schemes and three-valued version comparison. A comparison either decides
//! (`Some(Ordering)`) or says it cannot (`None`); callers turn `None` into
//! "version not stated — check" and never into "affected".

mod range;
mod schemes;
mod vers;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use range::{Constraint, Containment, Op, VersionSpec};
pub use vers::{VersError, parse_vers, range_spec};

/// How the versions of a product compare. Set per catalogue product by the CERT; vendor
/// schemes exist because no `vers` type orders hotfix or build suffixes correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionScheme {
    /// Dot-separated integers (`131.0.6778.85`, `4.3.2`); a leading `v` is ignored, missing
    /// trailing parts count as zero. Anything else in the string: undecided.
    #[default]
    Dotted,
    /// The vers `intdot` type, read strictly: like `Dotted`, but a suffix such as `-h1` makes
    /// the comparison undecided instead of being silently dropped.
    Intdot,
    /// Semantic versioning 2.0 (pre-releases sort first); `7.2` reads as `7.2.0`.
    Semver,
    /// Fortinet FortiOS/FortiProxy: `7.2.10`, `v7.2.10 build1706` (the build follows the
    /// release one to one, so it is ignored).
    Fortinet,
    /// Citrix NetScaler ADC/Gateway: release and build, `13.1-49.13` (also `13.1.49.13`).
    Netscaler,
    /// Ivanti (Pulse) Connect Secure / Policy Secure: `22.7R2.5`, `9.1R18`.
    Ivanti,
    /// Palo Alto Networks PAN-OS: `10.2.9-h1`; a hotfix sorts after its base release.
    Panos,
    /// Microsoft build numbers: Windows `10.0.22631.4037`, Exchange `15.2.1544.14`.
    MsftBuild,
    /// Cisco IOS XE style `17.9.4a`: a trailing letter sorts after the plain release.
    Cisco,
    /// Versions are not tracked or not comparable (SaaS): every comparison is undecided.
    None,
}

impl VersionScheme {
    pub const ALL: [VersionScheme; 10] = [
        VersionScheme::Dotted,
        VersionScheme::Intdot,
        VersionScheme::Semver,
        VersionScheme::Fortinet,
        VersionScheme::Netscaler,
        VersionScheme::Ivanti,
        VersionScheme::Panos,
        VersionScheme::MsftBuild,
        VersionScheme::Cisco,
        VersionScheme::None,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VersionScheme::Dotted => "dotted",
            VersionScheme::Intdot => "intdot",
            VersionScheme::Semver => "semver",
            VersionScheme::Fortinet => "fortinet",
            VersionScheme::Netscaler => "netscaler",
            VersionScheme::Ivanti => "ivanti",
            VersionScheme::Panos => "panos",
            VersionScheme::MsftBuild => "msft_build",
            VersionScheme::Cisco => "cisco",
            VersionScheme::None => "none",
        }
    }

    /// Whether this is a vendor scheme that overrides the type named in a `vers` string or a
    /// CVE `versionType` (those types cannot express hotfix or build suffixes).
    pub fn is_vendor_specific(self) -> bool {
        matches!(
            self,
            VersionScheme::Fortinet
                | VersionScheme::Netscaler
                | VersionScheme::Ivanti
                | VersionScheme::Panos
                | VersionScheme::MsftBuild
                | VersionScheme::Cisco
        )
    }

    /// Parses a version for comparison; `None` when it does not fit the scheme.
    pub fn key(self, version: &str) -> Option<VersionKey> {
        schemes::parse(self, version)
    }

    /// Compares two versions under this scheme; `None` when either does not fit.
    pub fn compare(self, a: &str, b: &str) -> Option<Ordering> {
        Some(self.key(a)?.cmp(&self.key(b)?))
    }
}

impl fmt::Display for VersionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown version scheme '{0}'")]
pub struct UnknownScheme(pub String);

impl FromStr for VersionScheme {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        VersionScheme::ALL
            .into_iter()
            .find(|v| v.code() == t)
            .ok_or(UnknownScheme(s.to_owned()))
    }
}

/// A parsed version, ordered within one scheme. Numeric keys compare part by part with
/// missing trailing parts read as zero, so `7.2` equals `7.2.0`.
#[derive(Debug, Clone)]
pub enum VersionKey {
    Numeric(Vec<u64>),
    Semver(semver::Version),
}

impl VersionKey {
    fn numeric_cmp(a: &[u64], b: &[u64]) -> Ordering {
        let n = a.len().max(b.len());
        for i in 0..n {
            let x = a.get(i).copied().unwrap_or(0);
            let y = b.get(i).copied().unwrap_or(0);
            match x.cmp(&y) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        Ordering::Equal
    }
}

impl PartialEq for VersionKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for VersionKey {}

impl PartialOrd for VersionKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for VersionKey {
    /// Keys of one scheme are always the same variant; a mixed pair (a programming error)
    /// orders numeric first so the order stays total.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (VersionKey::Numeric(a), VersionKey::Numeric(b)) => Self::numeric_cmp(a, b),
            (VersionKey::Semver(a), VersionKey::Semver(b)) => a.cmp(b),
            (VersionKey::Numeric(_), VersionKey::Semver(_)) => Ordering::Less,
            (VersionKey::Semver(_), VersionKey::Numeric(_)) => Ordering::Greater,
        }
    }
}
