//! The rule book: which legal and service clocks exist, when they apply and how they run, read
//! from TOML (`data/deadline-rules.toml`, embedded, with run-time overrides). Law changes, so
//! this is data, not code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;

use super::offset::Offset;
use crate::text::Text;

/// The rule book shipped with schoolcert.
pub const EMBEDDED_RULES: &str = include_str!("../../data/deadline-rules.toml");

/// A fact about a case that decides whether a rule set applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// Personal data is involved (GDPR).
    PersonalData,
    /// A board of the case is an essential or important entity under NIS2 / the Cbw.
    Nis2Entity,
    /// A board of the case falls under the announced sector reporting duty.
    SectorDuty,
}

/// Where an obligation's clock starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Anchor {
    /// When the board became aware (the legal start of GDPR and NIS2 clocks).
    BecameAware,
    /// When the CERT opened the case (service clocks such as the first response).
    CaseOpened,
    /// When another obligation was met ("final report one month after the notification").
    MetOf(String),
}

impl FromStr for Anchor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "became_aware" => Ok(Anchor::BecameAware),
            "case_opened" => Ok(Anchor::CaseOpened),
            other => match other.strip_prefix("met:") {
                Some(code) if !code.trim().is_empty() => Ok(Anchor::MetOf(code.trim().to_owned())),
                _ => Err(format!(
                    "'{other}' is no clock start (became_aware, case_opened or met:<obligation>)"
                )),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::BecameAware => f.write_str("became_aware"),
            Anchor::CaseOpened => f.write_str("case_opened"),
            Anchor::MetOf(c) => write!(f, "met:{c}"),
        }
    }
}

/// Who must act to meet an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsible {
    /// The school board (the controller / the entity); the CERT only advises.
    Board,
    /// The CERT itself (service levels).
    Cert,
}

impl Responsible {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Responsible::Board => lang.pick("Schoolbestuur", "School board"),
            Responsible::Cert => lang.pick("School-CERT", "School-CERT"),
        }
    }
}

/// Who receives a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The CERT analyst assigned to the case.
    Assignee,
    /// The board's contacts on the case.
    Board,
    /// The CERT's duty officer / coordinator, for escalation.
    DutyOfficer,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Assignee => "assignee",
            Audience::Board => "board",
            Audience::DutyOfficer => "duty_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        [Audience::Assignee, Audience::Board, Audience::DutyOfficer]
            .into_iter()
            .find(|a| a.code() == s)
    }
}

/// One reminder of an obligation: either some time before the due moment, or (for obligations
/// without a fixed term, such as informing data subjects) some time after the clock started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderRule {
    pub code: String,
    #[serde(default)]
    pub before_due: Option<Offset>,
    #[serde(default)]
    pub after_start: Option<Offset>,
    pub to: Vec<Audience>,
}

/// One obligation: a report to someone within a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationRule {
    pub code: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    /// A key of the book's `recipients` table.
    pub recipient: String,
    pub responsible: Responsible,
    pub from: Anchor,
    /// `None`: no fixed term ("without undue delay"); the clock only reminds.
    #[serde(default)]
    pub due: Option<Offset>,
    /// Overrides the book's `due_soon` for this obligation.
    #[serde(default)]
    pub due_soon: Option<Offset>,
    /// Which notification draft the CERT can pre-fill (see `drafts::DraftKind`).
    #[serde(default)]
    pub draft: Option<String>,
    /// Whether the board may record "not needed" with a reason (GDPR 33: no risk likely).
    #[serde(default = "yes")]
    pub waivable: bool,
    #[serde(default)]
    pub reminders: Vec<ReminderRule>,
}

fn yes() -> bool {
    true
}

/// A named group of obligations that applies when all its facts hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub code: String,
    pub name: Text,
    #[serde(default)]
    pub source: Text,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// All of these must hold; empty means every case.
    #[serde(default)]
    pub when: Vec<Fact>,
    #[serde(default, rename = "obligation")]
    pub obligations: Vec<ObligationRule>,
}

impl RuleSet {
    pub fn applies(&self, facts: &BTreeSet<Fact>) -> bool {
        self.enabled && self.when.iter().all(|f| facts.contains(f))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    due_soon: Option<Offset>,
    #[serde(default)]
    recipients: BTreeMap<String, Text>,
    #[serde(default, rename = "rule_set")]
    rule_sets: Vec<RuleSet>,
}

/// The validated rule book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBook {
    pub version: u32,
    /// Default warning period before a deadline.
    pub due_soon: Offset,
    pub recipients: BTreeMap<String, Text>,
    pub rule_sets: Vec<RuleSet>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("the deadline rules are not valid TOML: {0}")]
    Toml(String),
    #[error("deadline rules: {0}")]
    Invalid(String),
}

impl Localized for RulesError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RulesError::Toml(e), Lang::Nl) => {
                format!("De termijnregels zijn geen geldige TOML: {e}")
            }
            (RulesError::Toml(e), Lang::En) => {
                format!("The deadline rules are not valid TOML: {e}")
            }
            (RulesError::Invalid(e), Lang::Nl) => format!("De termijnregels kloppen niet: {e}"),
            (RulesError::Invalid(e), Lang::En) => {
                format!("The deadline rules are inconsistent: {e}")
            }
        }
    }
}

impl RuleBook {
    /// The shipped rules (GDPR 33/34, NIS2/Cbw, the announced sector duty switched off, the
    /// CERT's own first-response service level).
    pub fn embedded() -> Result<RuleBook, RulesError> {
        RuleBook::from_toml(EMBEDDED_RULES)
    }

    /// A complete rule book from TOML text.
    pub fn from_toml(text: &str) -> Result<RuleBook, RulesError> {
        let raw: RawBook = toml::from_str(text).map_err(|e| RulesError::Toml(e.to_string()))?;
        let book = RuleBook {
            version: raw.version.unwrap_or(1),
            due_soon: raw.due_soon.unwrap_or(Offset::hours(12)),
            recipients: raw.recipients,
            rule_sets: raw.rule_sets,
        };
        book.validate()?;
        Ok(book)
    }

    /// This book with a local override file applied: rule sets with the same code are replaced
    /// whole, new ones are added, recipients are merged, `due_soon` is replaced when given. An
    /// override can so switch on the sector duty or shorten a service level without copying
    /// the legal rules.
    pub fn with_overrides(mut self, text: &str) -> Result<RuleBook, RulesError> {
        let raw: RawBook = toml::from_str(text).map_err(|e| RulesError::Toml(e.to_string()))?;
        if let Some(v) = raw.version {
            self.version = v;
        }
        if let Some(d) = raw.due_soon {
            self.due_soon = d;
        }
        self.recipients.extend(raw.recipients);
        for set in raw.rule_sets {
            match self.rule_sets.iter_mut().find(|s| s.code == set.code) {
                Some(existing) => *existing = set,
                None => self.rule_sets.push(set),
            }
        }
        self.validate()?;
        Ok(self)
    }

    /// The obligation with this code and the set it belongs to.
    pub fn obligation(&self, code: &str) -> Option<(&RuleSet, &ObligationRule)> {
        self.rule_sets.iter().find_map(|s| {
            s.obligations
                .iter()
                .find(|o| o.code == code)
                .map(|o| (s, o))
        })
    }

    /// The recipient's name, or its code when the book has no name for it.
    pub fn recipient_name(&self, code: &str) -> Text {
        self.recipients
            .get(code)
            .cloned()
            .unwrap_or_else(|| Text::new(code, code))
    }

    fn validate(&self) -> Result<(), RulesError> {
        let bad = |m: String| Err(RulesError::Invalid(m));
        let mut set_codes = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for set in &self.rule_sets {
            if set.code.trim().is_empty() || !set_codes.insert(set.code.as_str()) {
                return bad(format!(
                    "rule set code '{}' is empty or used twice",
                    set.code
                ));
            }
            for o in &set.obligations {
                if o.code.trim().is_empty()
                    || o.code.contains(':')
                    || !codes.insert(o.code.as_str())
                {
                    return bad(format!(
                        "obligation code '{}' is empty, holds ':' or is used twice",
                        o.code
                    ));
                }
                if o.name.is_empty() {
                    return bad(format!("obligation '{}' has no Dutch name", o.code));
                }
                if !self.recipients.contains_key(&o.recipient) {
                    return bad(format!(
                        "obligation '{}' names recipient '{}', which is not in [recipients]",
                        o.code, o.recipient
                    ));
                }
                if o.due.is_some_and(|d| d.is_zero()) {
                    return bad(format!("obligation '{}' has a zero term", o.code));
                }
                let mut reminder_codes = BTreeSet::new();
                for r in &o.reminders {
                    if r.code.contains(':') || !reminder_codes.insert(r.code.as_str()) {
                        return bad(format!(
                            "reminder '{}' of '{}' holds ':' or is used twice",
                            r.code, o.code
                        ));
                    }
                    match (r.before_due, r.after_start) {
                        (Some(_), None) if o.due.is_none() => {
                            return bad(format!(
                                "reminder '{}' of '{}' is set before a due moment the \
                                 obligation does not have",
                                r.code, o.code
                            ));
                        }
                        (Some(_), None) | (None, Some(_)) => {}
                        _ => {
                            return bad(format!(
                                "reminder '{}' of '{}' needs exactly one of before_due and \
                                 after_start",
                                r.code, o.code
                            ));
                        }
                    }
                    if r.to.is_empty() {
                        return bad(format!(
                            "reminder '{}' of '{}' goes to nobody",
                            r.code, o.code
                        ));
                    }
                }
            }
        }
        // Every `met:` anchor names an obligation, and following anchors never loops.
        for set in &self.rule_sets {
            for o in &set.obligations {
                let mut seen = BTreeSet::from([o.code.as_str()]);
                let mut anchor = &o.from;
                while let Anchor::MetOf(code) = anchor {
                    let Some((_, target)) = self.obligation(code) else {
                        return bad(format!(
                            "obligation '{}' starts when '{code}' is met, which does not exist",
                            o.code
                        ));
                    };
                    if !seen.insert(target.code.as_str()) {
                        return bad(format!("obligation '{}' starts in a loop", o.code));
                    }
                    anchor = &target.from;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_book_is_valid_and_has_the_legal_clocks() {
        let book = RuleBook::embedded().unwrap();
        let (_, gdpr) = book.obligation("gdpr-33").unwrap();
        assert_eq!(gdpr.due, Some(Offset::hours(72)));
        assert_eq!(gdpr.from, Anchor::BecameAware);
        assert_eq!(
            book.obligation("nis2-early-warning").unwrap().1.due,
            Some(Offset::hours(24))
        );
        assert_eq!(
            book.obligation("nis2-notification").unwrap().1.due,
            Some(Offset::hours(72))
        );
        let (_, fin) = book.obligation("nis2-final-report").unwrap();
        assert_eq!(fin.due, Some(Offset::months(1)));
        assert_eq!(fin.from, Anchor::MetOf("nis2-notification".into()));
        let sector = book
            .rule_sets
            .iter()
            .find(|s| s.code == "sector-duty")
            .unwrap();
        assert!(!sector.enabled, "the sector duty is not law yet");
    }

    #[test]
    fn overrides_replace_sets_by_code() {
        let book = RuleBook::embedded()
            .unwrap()
            .with_overrides(
                r#"
                [[rule_set]]
                code = "sector-duty"
                name = { nl = "Meldplicht funderend onderwijs" }
                when = ["sector_duty"]
                [[rule_set.obligation]]
                code = "sector-report"
                name = { nl = "Melding aan het sectorale meldpunt" }
                recipient = "sector"
                responsible = "board"
                from = "became_aware"
                due = { hours = 48 }
                "#,
            )
            .unwrap();
        let (set, o) = book.obligation("sector-report").unwrap();
        assert!(set.enabled);
        assert_eq!(o.due, Some(Offset::hours(48)));
        assert!(book.obligation("gdpr-33").is_some());
    }

    #[test]
    fn inconsistent_books_are_refused_with_a_reason() {
        let base = r#"
            [recipients]
            ap = { nl = "AP" }
            [[rule_set]]
            code = "x"
            name = { nl = "X" }
            [[rule_set.obligation]]
            code = "a"
            name = { nl = "A" }
            recipient = "ap"
            responsible = "board"
        "#;
        let cases = [
            ("from = \"met:a\"\ndue = { hours = 1 }", "loop"),
            ("from = \"met:zz\"", "does not exist"),
            ("from = \"whenever\"", "clock start"),
            (
                "from = \"became_aware\"\nreminders = [{ code = \"r\", before_due = { hours = 1 }, to = [\"board\"] }]",
                "does not have",
            ),
        ];
        for (extra, expect) in cases {
            let err = RuleBook::from_toml(&format!("{base}{extra}\n")).unwrap_err();
            assert!(err.to_string().contains(expect), "{err}");
        }
        assert!(matches!(
            RuleBook::from_toml("[[rule_set"),
            Err(RulesError::Toml(_))
        ));
    }
}
