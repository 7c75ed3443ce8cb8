//! The lookup index follows the database: another instance's change (a bumped counter) is
//! picked up on the next lookup, and only active claims of live boards answer.

use schoolcert_app::registry::assets;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{TestApp, dual_tests};

async fn a_second_instance_sees_changes_made_by_the_first(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    // Two application instances on one database, as behind a load balancer.
    let other = schoolcert_app::App::new(
        t.app.db.clone(),
        (*t.app.config).clone(),
        t.app.clock.clone(),
    )
    .unwrap();
    assert!(
        assets::lookup(&other, None, "145.97.16.1")
            .await
            .unwrap()
            .owners
            .is_empty()
    );
    assets::claim_list(&t.app, &cert, board, "145.97.16.0/24")
        .await
        .unwrap();
    let seen = assets::lookup(&other, None, "145.97.16.1").await.unwrap();
    assert_eq!(
        seen.owners.len(),
        1,
        "the other instance rebuilt from the database"
    );
    // Suspending the board takes its claims out of lookups everywhere.
    schoolcert_app::registry::boards::set_status(
        &t.app,
        &cert,
        board,
        BoardStatus::Suspended,
        "contact verloren",
    )
    .await
    .unwrap();
    assert!(
        assets::lookup(&other, None, "145.97.16.1")
            .await
            .unwrap()
            .owners
            .is_empty()
    );
    t.finish().await;
}

async fn pending_claims_do_not_answer_lookups_until_approved(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let contact = t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let lines = assets::claim_list(&t.app, &contact, board, "145.97.16.0/24")
        .await
        .unwrap();
    let schoolcert_app::registry::assets::ClaimOutcome::Added { asset_id, .. } = lines[0].outcome
    else {
        panic!()
    };
    assert!(
        assets::lookup(&t.app, None, "145.97.16.1")
            .await
            .unwrap()
            .owners
            .is_empty()
    );
    assets::decide(&t.app, &cert, asset_id, true, "")
        .await
        .unwrap();
    assert_eq!(
        assets::lookup(&t.app, None, "145.97.16.1")
            .await
            .unwrap()
            .owners
            .len(),
        1
    );
    t.finish().await;
}

dual_tests!(
    a_second_instance_sees_changes_made_by_the_first,
    pending_claims_do_not_answer_lookups_until_approved
);
