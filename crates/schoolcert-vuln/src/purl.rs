//! Package URLs reduced to what matching needs: the identity (type, namespace, name) and the
//! version. Parsing is done by the `packageurl` crate.

use std::fmt;
use std::str::FromStr;

use packageurl::PackageUrl;
use serde::{Deserialize, Serialize};

/// The identity of a package: type, namespace and name, lower-cased (types are
/// case-insensitive; for the ecosystems schools meet, names are too).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PurlKey {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for PurlKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "pkg:{}/{}/{}", self.ty, ns, self.name),
            None => write!(f, "pkg:{}/{}", self.ty, self.name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a package URL: {reason}")]
pub struct BadPurl {
    pub value: String,
    pub reason: String,
}

/// A parsed PURL: identity, optional version, and the `distro` qualifier (two PURLs with
/// different distros are different packages).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Purl {
    pub key: PurlKey,
    pub version: Option<String>,
    pub distro: Option<String>,
}

impl Purl {
    pub fn parse(raw: &str) -> Result<Purl, BadPurl> {
        let t = raw.trim();
        let p = PackageUrl::from_str(t).map_err(|e| BadPurl {
            value: t.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Purl {
            key: PurlKey {
                ty: p.ty().to_ascii_lowercase(),
                namespace: p.namespace().map(str::to_lowercase),
                name: p.name().to_lowercase(),
            },
            version: p.version().map(str::to_owned),
            distro: p.qualifiers().get("distro").map(|d| d.to_string()),
        })
    }
}

/// A catalogue PURL identifier: the identity only (`pkg:composer/moodle/moodle`).
pub fn parse_prefix(raw: &str) -> Result<PurlKey, BadPurl> {
    let p = Purl::parse(raw)?;
    if p.version.is_some() {
        return Err(BadPurl {
            value: raw.trim().to_owned(),
            reason: "a catalogue PURL names the package without a version".into(),
        });
    }
    Ok(p.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_identity_version_and_distro() {
        let p = Purl::parse("pkg:deb/debian/openssl@3.0.11-1?distro=debian-12").unwrap();
        assert_eq!(p.key.to_string(), "pkg:deb/debian/openssl");
        assert_eq!(p.version.as_deref(), Some("3.0.11-1"));
        assert_eq!(p.distro.as_deref(), Some("debian-12"));
        let n = Purl::parse("pkg:npm/%40angular/core@15.0.0").unwrap();
        assert_eq!(n.key.namespace.as_deref(), Some("@angular"));
        assert!(Purl::parse("pkg://bad").is_err());
        assert!(parse_prefix("pkg:composer/moodle/moodle").is_ok());
        assert!(parse_prefix("pkg:composer/moodle/moodle@4.3.2").is_err());
    }
}
