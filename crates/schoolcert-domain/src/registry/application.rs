//! The joining application (aanmelding): the steps a board's applicant goes through and the
//! states of the review by the CERT.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// The applicant's e-mail address is not confirmed yet.
    Unconfirmed,
    /// Being filled in by the applicant.
    Draft,
    /// Waiting for a CERT analyst.
    Submitted,
    /// Sent back to the applicant with a reason; editable again.
    Returned,
    Approved,
    Withdrawn,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 6] = [
        ApplicationState::Unconfirmed,
        ApplicationState::Draft,
        ApplicationState::Submitted,
        ApplicationState::Returned,
        ApplicationState::Approved,
        ApplicationState::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationState::Unconfirmed => "unconfirmed",
            ApplicationState::Draft => "draft",
            ApplicationState::Submitted => "submitted",
            ApplicationState::Returned => "returned",
            ApplicationState::Approved => "approved",
            ApplicationState::Withdrawn => "withdrawn",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ApplicationState::Unconfirmed => lang.pick(
                "E-mailadres nog niet bevestigd",
                "E-mail address not confirmed",
            ),
            ApplicationState::Draft => lang.pick("Wordt ingevuld", "Being filled in"),
            ApplicationState::Submitted => lang.pick(
                "Ingediend, wacht op beoordeling",
                "Submitted, awaiting review",
            ),
            ApplicationState::Returned => {
                lang.pick("Teruggestuurd voor aanvulling", "Returned for changes")
            }
            ApplicationState::Approved => lang.pick("Goedgekeurd: aangesloten", "Approved: joined"),
            ApplicationState::Withdrawn => lang.pick("Ingetrokken", "Withdrawn"),
        }
    }

    /// The applicant may still change contacts, assets and terms.
    pub fn is_editable(self) -> bool {
        matches!(self, ApplicationState::Draft | ApplicationState::Returned)
    }

    /// Still in progress (one board has at most one open application).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ApplicationState::Approved | ApplicationState::Withdrawn
        )
    }

    pub fn can_become(self, to: ApplicationState) -> bool {
        use ApplicationState::*;
        matches!(
            (self, to),
            (Unconfirmed, Draft)
                | (Draft, Submitted)
                | (Returned, Submitted)
                | (Submitted, Returned)
                | (Submitted, Approved)
                | (Unconfirmed | Draft | Returned | Submitted, Withdrawn)
        )
    }
}

impl fmt::Display for ApplicationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ApplicationState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApplicationState::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| format!("unknown application state {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationState::*;

    #[test]
    fn review_goes_back_and_forth_until_approved() {
        assert!(Unconfirmed.can_become(Draft));
        assert!(Draft.can_become(Submitted));
        assert!(Submitted.can_become(Returned));
        assert!(Returned.can_become(Submitted));
        assert!(Submitted.can_become(Approved));
        assert!(!Draft.can_become(Approved));
        assert!(!Approved.can_become(Draft));
        assert!(Returned.is_editable() && !Submitted.is_editable());
    }
}
