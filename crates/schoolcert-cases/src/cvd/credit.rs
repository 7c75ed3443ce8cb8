//! The reporter of a CVD case (name or pseudonym, optional contact, consents) and the public
//! thanks page, which names only those who agreed to be credited and never the board.

use chrono::Datelike;
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use schoolcert_domain::Timestamp;
use schoolcert_domain::registry::Email;

use super::state::CvdState;

/// Who reported. Anonymity is allowed: the name may be a pseudonym and the e-mail address may
/// be absent (then the status link is the only channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporter {
    pub name: String,
    pub email: Option<Email>,
    /// Consent to be named on the public thanks page.
    pub credit_consent: bool,
    /// Consent to share the reporter's identity with the board.
    pub identity_shared_with_board: bool,
}

impl Reporter {
    /// The name for the thanks page, only with consent.
    pub fn public_credit(&self) -> Option<&str> {
        let name = self.name.trim();
        (self.credit_consent && !name.is_empty()).then_some(name)
    }
}

/// The facts of one case the thanks page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCandidate {
    pub reporter: Reporter,
    pub state: CvdState,
    pub resolved_at: Option<Timestamp>,
    pub exercise: bool,
}

/// One line of the thanks page: a name and the month it was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThanksEntry {
    pub name: String,
    /// `2026-03`, in Dutch time.
    pub month: String,
}

/// The public thanks page: consenting reporters of fixed vulnerabilities, newest first. It says
/// nothing about which school or system, so it can be public (TLP:CLEAR).
pub fn thanks_page(cases: &[CreditCandidate]) -> Vec<ThanksEntry> {
    let mut rows: Vec<(Timestamp, ThanksEntry)> = cases
        .iter()
        .filter(|c| !c.exercise)
        .filter(|c| {
            matches!(
                c.state,
                CvdState::Resolved | CvdState::Disclosed | CvdState::Closed
            )
        })
        .filter_map(|c| {
            let at = c.resolved_at?;
            let name = c.reporter.public_credit()?;
            let local = at.with_timezone(&Amsterdam);
            Some((
                at,
                ThanksEntry {
                    name: name.to_owned(),
                    month: format!("{:04}-{:02}", local.year(), local.month()),
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    rows.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    fn cand(name: &str, consent: bool, state: CvdState, at: &str) -> CreditCandidate {
        CreditCandidate {
            reporter: Reporter {
                name: name.into(),
                email: None,
                credit_consent: consent,
                identity_shared_with_board: false,
            },
            state,
            resolved_at: parse_rfc3339(at),
            exercise: false,
        }
    }

    #[test]
    fn only_consenting_reporters_of_fixed_issues_are_thanked() {
        let mut oefening = cand("Oefen", true, CvdState::Closed, "2026-05-01T00:00:00Z");
        oefening.exercise = true;
        let page = thanks_page(&[
            cand("Alice", true, CvdState::Resolved, "2026-02-10T10:00:00Z"),
            cand("Bob", false, CvdState::Closed, "2026-03-10T10:00:00Z"),
            cand("Carol", true, CvdState::Disclosed, "2026-03-31T22:30:00Z"),
            cand("Dave", true, CvdState::Remediation, ""),
            oefening,
        ]);
        let names: Vec<_> = page
            .iter()
            .map(|e| (e.name.as_str(), e.month.as_str()))
            .collect();
        // 22:30 UTC on 31 March is April in Amsterdam.
        assert_eq!(names, [("Carol", "2026-04"), ("Alice", "2026-02")]);
    }
}
