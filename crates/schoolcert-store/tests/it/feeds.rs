//! Feed storage: batched writes with the dedup window, scoped lists with filters and paging,
//! notices that carry each event once, retention.

use chrono::Duration;
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::feeds::events::{self, EventFilter, NewEvent};
use schoolcert_store::feeds::{files, notices, preferences, pulls};
use schoolcert_store::outbox::{self, NewMail};
use schoolcert_store::{Backend, Db, PageRequest, StoreError};
use schoolcert_testkit::{TestDb, dual_tests};

use crate::fixtures::{board, t};

fn ev(key: u8, ip: &str, board: Option<BoardId>, seen: chrono::DateTime<chrono::Utc>) -> NewEvent {
    NewEvent {
        key: [key; 16],
        feed: "Accessible-RDP".into(),
        taxonomy: "vulnerable".into(),
        class_type: "vulnerable-system".into(),
        identifier: "accessible-rdp".into(),
        source_ip: Some(ip.parse().unwrap()),
        source_port: Some(3389),
        host: String::new(),
        board_id: board,
        match_reason: if board.is_some() { "ip" } else { "none" },
        match_asset_id: None,
        conflict: false,
        seen,
        record: None,
        event_json: format!("{{\"source.ip\": \"{ip}\"}}"),
    }
}

async fn store(db: &Db, batch: &[NewEvent]) -> events::BatchOutcome {
    let mut cx = db.write().await.unwrap();
    let o = events::store_batch(&mut cx, None, Duration::hours(24), batch, t(12))
        .await
        .unwrap();
    cx.commit().await.unwrap();
    o
}

async fn a_batch_is_stored_and_the_window_folds_repeats(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "Stichting A", BoardStatus::Active).await;
    let batch: Vec<NewEvent> = (0..1500u32)
        .map(|i| {
            let mut e = ev(0, &format!("145.97.{}.{}", i / 250, i % 250), Some(a), t(4));
            e.key[..4].copy_from_slice(&i.to_be_bytes());
            e
        })
        .collect();
    let o = store(&tdb.db, &batch).await;
    assert_eq!((o.inserted, o.updated, o.already), (1500, 0, 0));
    // The same observations again: nothing changes (idempotent by event key).
    let o = store(&tdb.db, &batch).await;
    assert_eq!((o.inserted, o.updated, o.already), (0, 0, 1500));
    // Seen again 20 hours later: the rows' last_seen and count move.
    let later: Vec<NewEvent> = batch[..10]
        .iter()
        .cloned()
        .map(|mut e| {
            e.seen = t(4) + Duration::hours(20);
            e
        })
        .collect();
    let o = store(&tdb.db, &later).await;
    assert_eq!((o.inserted, o.updated), (0, 10));
    // Seen again after a gap longer than the window: a new row.
    let gap: Vec<NewEvent> = batch[..3]
        .iter()
        .cloned()
        .map(|mut e| {
            e.seen = t(4) + Duration::hours(20 + 25);
            e
        })
        .collect();
    let o = store(&tdb.db, &gap).await;
    assert_eq!((o.inserted, o.updated), (3, 0));
    let mut cx = tdb.db.read().await.unwrap();
    let all = events::list(
        &mut cx,
        Scope::All,
        &EventFilter::default(),
        PageRequest::new(Some(1), Some(500)),
    )
    .await
    .unwrap();
    assert_eq!(all.total, 1503);
    let first = events::list(
        &mut cx,
        Scope::All,
        &EventFilter {
            q: Some("145.97.0.0".into()),
            ..EventFilter::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(first.total, 2, "{:?}", first.items);
    let old = first.items.iter().find(|e| e.count == 2).unwrap();
    assert_eq!(old.last_seen, t(4) + Duration::hours(20));
    assert_eq!(old.first_seen, t(4));
    drop(cx);
    tdb.cleanup().await;
}

async fn list_of(
    db: &Db,
    scope: Scope,
    f: EventFilter,
) -> schoolcert_store::Page<events::StoredEvent> {
    let mut cx = db.read().await.unwrap();
    events::list(&mut cx, scope, &f, PageRequest::default())
        .await
        .unwrap()
}

async fn lists_are_scoped_and_filtered(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "Stichting A", BoardStatus::Active).await;
    let other = board(&tdb.db, "10002", "Stichting B", BoardStatus::Active).await;
    let mut batch = vec![
        ev(1, "145.97.1.1", Some(a), t(4)),
        ev(2, "2001:610:188::1", Some(a), t(5)),
        ev(3, "192.87.1.1", Some(other), t(4)),
        ev(4, "8.8.8.8", None, t(4)),
    ];
    batch[1].feed = "Accessible-RDP-IPv6".into();
    batch[3].class_type = "infected-system".into();
    store(&tdb.db, &batch).await;
    let mut cx = tdb.db.read().await.unwrap();
    let list = |scope: Scope, f: EventFilter| list_of(&tdb.db, scope, f);
    let mine = list(Scope::Board(a), EventFilter::default()).await;
    assert_eq!(mine.total, 2);
    assert!(mine.items.iter().all(|e| e.board_id == Some(a.0)));
    // A board asking for another board's events or for unmatched ones gets nothing.
    let sneaky = list(
        Scope::Board(a),
        EventFilter {
            board_id: Some(other),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(sneaky.total, 0);
    let unmatched_as_board = list(
        Scope::Board(a),
        EventFilter {
            matched: Some(false),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(unmatched_as_board.total, 0);
    let unmatched = list(
        Scope::All,
        EventFilter {
            matched: Some(false),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(unmatched.total, 1);
    assert_eq!(
        unmatched.items[0].source_ip_text.as_deref(),
        Some("8.8.8.8")
    );
    let v6 = list(
        Scope::All,
        EventFilter {
            q: Some("2001:610:188::1".into()),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(v6.total, 1);
    let feed = list(
        Scope::All,
        EventFilter {
            feed: Some("Accessible-RDP-IPv6".into()),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(feed.total, 1);
    let since = list(
        Scope::All,
        EventFilter {
            since: Some(t(5)),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(since.total, 1);
    let class = list(
        Scope::All,
        EventFilter {
            class_type: Some("infected-system".into()),
            ..EventFilter::default()
        },
    )
    .await;
    assert_eq!(class.total, 1);
    let paged = events::list(
        &mut cx,
        Scope::All,
        &EventFilter::default(),
        PageRequest::new(Some(2), Some(3)),
    )
    .await
    .unwrap();
    assert_eq!((paged.total, paged.items.len()), (4, 1));
    let other_id = list(
        Scope::All,
        EventFilter {
            board_id: Some(other),
            ..EventFilter::default()
        },
    )
    .await
    .items[0]
        .id;
    assert!(matches!(
        events::get(&mut cx, Scope::Board(a), other_id).await,
        Err(StoreError::NotFound)
    ));
    drop(cx);
    tdb.cleanup().await;
}

async fn a_notice_carries_each_event_once_and_retention_purges(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "Stichting A", BoardStatus::Active).await;
    store(
        &tdb.db,
        &[
            ev(1, "145.97.1.1", Some(a), t(4)),
            ev(2, "145.97.1.2", Some(a), t(5)),
        ],
    )
    .await;
    let mut cx = tdb.db.write().await.unwrap();
    assert_eq!(
        events::boards_with_unnotified(&mut cx).await.unwrap(),
        vec![a]
    );
    let pending = events::unnotified(&mut cx, a, 100).await.unwrap();
    assert_eq!(pending.len(), 2);
    let mail = NewMail {
        kind: "feed_digest".into(),
        board_id: Some(a),
        to: vec!["ict@a.nl".into()],
        subject: "s".into(),
        body_text: "b".into(),
        attachments: vec![],
    };
    let out = outbox::enqueue(&mut cx, &mail, "<1@x>", t(6))
        .await
        .unwrap();
    let ids: Vec<i64> = pending.iter().map(|e| e.id).collect();
    let n = notices::insert(
        &mut cx,
        &notices::NewNotice {
            board_id: a,
            outbox_id: out,
            subject: "s",
            period_start: t(0),
            period_end: t(6),
        },
        &ids,
        t(6),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    let mut cx = tdb.db.write().await.unwrap();
    assert!(
        events::unnotified(&mut cx, a, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        events::boards_with_unnotified(&mut cx)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(notices::last_at(&mut cx, a).await.unwrap(), Some(t(6)));
    // Linking an event to a second notice is refused by the database.
    let out2 = outbox::enqueue(&mut cx, &mail, "<2@x>", t(7))
        .await
        .unwrap();
    let again = notices::insert(
        &mut cx,
        &notices::NewNotice {
            board_id: a,
            outbox_id: out2,
            subject: "s",
            period_start: t(6),
            period_end: t(7),
        },
        &ids[..1],
        t(7),
    )
    .await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
    drop(cx);
    let mut cx = tdb.db.read().await.unwrap();
    let got = notices::get(&mut cx, Scope::Board(a), n).await.unwrap();
    assert_eq!((got.event_count, got.mail_status.as_str()), (2, "pending"));
    assert!(matches!(
        notices::get(&mut cx, Scope::Board(BoardId(a.0 + 1)), n).await,
        Err(StoreError::NotFound)
    ));
    let carried = events::list(
        &mut cx,
        Scope::Board(a),
        &EventFilter {
            notice_id: Some(n),
            ..EventFilter::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(carried.total, 2);
    drop(cx);
    let mut cx = tdb.db.write().await.unwrap();
    assert_eq!(events::purge(&mut cx, t(5)).await.unwrap(), 1);
    cx.commit().await.unwrap();
    tdb.cleanup().await;
}

async fn files_preferences_and_pulls_round_trip(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "Stichting A", BoardStatus::Active).await;
    let mut cx = tdb.db.write().await.unwrap();
    let source = "{\"report\":\"scan_rdp\"}";
    let id = files::insert(
        &mut cx,
        files::NewFile {
            sha256: "abc",
            name: "f.csv",
            feed: "Accessible-RDP",
            by: None,
            by_label: "cli",
            source: Some(source),
        },
        t(1),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    let mut cx = tdb.db.write().await.unwrap();
    assert!(
        files::insert(
            &mut cx,
            files::NewFile {
                sha256: "abc",
                name: "g.csv",
                feed: "x",
                by: None,
                by_label: "cli",
                source: None
            },
            t(1)
        )
        .await
        .unwrap_err()
        .is_duplicate()
    );
    drop(cx);
    let mut cx = tdb.db.write().await.unwrap();
    let counts = files::FileCounts {
        rows_read: 5,
        events: 4,
        rejected: 1,
        matched: 3,
        unmatched: 1,
        duplicates: 0,
    };
    let errs = vec![files::Rejected {
        line: 3,
        reason: "bad ip".into(),
    }];
    files::finish(&mut cx, id, "Accessible-RDP", &counts, &errs)
        .await
        .unwrap();
    preferences::set(&mut cx, a, "{\"default\":\"weekly\"}", None, t(2))
        .await
        .unwrap();
    preferences::set(&mut cx, a, "{\"default\":\"daily\"}", None, t(3))
        .await
        .unwrap();
    pulls::record(
        &mut cx,
        "r1",
        "f.csv",
        "2026-11-20",
        false,
        None,
        Some("HTTP 500"),
        t(3),
    )
    .await
    .unwrap();
    assert!(!pulls::is_done(&mut cx, "r1").await.unwrap());
    pulls::record(
        &mut cx,
        "r1",
        "f.csv",
        "2026-11-20",
        true,
        Some(id),
        None,
        t(4),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    let mut cx = tdb.db.read().await.unwrap();
    let f = files::find_by_hash(&mut cx, "abc").await.unwrap().unwrap();
    assert!(f.complete);
    assert_eq!(f.errors, errs);
    assert_eq!(f.rows_read, 5);
    assert_eq!(f.source.as_deref(), Some(source));

    assert_eq!(
        preferences::get(&mut cx, a).await.unwrap().as_deref(),
        Some("{\"default\":\"daily\"}")
    );
    assert!(pulls::is_done(&mut cx, "r1").await.unwrap());
    assert_eq!(pulls::recent(&mut cx, 5).await.unwrap().len(), 1);
    assert_eq!(
        files::list(&mut cx, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    drop(cx);
    tdb.cleanup().await;
}

/// Events kept as their source record come back byte for byte (tabs, quotes, line breaks,
/// non-ASCII: the PostgreSQL copy is binary), with the source of their file.
async fn source_records_are_stored_exactly_with_their_file(b: Backend) {
    let tdb = TestDb::new(b).await;
    let a = board(&tdb.db, "10001", "Stichting A", BoardStatus::Active).await;
    let mut cx = tdb.db.write().await.unwrap();
    let source = "{\"report\":\"scan_rdp\",\"header\":\"ip,port\\n\"}";
    let file = files::insert(
        &mut cx,
        files::NewFile {
            sha256: "f1",
            name: "f.csv",
            feed: "Accessible-RDP",
            by: None,
            by_label: "cli",
            source: Some(source),
        },
        t(1),
    )
    .await
    .unwrap();
    let record =
        "\"2026-11-20 04:12:33\",\"145.97.1.1\",\"a\tb \"\"q\"\"\r\nnext line\",\"Zoë\",\\N";
    let mut with_record = ev(1, "145.97.1.1", Some(a), t(4));
    with_record.event_json = String::new();
    with_record.record = Some(record.into());
    let mut no_ip = ev(2, "145.97.1.2", None, t(4));
    no_ip.source_ip = None;
    no_ip.source_port = None;
    let o = events::store_batch(
        &mut cx,
        Some(file),
        Duration::hours(24),
        &[with_record, no_ip],
        t(12),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    assert_eq!(o.inserted, 2);
    let mut cx = tdb.db.read().await.unwrap();
    let page = events::list(
        &mut cx,
        Scope::All,
        &EventFilter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(page.total, 2);
    let stored = page.items.iter().find(|e| e.board_id == Some(a.0)).unwrap();
    assert_eq!(stored.record.as_deref(), Some(record));
    assert_eq!(stored.event_json, "");
    assert_eq!(stored.file_source.as_deref(), Some(source));
    assert_eq!(stored.source_ip_text.as_deref(), Some("145.97.1.1"));
    assert_eq!(
        (stored.first_seen, stored.last_seen, stored.count),
        (t(4), t(4), 1)
    );
    let other = page.items.iter().find(|e| e.board_id.is_none()).unwrap();
    assert_eq!(
        (other.source_ip_text.as_deref(), other.source_port),
        (None, None)
    );
    assert_eq!(other.record, None);
    assert!(other.event_json.contains("145.97.1.2"));
    drop(cx);
    tdb.cleanup().await;
}

dual_tests!(
    source_records_are_stored_exactly_with_their_file,
    a_batch_is_stored_and_the_window_folds_repeats,
    lists_are_scoped_and_filtered,
    a_notice_carries_each_event_once_and_retention_purges,
    files_preferences_and_pulls_round_trip,
);
