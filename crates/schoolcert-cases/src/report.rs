//! Reports (meldingen): what arrives, through which channel, and the decision on it: linked to
//! a case (new or existing; many reports per case), rejected, or marked duplicate, each with a
//! reason where one is owed.

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{BoardId, Lang, Timestamp, Tlp};

use crate::ids::{CaseId, ReportId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportChannel {
    /// The board contact's form in the portal.
    WebForm,
    /// The API (for instance a board's own SIEM).
    Api,
    /// An analyst taking a phone call.
    Phone,
    /// The IMAP mailbox.
    Email,
    /// An .eml file uploaded by an analyst.
    EmlUpload,
    /// The public CVD form.
    CvdForm,
}

impl ReportChannel {
    pub fn code(self) -> &'static str {
        match self {
            ReportChannel::WebForm => "web_form",
            ReportChannel::Api => "api",
            ReportChannel::Phone => "phone",
            ReportChannel::Email => "email",
            ReportChannel::EmlUpload => "eml_upload",
            ReportChannel::CvdForm => "cvd_form",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ReportChannel::WebForm => lang.pick("Meldformulier", "Report form"),
            ReportChannel::Api => lang.pick("API", "API"),
            ReportChannel::Phone => lang.pick("Telefoon", "Phone"),
            ReportChannel::Email => lang.pick("E-mail", "E-mail"),
            ReportChannel::EmlUpload => lang.pick("Geüploade e-mail", "Uploaded e-mail"),
            ReportChannel::CvdForm => lang.pick("CVD-formulier", "CVD form"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    New,
    Linked,
    Rejected,
    Duplicate,
}

impl ReportState {
    pub fn code(self) -> &'static str {
        match self {
            ReportState::New => "new",
            ReportState::Linked => "linked",
            ReportState::Rejected => "rejected",
            ReportState::Duplicate => "duplicate",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ReportState::New => lang.pick("Nieuw", "New"),
            ReportState::Linked => lang.pick("Gekoppeld aan een zaak", "Linked to a case"),
            ReportState::Rejected => lang.pick("Afgewezen", "Rejected"),
            ReportState::Duplicate => lang.pick("Dubbele melding", "Duplicate"),
        }
    }
}

/// An incoming report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: ReportId,
    pub channel: ReportChannel,
    pub received_at: Timestamp,
    /// Who reported, as shown ("j.devries@klimop.nl", "telefoon: J. de Vries").
    pub reporter: String,
    /// The board, when known from the sender or the form.
    pub board_id: Option<BoardId>,
    pub subject: String,
    pub body: String,
    pub tlp: Tlp,
    pub state: ReportState,
    pub case_id: Option<CaseId>,
    pub duplicate_of: Option<ReportId>,
    pub reason: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<String>,
}

/// What an analyst decides about a report. To start a new case the app creates the case first
/// and then links the report to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReportDecision {
    Link {
        case_id: CaseId,
    },
    Reject {
        reason: String,
    },
    Duplicate {
        of: ReportId,
        reason: String,
    },
    /// Undo a rejection or duplicate marking.
    Reopen,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("a reason is required")]
    ReasonRequired,
    #[error("a report cannot duplicate itself")]
    SelfDuplicate,
    #[error("the report is already linked to this case")]
    AlreadyLinked,
    #[error("only a rejected or duplicate report can be reopened")]
    NotReopenable,
}

impl Localized for ReportError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::ReasonRequired => lang.pick("Geef een reden.", "Give a reason."),
            ReportError::SelfDuplicate => lang.pick(
                "Een melding kan geen dubbele van zichzelf zijn.",
                "A report cannot duplicate itself.",
            ),
            ReportError::AlreadyLinked => lang.pick(
                "De melding is al aan deze zaak gekoppeld.",
                "The report is already linked to this case.",
            ),
            ReportError::NotReopenable => lang.pick(
                "Alleen een afgewezen of dubbele melding kan heropend worden.",
                "Only a rejected or duplicate report can be reopened.",
            ),
        }
        .to_owned()
    }
}

fn reason(r: &str) -> Result<String, ReportError> {
    let r = r.trim();
    if r.is_empty() {
        Err(ReportError::ReasonRequired)
    } else {
        Ok(r.to_owned())
    }
}

impl Report {
    /// Applies a decision. Linking to another case moves the report (merging cases is linking
    /// all reports of one to the other).
    pub fn decide(
        &mut self,
        decision: &ReportDecision,
        now: Timestamp,
        by: &str,
    ) -> Result<(), ReportError> {
        match decision {
            ReportDecision::Link { case_id } => {
                if self.state == ReportState::Linked && self.case_id == Some(*case_id) {
                    return Err(ReportError::AlreadyLinked);
                }
                self.state = ReportState::Linked;
                self.case_id = Some(*case_id);
                self.duplicate_of = None;
                self.reason = None;
            }
            ReportDecision::Reject { reason: r } => {
                self.reason = Some(reason(r)?);
                self.state = ReportState::Rejected;
                self.case_id = None;
                self.duplicate_of = None;
            }
            ReportDecision::Duplicate { of, reason: r } => {
                if *of == self.id {
                    return Err(ReportError::SelfDuplicate);
                }
                self.reason = Some(reason(r)?);
                self.state = ReportState::Duplicate;
                self.duplicate_of = Some(*of);
                self.case_id = None;
            }
            ReportDecision::Reopen => {
                if !matches!(self.state, ReportState::Rejected | ReportState::Duplicate) {
                    return Err(ReportError::NotReopenable);
                }
                self.state = ReportState::New;
                self.reason = None;
                self.duplicate_of = None;
            }
        }
        self.decided_at = Some(now);
        self.decided_by = Some(by.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    fn report() -> Report {
        Report {
            id: ReportId(1),
            channel: ReportChannel::Email,
            received_at: parse_rfc3339("2026-03-02T08:00:00Z").unwrap(),
            reporter: "ict@klimop.nl".into(),
            board_id: Some(BoardId(7)),
            subject: "Phishing".into(),
            body: String::new(),
            tlp: Tlp::Amber,
            state: ReportState::New,
            case_id: None,
            duplicate_of: None,
            reason: None,
            decided_at: None,
            decided_by: None,
        }
    }

    #[test]
    fn link_reject_duplicate_and_reopen() {
        let now = parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let mut r = report();
        r.decide(&ReportDecision::Link { case_id: CaseId(5) }, now, "a")
            .unwrap();
        assert_eq!((r.state, r.case_id), (ReportState::Linked, Some(CaseId(5))));
        assert_eq!(
            r.decide(&ReportDecision::Link { case_id: CaseId(5) }, now, "a"),
            Err(ReportError::AlreadyLinked)
        );
        assert_eq!(
            r.decide(&ReportDecision::Reject { reason: " ".into() }, now, "a"),
            Err(ReportError::ReasonRequired)
        );
        assert_eq!(
            r.state,
            ReportState::Linked,
            "a refused decision changes nothing"
        );
        assert_eq!(
            r.decide(
                &ReportDecision::Duplicate {
                    of: ReportId(1),
                    reason: "x".into()
                },
                now,
                "a"
            ),
            Err(ReportError::SelfDuplicate)
        );
        r.decide(
            &ReportDecision::Duplicate {
                of: ReportId(2),
                reason: "zelfde mail".into(),
            },
            now,
            "a",
        )
        .unwrap();
        assert_eq!(r.case_id, None);
        r.decide(&ReportDecision::Reopen, now, "a").unwrap();
        assert_eq!(r.state, ReportState::New);
        assert_eq!(
            r.decide(&ReportDecision::Reopen, now, "a"),
            Err(ReportError::NotReopenable)
        );
    }
}
