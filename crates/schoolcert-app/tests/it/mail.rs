//! Outgoing mail: queued with the change that causes it and not without it, sent by the
//! worker, nothing lost when a transaction rolls back.

use schoolcert_app::registry::assets;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_store::Backend;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_testkit::{TestApp, dual_tests};

async fn a_decision_mails_the_boards_contacts_and_the_worker_delivers_it(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let contact = t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let mut cx = t.app.db.write().await.unwrap();
    contacts::insert(
        &mut cx,
        board,
        &ContactFields {
            name: "Anna".into(),
            function: String::new(),
            email: "anna@a.nl".into(),
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
    let lines = assets::claim_list(&t.app, &contact, board, "145.97.16.0/24")
        .await
        .unwrap();
    let schoolcert_app::registry::assets::ClaimOutcome::Added { asset_id, .. } = lines[0].outcome
    else {
        panic!()
    };

    // Rejecting without a reason is refused, and nothing is sent.
    assert!(
        assets::decide(&t.app, &cert, asset_id, false, " ")
            .await
            .is_err()
    );
    assert!(t.mail_to("anna@a.nl").await.is_empty());
    assets::decide(
        &t.app,
        &cert,
        asset_id,
        false,
        "Dit blok is van de gemeente.",
    )
    .await
    .unwrap();
    let mail = t.mail_to("anna@a.nl").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].status, "pending");
    assert!(mail[0].subject.contains("afgewezen"));
    assert!(mail[0].body_text.contains("Dit blok is van de gemeente."));
    let report = t.run_jobs().await;
    assert_eq!(report.mail.sent, 1);
    assert_eq!(t.mail_to("anna@a.nl").await[0].status, "sent");
    t.finish().await;
}

async fn stale_contacts_are_reminded_monthly_until_confirmed(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let contact = t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let mut cx = t.app.db.write().await.unwrap();
    let anna = contacts::insert(
        &mut cx,
        board,
        &ContactFields {
            name: "Anna".into(),
            function: String::new(),
            email: "anna@a.nl".into(),
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
    let reminders = || async {
        t.mail_to("anna@a.nl")
            .await
            .into_iter()
            .filter(|m| m.kind == "contacts_stale")
            .count()
    };

    t.clock.advance(chrono::Duration::days(180));
    t.run_jobs().await;
    assert_eq!(reminders().await, 0, "exactly 180 days is still fresh");
    t.clock.advance(chrono::Duration::days(2));
    t.run_jobs().await;
    assert_eq!(reminders().await, 1);
    let mail = &t.mail_to("anna@a.nl").await[0];
    assert!(
        mail.body_text.contains("Anna <anna@a.nl>")
            && mail.body_text.contains("/portaal/contacten"),
        "{}",
        mail.body_text
    );
    // The hourly job runs again: no second mail within the month.
    t.clock.advance(chrono::Duration::hours(1));
    t.run_jobs().await;
    assert_eq!(reminders().await, 1);
    t.clock.advance(chrono::Duration::days(31));
    t.run_jobs().await;
    assert_eq!(
        reminders().await,
        2,
        "still stale a month later: reminded again"
    );
    // Confirmed: no more reminders.
    schoolcert_app::registry::contacts::confirm(&t.app, &contact, anna)
        .await
        .unwrap();
    t.clock.advance(chrono::Duration::days(31));
    t.run_jobs().await;
    assert_eq!(reminders().await, 2);
    t.finish().await;
}

dual_tests!(
    a_decision_mails_the_boards_contacts_and_the_worker_delivers_it,
    stale_contacts_are_reminded_monthly_until_confirmed
);
