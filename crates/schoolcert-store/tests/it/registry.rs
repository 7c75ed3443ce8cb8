//! Registry queries: board scoping, search, overlap candidates, the active asset set.

use schoolcert_domain::access::Scope;
use schoolcert_domain::asset::{AssetStatus, parse_asset};
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_domain::{AssetId, BoardId};
use schoolcert_store::registry::assets::{self, NewAsset};
use schoolcert_store::registry::boards;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_store::{Backend, PageRequest, StoreError};
use schoolcert_testkit::{TestDb, dual_tests};

use crate::fixtures::{board, t};

async fn claim(db: &schoolcert_store::Db, b: BoardId, v: &str, status: AssetStatus) -> AssetId {
    let value = parse_asset(v).unwrap();
    let mut cx = db.write().await.unwrap();
    let id = assets::insert(
        &mut cx,
        &NewAsset {
            board_id: b,
            value: &value,
            status,
            claimed_by: None,
            evidence: "",
            challenge_token: None,
        },
        None,
        t(2),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    id
}

async fn a_board_scope_never_returns_another_boards_rows(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "Stichting A", BoardStatus::Active).await;
    let other = board(db, "10002", "Stichting B", BoardStatus::Active).await;
    let asset_b = claim(db, other, "145.97.16.0/24", AssetStatus::Approved).await;
    let mut cx = db.write().await.unwrap();
    let contact_b = contacts::insert(
        &mut cx,
        other,
        &ContactFields {
            name: "Bea".into(),
            function: String::new(),
            email: "bea@b.nl".into(),
            phone: String::new(),
            role: ContactRole::Primary,
            pgp_key: None,
            pgp_fingerprint: None,
        },
        false,
        t(2),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();

    let mut cx = db.read().await.unwrap();
    let scope_a = Scope::Board(a);
    assert!(matches!(
        boards::get(&mut cx, scope_a, other).await,
        Err(StoreError::NotFound)
    ));
    assert!(boards::get(&mut cx, scope_a, a).await.is_ok());
    assert!(matches!(
        assets::get(&mut cx, scope_a, asset_b).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        contacts::get(&mut cx, scope_a, contact_b).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        contacts::of_board(&mut cx, scope_a, other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        assets::of_board(&mut cx, scope_a, other)
            .await
            .unwrap()
            .is_empty()
    );
    let page = boards::list(
        &mut cx,
        scope_a,
        &Default::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, a.0);
    let all = assets::list(
        &mut cx,
        scope_a,
        &Default::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 0);
    assert_eq!(
        boards::list(
            &mut cx,
            Scope::Nothing,
            &Default::default(),
            PageRequest::default()
        )
        .await
        .unwrap()
        .total,
        0
    );
    assert_eq!(
        boards::list(
            &mut cx,
            Scope::All,
            &Default::default(),
            PageRequest::default()
        )
        .await
        .unwrap()
        .total,
        2
    );
    drop(cx);
    tdb.cleanup().await;
}

async fn search_folds_case_and_accents_the_same_on_both_backends(b: Backend) {
    let tdb = TestDb::new(b).await;
    board(
        &tdb.db,
        "10249",
        "Stichting Openbaar Onderwijs Ëmmen",
        BoardStatus::Registered,
    )
    .await;
    board(
        &tdb.db,
        "10250",
        "Stichting 50%_Kans",
        BoardStatus::Registered,
    )
    .await;
    let mut cx = tdb.db.read().await.unwrap();
    for q in ["emmen", "ËMMEN", "openbaar onderwijs", "10249"] {
        let found = boards::search_public(&mut cx, q, 10).await.unwrap();
        assert_eq!(found.len(), 1, "query {q:?}");
    }
    assert_eq!(
        boards::search_public(&mut cx, "50%", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        boards::search_public(&mut cx, "5_%", 10)
            .await
            .unwrap()
            .len(),
        0,
        "LIKE wildcards in input are literal"
    );
    drop(cx);
    tdb.cleanup().await;
}

async fn overlapping_claims_are_found_by_range_and_by_domain_hierarchy(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "A", BoardStatus::Active).await;
    let other = board(db, "10002", "B", BoardStatus::Active).await;
    claim(db, other, "145.97.0.0/16", AssetStatus::Approved).await;
    claim(db, other, "146.1.0.0/24", AssetStatus::Rejected).await;
    claim(db, other, "scholengroep.nl", AssetStatus::Verified).await;
    claim(db, other, "mail.obs.nl", AssetStatus::Pending).await;
    let mut cx = db.read().await.unwrap();
    let found = |v: &str| parse_asset(v).unwrap();
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("145.97.16.0/24"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("145.0.0.0/8"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("145.98.0.0/16"))
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("146.1.0.0/24"))
            .await
            .unwrap()
            .len(),
        0,
        "rejected claims do not conflict"
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("www.scholengroep.nl"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("obs.nl"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, a, &found("groep.nl"))
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        assets::overlapping_claims(&mut cx, other, &found("145.97.16.0/24"))
            .await
            .unwrap()
            .len(),
        0,
        "own claims are not conflicts"
    );
    drop(cx);
    tdb.cleanup().await;
}

async fn only_active_claims_of_live_boards_feed_the_index(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let live = board(db, "10001", "A", BoardStatus::Active).await;
    let gone = board(db, "10002", "B", BoardStatus::Left).await;
    claim(db, live, "145.97.0.0/16", AssetStatus::Approved).await;
    claim(db, live, "school.nl", AssetStatus::Verified).await;
    claim(db, live, "pending.nl", AssetStatus::Pending).await;
    claim(db, gone, "gone.nl", AssetStatus::Approved).await;
    let mut cx = db.read().await.unwrap();
    let mut values: Vec<String> = assets::active_entries(&mut cx)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.value.to_string())
        .collect();
    values.sort();
    assert_eq!(values, ["145.97.0.0/16", "school.nl"]);
    drop(cx);
    tdb.cleanup().await;
}

async fn the_same_claim_twice_is_a_duplicate(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "A", BoardStatus::Active).await;
    claim(&tdb.db, a, "school.nl", AssetStatus::Pending).await;
    let value = parse_asset("school.nl").unwrap();
    let mut cx = tdb.db.write().await.unwrap();
    let err = assets::insert(
        &mut cx,
        &NewAsset {
            board_id: a,
            value: &value,
            status: AssetStatus::Pending,
            claimed_by: None,
            evidence: "",
            challenge_token: None,
        },
        None,
        t(3),
    )
    .await
    .unwrap_err();
    assert!(err.is_duplicate(), "{err:?}");
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(
    a_board_scope_never_returns_another_boards_rows,
    search_folds_case_and_accents_the_same_on_both_backends,
    overlapping_claims_are_found_by_range_and_by_domain_hierarchy,
    only_active_claims_of_live_boards_feed_the_index,
    the_same_claim_twice_is_a_duplicate,
);
