//! The clock engine: from the rule book, a case's facts, its "became aware" moment and the
//! obligations the board already confirmed, compute every applicable obligation's due moment,
//! remaining time and status at `now`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{Lang, Timestamp};

use super::offset::{Offset, format_remaining};
use super::rules::{Anchor, Fact, ObligationRule, Responsible, RuleBook, RuleSet};
use crate::text::Text;

/// The facts of a case that decide which rule sets apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub personal_data: bool,
    pub nis2_entity: bool,
    pub sector_duty: bool,
}

impl CaseFacts {
    pub fn set(&self) -> BTreeSet<Fact> {
        let mut s = BTreeSet::new();
        if self.personal_data {
            s.insert(Fact::PersonalData);
        }
        if self.nis2_entity {
            s.insert(Fact::Nis2Entity);
        }
        if self.sector_duty {
            s.insert(Fact::SectorDuty);
        }
        s
    }
}

/// What the application stored about one obligation of one case: the board's confirmation
/// that it was met (with the regulator's reference), or that it was not needed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ObligationRecord {
    pub code: String,
    pub met_at: Option<Timestamp>,
    /// The regulator's reference number, if any.
    pub reference: Option<String>,
    /// Why it was late (GDPR 33(1) asks for the reasons for a delay).
    pub late_reason: Option<String>,
    /// Set when the board recorded that the obligation does not apply.
    pub waived_reason: Option<String>,
    /// Who confirmed it (shown in the timeline).
    pub recorded_by: Option<String>,
    pub recorded_at: Option<Timestamp>,
}

/// The clock-relevant part of a case.
#[derive(Debug, Clone, Copy)]
pub struct ClockCase<'a> {
    pub facts: CaseFacts,
    pub became_aware_at: Option<Timestamp>,
    pub opened_at: Timestamp,
    pub records: &'a [ObligationRecord],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Pending,
    DueSoon,
    Overdue,
    Met,
    MetLate,
    /// Recorded as not needed, or following an obligation that was.
    Waived,
}

impl ObligationStatus {
    pub fn code(self) -> &'static str {
        match self {
            ObligationStatus::Pending => "pending",
            ObligationStatus::DueSoon => "due_soon",
            ObligationStatus::Overdue => "overdue",
            ObligationStatus::Met => "met",
            ObligationStatus::MetLate => "met_late",
            ObligationStatus::Waived => "waived",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ObligationStatus::Pending => lang.pick("Loopt", "Pending"),
            ObligationStatus::DueSoon => lang.pick("Verloopt binnenkort", "Due soon"),
            ObligationStatus::Overdue => lang.pick("Termijn verstreken", "Overdue"),
            ObligationStatus::Met => lang.pick("Op tijd gedaan", "Met"),
            ObligationStatus::MetLate => lang.pick("Te laat gedaan", "Met late"),
            ObligationStatus::Waived => lang.pick("Niet nodig", "Not needed"),
        }
    }

    /// Still waiting for the board (or the CERT) to act.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ObligationStatus::Pending | ObligationStatus::DueSoon | ObligationStatus::Overdue
        )
    }
}

/// One obligation of one case as people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationView {
    pub rule_set: String,
    pub rule_set_name: Text,
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub recipient: String,
    pub recipient_name: Text,
    pub responsible: Responsible,
    pub draft: Option<String>,
    pub waivable: bool,
    /// When this clock started.
    pub starts_at: Timestamp,
    /// True when "became aware" is not known yet and the case's opening was used instead.
    pub start_assumed: bool,
    /// `None` for obligations without a fixed term.
    pub due_at: Option<Timestamp>,
    /// True when the start depends on an obligation not met yet; the due moment is then
    /// counted from that obligation's own due moment and will move.
    pub provisional: bool,
    pub status: ObligationStatus,
    /// Seconds from `now` to `due_at`; negative when overdue. `None` without a term or once
    /// met or waived.
    pub remaining_seconds: Option<i64>,
    pub met_at: Option<Timestamp>,
    pub reference: Option<String>,
    pub late_reason: Option<String>,
    pub waived_reason: Option<String>,
}

impl ObligationView {
    /// "nog 2 d 3 u" / "5 u 10 min te laat", when the clock is running.
    pub fn remaining_text(&self, lang: Lang) -> Option<String> {
        self.remaining_seconds.map(|s| format_remaining(s, lang))
    }
}

/// How a started clock resolves for an obligation that others may be anchored on.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    start: Timestamp,
    start_assumed: bool,
    due: Option<Timestamp>,
    provisional: bool,
    met_at: Option<Timestamp>,
    waived: bool,
}

impl RuleBook {
    /// The rule sets that apply to a case with these facts.
    pub fn applicable(&self, facts: &CaseFacts) -> impl Iterator<Item = &RuleSet> {
        let set = facts.set();
        self.rule_sets.iter().filter(move |s| s.applies(&set))
    }

    /// Every applicable obligation of the case at `now`, soonest due first.
    pub fn evaluate(&self, case: &ClockCase<'_>, now: Timestamp) -> Vec<ObligationView> {
        let records: BTreeMap<&str, &ObligationRecord> =
            case.records.iter().map(|r| (r.code.as_str(), r)).collect();
        let mut memo = BTreeMap::new();
        let mut out = Vec::new();
        for set in self.applicable(&case.facts) {
            for rule in &set.obligations {
                let Some(r) = self.resolve(case, &records, &rule.code, &mut memo, 0) else {
                    continue;
                };
                out.push(view(
                    self,
                    set,
                    rule,
                    r,
                    records.get(rule.code.as_str()),
                    now,
                ));
            }
        }
        out.sort_by(|a, b| {
            (a.due_at.is_none(), a.due_at, &a.code).cmp(&(b.due_at.is_none(), b.due_at, &b.code))
        });
        out
    }

    /// Resolves an obligation's clock; `None` when its rule set does not apply to the case.
    fn resolve(
        &self,
        case: &ClockCase<'_>,
        records: &BTreeMap<&str, &ObligationRecord>,
        code: &str,
        memo: &mut BTreeMap<String, Option<Resolved>>,
        depth: usize,
    ) -> Option<Resolved> {
        if let Some(r) = memo.get(code) {
            return *r;
        }
        // The book is checked for loops when loaded; the depth bound is a second fence.
        if depth > 16 {
            return None;
        }
        let facts = case.facts.set();
        let (set, rule) = self.obligation(code)?;
        if !set.applies(&facts) {
            memo.insert(code.to_owned(), None);
            return None;
        }
        let (start, start_assumed, provisional, inherited_waiver) = match &rule.from {
            Anchor::BecameAware => match case.became_aware_at {
                Some(t) => (t, false, false, false),
                None => (case.opened_at, true, false, false),
            },
            Anchor::CaseOpened => (case.opened_at, false, false, false),
            Anchor::MetOf(other) => {
                let anchor = self.resolve(case, records, other, memo, depth + 1)?;
                match (anchor.met_at, anchor.due) {
                    (Some(met), _) => (met, anchor.start_assumed, false, anchor.waived),
                    (None, Some(due)) => (due, anchor.start_assumed, true, anchor.waived),
                    (None, None) => (anchor.start, anchor.start_assumed, true, anchor.waived),
                }
            }
        };
        let record = records.get(code);
        let resolved = Resolved {
            start,
            start_assumed,
            due: rule.due.and_then(|d| d.after(start)),
            provisional,
            met_at: record.and_then(|r| r.met_at),
            waived: inherited_waiver || record.is_some_and(|r| r.waived_reason.is_some()),
        };
        memo.insert(code.to_owned(), Some(resolved));
        Some(resolved)
    }
}

fn view(
    book: &RuleBook,
    set: &RuleSet,
    rule: &ObligationRule,
    r: Resolved,
    record: Option<&&ObligationRecord>,
    now: Timestamp,
) -> ObligationView {
    let due_soon = rule.due_soon.unwrap_or(book.due_soon);
    let status = status_at(r, due_soon, now);
    let remaining_seconds = match (status.is_open(), r.due) {
        (true, Some(due)) => Some((due - now).num_seconds()),
        _ => None,
    };
    ObligationView {
        rule_set: set.code.clone(),
        rule_set_name: set.name.clone(),
        code: rule.code.clone(),
        name: rule.name.clone(),
        description: rule.description.clone(),
        recipient: rule.recipient.clone(),
        recipient_name: book.recipient_name(&rule.recipient),
        responsible: rule.responsible,
        draft: rule.draft.clone(),
        waivable: rule.waivable,
        starts_at: r.start,
        start_assumed: r.start_assumed,
        due_at: r.due,
        provisional: r.provisional,
        status,
        remaining_seconds,
        met_at: r.met_at,
        reference: record.and_then(|x| x.reference.clone()),
        late_reason: record.and_then(|x| x.late_reason.clone()),
        waived_reason: record.and_then(|x| x.waived_reason.clone()),
    }
}

fn status_at(r: Resolved, due_soon: Offset, now: Timestamp) -> ObligationStatus {
    if r.waived {
        return ObligationStatus::Waived;
    }
    match (r.met_at, r.due) {
        (Some(met), Some(due)) if met > due => ObligationStatus::MetLate,
        (Some(_), _) => ObligationStatus::Met,
        (None, None) => ObligationStatus::Pending,
        (None, Some(due)) if now > due => ObligationStatus::Overdue,
        (None, Some(due)) => {
            let warn_from = due_soon.before(due).unwrap_or(due);
            if now >= warn_from {
                ObligationStatus::DueSoon
            } else {
                ObligationStatus::Pending
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfirmError {
    #[error("the moment it was done lies in the future")]
    InFuture,
    #[error("the moment it was done lies before the clock started")]
    BeforeStart,
    #[error("done after the deadline: a reason for the delay is required")]
    LateReasonRequired,
    #[error("this obligation cannot be marked as not needed")]
    NotWaivable,
    #[error("a reason is required")]
    ReasonRequired,
}

impl Localized for ConfirmError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ConfirmError::InFuture => lang.pick(
                "Het tijdstip waarop het gedaan is, ligt in de toekomst.",
                "The moment it was done lies in the future.",
            ),
            ConfirmError::BeforeStart => lang.pick(
                "Het tijdstip ligt vóór het moment waarop de termijn begon.",
                "The moment lies before the clock started.",
            ),
            ConfirmError::LateReasonRequired => lang.pick(
                "Dit is na de termijn gedaan: vermeld de reden van de vertraging (de AP vraagt \
                 daarnaar).",
                "This was done after the deadline: give the reason for the delay (the regulator \
                 asks for it).",
            ),
            ConfirmError::NotWaivable => lang.pick(
                "Deze verplichting kan niet als 'niet nodig' worden gemarkeerd.",
                "This obligation cannot be marked as not needed.",
            ),
            ConfirmError::ReasonRequired => {
                lang.pick("Geef een reden op.", "Please give a reason.")
            }
        }
        .to_owned()
    }
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The board's confirmation that an obligation was met at `met_at`, checked against the clock.
/// A late confirmation needs the reason for the delay.
pub fn confirm_met(
    view: &ObligationView,
    met_at: Timestamp,
    now: Timestamp,
    reference: Option<&str>,
    late_reason: Option<&str>,
    recorded_by: &str,
) -> Result<ObligationRecord, ConfirmError> {
    if met_at > now {
        return Err(ConfirmError::InFuture);
    }
    if !view.start_assumed && !view.provisional && met_at < view.starts_at {
        return Err(ConfirmError::BeforeStart);
    }
    let late_reason = clean(late_reason);
    if view.due_at.is_some_and(|due| met_at > due) && late_reason.is_none() {
        return Err(ConfirmError::LateReasonRequired);
    }
    Ok(ObligationRecord {
        code: view.code.clone(),
        met_at: Some(met_at),
        reference: clean(reference),
        late_reason,
        waived_reason: None,
        recorded_by: Some(recorded_by.to_owned()),
        recorded_at: Some(now),
    })
}

/// The board's decision that an obligation does not apply (for instance: the breach is unlikely
/// to result in a risk, so no notification to the AP), with the reason that must be kept.
pub fn waive(
    view: &ObligationView,
    reason: &str,
    now: Timestamp,
    recorded_by: &str,
) -> Result<ObligationRecord, ConfirmError> {
    if !view.waivable {
        return Err(ConfirmError::NotWaivable);
    }
    let reason = clean(Some(reason)).ok_or(ConfirmError::ReasonRequired)?;
    Ok(ObligationRecord {
        code: view.code.clone(),
        met_at: None,
        reference: None,
        late_reason: None,
        waived_reason: Some(reason),
        recorded_by: Some(recorded_by.to_owned()),
        recorded_at: Some(now),
    })
}
