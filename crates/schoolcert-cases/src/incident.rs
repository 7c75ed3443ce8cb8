//! Incident cases: the state machine (new → triage → advising | coordinating → monitoring →
//! closed, with reopen), closing outcomes, severity with plain meanings, the CERT's role and the
//! case record the store keeps.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::rsit::{self, Classification};
use schoolcert_domain::{BoardId, Lang, SchoolId, Timestamp, Tlp, UserId};

use crate::deadlines::{CaseFacts, ClockCase, ObligationRecord};
use crate::fields::{FieldError, Problem};
use crate::reference::CaseRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    New,
    Triage,
    Advising,
    Coordinating,
    Monitoring,
    Closed,
}

impl IncidentState {
    pub const ALL: [IncidentState; 6] = [
        IncidentState::New,
        IncidentState::Triage,
        IncidentState::Advising,
        IncidentState::Coordinating,
        IncidentState::Monitoring,
        IncidentState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IncidentState::New => "new",
            IncidentState::Triage => "triage",
            IncidentState::Advising => "advising",
            IncidentState::Coordinating => "coordinating",
            IncidentState::Monitoring => "monitoring",
            IncidentState::Closed => "closed",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            IncidentState::New => lang.pick("Nieuw", "New"),
            IncidentState::Triage => lang.pick("In behandeling genomen (triage)", "Triage"),
            IncidentState::Advising => lang.pick("CERT adviseert", "CERT advising"),
            IncidentState::Coordinating => lang.pick("CERT coördineert", "CERT coordinating"),
            IncidentState::Monitoring => lang.pick("Nazorg en monitoring", "Monitoring"),
            IncidentState::Closed => lang.pick("Gesloten", "Closed"),
        }
    }

    pub fn is_open(self) -> bool {
        self != IncidentState::Closed
    }

    /// The CERT's role this state puts the case in, if it decides one.
    pub fn cert_role(self) -> Option<CertRole> {
        match self {
            IncidentState::Advising => Some(CertRole::Advising),
            IncidentState::Coordinating => Some(CertRole::Coordinating),
            _ => None,
        }
    }

    /// The states this one may move to. Closing is possible from every open state (a case
    /// opened by mistake closes as `no_incident`); a closed case reopens into triage or straight
    /// into active work.
    pub fn next_states(self) -> &'static [IncidentState] {
        use IncidentState::*;
        match self {
            New => &[Triage, Closed],
            Triage => &[Advising, Coordinating, Closed],
            Advising => &[Coordinating, Monitoring, Closed],
            Coordinating => &[Advising, Monitoring, Closed],
            Monitoring => &[Advising, Coordinating, Closed],
            Closed => &[Triage, Advising, Coordinating],
        }
    }

    pub fn can_become(self, to: IncidentState) -> bool {
        self.next_states().contains(&to)
    }
}

impl fmt::Display for IncidentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for IncidentState {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IncidentState::ALL
            .into_iter()
            .find(|v| v.code() == s.trim())
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// A code read from storage or a form that names no known value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code {0:?}")]
pub struct UnknownCode(pub String);

/// How a closed incident ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Resolved,
    NoIncident,
    Referred,
    Abandoned,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Resolved,
        Outcome::NoIncident,
        Outcome::Referred,
        Outcome::Abandoned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::NoIncident => "no_incident",
            Outcome::Referred => "referred",
            Outcome::Abandoned => "abandoned",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Resolved => lang.pick("Opgelost", "Resolved"),
            Outcome::NoIncident => lang.pick("Geen incident", "No incident"),
            Outcome::Referred => lang.pick("Doorverwezen", "Referred"),
            Outcome::Abandoned => lang.pick("Gestaakt", "Abandoned"),
        }
    }
}

impl FromStr for Outcome {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|v| v.code() == s.trim())
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// What the CERT does in a case. The board stays responsible either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertRole {
    Advising,
    Coordinating,
}

impl CertRole {
    pub fn code(self) -> &'static str {
        match self {
            CertRole::Advising => "advising",
            CertRole::Coordinating => "coordinating",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            CertRole::Advising => lang.pick("Adviserend", "Advising"),
            CertRole::Coordinating => lang.pick("Coördinerend (regie)", "Coordinating"),
        }
    }

    pub fn explanation(self, lang: Lang) -> &'static str {
        match self {
            CertRole::Advising => lang.pick(
                "Het schoolbestuur voert de regie; School-CERT adviseert op afstand.",
                "The board leads; School-CERT advises remotely.",
            ),
            CertRole::Coordinating => lang.pick(
                "School-CERT neemt de regie over de afhandeling en stemt af met ketenpartijen; \
                 het schoolbestuur blijft verantwoordelijk.",
                "School-CERT coordinates the response and the chain partners; the board stays \
                 responsible.",
            ),
        }
    }
}

/// How bad an incident is, 1 (low) to 4 (critical), with a meaning a board contact understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Severity {
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn level(self) -> u8 {
        self as u8
    }

    pub fn from_level(level: u8) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.level() == level)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Severity::Low => lang.pick("Laag", "Low"),
            Severity::Medium => lang.pick("Middel", "Medium"),
            Severity::High => lang.pick("Hoog", "High"),
            Severity::Critical => lang.pick("Kritiek", "Critical"),
        }
    }

    /// The plain meaning, as shown next to the choice.
    pub fn meaning(self, lang: Lang) -> &'static str {
        match self {
            Severity::Low => lang.pick(
                "Geen merkbare verstoring van het onderwijs en geen gevoelige gegevens geraakt; \
                 advies volstaat.",
                "No noticeable disruption of teaching and no sensitive data affected; advice is \
                 enough.",
            ),
            Severity::Medium => lang.pick(
                "Een deel van de systemen of een beperkt aantal mensen geraakt; het onderwijs \
                 gaat door.",
                "Some systems or a limited number of people affected; teaching goes on.",
            ),
            Severity::High => lang.pick(
                "Onderwijs op één of meer scholen verstoord, of persoonsgegevens van veel \
                 leerlingen, ouders of medewerkers mogelijk gelekt.",
                "Teaching disrupted at one or more schools, or personal data of many pupils, \
                 parents or staff possibly leaked.",
            ),
            Severity::Critical => lang.pick(
                "Het hele bestuur ligt stil of zeer gevoelige gegevens liggen op straat; \
                 crisisorganisatie nodig.",
                "The whole board is down or highly sensitive data is exposed; crisis \
                 organisation needed.",
            ),
        }
    }
}

impl TryFrom<u8> for Severity {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Severity::from_level(v).ok_or_else(|| format!("severity {v} is not 1, 2, 3 or 4"))
    }
}

impl From<Severity> for u8 {
    fn from(s: Severity) -> u8 {
        s.level()
    }
}

/// A checked state change, to be stored with an audit entry and a timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub from: IncidentState,
    pub to: IncidentState,
    /// Set when closing; cleared (`None`) on every other change.
    pub outcome: Option<Outcome>,
    /// The role to store when the target state decides one.
    pub role: Option<CertRole>,
    pub reopened: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("an incident cannot go from {from} to {to}")]
    NotAllowed {
        from: IncidentState,
        to: IncidentState,
    },
    #[error("closing an incident needs an outcome")]
    OutcomeRequired,
    #[error("an outcome is only given when closing")]
    OutcomeNotAllowed,
}

impl Localized for TransitionError {
    fn message(&self, lang: Lang) -> String {
        match self {
            TransitionError::NotAllowed { from, to } => match lang {
                Lang::Nl => format!(
                    "Een incident kan niet van '{}' naar '{}'.",
                    from.name(lang),
                    to.name(lang)
                ),
                Lang::En => format!(
                    "An incident cannot go from '{}' to '{}'.",
                    from.name(lang),
                    to.name(lang)
                ),
            },
            TransitionError::OutcomeRequired => lang
                .pick(
                    "Kies bij het sluiten een uitkomst.",
                    "Choose an outcome when closing.",
                )
                .into(),
            TransitionError::OutcomeNotAllowed => lang
                .pick(
                    "Een uitkomst hoort alleen bij het sluiten.",
                    "An outcome belongs to closing only.",
                )
                .into(),
        }
    }
}

/// Checks a state change; closing needs an outcome and nothing else may carry one.
pub fn transition(
    from: IncidentState,
    to: IncidentState,
    outcome: Option<Outcome>,
) -> Result<Transition, TransitionError> {
    if !from.can_become(to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    match (to, outcome) {
        (IncidentState::Closed, None) => return Err(TransitionError::OutcomeRequired),
        (IncidentState::Closed, Some(_)) => {}
        (_, Some(_)) => return Err(TransitionError::OutcomeNotAllowed),
        (_, None) => {}
    }
    Ok(Transition {
        from,
        to,
        outcome,
        role: to.cert_role(),
        reopened: from == IncidentState::Closed,
    })
}

/// Whether personal data is involved, which starts the GDPR clock. `Unknown` is the honest
/// answer early in triage; it does not start a clock but the UI should ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    #[default]
    Unknown,
    No,
    Yes,
}

impl PersonalData {
    pub fn is_yes(self) -> bool {
        self == PersonalData::Yes
    }
}

/// An incident case as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentCase {
    pub reference: CaseRef,
    pub state: IncidentState,
    pub board_ids: Vec<BoardId>,
    pub school_ids: Vec<SchoolId>,
    pub classification: Option<Classification>,
    pub severity: Option<Severity>,
    pub tlp: Tlp,
    pub personal_data: PersonalData,
    /// When the board became aware; the legal clocks start here.
    pub became_aware_at: Option<Timestamp>,
    pub role: Option<CertRole>,
    pub assignee: Option<UserId>,
    pub summary: String,
    pub outcome: Option<Outcome>,
    /// Exercise cases are marked everywhere and left out of statistics.
    pub exercise: bool,
    pub opened_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
}

impl IncidentCase {
    /// A new case in state `new` with the defaults of the service (TLP:AMBER+STRICT: a board's
    /// incident is for its own organisation).
    pub fn open(reference: CaseRef, board_ids: Vec<BoardId>, now: Timestamp) -> Self {
        IncidentCase {
            reference,
            state: IncidentState::New,
            board_ids,
            school_ids: Vec::new(),
            classification: None,
            severity: None,
            tlp: Tlp::AmberStrict,
            personal_data: PersonalData::Unknown,
            became_aware_at: None,
            role: None,
            assignee: None,
            summary: String::new(),
            outcome: None,
            exercise: false,
            opened_at: now,
            first_response_at: None,
            closed_at: None,
        }
    }

    /// Applies a checked transition at `now`.
    pub fn apply(&mut self, t: &Transition, now: Timestamp) {
        self.state = t.to;
        self.outcome = t.outcome;
        if let Some(role) = t.role {
            self.role = Some(role);
        }
        self.closed_at = (t.to == IncidentState::Closed).then_some(now);
    }

    /// Records the CERT's first answer to the board; later answers do not move it.
    pub fn note_response(&mut self, at: Timestamp) {
        if self.first_response_at.is_none() {
            self.first_response_at = Some(at);
        }
    }

    /// The clock view of this case for the deadline engine. Whether a board is a NIS2 entity
    /// or under the sector duty is a board setting the caller looks up.
    pub fn clock_case<'a>(
        &self,
        nis2_entity: bool,
        sector_duty: bool,
        records: &'a [ObligationRecord],
    ) -> ClockCase<'a> {
        ClockCase {
            facts: CaseFacts {
                personal_data: self.personal_data.is_yes(),
                nis2_entity,
                sector_duty,
            },
            became_aware_at: self.became_aware_at,
            opened_at: self.opened_at,
            records,
        }
    }

    /// The field problems of this record; empty when it may be stored.
    pub fn validate(&self, now: Timestamp) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.board_ids.is_empty() {
            errors.push(FieldError::new("board_ids", Problem::Required));
        }
        if let Some(c) = &self.classification
            && !rsit::is_valid_pair(&c.taxonomy, &c.type_)
        {
            errors.push(FieldError::new("classification", Problem::NotAllowed));
        }
        if self.became_aware_at.is_some_and(|t| t > now) {
            errors.push(FieldError::new("became_aware_at", Problem::InFuture));
        }
        if self.summary.chars().count() > 20_000 {
            errors.push(FieldError::new("summary", Problem::TooLong { max: 20_000 }));
        }
        if self.state == IncidentState::Closed && self.outcome.is_none() {
            errors.push(FieldError::new("outcome", Problem::Required));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentState::*;

    #[test]
    fn the_happy_path_and_reopen_are_allowed() {
        for (a, b) in [
            (New, Triage),
            (Triage, Advising),
            (Advising, Coordinating),
            (Coordinating, Monitoring),
            (Monitoring, Advising),
        ] {
            assert!(transition(a, b, None).is_ok(), "{a} -> {b}");
        }
        let close = transition(Monitoring, Closed, Some(Outcome::Resolved)).unwrap();
        assert_eq!(close.outcome, Some(Outcome::Resolved));
        let reopen = transition(Closed, Triage, None).unwrap();
        assert!(reopen.reopened);
        assert_eq!(reopen.outcome, None);
    }

    #[test]
    fn skipping_triage_and_closing_without_outcome_are_refused() {
        assert_eq!(
            transition(New, Advising, None),
            Err(TransitionError::NotAllowed {
                from: New,
                to: Advising
            })
        );
        assert_eq!(
            transition(Triage, Closed, None),
            Err(TransitionError::OutcomeRequired)
        );
        assert_eq!(
            transition(Triage, Advising, Some(Outcome::Resolved)),
            Err(TransitionError::OutcomeNotAllowed)
        );
        assert_eq!(
            transition(Triage, Triage, None)
                .unwrap_err()
                .message(Lang::Nl),
            "Een incident kan niet van 'In behandeling genomen (triage)' naar 'In behandeling genomen (triage)'."
        );
    }

    #[test]
    fn severity_round_trips_as_a_number_and_explains_itself() {
        assert_eq!(serde_json::to_string(&Severity::High).unwrap(), "3");
        assert_eq!(
            serde_json::from_str::<Severity>("4").unwrap(),
            Severity::Critical
        );
        assert!(serde_json::from_str::<Severity>("5").is_err());
        assert!(Severity::Low.meaning(Lang::Nl).contains("advies volstaat"));
    }

    #[test]
    fn role_follows_the_state_and_closing_sets_closed_at() {
        let t0 = schoolcert_domain::time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let r = CaseRef::new(crate::CaseKind::Incident, 2026, 1);
        let mut case = IncidentCase::open(r, vec![BoardId(1)], t0);
        case.apply(&transition(New, Triage, None).unwrap(), t0);
        case.apply(&transition(Triage, Coordinating, None).unwrap(), t0);
        case.apply(&transition(Coordinating, Monitoring, None).unwrap(), t0);
        assert_eq!(case.role, Some(CertRole::Coordinating));
        case.apply(
            &transition(Monitoring, Closed, Some(Outcome::Referred)).unwrap(),
            t0,
        );
        assert_eq!(case.closed_at, Some(t0));
        assert!(case.validate(t0).is_empty());
        case.classification = Some(Classification {
            taxonomy: "fraud".into(),
            type_: "ddos".into(),
        });
        assert_eq!(case.validate(t0)[0].field, "classification");
    }
}
