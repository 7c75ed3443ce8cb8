//! The quarterly analysis: counts per month by RSIT class, severity and sector, time to first
//! response and to close, CVD cases by state and disclosure-deadline adherence, legal deadline
//! adherence. Exercise cases are left out (and counted, so the report can say so).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use schoolcert_domain::Timestamp;
use schoolcert_domain::registry::Sectors;

use crate::cvd::CvdState;
use crate::deadlines::ObligationStatus;
use crate::incident::Severity;
use crate::reference::CaseKind;

/// What the metrics need of one case; the store fills it with one query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub kind: CaseKind,
    pub opened_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// RSIT classification code (`fraud`, `intrusions`, …).
    pub classification: Option<String>,
    pub severity: Option<Severity>,
    /// The union of the sectors of the case's boards.
    pub sectors: Sectors,
    pub exercise: bool,
    pub cvd_state: Option<CvdState>,
    pub cvd_resolved_at: Option<Timestamp>,
    pub cvd_deadline: Option<Timestamp>,
    /// The statuses of the case's legal clocks (not the CERT's service level).
    pub obligations: Vec<ObligationStatus>,
}

/// A reporting period [from, to), usually a quarter in Dutch time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
    pub label_year: i32,
    pub label_quarter: Option<u32>,
}

fn local_midnight(y: i32, m: u32) -> Option<Timestamp> {
    let d = NaiveDate::from_ymd_opt(y, m, 1)?.and_hms_opt(0, 0, 0)?;
    Amsterdam
        .from_local_datetime(&d)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

impl Period {
    /// Quarter `q` (1–4) of `year`, from midnight Dutch time.
    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let start_month = (q - 1) * 3 + 1;
        let from = local_midnight(year, start_month)?;
        let to = if q == 4 {
            local_midnight(year + 1, 1)?
        } else {
            local_midnight(year, start_month + 3)?
        };
        Some(Period {
            from,
            to,
            label_year: year,
            label_quarter: Some(q),
        })
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.from && t < self.to
    }

    /// `2026-Q1`.
    pub fn label(&self) -> String {
        match self.label_quarter {
            Some(q) => format!("{}-Q{q}", self.label_year),
            None => format!("{}", self.label_year),
        }
    }

    fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut t = self.from.with_timezone(&Amsterdam);
        while t.with_timezone(&Utc) < self.to && out.len() < 120 {
            out.push(month_key(t.with_timezone(&Utc)));
            let (y, m) = if t.month() == 12 {
                (t.year() + 1, 1)
            } else {
                (t.year(), t.month() + 1)
            };
            match local_midnight(y, m) {
                Some(n) => t = n.with_timezone(&Amsterdam),
                None => break,
            }
        }
        out
    }
}

fn month_key(t: Timestamp) -> String {
    let l = t.with_timezone(&Amsterdam);
    format!("{:04}-{:02}", l.year(), l.month())
}

/// Durations in minutes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DurationStats {
    pub count: usize,
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
    pub mean_minutes: Option<i64>,
}

impl DurationStats {
    fn of(mut minutes: Vec<i64>) -> Self {
        if minutes.is_empty() {
            return DurationStats::default();
        }
        minutes.sort_unstable();
        let n = minutes.len();
        // Nearest rank: the value at or below which p% of the observations fall.
        let rank = |p: usize| minutes[((p * n).div_ceil(100)).clamp(1, n) - 1];
        let sum: i64 = minutes.iter().sum();
        DurationStats {
            count: n,
            median_minutes: Some(rank(50)),
            p90_minutes: Some(rank(90)),
            mean_minutes: Some(sum / n as i64),
        }
    }
}

/// Met / missed / still open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Adherence {
    pub met: usize,
    pub missed: usize,
    pub open: usize,
    pub waived: usize,
}

impl Adherence {
    /// Share met of those decided, in whole percent.
    pub fn percent_met(&self) -> Option<u32> {
        let decided = self.met + self.missed;
        (decided > 0).then(|| u32::try_from(self.met * 100 / decided).unwrap_or(100))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub incidents: usize,
    pub cvd: usize,
    pub by_class: BTreeMap<String, usize>,
    /// `1`–`4`, or `unknown`.
    pub by_severity: BTreeMap<String, usize>,
    /// `po`, `vo`, or `unknown`; a case of a board with both counts in both.
    pub by_sector: BTreeMap<String, usize>,
}

impl Counts {
    fn add(&mut self, c: &CaseSummary) {
        match c.kind {
            CaseKind::Incident => self.incidents += 1,
            CaseKind::Cvd => self.cvd += 1,
        }
        let class = c
            .classification
            .clone()
            .unwrap_or_else(|| "unclassified".into());
        *self.by_class.entry(class).or_default() += 1;
        let sev = c
            .severity
            .map_or("unknown".into(), |s| s.level().to_string());
        *self.by_severity.entry(sev).or_default() += 1;
        let mut sectors = Vec::new();
        if c.sectors.po {
            sectors.push("po");
        }
        if c.sectors.vo {
            sectors.push("vo");
        }
        if sectors.is_empty() {
            sectors.push("unknown");
        }
        for s in sectors {
            *self.by_sector.entry(s.to_owned()).or_default() += 1;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCounts {
    /// `2026-01`, in Dutch time.
    pub month: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterlyMetrics {
    pub period: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Cases opened in the period.
    pub totals: Counts,
    pub per_month: Vec<MonthCounts>,
    pub exercises_excluded: usize,
    /// Incidents opened in the period: opening to the CERT's first answer.
    pub time_to_first_response: DurationStats,
    /// Opened incidents without any answer yet.
    pub without_response: usize,
    /// Incidents closed in the period: opening to closing.
    pub time_to_close: DurationStats,
    /// CVD cases resolved in the period: opening to resolution.
    pub cvd_time_to_resolve: DurationStats,
    /// CVD cases opened in the period, by their state now.
    pub cvd_by_state: BTreeMap<String, usize>,
    /// CVD cases with a disclosure deadline that fell in or before the period's end.
    pub cvd_deadline: Adherence,
    /// Legal clocks of incidents opened in the period.
    pub legal_deadlines: Adherence,
}

fn minutes(a: Timestamp, b: Timestamp) -> i64 {
    (b - a).num_minutes().max(0)
}

/// Computes the metrics of `period` as they stand at `now`.
pub fn compute(cases: &[CaseSummary], period: &Period, now: Timestamp) -> QuarterlyMetrics {
    let real: Vec<&CaseSummary> = cases.iter().filter(|c| !c.exercise).collect();
    let exercises_excluded = cases
        .iter()
        .filter(|c| c.exercise && period.contains(c.opened_at))
        .count();
    let mut per_month: Vec<MonthCounts> = period
        .months()
        .into_iter()
        .map(|month| MonthCounts {
            month,
            counts: Counts::default(),
        })
        .collect();
    let mut totals = Counts::default();
    let mut first_response = Vec::new();
    let mut without_response = 0;
    let mut to_close = Vec::new();
    let mut cvd_resolve = Vec::new();
    let mut cvd_by_state = BTreeMap::new();
    let mut cvd_deadline = Adherence::default();
    let mut legal = Adherence::default();
    let horizon = now.min(period.to);

    for c in &real {
        let opened_in = period.contains(c.opened_at);
        if opened_in {
            totals.add(c);
            let key = month_key(c.opened_at);
            if let Some(m) = per_month.iter_mut().find(|m| m.month == key) {
                m.counts.add(c);
            }
        }
        match c.kind {
            CaseKind::Incident => {
                if opened_in {
                    match c.first_response_at {
                        Some(r) => first_response.push(minutes(c.opened_at, r)),
                        None => without_response += 1,
                    }
                    for s in &c.obligations {
                        match s {
                            ObligationStatus::Met => legal.met += 1,
                            ObligationStatus::MetLate | ObligationStatus::Overdue => {
                                legal.missed += 1
                            }
                            ObligationStatus::Pending | ObligationStatus::DueSoon => {
                                legal.open += 1
                            }
                            ObligationStatus::Waived => legal.waived += 1,
                        }
                    }
                }
                if let Some(closed) = c.closed_at.filter(|t| period.contains(*t)) {
                    to_close.push(minutes(c.opened_at, closed));
                }
            }
            CaseKind::Cvd => {
                if opened_in {
                    let state = c.cvd_state.map_or("unknown", CvdState::code);
                    *cvd_by_state.entry(state.to_owned()).or_insert(0) += 1;
                }
                if let Some(r) = c.cvd_resolved_at.filter(|t| period.contains(*t)) {
                    cvd_resolve.push(minutes(c.opened_at, r));
                }
                // Deadlines due by the end of the period (or by now, if earlier) are judged.
                if let Some(deadline) = c.cvd_deadline {
                    let resolved_in_time = c.cvd_resolved_at.is_some_and(|r| r <= deadline);
                    if deadline < period.from {
                        // Judged in an earlier period.
                    } else if resolved_in_time && c.cvd_resolved_at.is_some_and(|r| r < period.to) {
                        cvd_deadline.met += 1;
                    } else if deadline < horizon {
                        cvd_deadline.missed += 1;
                    } else if deadline < period.to {
                        cvd_deadline.open += 1;
                    }
                }
            }
        }
    }

    QuarterlyMetrics {
        period: period.label(),
        from: period.from,
        to: period.to,
        totals,
        per_month,
        exercises_excluded,
        time_to_first_response: DurationStats::of(first_response),
        without_response,
        time_to_close: DurationStats::of(to_close),
        cvd_time_to_resolve: DurationStats::of(cvd_resolve),
        cvd_by_state,
        cvd_deadline,
        legal_deadlines: legal,
    }
}

#[cfg(test)]
mod tests;
