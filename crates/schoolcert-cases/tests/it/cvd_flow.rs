//! A CVD report from the public form to the thanks page: proof of work, validation, matching
//! the target to a board, the status token, triage, notifying the board, the disclosure
//! deadline, the board's confirmation, and what each side may learn about the other.

use chrono::Duration;
use schoolcert_cases::cvd::{
    CreditCandidate, CvdCase, CvdState, DisclosureStatus, ReporterStatus, TargetMatch,
    match_targets, thanks_page, transition,
};
use schoolcert_cases::intake::pow;
use schoolcert_cases::intake::{CvdIntakeForm, IntakeLimits, IntakeOutcome, validate};
use schoolcert_cases::securitytxt;
use schoolcert_cases::{CaseKind, CaseRef};
use schoolcert_domain::BoardId;
use schoolcert_domain::lookup::{LookupIndex, entry};
use schoolcert_domain::time::{Clock, ManualClock, parse_rfc3339};
use schoolcert_domain::token::{SecretToken, hash_token};

#[test]
fn from_public_form_to_thanks_page() {
    let clock = ManualClock::at(parse_rfc3339("2026-04-01T09:00:00Z").unwrap());
    let secret = b"server-secret-for-challenges-123";

    // The browser gets a challenge and solves it.
    let challenge = pow::issue_random(secret, clock.now(), 8).unwrap();
    let counter = pow::solve(&challenge, 1 << 16).unwrap();
    clock.advance(Duration::seconds(40));
    let used = pow::verify(secret, &challenge.text, counter, clock.now(), 3600, 8).unwrap();
    assert_eq!(used, challenge.id);

    let form = CvdIntakeForm {
        what: "Directory listing met back-ups van de leerlingadministratie",
        location: "Gevonden op https://www.klimop.nl/backup/ (ook via 145.1.2.10)",
        reproduce: "Open de map in een browser; geen inlog nodig.",
        impact: "Download van alle leerlinggegevens.",
        reporter_name: "Sanne",
        contact_email: "sanne@example.org",
        credit_consent: true,
        share_identity_with_board: false,
        ..CvdIntakeForm::default()
    };
    let IntakeOutcome::Accepted(intake) = validate(&form, &IntakeLimits::default()).unwrap() else {
        panic!("a good report must be accepted");
    };

    let index = LookupIndex::build(
        [
            entry(1, 7, "klimop.nl").unwrap(),
            entry(2, 7, "145.1.2.0/24").unwrap(),
        ],
        [],
    );
    let matched = match_targets(&index, &intake.targets);
    assert_eq!(matched.board(), Some(BoardId(7)));

    let token = SecretToken::generate("cvd_").unwrap();
    let reference = CaseRef::next(CaseKind::Cvd, clock.now(), Some(6));
    assert_eq!(reference.to_string(), "CVD-2026-0007");
    let mut case = CvdCase::from_intake(reference, &intake, token.hash(), &matched, clock.now());
    assert_eq!(case.status_token_hash, hash_token(token.expose()));
    assert_eq!(
        case.acknowledged_at,
        Some(clock.now()),
        "acknowledged at once"
    );
    assert_eq!(
        case.reporter_view(Some("Stichting De Klimop")).status,
        ReporterStatus::Received
    );

    for to in [
        CvdState::Triage,
        CvdState::Accepted,
        CvdState::BoardNotified,
    ] {
        let t = transition(case.state, to, None, None).unwrap();
        case.apply(&t, clock.now());
    }
    let deadline = case.disclosure_deadline().unwrap();
    assert_eq!(deadline, clock.now() + Duration::days(60));

    // The board does not learn who reported; the reporter does not learn which board.
    let board_view = case.board_view();
    assert_eq!(board_view.reporter_name, None);
    assert_eq!(board_view.reporter_email, None);
    let reporter_view = case.reporter_view(Some("Stichting De Klimop"));
    assert_eq!(reporter_view.board_name, None);
    assert_eq!(reporter_view.status, ReporterStatus::InProgress);
    case.board_identity_shared_with_reporter = true;
    assert_eq!(
        case.reporter_view(Some("Stichting De Klimop"))
            .board_name
            .as_deref(),
        Some("Stichting De Klimop")
    );

    // Extended by agreement, then fixed in time and confirmed by the board.
    clock.advance(Duration::days(50));
    let plan = case.disclosure.as_mut().unwrap();
    plan.adjust(
        deadline + Duration::days(14),
        "leverancier levert patch later",
        true,
        true,
        clock.now(),
        "analist",
    )
    .unwrap();
    clock.advance(Duration::days(15));
    let t = transition(case.state, CvdState::Remediation, None, None).unwrap();
    case.apply(&t, clock.now());
    case.confirm_remediation(clock.now()).unwrap();
    assert_eq!(case.state, CvdState::Resolved);
    let status = case
        .disclosure
        .as_ref()
        .unwrap()
        .status(case.resolved_at, clock.now());
    assert_eq!(status, DisclosureStatus::ResolvedInTime);

    let page = thanks_page(&[CreditCandidate {
        reporter: case.reporter.clone(),
        state: case.state,
        resolved_at: case.resolved_at,
        exercise: case.exercise,
    }]);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].name, "Sanne");
}

#[test]
fn an_unknown_target_is_left_for_the_cert_to_identify() {
    let now = parse_rfc3339("2026-04-01T09:00:00Z").unwrap();
    let form = CvdIntakeForm {
        what: "Open Elasticsearch zonder wachtwoord",
        location: "203.0.113.50:9200",
        reproduce: "curl http://203.0.113.50:9200/_cat/indices",
        ..CvdIntakeForm::default()
    };
    let IntakeOutcome::Accepted(intake) = validate(&form, &IntakeLimits::default()).unwrap() else {
        panic!("accepted");
    };
    let index = LookupIndex::build([entry(1, 7, "klimop.nl").unwrap()], []);
    let matched = match_targets(&index, &intake.targets);
    assert_eq!(matched, TargetMatch::Unknown);
    let mut case = CvdCase::from_intake(
        CaseRef::new(CaseKind::Cvd, 2026, 1),
        &intake,
        "h".into(),
        &matched,
        now,
    );
    assert!(case.board_ids.is_empty());
    case.identify(vec![BoardId(9)]);
    assert_eq!(case.board_ids, [BoardId(9)]);
    assert_eq!(case.reporter.name, "Anoniem");
}

#[test]
fn the_board_file_and_the_cert_file_validate() {
    let now = parse_rfc3339("2026-04-01T09:00:00Z").unwrap();
    let cert = securitytxt::CertSettings {
        contact: vec!["https://school-cert.nl/cvd".into()],
        policy: "https://school-cert.nl/cvd-beleid".into(),
        acknowledgments: Some("https://school-cert.nl/bedankt".into()),
        encryption: None,
        hiring: None,
        csaf: None,
        canonical: "https://school-cert.nl/.well-known/security.txt".into(),
        validity_days: 300,
    };
    let board = securitytxt::BoardSettings {
        board_name: "Stichting De Klimop".into(),
        domains: vec!["klimop.nl".into()],
        preferred_languages: vec![],
    };
    for text in [
        securitytxt::for_board(&cert, &board, now).unwrap().render(),
        securitytxt::for_cert(&cert, now).unwrap().render(),
    ] {
        let parsed = securitytxt::parse(&text, now);
        assert!(
            parsed.is_valid() && parsed.issues.is_empty(),
            "{:?}",
            parsed.issues
        );
        // A year later the same file is stale.
        assert!(!securitytxt::parse(&text, now + Duration::days(366)).is_valid());
    }
}
