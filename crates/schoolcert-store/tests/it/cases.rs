//! Case storage: references, board scoping of cases and items, clocks, sector links, tokens.

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::cases::items::{self, Label, NewMessage};
use schoolcert_store::cases::records as cases;
use schoolcert_store::cases::{obligations, sector, settings};
use schoolcert_store::{Backend, PageRequest, StoreError};
use schoolcert_testkit::{TestDb, dual_tests};

use crate::fixtures::{board, t};

fn row(kind: &str, reference: &str, state: &str) -> cases::CaseRow {
    cases::CaseRow {
        id: 0,
        kind: kind.into(),
        reference: reference.into(),
        state: state.into(),
        title: format!("Zaak {reference}"),
        summary: String::new(),
        taxonomy: None,
        rsit_type: None,
        severity: None,
        tlp: "amber+strict".into(),
        personal_data: "unknown".into(),
        nis2: false,
        became_aware_at: None,
        role: None,
        assignee_user_id: None,
        outcome: None,
        exercise: false,
        school_ids: "[]".into(),
        status_token_hash: None,
        disclosure_deadline: None,
        cvd: None,
        opened_at: t(3),
        first_response_at: None,
        closed_at: None,
        updated_at: t(3),
    }
}

fn label(board: bool) -> Label {
    Label {
        tlp: "amber".into(),
        sharing: "{}".into(),
        shared_board: board,
        shared_reporter: false,
    }
}

async fn cases_and_items_are_scoped_to_the_boards_they_concern(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "Stichting A", BoardStatus::Active).await;
    let other = board(db, "10002", "Stichting B", BoardStatus::Active).await;
    let mut cx = db.write().await.unwrap();
    assert_eq!(cases::next_seq(&mut cx, "incident", 2026).await.unwrap(), 1);
    assert_eq!(cases::next_seq(&mut cx, "incident", 2026).await.unwrap(), 2);
    assert_eq!(cases::next_seq(&mut cx, "cvd", 2026).await.unwrap(), 1);
    let inc = cases::insert(&mut cx, &row("incident", "INC-2026-0001", "new"), &[a])
        .await
        .unwrap();
    let cvd_received = cases::insert(&mut cx, &row("cvd", "CVD-2026-0001", "received"), &[a])
        .await
        .unwrap();
    let inc_b = cases::insert(&mut cx, &row("incident", "INC-2026-0002", "new"), &[other])
        .await
        .unwrap();
    for (shared, body) in [(true, "gedeeld bericht"), (false, "interne notitie")] {
        items::add_message(
            &mut cx,
            &NewMessage {
                case_id: inc,
                parent_id: None,
                kind: "portal",
                direction: if shared { "outbound" } else { "internal" },
                author: "CERT",
                author_user_id: None,
                subject: "Onderwerp",
                body,
                label: label(shared),
                email_message_id: None,
                sector_message_id: None,
            },
            t(4),
        )
        .await
        .unwrap();
    }
    cx.commit().await.unwrap();

    let mut cx = db.read().await.unwrap();
    let sa = Scope::Board(a);
    assert!(cases::get(&mut cx, sa, inc).await.is_ok());
    // A CVD case stays hidden from the board until it is notified.
    assert!(matches!(
        cases::get(&mut cx, sa, cvd_received).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        cases::get(&mut cx, sa, inc_b).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        cases::get(&mut cx, Scope::Nothing, inc).await,
        Err(StoreError::NotFound)
    ));
    let listed = cases::list(&mut cx, sa, &Default::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].reference, "INC-2026-0001");
    let all = cases::list(
        &mut cx,
        Scope::All,
        &Default::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 3);

    // Only the shared message reaches the board; the CERT sees both.
    let msgs = items::messages(&mut cx, sa, inc).await.unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].body, "gedeeld bericht");
    assert_eq!(
        items::messages(&mut cx, Scope::All, inc)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        items::messages(&mut cx, Scope::Board(other), inc)
            .await
            .unwrap()
            .is_empty()
    );

    // Search finds a case by a word in a message, but a board only through shared messages.
    let f = cases::CaseFilter {
        q: Some("notitie".into()),
        ..Default::default()
    };
    assert_eq!(
        cases::list(&mut cx, Scope::All, &f, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        cases::list(&mut cx, sa, &f, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(cases_and_items_are_scoped_to_the_boards_they_concern);

async fn reminders_are_marked_once_per_due_time(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "Stichting A", BoardStatus::Active).await;
    let mut cx = db.write().await.unwrap();
    let id = cases::insert(&mut cx, &row("incident", "INC-2026-0001", "triage"), &[a])
        .await
        .unwrap();
    obligations::upsert_due(&mut cx, id, "ap_notification", Some(t(10)))
        .await
        .unwrap();
    obligations::upsert_due(&mut cx, id, "ap_notification", Some(t(11)))
        .await
        .unwrap();
    assert!(
        obligations::mark_reminder(&mut cx, id, "ap_notification", "r1", "board", t(11), t(5))
            .await
            .unwrap()
    );
    assert!(
        !obligations::mark_reminder(&mut cx, id, "ap_notification", "r1", "board", t(11), t(6))
            .await
            .unwrap()
    );
    // A new due time is a new reminder.
    assert!(
        obligations::mark_reminder(&mut cx, id, "ap_notification", "r1", "board", t(12), t(6))
            .await
            .unwrap()
    );
    cx.commit().await.unwrap();
    let mut cx = db.read().await.unwrap();
    let rows = obligations::of_case(&mut cx, id).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].due_at, Some(t(11)));
    assert_eq!(obligations::open_deadlines(&mut cx).await.unwrap().len(), 1);
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(reminders_are_marked_once_per_due_time);

async fn a_board_sees_only_its_own_link_of_a_sector_incident(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "Stichting A", BoardStatus::Active).await;
    let other = board(db, "10002", "Stichting B", BoardStatus::Registered).await;
    let third = board(db, "10003", "Stichting C", BoardStatus::Active).await;
    let mut cx = db.write().await.unwrap();
    let s = sector::insert(&mut cx, "Leverancier gehackt", "", true, false, t(3))
        .await
        .unwrap();
    for (i, bd) in [a, other].into_iter().enumerate() {
        let c = cases::insert(
            &mut cx,
            &row("incident", &format!("INC-2026-000{i}"), "triage"),
            &[bd],
        )
        .await
        .unwrap();
        sector::link(&mut cx, s, bd, c, bd == a).await.unwrap();
    }
    sector::confirm(&mut cx, s, a, "Anna", t(4)).await.unwrap();
    cx.commit().await.unwrap();
    let mut cx = db.read().await.unwrap();
    assert_eq!(
        sector::links(&mut cx, Scope::All, s).await.unwrap().len(),
        2
    );
    let mine = sector::links(&mut cx, Scope::Board(a), s).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].measures_confirmed_at, Some(t(4)));
    assert!(matches!(
        sector::get(&mut cx, Scope::Board(third), s).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        sector::list(&mut cx, Scope::Board(third))
            .await
            .unwrap()
            .is_empty()
    );
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(a_board_sees_only_its_own_link_of_a_sector_incident);

async fn tokens_find_their_case_and_pow_nonces_are_spent_once(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let mut cx = db.write().await.unwrap();
    let mut r = row("cvd", "CVD-2026-0001", "received");
    r.status_token_hash = Some("abc".into());
    let id = cases::insert(&mut cx, &r, &[]).await.unwrap();
    cases::add_reply_token(&mut cx, id, "def", t(3))
        .await
        .unwrap();
    assert!(settings::spend_pow(&mut cx, "n1", t(3)).await.unwrap());
    assert!(!settings::spend_pow(&mut cx, "n1", t(4)).await.unwrap());
    cx.commit().await.unwrap();
    let mut cx = db.read().await.unwrap();
    assert_eq!(
        cases::by_status_token(&mut cx, "abc")
            .await
            .unwrap()
            .unwrap()
            .id,
        id
    );
    assert_eq!(
        cases::by_reply_token(&mut cx, "def")
            .await
            .unwrap()
            .unwrap()
            .id,
        id
    );
    assert!(
        cases::by_status_token(&mut cx, "def")
            .await
            .unwrap()
            .is_none()
    );
    let s = settings::get(&mut cx, Scope::Board(BoardId(99)), BoardId(98)).await;
    assert!(matches!(s, Err(StoreError::NotFound)));
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(tokens_find_their_case_and_pow_nonces_are_spent_once);
