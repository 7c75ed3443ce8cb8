//! Contact persons of a board: roles, e-mail addresses, the two-contact rule for activation and
//! the 180-day freshness rule.

use std::fmt;
use std::str::FromStr;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{Lang, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Primary,
    Secondary,
    Security,
    PrivacyOfficer,
}

impl ContactRole {
    pub const ALL: [ContactRole; 4] = [
        ContactRole::Primary,
        ContactRole::Secondary,
        ContactRole::Security,
        ContactRole::PrivacyOfficer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactRole::Primary => "primary",
            ContactRole::Secondary => "secondary",
            ContactRole::Security => "security",
            ContactRole::PrivacyOfficer => "privacy_officer",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ContactRole::Primary => lang.pick("Eerste contactpersoon", "Primary contact"),
            ContactRole::Secondary => lang.pick("Tweede contactpersoon", "Secondary contact"),
            ContactRole::Security => lang.pick("Security officer", "Security officer"),
            ContactRole::PrivacyOfficer => {
                lang.pick("Functionaris gegevensbescherming", "Privacy officer")
            }
        }
    }
}

impl fmt::Display for ContactRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ContactRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ContactRole::ALL
            .into_iter()
            .find(|v| v.code() == s.trim())
            .ok_or_else(|| format!("unknown contact role {s:?}"))
    }
}

/// An e-mail address, trimmed, with the domain part lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compared case-insensitively: two contacts with `A@x.nl` and `a@x.nl` are one address.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl FromStr for Email {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || format!("'{t}' is not an e-mail address");
        let (local, domain) = t.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = crate::asset::domain::normalise_host(domain).filter(|d| d.contains('.'));
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| {
                c.is_whitespace()
                    || c.is_control()
                    || matches!(c, '<' | '>' | '"' | ',' | ';' | '@')
            });
        match domain_ok {
            Some(d) if local_ok && t.len() <= 254 => Ok(Email(format!("{local}@{d}"))),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// How long a contact stays fresh without being confirmed.
pub const CONFIRMATION_VALID_DAYS: i64 = 180;

/// Whether a contact should be re-confirmed: never confirmed and created more than 180 days ago,
/// or last confirmed more than 180 days ago.
pub fn is_stale(created_at: Timestamp, confirmed_at: Option<Timestamp>, now: Timestamp) -> bool {
    let since = confirmed_at.unwrap_or(created_at);
    now - since > Duration::days(CONFIRMATION_VALID_DAYS)
}

/// Why a board cannot be activated yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivationBlocker {
    #[error("the board has {found} contact(s) with distinct e-mail addresses; two are needed")]
    TooFewContacts { found: usize },
    #[error("the terms of use have not been accepted")]
    TermsNotAccepted,
}

impl crate::lang::Localized for ActivationBlocker {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ActivationBlocker::TooFewContacts { found }, Lang::Nl) => format!(
                "Er zijn {found} contactperso(o)n(en) met een eigen e-mailadres; er zijn er minstens twee nodig."
            ),
            (ActivationBlocker::TooFewContacts { found }, Lang::En) => format!(
                "There are {found} contact(s) with distinct e-mail addresses; at least two are needed."
            ),
            (ActivationBlocker::TermsNotAccepted, Lang::Nl) => {
                "De gebruiksvoorwaarden zijn nog niet geaccepteerd.".into()
            }
            (ActivationBlocker::TermsNotAccepted, Lang::En) => {
                "The terms of use have not been accepted yet.".into()
            }
        }
    }
}

/// The rule for activation: at least two contacts with distinct e-mail addresses, and the terms
/// accepted. Returns every blocker, not just the first.
pub fn activation_blockers<'a>(
    contact_emails: impl IntoIterator<Item = &'a Email>,
    terms_accepted: bool,
) -> Vec<ActivationBlocker> {
    let mut keys: Vec<String> = contact_emails.into_iter().map(Email::key).collect();
    keys.sort();
    keys.dedup();
    let mut blockers = Vec::new();
    if keys.len() < 2 {
        blockers.push(ActivationBlocker::TooFewContacts { found: keys.len() });
    }
    if !terms_accepted {
        blockers.push(ActivationBlocker::TermsNotAccepted);
    }
    blockers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_rfc3339;

    fn email(s: &str) -> Email {
        s.parse().unwrap()
    }

    #[test]
    fn emails_are_checked_and_domains_lower_cased() {
        assert_eq!(
            email(" Anna.de.Vries@School.NL ").as_str(),
            "Anna.de.Vries@school.nl"
        );
        assert!("anna".parse::<Email>().is_err());
        assert!("anna@localhost".parse::<Email>().is_err());
        assert!("an na@school.nl".parse::<Email>().is_err());
        assert!("@school.nl".parse::<Email>().is_err());
    }

    #[test]
    fn activation_needs_two_distinct_addresses_and_the_terms() {
        let a = email("a@school.nl");
        let a2 = email("A@school.nl");
        let b = email("b@school.nl");
        assert_eq!(
            activation_blockers([&a, &a2], true),
            vec![ActivationBlocker::TooFewContacts { found: 1 }]
        );
        assert_eq!(
            activation_blockers([&a, &b], false),
            vec![ActivationBlocker::TermsNotAccepted]
        );
        assert!(activation_blockers([&a, &b], true).is_empty());
    }

    #[test]
    fn contacts_go_stale_after_180_days_without_confirmation() {
        let created = parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
        let day_180 = created + Duration::days(180);
        let day_181 = created + Duration::days(181);
        assert!(!is_stale(created, None, day_180));
        assert!(is_stale(created, None, day_181));
        assert!(!is_stale(created, Some(day_180), day_181));
    }
}
