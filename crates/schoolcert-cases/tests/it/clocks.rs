//! The deadline engine driven like the application's tick: a fake clock, stored reminder keys,
//! each reminder exactly once.

use std::collections::BTreeSet;

use chrono::Duration;
use proptest::prelude::*;
use schoolcert_cases::deadlines::{CaseFacts, ClockCase, ObligationStatus, RuleBook, confirm_met};
use schoolcert_domain::time::{Clock, ManualClock, parse_rfc3339};

fn tick_all(
    book: &RuleBook,
    case: &ClockCase<'_>,
    ticks: &[chrono::DateTime<chrono::Utc>],
) -> Vec<String> {
    let mut handled = BTreeSet::new();
    let mut sent = Vec::new();
    for &now in ticks {
        let plan = book.reminders_due(case, &handled, now);
        sent.extend(plan.send.iter().map(|r| r.key.to_string()));
        handled.extend(plan.handled_keys().map(ToString::to_string));
    }
    sent
}

#[test]
fn a_week_of_quarter_hour_ticks_sends_every_reminder_exactly_once() {
    let book = RuleBook::embedded().unwrap();
    let aware = parse_rfc3339("2026-11-20T08:00:00Z").unwrap();
    let clock = ManualClock::at(aware);
    let facts = CaseFacts {
        personal_data: true,
        nis2_entity: true,
        sector_duty: false,
    };
    let case = ClockCase {
        facts,
        became_aware_at: Some(aware),
        opened_at: aware,
        records: &[],
    };
    let mut ticks = Vec::new();
    for _ in 0..(7 * 24 * 4) {
        clock.advance(Duration::minutes(15));
        ticks.push(clock.now());
    }
    let sent = tick_all(&book, &case, &ticks);
    let unique: BTreeSet<_> = sent.iter().collect();
    assert_eq!(
        unique.len(),
        sent.len(),
        "a reminder went out twice: {sent:?}"
    );
    for key in [
        "gdpr-33:24h:board",
        "gdpr-33:4h:assignee",
        "gdpr-33:expired:duty_officer",
        "gdpr-34:48h:board",
        "gdpr-33-5:7d:board",
        "nis2-early-warning:8h:board",
        "nis2-early-warning:2h:board",
        "nis2-notification:24h:board",
        "nis2-notification:expired:assignee",
        "cert-first-response:expired:duty_officer",
    ] {
        assert!(sent.iter().any(|k| k == key), "{key} missing from {sent:?}");
    }
    // The NIS2 final report is a month out: nothing yet.
    assert!(!sent.iter().any(|k| k.starts_with("nis2-final-report")));

    let views = book.evaluate(&case, clock.now());
    let status = |code: &str| views.iter().find(|v| v.code == code).unwrap().status;
    assert_eq!(status("gdpr-33"), ObligationStatus::Overdue);
    assert_eq!(status("nis2-final-report"), ObligationStatus::Pending);
}

#[test]
fn confirming_in_time_silences_the_clock() {
    let book = RuleBook::embedded().unwrap();
    let aware = parse_rfc3339("2026-05-04T07:00:00Z").unwrap();
    let clock = ManualClock::at(aware + Duration::hours(20));
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
    let view = book
        .evaluate(&case, clock.now())
        .into_iter()
        .find(|v| v.code == "gdpr-33")
        .unwrap();
    let record = confirm_met(
        &view,
        clock.now(),
        clock.now(),
        Some("AP-2026-991"),
        None,
        "bestuur",
    )
    .unwrap();
    let records = [record];
    let case = ClockCase {
        records: &records,
        ..case
    };
    let ticks: Vec<_> = (1..=100).map(|h| aware + Duration::hours(20 + h)).collect();
    let sent = tick_all(&book, &case, &ticks);
    assert!(!sent.iter().any(|k| k.starts_with("gdpr-33:")), "{sent:?}");
    clock.advance(Duration::hours(100));
    let view = book
        .evaluate(&case, clock.now())
        .into_iter()
        .find(|v| v.code == "gdpr-33")
        .unwrap();
    assert_eq!(view.status, ObligationStatus::Met);
}

proptest! {
    /// Whatever the tick times, no reminder key is ever sent twice, and once the week is over
    /// every GDPR-33 audience has heard about the expiry exactly once.
    #[test]
    fn reminders_fire_once_for_any_tick_pattern(gaps in prop::collection::vec(1i64..600, 1..80)) {
        let book = RuleBook::embedded().unwrap();
        let aware = parse_rfc3339("2026-01-10T12:00:00Z").unwrap();
        let facts = CaseFacts { personal_data: true, ..CaseFacts::default() };
        let case = ClockCase { facts, became_aware_at: Some(aware), opened_at: aware, records: &[] };
        let mut t = aware;
        let mut ticks = Vec::new();
        for g in gaps {
            t += Duration::minutes(g * 7);
            ticks.push(t);
        }
        ticks.push(aware + Duration::days(8));
        let sent = tick_all(&book, &case, &ticks);
        let unique: BTreeSet<_> = sent.iter().collect();
        prop_assert_eq!(unique.len(), sent.len());
        prop_assert_eq!(sent.iter().filter(|k| *k == "gdpr-33:expired:assignee").count(), 1);
        prop_assert_eq!(sent.iter().filter(|k| *k == "gdpr-33:expired:duty_officer").count(), 1);
    }
}
