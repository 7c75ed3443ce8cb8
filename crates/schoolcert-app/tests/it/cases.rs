//! Incident and CVD cases end to end through the use cases: a board's report to closing with
//! messages by portal and by e-mail reply, legal clocks on a fake clock, a sector incident over
//! three boards, the anonymous CVD flow, and every refusal a user would notice.

use std::net::{IpAddr, Ipv4Addr};

use chrono::Duration;
use schoolcert_app::AppError;
use schoolcert_app::cases::messages::{self, Ingested, MessageInput};
use schoolcert_app::cases::{clocks, cvd, incidents, sector, view};
use schoolcert_cases::intake::pow;
use schoolcert_domain::access::{Actor, Role};
use schoolcert_domain::asset::{AssetStatus, parse_asset};
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::Backend;
use schoolcert_store::audit::By;
use schoolcert_store::cases::settings::BoardCaseSettings;
use schoolcert_store::registry::assets::{self, NewAsset};
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_testkit::{TestApp, dual_tests};

async fn contact(t: &TestApp, board: BoardId, email: &str) {
    let mut cx = t.app.db.write().await.unwrap();
    contacts::insert(
        &mut cx,
        board,
        &ContactFields {
            name: "Contact".into(),
            function: "ICT".into(),
            email: email.into(),
            phone: String::new(),
            role: ContactRole::Primary,
            pgp_key: None,
            pgp_fingerprint: None,
        },
        true,
        t.app.now(),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
}

struct World {
    t: TestApp,
    a: BoardId,
    b: BoardId,
    anna: Actor,
    bert: Actor,
    cert: Actor,
}

async fn world(backend: Backend) -> World {
    let t = TestApp::start_with(backend, |c| c.cvd_pow_difficulty = 4).await;
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let b = t.board("10002", "Stichting B", BoardStatus::Active).await;
    contact(&t, a, "anna@a.nl").await;
    contact(&t, b, "bert@b.nl").await;
    let anna = t.user("anna@a.nl", Role::BoardContact, Some(a)).await;
    let bert = t.user("bert@b.nl", Role::BoardContact, Some(b)).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    World {
        t,
        a,
        b,
        anna,
        bert,
        cert,
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(
        matches!(r, Err(AppError::NotFound)),
        "expected not found, got {r:?}"
    );
}

fn eml(to: &str, from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Anna <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <r1@a.nl>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn a_boards_report_goes_to_closing_with_messages_by_portal_and_by_email(backend: Backend) {
    let w = world(backend).await;
    let t = &w.t;
    let opened = incidents::report(
        &t.app,
        &w.anna,
        &incidents::ReportInput {
            subject: "Phishingmail bij de administratie".into(),
            body: "Twee medewerkers hebben op een link geklikt.".into(),
            personal_data: "unknown".into(),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    assert!(opened.reference.starts_with("INC-2026-"));
    let q = view::queue(&t.app, &w.cert).await.unwrap();
    assert_eq!(q.new_cases.len(), 1);
    // Other boards and the board itself cannot use CERT routes.
    not_found(view::detail(&t.app, &w.bert, opened.case_id, Lang::Nl).await);
    assert!(view::queue(&t.app, &w.anna).await.is_err());
    assert!(
        incidents::transition(&t.app, &w.anna, opened.case_id, "triage", None)
            .await
            .is_err()
    );

    incidents::transition(&t.app, &w.cert, opened.case_id, "triage", None)
        .await
        .unwrap();
    // Skipping states is refused by the domain rules.
    let e = incidents::transition(&t.app, &w.cert, opened.case_id, "closed", None)
        .await
        .unwrap_err();
    assert!(e.message(Lang::Nl).contains("uitkomst") || e.message(Lang::Nl).contains("kan niet"));
    incidents::update(
        &t.app,
        &w.cert,
        opened.case_id,
        &incidents::UpdateInput {
            classification: Some("fraud/phishing".into()),
            severity: Some("2".into()),
            assignee_user_id: Some(w.cert.user_id.0.to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    incidents::apply_playbook(&t.app, &w.cert, opened.case_id, "phishing", Lang::Nl)
        .await
        .unwrap();
    incidents::transition(&t.app, &w.cert, opened.case_id, "advising", None)
        .await
        .unwrap();

    // An internal note and a shared message: only the shared one reaches the board, by mail too.
    messages::post(
        &t.app,
        &w.cert,
        opened.case_id,
        &MessageInput {
            body: "Intern: lijkt op campagne X.".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    messages::post(
        &t.app,
        &w.cert,
        opened.case_id,
        &MessageInput {
            subject: "Advies".into(),
            body: "Reset de wachtwoorden van beide accounts.".into(),
            shared: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mail = t.mail_to("anna@a.nl").await;
    let advice = mail
        .iter()
        .find(|m| m.body_text.contains("Reset de wachtwoorden"))
        .expect("advice mailed");
    assert!(advice.subject.contains(&opened.reference));
    assert!(!mail.iter().any(|m| m.body_text.contains("campagne X")));
    let reply_to = advice.reply_to.clone().expect("reply address");
    assert!(reply_to.starts_with("cert+"));

    let board_view = view::detail(&t.app, &w.anna, opened.case_id, Lang::Nl)
        .await
        .unwrap();
    assert!(
        board_view
            .messages
            .iter()
            .any(|m| m.body.contains("Reset de wachtwoorden"))
    );
    assert!(
        !board_view
            .messages
            .iter()
            .any(|m| m.body.contains("campagne X"))
    );
    assert!(
        !board_view
            .timeline
            .iter()
            .any(|e| e.text.contains("Notitie") || e.text.contains("Note"))
    );
    let cert_view = view::detail(&t.app, &w.cert, opened.case_id, Lang::Nl)
        .await
        .unwrap();
    assert!(
        cert_view
            .messages
            .iter()
            .any(|m| m.body.contains("campagne X"))
    );
    assert!(!cert_view.tasks.is_empty(), "the playbook seeded tasks");

    // The board answers in the portal and by e-mail.
    messages::post(
        &t.app,
        &w.anna,
        opened.case_id,
        &MessageInput {
            body: "Gedaan voor account 1.".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let got = messages::ingest_eml(
        &t.app,
        By::System("test"),
        &eml(
            &reply_to,
            "anna@a.nl",
            "Re: Advies",
            "Ook account 2 is gereset.\n\n> Reset de wachtwoorden",
        ),
    )
    .await
    .unwrap();
    let Ingested::Case { case_id, .. } = got else {
        panic!("{got:?}")
    };
    assert_eq!(case_id, opened.case_id);
    // The same mail again is recognised.
    let again = messages::ingest_eml(
        &t.app,
        By::System("test"),
        &eml(
            &reply_to,
            "anna@a.nl",
            "Re: Advies",
            "Ook account 2 is gereset.",
        ),
    )
    .await
    .unwrap();
    assert!(matches!(again, Ingested::Duplicate { .. }));
    let board_view = view::detail(&t.app, &w.anna, opened.case_id, Lang::Nl)
        .await
        .unwrap();
    assert!(
        board_view
            .messages
            .iter()
            .any(|m| m.body == "Ook account 2 is gereset.")
    );
    assert!(
        board_view
            .messages
            .iter()
            .any(|m| m.body == "Gedaan voor account 1.")
    );
    not_found(
        messages::post(
            &t.app,
            &w.bert,
            opened.case_id,
            &MessageInput {
                body: "hallo".into(),
                ..Default::default()
            },
        )
        .await,
    );

    // A mail without token lands in the queue, not in a case.
    let stray = messages::ingest_eml(
        &t.app,
        By::System("test"),
        &eml("cert@schoolcert.localhost", "x@y.nl", "Vraag", "Hallo"),
    )
    .await
    .unwrap();
    assert!(matches!(stray, Ingested::Report { .. }));

    incidents::transition(&t.app, &w.cert, opened.case_id, "monitoring", None)
        .await
        .unwrap();
    incidents::transition(&t.app, &w.cert, opened.case_id, "closed", Some("resolved"))
        .await
        .unwrap();
    let done = view::detail(&t.app, &w.anna, opened.case_id, Lang::Nl)
        .await
        .unwrap();
    assert_eq!(done.case.state, "closed");
    assert_eq!(done.case.outcome.as_deref(), Some("resolved"));
    assert!(done.case.first_response_at.is_some());
    w.t.finish().await;
}

dual_tests!(a_boards_report_goes_to_closing_with_messages_by_portal_and_by_email);

async fn tlp_red_goes_only_to_named_recipients_and_bad_input_is_refused(backend: Backend) {
    let w = world(backend).await;
    let t = &w.t;
    let opened = incidents::report(
        &t.app,
        &w.anna,
        &incidents::ReportInput {
            subject: "Ransomware".into(),
            body: "Alles versleuteld".into(),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    let before = t.mail_to("anna@a.nl").await.len();
    let red = MessageInput {
        body: "Naam van de dader: ...".into(),
        shared: true,
        tlp: "red".into(),
        ..Default::default()
    };
    let e = messages::post(&t.app, &w.cert, opened.case_id, &red)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    assert_eq!(t.mail_to("anna@a.nl").await.len(), before, "nothing mailed");
    assert!(
        !view::detail(&t.app, &w.anna, opened.case_id, Lang::Nl)
            .await
            .unwrap()
            .messages
            .iter()
            .any(|m| m.body.contains("dader"))
    );
    messages::post(
        &t.app,
        &w.cert,
        opened.case_id,
        &MessageInput {
            name_board: true,
            ..red
        },
    )
    .await
    .unwrap();
    assert!(
        t.mail_to("anna@a.nl")
            .await
            .iter()
            .any(|m| m.body_text.contains("dader") && m.body_text.contains("TLP:RED"))
    );
    assert!(t.mail_to("bert@b.nl").await.is_empty());

    // Malformed e-mail and oversized uploads are refused cleanly.
    let e = messages::ingest_eml(&t.app, By::System("test"), b"dit is geen e-mail")
        .await
        .unwrap_err();
    assert!(e.field("eml", Lang::Nl).is_some(), "{e:?}");
    let big = vec![b'a'; 16 * 1024 * 1024];
    let e = incidents::upload(
        &t.app,
        &w.anna,
        opened.case_id,
        "groot.txt",
        Some("text/plain"),
        &big,
        "",
        false,
    )
    .await
    .unwrap_err();
    assert!(e.field("file", Lang::Nl).is_some(), "{e:?}");
    let id = incidents::upload(
        &t.app,
        &w.anna,
        opened.case_id,
        "log.txt",
        Some("text/plain"),
        b"regel 1",
        "",
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        incidents::download(&t.app, &w.anna, id).await.unwrap().1,
        b"regel 1"
    );
    not_found(incidents::download(&t.app, &w.bert, id).await);
    not_found(
        incidents::upload(
            &t.app,
            &w.bert,
            opened.case_id,
            "x.txt",
            None,
            b"x",
            "",
            false,
        )
        .await,
    );
    w.t.finish().await;
}

dual_tests!(tlp_red_goes_only_to_named_recipients_and_bad_input_is_refused);

async fn legal_clocks_run_on_the_fake_clock_and_remind_once(backend: Backend) {
    let w = world(backend).await;
    let t = &w.t;
    let t0 = t.app.now();
    let opened = incidents::report(
        &t.app,
        &w.anna,
        &incidents::ReportInput {
            subject: "Datalek".into(),
            body: "Leerlinglijst gemaild naar verkeerde ouder.".into(),
            personal_data: "yes".into(),
            became_aware_at: schoolcert_domain::time::format_utc(t0),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    let gdpr = clocks::of_case(&t.app, &w.anna, opened.case_id)
        .await
        .unwrap();
    let g33 = gdpr
        .iter()
        .find(|v| v.code == "gdpr-33")
        .expect("72h clock");
    assert_eq!(g33.due_at, Some(t0 + Duration::hours(72)));
    assert!(!gdpr.iter().any(|v| v.code.starts_with("nis2")));

    // 49 hours later the 24-hour reminder goes out to the board, once.
    t.clock.advance(Duration::hours(49));
    let r = clocks::send_reminders(&t.app).await.unwrap();
    assert!(r.sent >= 1);
    let reminders = |m: &Vec<schoolcert_store::outbox::Mail>| {
        m.iter().filter(|m| m.kind == "case_reminder").count()
    };
    let first = reminders(&t.mail_to("anna@a.nl").await);
    assert!(first >= 1);
    clocks::send_reminders(&t.app).await.unwrap();
    t.run_jobs().await;
    assert_eq!(
        reminders(&t.mail_to("anna@a.nl").await),
        first,
        "not sent twice"
    );

    // The board confirms it notified the AP: no further reminders.
    clocks::confirm(
        &t.app,
        &w.anna,
        opened.case_id,
        "gdpr-33",
        &clocks::ConfirmInput {
            reference: "AP-123".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    t.clock.advance(Duration::hours(20));
    clocks::send_reminders(&t.app).await.unwrap();
    let mails = t.mail_to("anna@a.nl").await;
    assert!(!mails.iter().any(|m| m.kind == "case_reminder"
        && m.subject.contains("Melding aan de AP")
        && m.created_at > t0 + Duration::hours(50)));
    not_found(
        clocks::confirm(
            &t.app,
            &w.bert,
            opened.case_id,
            "gdpr-34",
            &Default::default(),
        )
        .await,
    );

    // A NIS2 entity: 24 hours, 72 hours and one month.
    incidents::set_board_settings(
        &t.app,
        &w.bert,
        w.b,
        &BoardCaseSettings {
            nis2_entity: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let t1 = t.app.now();
    let nis = incidents::report(
        &t.app,
        &w.bert,
        &incidents::ReportInput {
            subject: "Storing".into(),
            body: "Systemen plat".into(),
            personal_data: "no".into(),
            became_aware_at: schoolcert_domain::time::format_utc(t1),
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    let v = clocks::of_case(&t.app, &w.cert, nis.case_id).await.unwrap();
    let due = |c: &str| v.iter().find(|x| x.code == c).and_then(|x| x.due_at);
    assert_eq!(due("nis2-early-warning"), Some(t1 + Duration::hours(24)));
    assert_eq!(due("nis2-notification"), Some(t1 + Duration::hours(72)));
    let fin = due("nis2-final-report").expect("final report");
    assert!(
        fin >= t1 + Duration::days(28) + Duration::hours(72)
            && fin <= t1 + Duration::days(31) + Duration::hours(72),
        "{fin}"
    );
    assert!(due("gdpr-33").is_none());
    let draft = clocks::draft(&t.app, &w.bert, nis.case_id, "nis2_early_warning", Lang::Nl)
        .await
        .unwrap();
    assert!(draft.to_text(Lang::Nl).contains("Stichting B"));
    let deadlines = clocks::deadlines(&t.app, &w.cert).await.unwrap();
    assert!(deadlines.iter().any(|d| d.code == "nis2-early-warning"));
    w.t.finish().await;
}

dual_tests!(legal_clocks_run_on_the_fake_clock_and_remind_once);

async fn a_sector_incident_shows_each_board_only_its_own_part(backend: Backend) {
    let w = world(backend).await;
    let t = &w.t;
    let c = t
        .board("10003", "Stichting C (geen lid)", BoardStatus::Registered)
        .await;
    contact(t, c, "carla@c.nl").await;
    let carla = t.user("carla@c.nl", Role::BoardContact, Some(c)).await;
    let id = sector::create(
        &t.app,
        &w.cert,
        &sector::SectorInput {
            title: "Leerlingvolgsysteem X gehackt".into(),
            board_ids: vec![w.a.0, w.b.0, c.0],
            include_non_members: true,
            classification: "intrusions/system-compromise".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        sector::create(&t.app, &w.anna, &Default::default())
            .await
            .is_err()
    );
    let n = sector::message_all(
        &t.app,
        &w.cert,
        id,
        "Advies",
        "Wijzig alle wachtwoorden van X.",
        "amber",
    )
    .await
    .unwrap();
    assert_eq!(n, 3);
    for (who, addr) in [
        (&w.anna, "anna@a.nl"),
        (&w.bert, "bert@b.nl"),
        (&carla, "carla@c.nl"),
    ] {
        let v = sector::get(&t.app, who, id).await.unwrap();
        assert_eq!(v.links.len(), 1, "a board sees only its own link");
        assert_eq!(v.links[0].board_id, who.board_id.unwrap().0);
        let list = view::list(&t.app, who, &Default::default(), Default::default())
            .await
            .unwrap();
        assert_eq!(list.total, 1, "a board sees only its own case");
        let d = view::detail(&t.app, who, v.links[0].case_id, Lang::Nl)
            .await
            .unwrap();
        assert!(
            d.messages
                .iter()
                .any(|m| m.body.contains("Wijzig alle wachtwoorden"))
        );
        assert!(d.boards.iter().all(|(b, _)| *b == who.board_id.unwrap().0));
        assert!(
            t.mail_to(addr)
                .await
                .iter()
                .any(|m| m.body_text.contains("Wijzig alle wachtwoorden"))
        );
    }
    let v_a = sector::get(&t.app, &w.anna, id).await.unwrap();
    not_found(view::detail(&t.app, &w.bert, v_a.links[0].case_id, Lang::Nl).await);
    sector::confirm(&t.app, &w.anna, id).await.unwrap();
    let all = sector::get(&t.app, &w.cert, id).await.unwrap();
    assert_eq!((all.confirmed, all.total), (1, 3));
    assert!(all.links.iter().any(|l| !l.member));
    assert!(
        sector::message_all(&t.app, &w.cert, id, "x", "geheim", "red")
            .await
            .is_err()
    );
    w.t.finish().await;
}

dual_tests!(a_sector_incident_shows_each_board_only_its_own_part);

async fn solved(t: &TestApp) -> (String, String) {
    let ch = cvd::challenge(&t.app).await.unwrap();
    let counter = pow::solve(&ch, 1_000_000).unwrap();
    (ch.text, counter.to_string())
}

async fn an_anonymous_reporter_follows_a_cvd_case_to_the_board_and_its_deadline(backend: Backend) {
    let w = world(backend).await;
    let t = &w.t;
    let mut cx = t.app.db.write().await.unwrap();
    assets::insert(
        &mut cx,
        &NewAsset {
            board_id: w.a,
            value: &parse_asset("obs-klimop.nl").unwrap(),
            status: AssetStatus::Approved,
            claimed_by: None,
            evidence: "",
            challenge_token: None,
        },
        None,
        t.app.now(),
    )
    .await
    .unwrap();
    schoolcert_store::changes::bump(&mut cx, schoolcert_store::changes::ASSETS, t.app.now())
        .await
        .unwrap();
    cx.commit().await.unwrap();
    let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
    let (challenge, counter) = solved(t).await;
    let input = cvd::IntakeInput {
        what: "SQL-injectie in het inlogformulier van het ouderportaal".into(),
        location: "https://ouders.obs-klimop.nl/login".into(),
        reproduce: "Gebruikersnaam ' OR 1=1 -- geeft toegang.".into(),
        reporter_name: "whitehat42".into(),
        contact_email: "wh42@example.org".into(),
        credit_consent: true,
        pow_challenge: challenge.clone(),
        pow_counter: counter.clone(),
        ..Default::default()
    };
    let sub = cvd::submit(&t.app, ip, &input).await.unwrap();
    assert!(sub.reference.starts_with("CVD-2026-"));
    let token = sub.status_url.rsplit('/').next().unwrap().to_owned();
    assert!(
        t.mail_to("wh42@example.org")
            .await
            .iter()
            .any(|m| m.body_text.contains(&sub.status_url))
    );
    // The same solved challenge cannot be used twice.
    assert!(
        cvd::submit(&t.app, ip, &input)
            .await
            .unwrap_err()
            .field("pow", Lang::Nl)
            .is_some()
    );

    let page = cvd::status(&t.app, &token, Lang::Nl).await.unwrap();
    assert_eq!(
        page.view.board_name, None,
        "the reporter does not learn the board"
    );
    not_found(cvd::status(&t.app, "cvd_verkeerd", Lang::Nl).await);
    // Matched to board A, but A does not see it until the CERT notifies it.
    let case_id = page.case_id;
    not_found(view::detail(&t.app, &w.anna, case_id, Lang::Nl).await);
    let cert_view = view::detail(&t.app, &w.cert, case_id, Lang::Nl)
        .await
        .unwrap();
    assert_eq!(cert_view.boards[0].0, w.a.0);

    cvd::reporter_message(&t.app, &token, "Ik kan ook een screenshot sturen.")
        .await
        .unwrap();
    messages::post(
        &t.app,
        &w.cert,
        case_id,
        &MessageInput {
            body: "Dank, we kijken ernaar.".into(),
            to_reporter: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    messages::post(
        &t.app,
        &w.cert,
        case_id,
        &MessageInput {
            body: "Intern: bestuur A bellen".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let page = cvd::status(&t.app, &token, Lang::Nl).await.unwrap();
    assert!(
        page.messages
            .iter()
            .any(|m| m.body.contains("we kijken ernaar"))
    );
    assert!(!page.messages.iter().any(|m| m.body.contains("bestuur A")));

    cvd::transition(&t.app, &w.cert, case_id, "triage", None, None)
        .await
        .unwrap();
    cvd::transition(&t.app, &w.cert, case_id, "accepted", None, None)
        .await
        .unwrap();
    let accepted_at = t.app.now();
    cvd::transition(&t.app, &w.cert, case_id, "board_notified", None, None)
        .await
        .unwrap();
    let board = view::detail(&t.app, &w.anna, case_id, Lang::Nl)
        .await
        .unwrap();
    let bv = board.cvd_board.expect("board view");
    assert_eq!(bv.reporter_name, None, "no reporter identity for the board");
    assert_eq!(
        bv.disclosure_deadline,
        Some(accepted_at + Duration::days(60))
    );
    assert!(board.cvd.is_none());
    assert!(
        !board
            .messages
            .iter()
            .any(|m| m.body.contains("screenshot") || m.body.contains("Intern"))
    );
    assert!(
        t.mail_to("anna@a.nl")
            .await
            .iter()
            .any(|m| m.body_text.contains("kwetsbaarheid"))
    );
    assert!(
        !t.mail_to("anna@a.nl")
            .await
            .iter()
            .any(|m| m.body_text.contains("whitehat42") || m.body_text.contains("wh42@"))
    );
    not_found(view::detail(&t.app, &w.bert, case_id, Lang::Nl).await);
    not_found(cvd::confirm_remediation(&t.app, &w.bert, case_id).await);
    let page = cvd::status(&t.app, &token, Lang::Nl).await.unwrap();
    assert_eq!(
        page.view.disclosure_deadline,
        Some(accepted_at + Duration::days(60))
    );

    cvd::transition(&t.app, &w.cert, case_id, "remediation", None, None)
        .await
        .unwrap();
    cvd::confirm_remediation(&t.app, &w.anna, case_id)
        .await
        .unwrap();
    let thanks = cvd::thanks(&t.app).await.unwrap();
    assert_eq!(thanks.len(), 1);
    assert_eq!(thanks[0].name, "whitehat42");

    // Honeypot: answered like a success, nothing stored.
    let (challenge, counter) = solved(t).await;
    let spam = cvd::IntakeInput {
        honeypot: "http://spam".into(),
        pow_challenge: challenge,
        pow_counter: counter,
        ..Default::default()
    };
    cvd::submit(&t.app, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 8)), &spam)
        .await
        .unwrap();
    let all = view::list(&t.app, &w.cert, &Default::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(all.total, 1);
    // The rate limit per address.
    let mut limited = false;
    for _ in 0..6 {
        let (challenge, counter) = solved(t).await;
        let r = cvd::submit(
            &t.app,
            ip,
            &cvd::IntakeInput {
                pow_challenge: challenge,
                pow_counter: counter,
                ..Default::default()
            },
        )
        .await;
        limited |= matches!(r, Err(AppError::RateLimited { .. }));
    }
    assert!(limited);
    w.t.finish().await;
}

dual_tests!(an_anonymous_reporter_follows_a_cvd_case_to_the_board_and_its_deadline);
