//! What the drafts are filled from: the case, the board and the facts the board confirmed. The
//! application assembles it; every field is optional so a draft can be made early and grow.

use serde::{Deserialize, Serialize};

use schoolcert_domain::rsit::Classification;
use schoolcert_domain::{Lang, Timestamp, Tlp};

use crate::incident::Severity;
use crate::reference::CaseRef;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub kvk_number: Option<String>,
    pub duo_number: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    pub fn one_line(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return None;
        }
        let mut parts = vec![self.name.trim().to_owned()];
        parts.extend(
            [&self.role, &self.email, &self.phone]
                .into_iter()
                .flatten()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
        );
        Some(parts.join(", "))
    }
}

/// What happened to the data (the AP asks which of these apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachNature {
    /// Read or copied by someone not entitled to (confidentiality).
    ReadOrCopied,
    /// Changed (integrity).
    Changed,
    /// Deleted, destroyed or lost (availability).
    DeletedOrLost,
    /// Encrypted by ransomware, so unavailable.
    Unavailable,
}

impl BreachNature {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            BreachNature::ReadOrCopied => lang.pick("Gelezen of gekopieerd", "Read or copied"),
            BreachNature::Changed => lang.pick("Veranderd", "Changed"),
            BreachNature::DeletedOrLost => lang.pick(
                "Verwijderd, vernietigd of verloren",
                "Deleted, destroyed or lost",
            ),
            BreachNature::Unavailable => lang.pick(
                "Niet beschikbaar (bijv. versleuteld)",
                "Unavailable (e.g. encrypted)",
            ),
        }
    }
}

/// The board's decision on informing data subjects (GDPR Art. 34).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum SubjectsInformed {
    Yes {
        when: Option<Timestamp>,
        how: String,
    },
    Planned {
        how: String,
    },
    No {
        why: String,
    },
    Undecided,
}

/// An indicator with its label; only CLEAR and GREEN ones go into a regulator's draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub kind: String,
    pub value: String,
    pub tlp: Tlp,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DraftCase {
    pub reference: Option<CaseRef>,
    pub organisation: Organisation,
    /// Who the regulator may contact about the report.
    pub contact: Contact,
    /// The data protection officer (FG).
    pub dpo: Option<Contact>,
    /// The official responsible for the report (the Cbw asks for these contact details).
    pub responsible_official: Option<Contact>,
    pub summary: String,
    pub classification: Option<Classification>,
    pub severity: Option<Severity>,
    pub became_aware_at: Option<Timestamp>,
    pub how_discovered: Option<String>,
    pub started_at: Option<Timestamp>,
    /// `None` with `ongoing` false: unknown.
    pub ended_at: Option<Timestamp>,
    pub ongoing: bool,
    pub cause: Option<String>,
    pub nature: Vec<BreachNature>,
    pub data_categories: Vec<String>,
    pub special_categories: Vec<String>,
    pub subject_categories: Vec<String>,
    pub subjects_min: Option<u64>,
    pub subjects_max: Option<u64>,
    pub records: Option<u64>,
    pub consequences: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub encrypted: Option<bool>,
    pub subjects_informed: Option<SubjectsInformed>,
    pub subjects_in_other_eu_countries: Option<bool>,
    /// The supplier (processor) involved, if any.
    pub processor: Option<String>,
    /// Why the notification is late, when it is.
    pub late_reason: Option<String>,
    /// NIS2: suspected unlawful or malicious act.
    pub suspected_malicious: Option<bool>,
    /// NIS2: possible cross-border impact.
    pub cross_border_impact: Option<bool>,
    pub impact: Option<String>,
    pub threat_type: Option<String>,
    pub root_cause: Option<String>,
    pub mitigation_applied: Option<String>,
    pub mitigation_ongoing: Option<String>,
    pub indicators: Vec<Indicator>,
    /// When earlier NIS2 reports were made, and their references.
    pub early_warning_at: Option<Timestamp>,
    pub notification_at: Option<Timestamp>,
    pub regulator_reference: Option<String>,
}
