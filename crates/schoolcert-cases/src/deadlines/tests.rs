//! Clock scenarios run with a fake clock: the 72-hour GDPR case, the NIS2 24 h / 72 h / one
//! month set, reminders firing once, late entry, waivers.

use std::collections::BTreeSet;

use chrono::Duration;
use schoolcert_domain::time::{Clock, ManualClock, format_utc, parse_rfc3339};
use schoolcert_domain::{Lang, Timestamp};

use super::*;

fn t(s: &str) -> Timestamp {
    parse_rfc3339(s).unwrap()
}

fn book() -> RuleBook {
    RuleBook::embedded().unwrap()
}

fn find<'a>(views: &'a [ObligationView], code: &str) -> &'a ObligationView {
    views.iter().find(|v| v.code == code).unwrap()
}

fn sent_for(plan: &ReminderPlan, obligation: &str) -> Vec<String> {
    plan.send
        .iter()
        .filter(|r| r.key.obligation == obligation)
        .map(|r| r.key.to_string())
        .collect()
}

/// Runs one tick like the application would: compute, "send", remember the keys.
fn tick(
    book: &RuleBook,
    case: &ClockCase<'_>,
    handled: &mut BTreeSet<String>,
    now: Timestamp,
) -> ReminderPlan {
    let plan = book.reminders_due(case, handled, now);
    handled.extend(plan.handled_keys().map(ToString::to_string));
    plan
}

#[test]
fn personal_data_case_runs_the_72_hour_clock_and_reminds_once() {
    let book = book();
    let aware = t("2026-11-20T08:00:00Z");
    let clock = ManualClock::at(aware + Duration::hours(2));
    let facts = CaseFacts {
        personal_data: true,
        ..CaseFacts::default()
    };
    let mut handled = BTreeSet::new();

    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: clock.now(),
        records: &[],
    };
    let views = book.evaluate(&case, clock.now());
    let gdpr = find(&views, "gdpr-33");
    assert_eq!(format_utc(gdpr.due_at.unwrap()), "2026-11-23T08:00:00Z");
    assert_eq!(gdpr.status, ObligationStatus::Pending);
    assert_eq!(gdpr.remaining_text(Lang::Nl).unwrap(), "nog 2 d 22 u");
    assert_eq!(gdpr.recipient, "ap");
    assert_eq!(gdpr.draft.as_deref(), Some("ap_datalek"));
    assert!(
        views
            .iter()
            .all(|v| v.rule_set == "gdpr" || v.rule_set == "cert-service")
    );
    assert!(
        tick(&book, &case, &mut handled, clock.now())
            .send
            .is_empty()
    );

    // 24 hours before expiry: due soon, and the 24-hour reminder goes to assignee and board.
    clock.set(aware + Duration::hours(48));
    let views = book.evaluate(&case, clock.now());
    assert_eq!(find(&views, "gdpr-33").status, ObligationStatus::DueSoon);
    let plan = tick(&book, &case, &mut handled, clock.now());
    assert_eq!(
        sent_for(&plan, "gdpr-33"),
        ["gdpr-33:24h:assignee", "gdpr-33:24h:board"]
    );
    // The Art. 34 nudge fires 48 hours after awareness, once.
    assert_eq!(
        sent_for(&plan, "gdpr-34"),
        ["gdpr-34:48h:assignee", "gdpr-34:48h:board"]
    );

    // Ticking again, even much later in the same window, sends nothing twice.
    clock.advance(Duration::minutes(5));
    assert!(sent_for(&tick(&book, &case, &mut handled, clock.now()), "gdpr-33").is_empty());

    clock.set(aware + Duration::hours(68));
    let plan = tick(&book, &case, &mut handled, clock.now());
    assert_eq!(
        sent_for(&plan, "gdpr-33"),
        ["gdpr-33:4h:assignee", "gdpr-33:4h:board"]
    );

    clock.set(aware + Duration::hours(72) + Duration::seconds(1));
    let views = book.evaluate(&case, clock.now());
    let gdpr = find(&views, "gdpr-33").clone();
    assert_eq!(gdpr.status, ObligationStatus::Overdue);
    assert_eq!(gdpr.remaining_seconds, Some(-1));
    let plan = tick(&book, &case, &mut handled, clock.now());
    assert_eq!(
        sent_for(&plan, "gdpr-33"),
        ["gdpr-33:expired:assignee", "gdpr-33:expired:duty_officer"]
    );
    assert!(
        tick(&book, &case, &mut handled, clock.now())
            .send
            .is_empty()
    );

    // The board reports an hour late: a reason for the delay is required.
    clock.set(aware + Duration::hours(74));
    let met_at = aware + Duration::hours(73);
    assert_eq!(
        confirm_met(
            &gdpr,
            met_at,
            clock.now(),
            Some("M-2026-1"),
            None,
            "bestuur"
        ),
        Err(ConfirmError::LateReasonRequired)
    );
    let rec = confirm_met(
        &gdpr,
        met_at,
        clock.now(),
        Some("M-2026-1"),
        Some("weekend"),
        "bestuur",
    )
    .unwrap();
    let records = [rec];
    let case = ClockCase {
        records: &records,
        ..case
    };
    let gdpr = find(&book.evaluate(&case, clock.now()), "gdpr-33").clone();
    assert_eq!(gdpr.status, ObligationStatus::MetLate);
    assert_eq!(gdpr.reference.as_deref(), Some("M-2026-1"));
    assert_eq!(gdpr.remaining_seconds, None);
}

#[test]
fn met_on_time_is_met_and_stops_reminders() {
    let book = book();
    let aware = t("2026-02-02T09:00:00Z");
    let facts = CaseFacts {
        personal_data: true,
        ..CaseFacts::default()
    };
    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: aware,
        records: &[],
    };
    let view = find(&book.evaluate(&case, aware), "gdpr-33").clone();
    let now = aware + Duration::hours(30);
    assert_eq!(
        confirm_met(&view, now + Duration::hours(1), now, None, None, "x"),
        Err(ConfirmError::InFuture)
    );
    assert_eq!(
        confirm_met(&view, aware - Duration::hours(1), now, None, None, "x"),
        Err(ConfirmError::BeforeStart)
    );
    let records = [confirm_met(&view, now, now, None, None, "x").unwrap()];
    let case = ClockCase {
        records: &records,
        ..case
    };
    let later = aware + Duration::hours(80);
    assert_eq!(
        find(&book.evaluate(&case, later), "gdpr-33").status,
        ObligationStatus::Met
    );
    let plan = book.reminders_due(&case, &BTreeSet::new(), later);
    assert!(sent_for(&plan, "gdpr-33").is_empty());
}

#[test]
fn nis2_runs_24h_72h_and_a_calendar_month_after_the_notification() {
    let book = book();
    let aware = t("2026-01-29T14:00:00Z");
    let facts = CaseFacts {
        nis2_entity: true,
        ..CaseFacts::default()
    };
    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: aware,
        records: &[],
    };
    let views = book.evaluate(&case, aware);
    assert!(
        views.iter().all(|v| v.rule_set != "gdpr"),
        "no personal data, no GDPR clock"
    );
    let ew = find(&views, "nis2-early-warning");
    assert_eq!(format_utc(ew.due_at.unwrap()), "2026-01-30T14:00:00Z");
    let n = find(&views, "nis2-notification");
    assert_eq!(format_utc(n.due_at.unwrap()), "2026-02-01T14:00:00Z");
    let fin = find(&views, "nis2-final-report");
    assert!(fin.provisional);
    assert_eq!(format_utc(fin.due_at.unwrap()), "2026-03-01T14:00:00Z");

    // Early-warning reminders at 8 and 2 hours before.
    let mut handled = BTreeSet::new();
    let plan = tick(&book, &case, &mut handled, aware + Duration::hours(16));
    assert_eq!(
        sent_for(&plan, "nis2-early-warning"),
        [
            "nis2-early-warning:8h:assignee",
            "nis2-early-warning:8h:board"
        ]
    );
    let plan = tick(&book, &case, &mut handled, aware + Duration::hours(22));
    assert_eq!(sent_for(&plan, "nis2-early-warning").len(), 2);
    assert!(
        tick(&book, &case, &mut handled, aware + Duration::hours(23))
            .send
            .is_empty()
    );

    // Notification made on 31 January: the final report is due on 28 February (one calendar
    // month, clamped), no longer provisional.
    let notified = t("2026-01-31T10:00:00Z");
    let n_view = find(&views, "nis2-notification").clone();
    let records = [confirm_met(&n_view, notified, notified, Some("NCSC-123"), None, "x").unwrap()];
    let case = ClockCase {
        records: &records,
        ..case
    };
    let fin = find(&book.evaluate(&case, notified), "nis2-final-report").clone();
    assert!(!fin.provisional);
    assert_eq!(format_utc(fin.due_at.unwrap()), "2026-02-28T10:00:00Z");
    assert_eq!(fin.status, ObligationStatus::Pending);
    assert_eq!(
        book.evaluate(&case, t("2026-02-22T10:00:00Z"))
            .iter()
            .find(|v| v.code == "nis2-final-report")
            .unwrap()
            .status,
        ObligationStatus::DueSoon
    );
}

#[test]
fn a_case_entered_late_gets_only_the_most_urgent_reminder() {
    let book = book();
    let aware = t("2026-06-01T06:00:00Z");
    let facts = CaseFacts {
        personal_data: true,
        ..CaseFacts::default()
    };
    let opened = aware + Duration::hours(70);
    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: opened,
        records: &[],
    };
    let plan = book.reminders_due(&case, &BTreeSet::new(), opened);
    assert_eq!(
        sent_for(&plan, "gdpr-33"),
        ["gdpr-33:4h:assignee", "gdpr-33:4h:board"]
    );
    assert!(
        plan.skip
            .iter()
            .any(|k| k.to_string() == "gdpr-33:24h:board")
    );
}

#[test]
fn unknown_awareness_falls_back_to_case_opening_and_says_so() {
    let book = book();
    let opened = t("2026-04-10T10:00:00Z");
    let facts = CaseFacts {
        personal_data: true,
        ..CaseFacts::default()
    };
    let case = ClockCase {
        facts,
        became_aware_at: None,
        opened_at: opened,
        records: &[],
    };
    let gdpr = find(&book.evaluate(&case, opened), "gdpr-33").clone();
    assert!(gdpr.start_assumed);
    assert_eq!(gdpr.starts_at, opened);
    // The board may have reported before telling the CERT; that is accepted.
    assert!(confirm_met(&gdpr, opened - Duration::hours(3), opened, None, None, "x").is_ok());
}

#[test]
fn waiving_needs_a_reason_and_carries_over_to_dependent_reports() {
    let book = book();
    let aware = t("2026-09-01T08:00:00Z");
    let facts = CaseFacts {
        personal_data: true,
        nis2_entity: true,
        sector_duty: true,
    };
    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: aware,
        records: &[],
    };
    let views = book.evaluate(&case, aware);
    assert!(
        views.iter().all(|v| v.rule_set != "sector-duty"),
        "switched off in the shipped book"
    );
    let gdpr = find(&views, "gdpr-33");
    assert_eq!(
        waive(gdpr, "  ", aware, "x"),
        Err(ConfirmError::ReasonRequired)
    );
    assert_eq!(
        waive(find(&views, "gdpr-33-5"), "nee", aware, "x"),
        Err(ConfirmError::NotWaivable)
    );
    let records = [
        waive(gdpr, "Versleutelde laptop; geen risico", aware, "x").unwrap(),
        waive(
            find(&views, "nis2-notification"),
            "Geen significant incident",
            aware,
            "x",
        )
        .unwrap(),
    ];
    let case = ClockCase {
        records: &records,
        ..case
    };
    let later = aware + Duration::days(40);
    let views = book.evaluate(&case, later);
    assert_eq!(find(&views, "gdpr-33").status, ObligationStatus::Waived);
    assert_eq!(
        find(&views, "nis2-final-report").status,
        ObligationStatus::Waived
    );
    let plan = book.reminders_due(&case, &BTreeSet::new(), later);
    assert!(sent_for(&plan, "gdpr-33").is_empty());
    assert!(sent_for(&plan, "nis2-final-report").is_empty());
}

#[test]
fn the_cert_service_level_runs_from_case_opening() {
    let book = book();
    let opened = t("2026-10-05T07:00:00Z");
    let case = ClockCase {
        facts: CaseFacts::default(),
        became_aware_at: None,
        opened_at: opened,
        records: &[],
    };
    let views = book.evaluate(&case, opened);
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].code, "cert-first-response");
    assert_eq!(views[0].responsible, Responsible::Cert);
    let plan = book.reminders_due(&case, &BTreeSet::new(), opened + Duration::hours(5));
    assert_eq!(
        sent_for(&plan, "cert-first-response"),
        ["cert-first-response:expired:duty_officer"]
    );
    assert_eq!(plan.skip.len(), 1);
}

#[test]
fn reminder_keys_round_trip() {
    let k: ReminderKey = "nis2-final-report:7d:duty_officer".parse().unwrap();
    assert_eq!(k.audience, Audience::DutyOfficer);
    assert_eq!(k.to_string(), "nis2-final-report:7d:duty_officer");
    assert!("a:b".parse::<ReminderKey>().is_err());
    assert!("a:b:c".parse::<ReminderKey>().is_err());
}
