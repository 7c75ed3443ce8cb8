//! The CVD case record and the two outside views of it: the reporter's (never the board's
//! identity unless the CERT shared it) and the board's (never the reporter's identity unless
//! the reporter agreed).

use serde::{Deserialize, Serialize};

use schoolcert_domain::rsit::Classification;
use schoolcert_domain::{BoardId, Timestamp, Tlp};

use super::credit::Reporter;
use super::disclosure::DisclosurePlan;
use super::state::{CvdState, CvdTransition, CvdTransitionError, ReporterStatus, transition};
use super::target::{Target, TargetMatch};
use crate::ids::{CaseId, PartyId};
use crate::incident::Severity;
use crate::intake::ValidIntake;
use crate::reference::CaseRef;

/// How the affected board was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identification {
    /// The registry's lookup index matched exactly one board.
    Matched,
    /// Nothing or several boards matched: a CERT analyst must identify the owner.
    ToIdentify,
    /// A CERT analyst chose the board (or the supplier).
    IdentifiedByCert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvdCase {
    pub reference: CaseRef,
    pub state: CvdState,
    pub reporter: Reporter,
    /// SHA-256 of the reporter's status token; the token itself is shown once.
    pub status_token_hash: String,
    pub what: String,
    pub targets: Vec<Target>,
    pub reproduce: String,
    pub impact: String,
    pub board_ids: Vec<BoardId>,
    pub identification: Identification,
    /// A supplier added as a party when its product is the vulnerable one.
    pub supplier: Option<PartyId>,
    /// Whether the CERT told the reporter which board it is.
    pub board_identity_shared_with_reporter: bool,
    pub tlp: Tlp,
    pub classification: Classification,
    pub severity: Option<Severity>,
    pub received_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub disclosure: Option<DisclosurePlan>,
    pub remediation_confirmed_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub disclosed_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub duplicate_of: Option<CaseId>,
    /// Why it was not accepted; shown to the reporter.
    pub decision_reason: Option<String>,
    pub exercise: bool,
}

impl CvdCase {
    /// A new case from a validated intake, in state `received`, acknowledged at once (the app
    /// sends the acknowledgement with the status link in the same transaction).
    pub fn from_intake(
        reference: CaseRef,
        intake: &ValidIntake,
        status_token_hash: String,
        matched: &TargetMatch,
        now: Timestamp,
    ) -> Self {
        let (board_ids, identification) = match matched.board() {
            Some(b) => (vec![b], Identification::Matched),
            None => (Vec::new(), Identification::ToIdentify),
        };
        CvdCase {
            reference,
            state: CvdState::Received,
            reporter: intake.reporter.clone(),
            status_token_hash,
            what: intake.what.clone(),
            targets: intake.targets.clone(),
            reproduce: intake.reproduce.clone(),
            impact: intake.impact.clone(),
            board_ids,
            identification,
            supplier: None,
            board_identity_shared_with_reporter: false,
            // A vulnerability in a school's system is for the board's eyes until fixed.
            tlp: Tlp::AmberStrict,
            classification: Classification {
                taxonomy: "vulnerable".into(),
                type_: "vulnerable-system".into(),
            },
            severity: None,
            received_at: now,
            acknowledged_at: Some(now),
            accepted_at: None,
            disclosure: None,
            remediation_confirmed_at: None,
            resolved_at: None,
            disclosed_at: None,
            closed_at: None,
            duplicate_of: None,
            decision_reason: None,
            exercise: false,
        }
    }

    /// A CERT analyst sets the board(s) after identifying the owner.
    pub fn identify(&mut self, boards: Vec<BoardId>) {
        self.board_ids = boards;
        self.identification = Identification::IdentifiedByCert;
    }

    /// Applies a checked transition at `now`, keeping the dates the metrics need.
    pub fn apply(&mut self, t: &CvdTransition, now: Timestamp) {
        self.state = t.to;
        match t.to {
            CvdState::Accepted => {
                self.accepted_at = Some(now);
                if self.disclosure.is_none() {
                    self.disclosure = Some(DisclosurePlan::new(now));
                }
            }
            CvdState::Resolved => self.resolved_at = Some(now),
            CvdState::Remediation => self.resolved_at = None,
            CvdState::Disclosed => self.disclosed_at = Some(now),
            CvdState::Closed => self.closed_at = Some(now),
            CvdState::Invalid | CvdState::Duplicate | CvdState::OutOfScope => {
                self.decision_reason = t.reason.clone();
                self.duplicate_of = t.duplicate_of;
            }
            CvdState::Triage if t.reopened => {
                self.closed_at = None;
                self.decision_reason = None;
                self.duplicate_of = None;
            }
            CvdState::Received | CvdState::Triage | CvdState::BoardNotified => {}
        }
    }

    /// The board confirms the fix: the case moves to `resolved`.
    pub fn confirm_remediation(
        &mut self,
        now: Timestamp,
    ) -> Result<CvdTransition, CvdTransitionError> {
        let t = transition(self.state, CvdState::Resolved, None, None)?;
        self.apply(&t, now);
        self.remediation_confirmed_at = Some(now);
        Ok(t)
    }

    /// The disclosure deadline in force, once accepted.
    pub fn disclosure_deadline(&self) -> Option<Timestamp> {
        self.disclosure.as_ref().map(DisclosurePlan::deadline)
    }

    /// What the reporter sees through the status link. `board_name` is the board's display
    /// name; it is only included when the CERT chose to share it.
    pub fn reporter_view(&self, board_name: Option<&str>) -> ReporterCvdView {
        let status = self.state.reporter_status();
        ReporterCvdView {
            reference: self.reference,
            status,
            received_at: self.received_at,
            what: self.what.clone(),
            targets: self.targets.iter().map(Target::as_text).collect(),
            disclosure_deadline: self.disclosure_deadline(),
            decision_reason: self.decision_reason.clone(),
            board_name: if self.board_identity_shared_with_reporter {
                board_name.map(str::to_owned)
            } else {
                None
            },
            credited: self.reporter.credit_consent,
        }
    }

    /// What a contact of an involved board sees. The reporter stays anonymous unless the
    /// reporter agreed to share their identity.
    pub fn board_view(&self) -> BoardCvdView {
        let shared = self.reporter.identity_shared_with_board;
        BoardCvdView {
            reference: self.reference,
            state: self.state,
            what: self.what.clone(),
            targets: self.targets.iter().map(Target::as_text).collect(),
            reproduce: self.reproduce.clone(),
            impact: self.impact.clone(),
            severity: self.severity,
            tlp: self.tlp,
            reporter_name: shared.then(|| self.reporter.name.clone()),
            reporter_email: if shared {
                self.reporter.email.as_ref().map(|e| e.as_str().to_owned())
            } else {
                None
            },
            disclosure_deadline: self.disclosure_deadline(),
            remediation_confirmed_at: self.remediation_confirmed_at,
            exercise: self.exercise,
        }
    }
}

/// The reporter's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReporterCvdView {
    pub reference: CaseRef,
    pub status: ReporterStatus,
    pub received_at: Timestamp,
    pub what: String,
    pub targets: Vec<String>,
    pub disclosure_deadline: Option<Timestamp>,
    pub decision_reason: Option<String>,
    /// Only when the CERT shared it.
    pub board_name: Option<String>,
    pub credited: bool,
}

/// The board's page for one of its CVD cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardCvdView {
    pub reference: CaseRef,
    pub state: CvdState,
    pub what: String,
    pub targets: Vec<String>,
    pub reproduce: String,
    pub impact: String,
    pub severity: Option<Severity>,
    pub tlp: Tlp,
    /// Only when the reporter agreed.
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub disclosure_deadline: Option<Timestamp>,
    pub remediation_confirmed_at: Option<Timestamp>,
    pub exercise: bool,
}
