//! Observables of a case (IP address, domain, URL, file hash, e-mail address): recognised,
//! refanged and normalised so the same indicator is stored once, each with its own TLP.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use schoolcert_domain::asset::domain::normalise_host;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::registry::Email;
use schoolcert_domain::{Lang, Tlp};

use crate::ids::{CaseId, ObservableId};
use crate::visibility::{CaseItem, ItemScope, Sharing};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservableKind {
    Ip,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Sha512,
    Email,
}

impl ObservableKind {
    pub fn code(self) -> &'static str {
        match self {
            ObservableKind::Ip => "ip",
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::Md5 => "md5",
            ObservableKind::Sha1 => "sha1",
            ObservableKind::Sha256 => "sha256",
            ObservableKind::Sha512 => "sha512",
            ObservableKind::Email => "email",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ObservableKind::Ip => lang.pick("IP-adres", "IP address"),
            ObservableKind::Domain => lang.pick("Domeinnaam", "Domain name"),
            ObservableKind::Url => "URL",
            ObservableKind::Md5 => "MD5",
            ObservableKind::Sha1 => "SHA-1",
            ObservableKind::Sha256 => "SHA-256",
            ObservableKind::Sha512 => "SHA-512",
            ObservableKind::Email => lang.pick("E-mailadres", "E-mail address"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observable {
    pub id: ObservableId,
    pub case_id: CaseId,
    pub kind: ObservableKind,
    /// Normalised value (lower-case domain and hash, canonical IP, refanged URL).
    pub value: String,
    pub tlp: Tlp,
    pub sharing: Sharing,
    /// An indicator of compromise (as opposed to, say, the board's own affected server).
    pub ioc: bool,
    pub note: String,
}

impl CaseItem for Observable {
    fn scope(&self) -> ItemScope<'_> {
        ItemScope {
            case_id: self.case_id,
            tlp: self.tlp,
            sharing: &self.sharing,
        }
    }
}

impl Observable {
    /// The value defanged for e-mail and documents, so nobody clicks it by accident.
    pub fn defanged(&self) -> String {
        match self.kind {
            ObservableKind::Url => self.value.replacen("http", "hxxp", 1).replace('.', "[.]"),
            ObservableKind::Domain | ObservableKind::Email => self.value.replace('.', "[.]"),
            ObservableKind::Ip if self.value.contains('.') => self.value.replace('.', "[.]"),
            _ => self.value.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a recognisable {}", kind.map_or("observable", |k| k.code()))]
pub struct ObservableError {
    pub value: String,
    pub kind: Option<ObservableKind>,
}

impl Localized for ObservableError {
    fn message(&self, lang: Lang) -> String {
        match (lang, self.kind) {
            (Lang::Nl, Some(k)) => format!("'{}' is geen geldig(e) {}.", self.value, k.name(lang)),
            (Lang::En, Some(k)) => format!("'{}' is not a valid {}.", self.value, k.name(lang)),
            (Lang::Nl, None) => format!(
                "'{}' is geen IP-adres, domeinnaam, URL, hash of e-mailadres.",
                self.value
            ),
            (Lang::En, None) => format!(
                "'{}' is not an IP address, domain name, URL, hash or e-mail address.",
                self.value
            ),
        }
    }
}

fn refang(s: &str) -> String {
    let s = s
        .trim()
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[dot]", ".")
        .replace("[@]", "@")
        .replace("[at]", "@")
        .replace("[:]", ":");
    match s.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("hxxp") => format!("http{}", &s[4..]),
        _ => s,
    }
}

fn hash_kind(s: &str) -> Option<ObservableKind> {
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match s.len() {
        32 => Some(ObservableKind::Md5),
        40 => Some(ObservableKind::Sha1),
        64 => Some(ObservableKind::Sha256),
        128 => Some(ObservableKind::Sha512),
        _ => None,
    }
}

/// Recognises and normalises a value. With `kind` given, the value must be of that kind.
pub fn parse_observable(
    input: &str,
    kind: Option<ObservableKind>,
) -> Result<(ObservableKind, String), ObservableError> {
    let err = || ObservableError {
        value: input.trim().to_owned(),
        kind,
    };
    let s = refang(input);
    if s.is_empty() {
        return Err(err());
    }
    let detected = if let Ok(ip) = s.parse::<IpAddr>() {
        Some((ObservableKind::Ip, ip.to_string()))
    } else if let Some(k) = hash_kind(&s) {
        Some((k, s.to_ascii_lowercase()))
    } else if s.to_ascii_lowercase().starts_with("http://")
        || s.to_ascii_lowercase().starts_with("https://")
    {
        url::Url::parse(&s)
            .ok()
            .filter(|u| u.host().is_some())
            .map(|u| (ObservableKind::Url, u.to_string()))
    } else if s.contains('@') {
        s.parse::<Email>()
            .ok()
            .map(|e| (ObservableKind::Email, e.key()))
    } else {
        normalise_host(&s)
            .filter(|h| h.contains('.'))
            .map(|h| (ObservableKind::Domain, h))
    };
    match (detected, kind) {
        (Some((k, v)), None) => Ok((k, v)),
        (Some((k, v)), Some(want)) if k == want => Ok((k, v)),
        _ => Err(err()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_and_normalises_each_kind() {
        let p = |s: &str| parse_observable(s, None).unwrap();
        assert_eq!(p(" 192.0.2.1 "), (ObservableKind::Ip, "192.0.2.1".into()));
        assert_eq!(p("2001:DB8::1"), (ObservableKind::Ip, "2001:db8::1".into()));
        assert_eq!(
            p("Evil[.]Example[.]com"),
            (ObservableKind::Domain, "evil.example.com".into())
        );
        assert_eq!(
            p("hxxps://login-klimop[.]nl/o365"),
            (ObservableKind::Url, "https://login-klimop.nl/o365".into())
        );
        assert_eq!(p("D41D8CD98F00B204E9800998ECF8427E").0, ObservableKind::Md5);
        let sha = "a".repeat(64);
        assert_eq!(p(&sha).0, ObservableKind::Sha256);
        assert_eq!(
            p("Phisher[@]Evil.com"),
            (ObservableKind::Email, "phisher@evil.com".into())
        );
        assert!(parse_observable("geen indicator", None).is_err());
        assert!(parse_observable("192.0.2.1", Some(ObservableKind::Domain)).is_err());
    }

    #[test]
    fn defangs_for_mail() {
        let o = Observable {
            id: ObservableId(1),
            case_id: CaseId(1),
            kind: ObservableKind::Url,
            value: "https://evil.example/x".into(),
            tlp: Tlp::Green,
            sharing: Sharing::internal(),
            ioc: true,
            note: String::new(),
        };
        assert_eq!(o.defanged(), "hxxps://evil[.]example/x");
    }
}
