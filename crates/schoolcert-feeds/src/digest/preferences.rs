//! What a board wants to receive and how often, and the rule that infected and vulnerable
//! systems can never be switched off.

use std::collections::BTreeMap;

use chrono::Duration;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::{Lang, Timestamp, rsit};
use serde::{Deserialize, Serialize};

/// How often notices about one class of problems are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// As soon as an event is stored (one notice per ingest).
    Immediately,
    Daily,
    Weekly,
    Never,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Immediately,
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Never,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Immediately => "immediately",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Never => "never",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Frequency::Immediately => lang.pick("Direct", "Immediately"),
            Frequency::Daily => lang.pick("Dagelijks", "Daily"),
            Frequency::Weekly => lang.pick("Wekelijks", "Weekly"),
            Frequency::Never => lang.pick("Nooit", "Never"),
        }
    }

    /// The digest period; `None` for immediately and never.
    pub fn period(self) -> Option<Duration> {
        match self {
            Frequency::Daily => Some(Duration::days(1)),
            Frequency::Weekly => Some(Duration::weeks(1)),
            Frequency::Immediately | Frequency::Never => None,
        }
    }

    /// Whether a digest is due at `now` when the last one went out at `last_sent`.
    pub fn is_due(self, last_sent: Option<Timestamp>, now: Timestamp) -> bool {
        match (self, self.period(), last_sent) {
            (Frequency::Never, _, _) => false,
            (Frequency::Immediately, _, _) => true,
            (_, _, None) => true,
            (_, Some(p), Some(last)) => now - last >= p,
            (_, None, Some(_)) => false,
        }
    }
}

/// Classes (RSIT `classification.type`) whose notices a board may not switch off.
pub const MANDATORY: [&str; 2] = ["infected-system", "vulnerable-system"];

/// A board's choices: a default and exceptions per `classification.type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub default: Frequency,
    #[serde(default)]
    pub per_type: BTreeMap<String, Frequency>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            default: Frequency::Daily,
            per_type: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreferenceError {
    #[error("notices about {class} cannot be switched off")]
    NeverNotAllowed { class: String },
    #[error("{class} is not an RSIT classification type")]
    UnknownClass { class: String },
}

impl Localized for PreferenceError {
    fn message(&self, lang: Lang) -> String {
        let name = |c: &str| {
            rsit::type_by_code(c)
                .map(|t| lang.pick(t.nl, t.en).to_owned())
                .unwrap_or_else(|| c.to_owned())
        };
        match (self, lang) {
            (PreferenceError::NeverNotAllowed { class }, Lang::Nl) => format!(
                "Meldingen over '{}' kunt u niet uitzetten: een besmet of kwetsbaar systeem moet u altijd horen. Kies direct, dagelijks of wekelijks.",
                name(class)
            ),
            (PreferenceError::NeverNotAllowed { class }, Lang::En) => format!(
                "Notices about '{}' cannot be switched off: you must always hear about an infected or vulnerable system. Choose immediately, daily or weekly.",
                name(class)
            ),
            (PreferenceError::UnknownClass { class }, Lang::Nl) => {
                format!("'{class}' is geen bekend soort melding.")
            }
            (PreferenceError::UnknownClass { class }, Lang::En) => {
                format!("'{class}' is not a known kind of notice.")
            }
        }
    }
}

impl Preferences {
    /// The rules: known classes only; never "never" for infected or vulnerable systems (also
    /// not through the default).
    pub fn check(&self) -> Result<(), PreferenceError> {
        for (class, f) in &self.per_type {
            if rsit::type_by_code(class).is_none() {
                return Err(PreferenceError::UnknownClass {
                    class: class.clone(),
                });
            }
            if *f == Frequency::Never && MANDATORY.contains(&class.as_str()) {
                return Err(PreferenceError::NeverNotAllowed {
                    class: class.clone(),
                });
            }
        }
        if self.default == Frequency::Never {
            for class in MANDATORY {
                if !self.per_type.contains_key(class) {
                    return Err(PreferenceError::NeverNotAllowed {
                        class: class.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    /// How often notices of this `classification.type` go out.
    pub fn frequency_for(&self, class_type: &str) -> Frequency {
        let f = self
            .per_type
            .get(class_type)
            .copied()
            .unwrap_or(self.default);
        // Defence in depth: stored preferences that break the rule still notify daily.
        if f == Frequency::Never && MANDATORY.contains(&class_type) {
            Frequency::Daily
        } else {
            f
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn never_is_refused_for_infected_and_vulnerable_systems() {
        let mut p = Preferences::default();
        p.per_type.insert("scanner".into(), Frequency::Never);
        p.per_type
            .insert("vulnerable-system".into(), Frequency::Weekly);
        assert_eq!(p.check(), Ok(()));
        p.per_type
            .insert("infected-system".into(), Frequency::Never);
        let e = p.check().unwrap_err();
        assert!(
            e.message(Lang::Nl).contains("Besmet systeem"),
            "{}",
            e.message(Lang::Nl)
        );
        p.per_type.remove("infected-system");
        p.default = Frequency::Never;
        assert!(matches!(
            p.check(),
            Err(PreferenceError::NeverNotAllowed { class }) if class == "infected-system"
        ));
        p.per_type
            .insert("infected-system".into(), Frequency::Immediately);
        assert_eq!(p.check(), Ok(()));
        assert_eq!(p.frequency_for("other"), Frequency::Never);
        p.per_type.insert("bogus".into(), Frequency::Daily);
        assert!(matches!(
            p.check(),
            Err(PreferenceError::UnknownClass { .. })
        ));
    }

    #[test]
    fn a_broken_stored_preference_still_notifies() {
        let mut p = Preferences::default();
        p.per_type
            .insert("vulnerable-system".into(), Frequency::Never);
        assert_eq!(p.frequency_for("vulnerable-system"), Frequency::Daily);
    }

    #[test]
    fn due_times() {
        let t = |s| parse_rfc3339(s).unwrap();
        let now = t("2026-11-21T07:00:00Z");
        assert!(Frequency::Daily.is_due(None, now));
        assert!(Frequency::Daily.is_due(Some(t("2026-11-20T07:00:00Z")), now));
        assert!(!Frequency::Daily.is_due(Some(t("2026-11-20T08:00:00Z")), now));
        assert!(!Frequency::Weekly.is_due(Some(t("2026-11-20T07:00:00Z")), now));
        assert!(!Frequency::Never.is_due(None, now));
        assert!(Frequency::Immediately.is_due(Some(now), now));
    }
}
