//! Network assets a board registers: IP prefixes and domain names, their validation and status.

pub mod domain;
pub mod prefix;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use domain::{DomainError, DomainName};
pub use prefix::{Prefix, PrefixError};

use crate::Lang;
use crate::lang::Localized;

/// Where a claim on an asset stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    /// Claimed, waiting for proof (DNS) or CERT approval.
    Pending,
    /// Control proven by the DNS challenge.
    Verified,
    /// Approved by a CERT analyst.
    Approved,
    Rejected,
}

impl AssetStatus {
    pub const ALL: [AssetStatus; 4] = [
        AssetStatus::Pending,
        AssetStatus::Verified,
        AssetStatus::Approved,
        AssetStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssetStatus::Pending => "pending",
            AssetStatus::Verified => "verified",
            AssetStatus::Approved => "approved",
            AssetStatus::Rejected => "rejected",
        }
    }

    /// Counts for lookups (the index holds only these).
    pub fn is_active(self) -> bool {
        matches!(self, AssetStatus::Verified | AssetStatus::Approved)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            AssetStatus::Pending => lang.pick("In afwachting", "Pending"),
            AssetStatus::Verified => lang.pick("Geverifieerd (DNS)", "Verified (DNS)"),
            AssetStatus::Approved => lang.pick("Goedgekeurd door CERT", "Approved by CERT"),
            AssetStatus::Rejected => lang.pick("Afgewezen", "Rejected"),
        }
    }
}

impl fmt::Display for AssetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for AssetStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssetStatus::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| format!("unknown asset status {s:?}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Prefix,
    Domain,
}

impl AssetKind {
    pub fn code(self) -> &'static str {
        match self {
            AssetKind::Prefix => "prefix",
            AssetKind::Domain => "domain",
        }
    }
}

impl FromStr for AssetKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "prefix" => Ok(AssetKind::Prefix),
            "domain" => Ok(AssetKind::Domain),
            _ => Err(format!("unknown asset kind {s:?}")),
        }
    }
}

/// A validated asset value: what a board may claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AssetValue {
    Prefix(Prefix),
    Domain(DomainName),
}

impl AssetValue {
    pub fn kind(&self) -> AssetKind {
        match self {
            AssetValue::Prefix(_) => AssetKind::Prefix,
            AssetValue::Domain(_) => AssetKind::Domain,
        }
    }

    /// Whether a CERT analyst must approve this even with other proof (large prefixes). Every
    /// prefix needs approval anyway, since there is no automatic proof for address space.
    pub fn needs_cert_approval(&self) -> bool {
        match self {
            AssetValue::Prefix(_) => true,
            AssetValue::Domain(_) => false,
        }
    }
}

impl fmt::Display for AssetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetValue::Prefix(p) => p.fmt(f),
            AssetValue::Domain(d) => d.fmt(f),
        }
    }
}

/// Why a line of asset input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    #[error(transparent)]
    Prefix(#[from] PrefixError),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl Localized for AssetError {
    fn message(&self, lang: Lang) -> String {
        match self {
            AssetError::Prefix(e) => e.message(lang),
            AssetError::Domain(e) => e.message(lang),
        }
    }
}

/// Reads one line of asset input: something with a `/` or that parses as an address is a
/// prefix, anything else a domain name.
pub fn parse_asset(input: &str) -> Result<AssetValue, AssetError> {
    let s = input.trim();
    if s.contains('/') && !s.contains("://") || s.parse::<std::net::IpAddr>().is_ok() {
        Ok(AssetValue::Prefix(s.parse()?))
    } else {
        Ok(AssetValue::Domain(s.parse()?))
    }
}

/// One line of a pasted list: its number, the input, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineResult {
    pub line: usize,
    pub input: String,
    pub outcome: Result<AssetValue, AssetError>,
}

/// Validates a pasted list line by line. Empty lines and `#` comments are skipped; commas and
/// semicolons separate entries too. Bad lines never affect good ones.
pub fn parse_asset_list(text: &str) -> Vec<LineResult> {
    text.lines()
        .enumerate()
        .flat_map(|(i, line)| {
            let line = line.split('#').next().unwrap_or("");
            line.split([',', ';', ' ', '\t'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(move |item| LineResult {
                    line: i + 1,
                    input: item.to_owned(),
                    outcome: parse_asset(item),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_list_keeps_good_lines_and_explains_bad_ones() {
        let results = parse_asset_list(
            "145.97.0.0/16\n# comment\n\n10.0.0.0/8\nschool.nl, co.uk\n2001:610::/32\n",
        );
        let ok: Vec<_> = results
            .iter()
            .filter(|r| r.outcome.is_ok())
            .map(|r| r.input.as_str())
            .collect();
        assert_eq!(ok, ["145.97.0.0/16", "school.nl", "2001:610::/32"]);
        let bad: Vec<_> = results
            .iter()
            .filter(|r| r.outcome.is_err())
            .map(|r| (r.line, r.input.as_str()))
            .collect();
        assert_eq!(bad, [(4, "10.0.0.0/8"), (5, "co.uk")]);
        let msg = results[1].outcome.as_ref().unwrap_err().message(Lang::Nl);
        assert!(msg.contains("privé"), "{msg}");
    }

    #[test]
    fn a_bare_address_is_a_host_prefix() {
        assert_eq!(
            parse_asset("145.97.1.1").unwrap().to_string(),
            "145.97.1.1/32"
        );
        assert_eq!(
            parse_asset("Example.NL.").unwrap().to_string(),
            "example.nl"
        );
    }
}
