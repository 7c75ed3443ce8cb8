//! A small quarter with an exercise, a multi-sector board, CVD deadlines and legal clocks.

use chrono::Duration;
use schoolcert_domain::time::{format_utc, parse_rfc3339};

use super::*;

fn t(s: &str) -> Timestamp {
    parse_rfc3339(s).unwrap()
}

fn incident(opened: &str) -> CaseSummary {
    CaseSummary {
        kind: CaseKind::Incident,
        opened_at: t(opened),
        first_response_at: None,
        closed_at: None,
        classification: None,
        severity: None,
        sectors: Sectors {
            po: true,
            vo: false,
        },
        exercise: false,
        cvd_state: None,
        cvd_resolved_at: None,
        cvd_deadline: None,
        obligations: vec![],
    }
}

#[test]
fn quarters_start_at_dutch_midnight() {
    let q1 = Period::quarter(2026, 1).unwrap();
    assert_eq!(format_utc(q1.from), "2025-12-31T23:00:00Z");
    assert_eq!(format_utc(q1.to), "2026-03-31T22:00:00Z");
    assert_eq!(q1.label(), "2026-Q1");
    assert_eq!(q1.months(), ["2026-01", "2026-02", "2026-03"]);
    assert!(Period::quarter(2026, 5).is_none());
}

#[test]
fn counts_response_times_and_adherence_leave_exercises_out() {
    let q1 = Period::quarter(2026, 1).unwrap();
    let now = t("2026-04-10T00:00:00Z");
    let mut a = incident("2026-01-05T08:00:00Z");
    a.classification = Some("fraud".into());
    a.severity = Some(Severity::Medium);
    a.first_response_at = Some(a.opened_at + Duration::minutes(30));
    a.closed_at = Some(a.opened_at + Duration::days(2));
    a.obligations = vec![ObligationStatus::Met, ObligationStatus::Waived];
    let mut b = incident("2026-02-10T08:00:00Z");
    b.classification = Some("intrusions".into());
    b.severity = Some(Severity::High);
    b.sectors = Sectors { po: true, vo: true };
    b.first_response_at = Some(b.opened_at + Duration::minutes(90));
    b.obligations = vec![ObligationStatus::MetLate, ObligationStatus::Pending];
    let c = incident("2026-03-20T08:00:00Z");
    let mut exercise = incident("2026-02-01T08:00:00Z");
    exercise.exercise = true;
    exercise.first_response_at = Some(exercise.opened_at);
    let outside = incident("2025-12-31T23:30:00Z"); // 00:30 on 1 January in Amsterdam

    let mut cvd_ok = CaseSummary {
        kind: CaseKind::Cvd,
        cvd_state: Some(CvdState::Resolved),
        cvd_deadline: Some(t("2026-03-01T00:00:00Z")),
        cvd_resolved_at: Some(t("2026-02-15T00:00:00Z")),
        ..incident("2026-01-02T00:00:00Z")
    };
    cvd_ok.sectors = Sectors::default();
    let cvd_late = CaseSummary {
        kind: CaseKind::Cvd,
        cvd_state: Some(CvdState::Remediation),
        cvd_deadline: Some(t("2026-03-15T00:00:00Z")),
        ..incident("2026-01-10T00:00:00Z")
    };
    let cvd_next_quarter = CaseSummary {
        kind: CaseKind::Cvd,
        cvd_state: Some(CvdState::BoardNotified),
        cvd_deadline: Some(t("2026-05-15T00:00:00Z")),
        ..incident("2026-03-16T00:00:00Z")
    };

    let m = compute(
        &[
            a,
            b,
            c,
            exercise,
            outside,
            cvd_ok,
            cvd_late,
            cvd_next_quarter,
        ],
        &q1,
        now,
    );
    assert_eq!(m.exercises_excluded, 1);
    assert_eq!(m.totals.incidents, 4);
    assert_eq!(m.totals.cvd, 3);
    assert_eq!(m.totals.by_class["fraud"], 1);
    assert_eq!(m.totals.by_class["unclassified"], 5);
    assert_eq!(m.totals.by_severity["3"], 1);
    assert_eq!(m.totals.by_sector["vo"], 1);
    assert_eq!(m.totals.by_sector["unknown"], 1);
    assert_eq!(m.per_month[0].month, "2026-01");
    assert_eq!(
        m.per_month[0].counts.incidents, 2,
        "the 23:30 UTC case is a January case"
    );
    assert_eq!(m.per_month[1].counts.incidents, 1);
    assert_eq!(m.time_to_first_response.count, 2);
    assert_eq!(m.time_to_first_response.median_minutes, Some(30));
    assert_eq!(m.time_to_first_response.p90_minutes, Some(90));
    assert_eq!(m.without_response, 2);
    assert_eq!(m.time_to_close.median_minutes, Some(2 * 24 * 60));
    assert_eq!(m.cvd_by_state["resolved"], 1);
    assert_eq!(m.cvd_by_state["remediation"], 1);
    assert_eq!(
        m.cvd_deadline,
        Adherence {
            met: 1,
            missed: 1,
            open: 0,
            waived: 0
        }
    );
    assert_eq!(m.cvd_deadline.percent_met(), Some(50));
    assert_eq!(
        m.legal_deadlines,
        Adherence {
            met: 1,
            missed: 1,
            open: 1,
            waived: 1
        }
    );
}
