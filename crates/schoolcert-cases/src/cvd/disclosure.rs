//! The disclosure deadline of an accepted CVD case: 60 days from acceptance by default (as the
//! NCSC-NL guideline is commonly applied), moved only by agreement of reporter and board, with
//! every change and its reason kept.

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{Lang, Timestamp};

use crate::deadlines::Offset;

/// Days from acceptance to the default disclosure date.
pub const DEFAULT_DISCLOSURE_DAYS: u32 = 60;

/// One agreed change of the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineAdjustment {
    pub new_deadline: Timestamp,
    pub reason: String,
    pub agreed_with_reporter: bool,
    pub agreed_with_board: bool,
    pub recorded_at: Timestamp,
    pub recorded_by: String,
}

/// The deadline and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosurePlan {
    pub accepted_at: Timestamp,
    pub default_days: u32,
    pub adjustments: Vec<DeadlineAdjustment>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdjustError {
    #[error("a new disclosure date needs the agreement of both reporter and board")]
    AgreementRequired,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the new date must lie after acceptance and in the future")]
    NotInFuture,
}

impl Localized for AdjustError {
    fn message(&self, lang: Lang) -> String {
        match self {
            AdjustError::AgreementRequired => lang.pick(
                "Een andere openbaarmakingsdatum kan alleen in overleg: zowel de melder als het \
                 schoolbestuur moet akkoord zijn.",
                "A different disclosure date needs agreement: both the reporter and the board \
                 must consent.",
            ),
            AdjustError::ReasonRequired => lang.pick(
                "Geef de reden voor de nieuwe termijn.",
                "Give the reason for the new term.",
            ),
            AdjustError::NotInFuture => lang.pick(
                "De nieuwe datum moet na de acceptatie en in de toekomst liggen.",
                "The new date must lie after acceptance and in the future.",
            ),
        }
        .to_owned()
    }
}

/// Where a case stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DisclosureStatus {
    /// Running, with seconds left.
    Running {
        remaining_seconds: i64,
    },
    /// Running, fewer than 7 days left.
    DueSoon {
        remaining_seconds: i64,
    },
    /// Not resolved and past the deadline.
    Overdue {
        overdue_seconds: i64,
    },
    /// Resolved on or before the deadline.
    ResolvedInTime,
    ResolvedLate,
}

impl DisclosureStatus {
    /// For the quarterly metrics: `Some(true)` met, `Some(false)` missed, `None` still open
    /// and within the term.
    pub fn adherence(self) -> Option<bool> {
        match self {
            DisclosureStatus::ResolvedInTime => Some(true),
            DisclosureStatus::ResolvedLate | DisclosureStatus::Overdue { .. } => Some(false),
            DisclosureStatus::Running { .. } | DisclosureStatus::DueSoon { .. } => None,
        }
    }
}

impl DisclosurePlan {
    pub fn new(accepted_at: Timestamp) -> Self {
        DisclosurePlan {
            accepted_at,
            default_days: DEFAULT_DISCLOSURE_DAYS,
            adjustments: Vec::new(),
        }
    }

    /// Acceptance plus the default number of calendar days (Dutch time).
    pub fn default_deadline(&self) -> Timestamp {
        Offset::days(self.default_days)
            .after(self.accepted_at)
            .unwrap_or(self.accepted_at)
    }

    /// The deadline in force: the last agreed change, else the default.
    pub fn deadline(&self) -> Timestamp {
        self.adjustments
            .last()
            .map_or_else(|| self.default_deadline(), |a| a.new_deadline)
    }

    /// Records an agreed new deadline (longer or shorter).
    pub fn adjust(
        &mut self,
        new_deadline: Timestamp,
        reason: &str,
        agreed_with_reporter: bool,
        agreed_with_board: bool,
        now: Timestamp,
        recorded_by: &str,
    ) -> Result<&DeadlineAdjustment, AdjustError> {
        if !(agreed_with_reporter && agreed_with_board) {
            return Err(AdjustError::AgreementRequired);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AdjustError::ReasonRequired);
        }
        if new_deadline <= now || new_deadline <= self.accepted_at {
            return Err(AdjustError::NotInFuture);
        }
        self.adjustments.push(DeadlineAdjustment {
            new_deadline,
            reason: reason.to_owned(),
            agreed_with_reporter,
            agreed_with_board,
            recorded_at: now,
            recorded_by: recorded_by.to_owned(),
        });
        self.adjustments.last().ok_or(AdjustError::ReasonRequired)
    }

    /// The status at `now`, given when the case was resolved (if it was).
    pub fn status(&self, resolved_at: Option<Timestamp>, now: Timestamp) -> DisclosureStatus {
        let deadline = self.deadline();
        match resolved_at {
            Some(r) if r <= deadline => DisclosureStatus::ResolvedInTime,
            Some(_) => DisclosureStatus::ResolvedLate,
            None if now > deadline => DisclosureStatus::Overdue {
                overdue_seconds: (now - deadline).num_seconds(),
            },
            None => {
                let remaining_seconds = (deadline - now).num_seconds();
                if remaining_seconds < 7 * 86_400 {
                    DisclosureStatus::DueSoon { remaining_seconds }
                } else {
                    DisclosureStatus::Running { remaining_seconds }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use schoolcert_domain::time::{format_utc, parse_rfc3339};

    #[test]
    fn sixty_days_from_acceptance_then_only_by_agreement() {
        let accepted = parse_rfc3339("2026-03-01T10:00:00Z").unwrap();
        let mut plan = DisclosurePlan::new(accepted);
        // 60 calendar days in Dutch time: 10:00 UTC was 11:00 local, still 11:00 local on 30
        // April (summer time), which is 09:00 UTC.
        assert_eq!(format_utc(plan.deadline()), "2026-04-30T09:00:00Z");
        let now = accepted + Duration::days(50);
        let later = plan.deadline() + Duration::days(30);
        assert_eq!(
            plan.adjust(
                later,
                "leverancier heeft meer tijd nodig",
                true,
                false,
                now,
                "a"
            ),
            Err(AdjustError::AgreementRequired)
        );
        assert_eq!(
            plan.adjust(later, "", true, true, now, "a"),
            Err(AdjustError::ReasonRequired)
        );
        assert_eq!(
            plan.adjust(now - Duration::days(1), "x", true, true, now, "a"),
            Err(AdjustError::NotInFuture)
        );
        plan.adjust(
            later,
            "leverancier heeft meer tijd nodig",
            true,
            true,
            now,
            "a",
        )
        .unwrap();
        assert_eq!(plan.deadline(), later);
        assert!(matches!(
            plan.status(None, now),
            DisclosureStatus::Running { .. }
        ));
        assert!(matches!(
            plan.status(None, later - Duration::days(2)),
            DisclosureStatus::DueSoon { .. }
        ));
        assert_eq!(
            plan.status(None, later + Duration::hours(1)),
            DisclosureStatus::Overdue {
                overdue_seconds: 3600
            }
        );
        assert_eq!(plan.status(Some(later), later).adherence(), Some(true));
        assert_eq!(
            plan.status(Some(later + Duration::seconds(1)), later)
                .adherence(),
            Some(false)
        );
    }
}
