//! Domain names a board may register: normalised (lower case, IDNA to punycode, no trailing
//! dot), checked against the public suffix list, and the DNS challenge that proves control.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::lang::Localized;

/// A normalised, registrable-or-below domain name (`school.nl`, `www.school.nl`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{input:?} is not a valid domain name")]
    Syntax { input: String },
    #[error("{input:?} is a URL, not a domain name")]
    Url { input: String, host: String },
    #[error("{input:?} is a public suffix")]
    PublicSuffix { input: String },
    #[error("{input:?} does not end in a known top-level domain")]
    UnknownSuffix { input: String },
    #[error("{input:?} is a wildcard")]
    Wildcard { input: String },
}

impl Localized for DomainError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DomainError::Syntax { input }, Lang::Nl) => {
                format!("'{input}' is geen geldige domeinnaam.")
            }
            (DomainError::Syntax { input }, Lang::En) => {
                format!("'{input}' is not a valid domain name.")
            }
            (DomainError::Url { input, host }, Lang::Nl) => format!(
                "'{input}' is een webadres; vul alleen de domeinnaam in, bijvoorbeeld {host}."
            ),
            (DomainError::Url { input, host }, Lang::En) => format!(
                "'{input}' is a web address; enter the domain name only, for example {host}."
            ),
            (DomainError::PublicSuffix { input }, Lang::Nl) => format!(
                "'{input}' is een publiek achtervoegsel (zoals nl of co.uk) en kan niet van één bestuur zijn."
            ),
            (DomainError::PublicSuffix { input }, Lang::En) => format!(
                "'{input}' is a public suffix (like nl or co.uk) and cannot belong to one board."
            ),
            (DomainError::UnknownSuffix { input }, Lang::Nl) => {
                format!("'{input}' eindigt niet op een bestaand topleveldomein.")
            }
            (DomainError::UnknownSuffix { input }, Lang::En) => {
                format!("'{input}' does not end in an existing top-level domain.")
            }
            (DomainError::Wildcard { input }, Lang::Nl) => format!(
                "'{input}' is een wildcard; registreer het domein zelf, subdomeinen horen er automatisch bij."
            ),
            (DomainError::Wildcard { input }, Lang::En) => format!(
                "'{input}' is a wildcard; register the domain itself, its subdomains are included."
            ),
        }
    }
}

/// Lower-cases, converts IDN to punycode and drops a trailing dot, without the public-suffix
/// check. Used for host names in lookups and feeds as well as for registration.
pub fn normalise_host(input: &str) -> Option<String> {
    let s = input.trim().trim_end_matches('.');
    if s.is_empty() || s.len() > 253 {
        return None;
    }
    let ascii = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(s).ok()?
    };
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    labels_ok.then_some(ascii)
}

impl DomainName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name whose TXT record proves control: `_schoolcert-challenge.<domain>`.
    pub fn challenge_name(&self) -> String {
        format!("_schoolcert-challenge.{}", self.0)
    }

    /// Whether `host` is this domain or one of its subdomains.
    pub fn covers(&self, host: &str) -> bool {
        host == self.0
            || host
                .strip_suffix(self.0.as_str())
                .is_some_and(|rest| rest.ends_with('.'))
    }
}

/// The TXT value a board publishes for a given challenge token.
pub fn challenge_value(token: &str) -> String {
    format!("schoolcert-verification={token}")
}

/// Whether any of the TXT strings found proves the challenge.
pub fn challenge_satisfied<'a>(
    txt_records: impl IntoIterator<Item = &'a str>,
    token: &str,
) -> bool {
    let want = challenge_value(token);
    txt_records
        .into_iter()
        .any(|r| r.trim().trim_matches('"') == want)
}

impl FromStr for DomainName {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let input = s.trim();
        if let Some(rest) = input
            .strip_prefix("http://")
            .or_else(|| input.strip_prefix("https://"))
        {
            let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
            return Err(DomainError::Url {
                input: input.to_owned(),
                host: normalise_host(host).unwrap_or_else(|| host.to_owned()),
            });
        }
        if input.starts_with("*.") {
            return Err(DomainError::Wildcard {
                input: input.to_owned(),
            });
        }
        let name = normalise_host(input).ok_or_else(|| DomainError::Syntax {
            input: input.to_owned(),
        })?;
        match psl::suffix(name.as_bytes()) {
            Some(suffix) if !suffix.is_known() => Err(DomainError::UnknownSuffix {
                input: input.to_owned(),
            }),
            Some(suffix) if suffix.as_bytes().len() == name.len() => {
                Err(DomainError::PublicSuffix {
                    input: input.to_owned(),
                })
            }
            Some(_) => Ok(DomainName(name)),
            None => Err(DomainError::UnknownSuffix {
                input: input.to_owned(),
            }),
        }
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DomainName {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DomainName> for String {
    fn from(d: DomainName) -> String {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        s.parse::<DomainName>().unwrap().to_string()
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(ok("Example.NL."), "example.nl");
        assert_eq!(ok("  www.School.nl "), "www.school.nl");
        assert_eq!(ok("bücher.de"), "xn--bcher-kva.de");
        assert_eq!(ok("scholengroep.co.uk"), "scholengroep.co.uk");
    }

    #[test]
    fn public_suffixes_unknown_tlds_urls_and_wildcards_are_refused() {
        assert!(matches!(
            "nl".parse::<DomainName>(),
            Err(DomainError::PublicSuffix { .. })
        ));
        assert!(matches!(
            "co.uk".parse::<DomainName>(),
            Err(DomainError::PublicSuffix { .. })
        ));
        assert!(matches!(
            "github.io".parse::<DomainName>(),
            Err(DomainError::PublicSuffix { .. })
        ));
        assert!(matches!(
            "school.local".parse::<DomainName>(),
            Err(DomainError::UnknownSuffix { .. })
        ));
        assert!(matches!(
            "*.school.nl".parse::<DomainName>(),
            Err(DomainError::Wildcard { .. })
        ));
        assert!(matches!(
            "exa mple.nl".parse::<DomainName>(),
            Err(DomainError::Syntax { .. })
        ));
        let e = "https://www.School.nl/contact"
            .parse::<DomainName>()
            .unwrap_err();
        assert!(
            e.message(Lang::Nl).contains("www.school.nl"),
            "{}",
            e.message(Lang::Nl)
        );
    }

    #[test]
    fn covers_means_same_or_subdomain_at_a_label_boundary() {
        let d: DomainName = "school.nl".parse().unwrap();
        assert!(d.covers("school.nl"));
        assert!(d.covers("mail.school.nl"));
        assert!(!d.covers("myschool.nl"));
        assert_eq!(d.challenge_name(), "_schoolcert-challenge.school.nl");
    }

    #[test]
    fn the_challenge_accepts_only_the_exact_token() {
        assert!(challenge_satisfied(
            ["v=spf1 -all", "\"schoolcert-verification=abc\""],
            "abc"
        ));
        assert!(!challenge_satisfied(
            ["schoolcert-verification=abcd"],
            "abc"
        ));
    }
}
