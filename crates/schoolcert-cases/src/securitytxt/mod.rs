//! security.txt (RFC 9116): a file per board generated from its settings (Contact points to the
//! CERT's CVD page, Expires under a year from `now`, Policy, Preferred-Languages nl, en,
//! Canonical on each of the board's domains), the CERT's own file, optional OpenPGP
//! clear-signing, and a parser that checks any security.txt.

pub mod parse;
pub mod sign;

use chrono::{Duration, SubsecRound};
use serde::{Deserialize, Serialize};

use schoolcert_domain::asset::domain::normalise_host;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::time::format_utc;
use schoolcert_domain::{Lang, Timestamp};

pub use parse::{Issue, IssueKind, Parsed, parse};
pub use sign::{SignError, clear_sign, verify};

/// The CERT's own CVD settings, shared by every board's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertSettings {
    /// In order of preference: the CVD form, then e-mail (`https://…/cvd`, `mailto:cvd@…`).
    pub contact: Vec<String>,
    /// The CVD policy page.
    pub policy: String,
    pub acknowledgments: Option<String>,
    /// Where the CERT's OpenPGP key lives.
    pub encryption: Option<String>,
    pub hiring: Option<String>,
    /// The CERT's CSAF provider-metadata.json, if it publishes advisories as CSAF.
    pub csaf: Option<String>,
    /// Where the CERT's own file lives.
    pub canonical: String,
    /// How long a generated file is valid; capped below one year as RFC 9116 recommends.
    pub validity_days: u32,
}

/// A board's choices for its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSettings {
    pub board_name: String,
    /// The domains the file will be served on (its Canonical lines).
    pub domains: Vec<String>,
    /// Defaults to `nl, en`.
    pub preferred_languages: Vec<String>,
}

/// The fields of a security.txt, in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityTxt {
    /// `#` comment lines at the top.
    pub comments: Vec<String>,
    pub contact: Vec<String>,
    pub expires: Timestamp,
    pub encryption: Vec<String>,
    pub acknowledgments: Vec<String>,
    pub preferred_languages: Vec<String>,
    pub canonical: Vec<String>,
    pub policy: Vec<String>,
    pub hiring: Vec<String>,
    pub csaf: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("at least one Contact is required")]
    NoContact,
    #[error("{0:?} is not an allowed URI here (use https:, or mailto:/tel: for Contact)")]
    BadUri(String),
    #[error("{0:?} is not a domain name")]
    BadDomain(String),
    #[error("the board has no domains to serve the file on")]
    NoDomains,
}

impl Localized for GenerateError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (GenerateError::NoContact, Lang::Nl) => "Er is minstens één Contact nodig.".into(),
            (GenerateError::NoContact, Lang::En) => "At least one Contact is required.".into(),
            (GenerateError::BadUri(u), Lang::Nl) => format!(
                "'{u}' is hier geen toegestane URI (gebruik https:, of mailto:/tel: bij Contact)."
            ),
            (GenerateError::BadUri(u), Lang::En) => format!(
                "'{u}' is not an allowed URI here (use https:, or mailto:/tel: for Contact)."
            ),
            (GenerateError::BadDomain(d), Lang::Nl) => format!("'{d}' is geen domeinnaam."),
            (GenerateError::BadDomain(d), Lang::En) => format!("'{d}' is not a domain name."),
            (GenerateError::NoDomains, Lang::Nl) => {
                "Het bestuur heeft geen domeinnamen om het bestand op te plaatsen.".into()
            }
            (GenerateError::NoDomains, Lang::En) => {
                "The board has no domains to serve the file on.".into()
            }
        }
    }
}

fn https_ok(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|x| x.scheme() == "https" && x.host().is_some())
}

fn contact_ok(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    https_ok(u)
        || (lower.starts_with("mailto:") && u.contains('@'))
        || (lower.starts_with("tel:") && u.len() > 4)
}

fn check_https(list: &[String]) -> Result<(), GenerateError> {
    match list.iter().find(|u| !https_ok(u)) {
        Some(u) => Err(GenerateError::BadUri(u.clone())),
        None => Ok(()),
    }
}

/// The Expires moment: `validity_days` from `now` (whole seconds, UTC), never a year or more
/// ahead (RFC 9116 recommends less than a year) and never less than a day.
pub fn expires_at(now: Timestamp, validity_days: u32) -> Timestamp {
    let days = i64::from(validity_days.clamp(1, 364));
    (now + Duration::days(days)).trunc_subsecs(0)
}

fn cert_fields(cert: &CertSettings) -> Result<(), GenerateError> {
    if cert.contact.is_empty() {
        return Err(GenerateError::NoContact);
    }
    if let Some(u) = cert.contact.iter().find(|u| !contact_ok(u)) {
        return Err(GenerateError::BadUri(u.clone()));
    }
    let mut https: Vec<String> = vec![cert.policy.clone(), cert.canonical.clone()];
    https.extend(
        [&cert.acknowledgments, &cert.hiring, &cert.csaf]
            .into_iter()
            .flatten()
            .cloned(),
    );
    check_https(&https)?;
    // Encryption may also be `openpgp4fpr:` or `dns:`.
    if let Some(e) = &cert.encryption {
        let l = e.to_ascii_lowercase();
        if !(https_ok(e) || l.starts_with("openpgp4fpr:") || l.starts_with("dns:")) {
            return Err(GenerateError::BadUri(e.clone()));
        }
    }
    Ok(())
}

/// A board's file. Reports go to the CERT, which acts as CVD intermediary for the board.
pub fn for_board(
    cert: &CertSettings,
    board: &BoardSettings,
    now: Timestamp,
) -> Result<SecurityTxt, GenerateError> {
    cert_fields(cert)?;
    if board.domains.is_empty() {
        return Err(GenerateError::NoDomains);
    }
    let mut canonical = Vec::new();
    for d in &board.domains {
        let host = normalise_host(d)
            .filter(|h| h.contains('.'))
            .ok_or_else(|| GenerateError::BadDomain(d.clone()))?;
        let url = format!("https://{host}/.well-known/security.txt");
        if !canonical.contains(&url) {
            canonical.push(url);
        }
    }
    let languages = if board.preferred_languages.is_empty() {
        vec!["nl".to_owned(), "en".to_owned()]
    } else {
        board.preferred_languages.clone()
    };
    Ok(SecurityTxt {
        comments: vec![
            format!("security.txt van {}", board.board_name.trim()),
            "Kwetsbaarheden meldt u bij School-CERT, dat namens het schoolbestuur als \
             CVD-intermediair optreedt."
                .to_owned(),
        ],
        contact: cert.contact.clone(),
        expires: expires_at(now, cert.validity_days),
        encryption: cert.encryption.iter().cloned().collect(),
        acknowledgments: cert.acknowledgments.iter().cloned().collect(),
        preferred_languages: languages,
        canonical,
        policy: vec![cert.policy.clone()],
        hiring: Vec::new(),
        csaf: Vec::new(),
    })
}

/// The CERT's own file.
pub fn for_cert(cert: &CertSettings, now: Timestamp) -> Result<SecurityTxt, GenerateError> {
    cert_fields(cert)?;
    Ok(SecurityTxt {
        comments: vec!["security.txt van School-CERT".to_owned()],
        contact: cert.contact.clone(),
        expires: expires_at(now, cert.validity_days),
        encryption: cert.encryption.iter().cloned().collect(),
        acknowledgments: cert.acknowledgments.iter().cloned().collect(),
        preferred_languages: vec!["nl".to_owned(), "en".to_owned()],
        canonical: vec![cert.canonical.clone()],
        policy: vec![cert.policy.clone()],
        hiring: cert.hiring.iter().cloned().collect(),
        csaf: cert.csaf.iter().cloned().collect(),
    })
}

impl SecurityTxt {
    /// The file text (LF line ends; served as `text/plain; charset=utf-8`).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.comments {
            // A comment must stay one line.
            out.push_str(&format!("# {}\n", c.replace(['\r', '\n'], " ")));
        }
        if !self.comments.is_empty() {
            out.push('\n');
        }
        let mut field = |name: &str, values: &[String]| {
            for v in values {
                out.push_str(&format!("{name}: {}\n", v.trim()));
            }
        };
        field("Contact", &self.contact);
        field("Expires", &[format_utc(self.expires)]);
        field("Encryption", &self.encryption);
        field("Acknowledgments", &self.acknowledgments);
        if !self.preferred_languages.is_empty() {
            field(
                "Preferred-Languages",
                &[self.preferred_languages.join(", ")],
            );
        }
        field("Canonical", &self.canonical);
        field("Policy", &self.policy);
        field("Hiring", &self.hiring);
        field("CSAF", &self.csaf);
        out
    }
}

#[cfg(test)]
mod tests;
