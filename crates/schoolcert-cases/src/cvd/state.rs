//! The CVD state machine: received → triage → (invalid | duplicate | out_of_scope) | accepted →
//! board_notified → remediation → resolved → disclosed → closed, and what the reporter sees.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;

use crate::ids::CaseId;
use crate::incident::UnknownCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CvdState {
    Received,
    Triage,
    Invalid,
    Duplicate,
    OutOfScope,
    Accepted,
    BoardNotified,
    Remediation,
    Resolved,
    Disclosed,
    Closed,
}

impl CvdState {
    pub const ALL: [CvdState; 11] = [
        CvdState::Received,
        CvdState::Triage,
        CvdState::Invalid,
        CvdState::Duplicate,
        CvdState::OutOfScope,
        CvdState::Accepted,
        CvdState::BoardNotified,
        CvdState::Remediation,
        CvdState::Resolved,
        CvdState::Disclosed,
        CvdState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CvdState::Received => "received",
            CvdState::Triage => "triage",
            CvdState::Invalid => "invalid",
            CvdState::Duplicate => "duplicate",
            CvdState::OutOfScope => "out_of_scope",
            CvdState::Accepted => "accepted",
            CvdState::BoardNotified => "board_notified",
            CvdState::Remediation => "remediation",
            CvdState::Resolved => "resolved",
            CvdState::Disclosed => "disclosed",
            CvdState::Closed => "closed",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            CvdState::Received => lang.pick("Ontvangen", "Received"),
            CvdState::Triage => lang.pick("Wordt beoordeeld", "Triage"),
            CvdState::Invalid => lang.pick("Ongeldig", "Invalid"),
            CvdState::Duplicate => lang.pick("Al eerder gemeld", "Duplicate"),
            CvdState::OutOfScope => lang.pick("Buiten bereik", "Out of scope"),
            CvdState::Accepted => lang.pick("Geaccepteerd", "Accepted"),
            CvdState::BoardNotified => lang.pick("Schoolbestuur ingelicht", "Board notified"),
            CvdState::Remediation => lang.pick("Wordt verholpen", "Remediation"),
            CvdState::Resolved => lang.pick("Verholpen", "Resolved"),
            CvdState::Disclosed => lang.pick("Openbaar gemaakt", "Disclosed"),
            CvdState::Closed => lang.pick("Gesloten", "Closed"),
        }
    }

    /// The triage outcomes that end a report without accepting it.
    pub fn is_rejection(self) -> bool {
        matches!(
            self,
            CvdState::Invalid | CvdState::Duplicate | CvdState::OutOfScope
        )
    }

    /// Whether the disclosure deadline is running (accepted and not yet resolved).
    pub fn remediation_running(self) -> bool {
        matches!(
            self,
            CvdState::Accepted | CvdState::BoardNotified | CvdState::Remediation
        )
    }

    pub fn next_states(self) -> &'static [CvdState] {
        use CvdState::*;
        match self {
            // Obvious spam may be declared invalid without triage.
            Received => &[Triage, Invalid],
            Triage => &[Invalid, Duplicate, OutOfScope, Accepted],
            // A reporter may bring new facts: reconsider.
            Invalid | Duplicate | OutOfScope => &[Triage, Closed],
            Accepted => &[BoardNotified],
            // A board may fix it at once, without a separate remediation phase.
            BoardNotified => &[Remediation, Resolved],
            Remediation => &[Resolved],
            // A failed retest sends it back; disclosure is optional.
            Resolved => &[Remediation, Disclosed, Closed],
            Disclosed => &[Closed],
            Closed => &[Triage],
        }
    }

    pub fn can_become(self, to: CvdState) -> bool {
        self.next_states().contains(&to)
    }

    /// What the reporter is shown; internal steps (such as which board was told) stay hidden.
    pub fn reporter_status(self) -> ReporterStatus {
        match self {
            CvdState::Received => ReporterStatus::Received,
            CvdState::Triage
            | CvdState::Accepted
            | CvdState::BoardNotified
            | CvdState::Remediation => ReporterStatus::InProgress,
            CvdState::Invalid | CvdState::Duplicate | CvdState::OutOfScope => {
                ReporterStatus::NotAccepted
            }
            CvdState::Resolved => ReporterStatus::Resolved,
            CvdState::Disclosed => ReporterStatus::Disclosed,
            CvdState::Closed => ReporterStatus::Closed,
        }
    }
}

impl fmt::Display for CvdState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CvdState {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CvdState::ALL
            .into_iter()
            .find(|v| v.code() == s.trim())
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// The reporter's view of the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReporterStatus {
    Received,
    InProgress,
    NotAccepted,
    Resolved,
    Disclosed,
    Closed,
}

impl ReporterStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReporterStatus::Received => "received",
            ReporterStatus::InProgress => "in_progress",
            ReporterStatus::NotAccepted => "not_accepted",
            ReporterStatus::Resolved => "resolved",
            ReporterStatus::Disclosed => "disclosed",
            ReporterStatus::Closed => "closed",
        }
    }

    pub fn explanation(self, lang: Lang) -> &'static str {
        match self {
            ReporterStatus::Received => lang.pick(
                "Je melding is ontvangen. We beoordelen hem zo snel mogelijk.",
                "Your report has been received. We will assess it as soon as possible.",
            ),
            ReporterStatus::InProgress => lang.pick(
                "We behandelen je melding en hebben de eigenaar van het systeem ingelicht of \
                 doen dat binnenkort. We houden je op de hoogte.",
                "We are handling your report and have informed, or will soon inform, the owner \
                 of the system. We will keep you posted.",
            ),
            ReporterStatus::NotAccepted => lang.pick(
                "We hebben je melding niet in behandeling genomen; de reden staat in onze \
                 berichten.",
                "We did not take your report into handling; our messages give the reason.",
            ),
            ReporterStatus::Resolved => lang.pick(
                "De kwetsbaarheid is volgens de eigenaar verholpen. Dank je wel!",
                "According to the owner the vulnerability has been fixed. Thank you!",
            ),
            ReporterStatus::Disclosed => lang.pick(
                "De kwetsbaarheid is verholpen en in overleg openbaar gemaakt.",
                "The vulnerability has been fixed and disclosed by agreement.",
            ),
            ReporterStatus::Closed => {
                lang.pick("Deze melding is afgesloten.", "This report is closed.")
            }
        }
    }
}

/// A checked CVD state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CvdTransition {
    pub from: CvdState,
    pub to: CvdState,
    /// Why the report was not accepted (required for invalid and out of scope).
    pub reason: Option<String>,
    /// The earlier case this one duplicates.
    pub duplicate_of: Option<CaseId>,
    pub reopened: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvdTransitionError {
    #[error("a CVD case cannot go from {from} to {to}")]
    NotAllowed { from: CvdState, to: CvdState },
    #[error("a reason is required for this decision")]
    ReasonRequired,
    #[error("a duplicate needs the case it duplicates")]
    DuplicateOfRequired,
}

impl Localized for CvdTransitionError {
    fn message(&self, lang: Lang) -> String {
        match self {
            CvdTransitionError::NotAllowed { from, to } => match lang {
                Lang::Nl => format!(
                    "Een CVD-melding kan niet van '{}' naar '{}'.",
                    from.name(lang),
                    to.name(lang)
                ),
                Lang::En => format!(
                    "A CVD case cannot go from '{}' to '{}'.",
                    from.name(lang),
                    to.name(lang)
                ),
            },
            CvdTransitionError::ReasonRequired => lang
                .pick(
                    "Geef een reden; de melder krijgt die te zien.",
                    "Give a reason; the reporter will see it.",
                )
                .into(),
            CvdTransitionError::DuplicateOfRequired => lang
                .pick(
                    "Kies de eerdere melding waarvan dit een dubbele is.",
                    "Choose the earlier case this one duplicates.",
                )
                .into(),
        }
    }
}

/// Checks a state change; rejections need a reason, duplicates the original case.
pub fn transition(
    from: CvdState,
    to: CvdState,
    reason: Option<&str>,
    duplicate_of: Option<CaseId>,
) -> Result<CvdTransition, CvdTransitionError> {
    if !from.can_become(to) {
        return Err(CvdTransitionError::NotAllowed { from, to });
    }
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    match to {
        CvdState::Invalid | CvdState::OutOfScope if reason.is_none() => {
            return Err(CvdTransitionError::ReasonRequired);
        }
        CvdState::Duplicate if duplicate_of.is_none() => {
            return Err(CvdTransitionError::DuplicateOfRequired);
        }
        _ => {}
    }
    Ok(CvdTransition {
        from,
        to,
        reason,
        duplicate_of: if to == CvdState::Duplicate {
            duplicate_of
        } else {
            None
        },
        reopened: from == CvdState::Closed || (from.is_rejection() && to == CvdState::Triage),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use CvdState::*;

    #[test]
    fn the_full_path_is_allowed() {
        let path = [
            Received,
            Triage,
            Accepted,
            BoardNotified,
            Remediation,
            Resolved,
            Disclosed,
            Closed,
        ];
        for w in path.windows(2) {
            assert!(
                transition(w[0], w[1], None, None).is_ok(),
                "{} -> {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn rejections_need_reasons_and_duplicates_an_original() {
        assert_eq!(
            transition(Triage, OutOfScope, Some(" "), None),
            Err(CvdTransitionError::ReasonRequired)
        );
        assert_eq!(
            transition(Triage, Duplicate, None, None),
            Err(CvdTransitionError::DuplicateOfRequired)
        );
        let d = transition(Triage, Duplicate, None, Some(CaseId(3))).unwrap();
        assert_eq!(d.duplicate_of, Some(CaseId(3)));
        assert!(transition(Duplicate, Triage, None, None).unwrap().reopened);
        assert!(matches!(
            transition(Received, Accepted, None, None),
            Err(CvdTransitionError::NotAllowed { .. })
        ));
        assert!(matches!(
            transition(Accepted, Disclosed, None, None),
            Err(CvdTransitionError::NotAllowed { .. })
        ));
    }

    #[test]
    fn the_reporter_never_sees_board_steps() {
        assert_eq!(BoardNotified.reporter_status(), ReporterStatus::InProgress);
        assert_eq!(Remediation.reporter_status(), ReporterStatus::InProgress);
        assert_eq!(OutOfScope.reporter_status(), ReporterStatus::NotAccepted);
        for s in CvdState::ALL {
            assert_eq!(s.code().parse(), Ok(s));
        }
    }
}
