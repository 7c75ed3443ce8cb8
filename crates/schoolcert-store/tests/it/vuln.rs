//! Vulnerability storage: landscapes, matches and notices are scoped to their board;
//! documents are one row per kind and key; provider files are replaced as a whole.

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::vuln::advisories;
use schoolcert_store::vuln::catalogue::{self, ProductFields};
use schoolcert_store::vuln::documents::{self, DocumentFields};
use schoolcert_store::vuln::landscape::{self, EntryFields};
use schoolcert_store::vuln::matches::{self, MatchFields};
use schoolcert_store::vuln::provider;
use schoolcert_store::{Backend, Db, StoreError};
use schoolcert_testkit::{TestDb, dual_tests};

use crate::fixtures::{board, t};

async fn product(db: &Db, slug: &str) -> i64 {
    let mut cx = db.write().await.unwrap();
    let id = catalogue::insert(
        &mut cx,
        &ProductFields {
            slug,
            name: slug,
            vendor: "Vendor",
            category: "other",
            data: "{}",
        },
        t(1),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    id
}

fn entry(product_id: i64) -> EntryFields {
    EntryFields {
        product_id: Some(product_id),
        proposed_vendor: None,
        proposed_name: None,
        versions: r#"["7.2.6"]"#.into(),
        schools: "[]".into(),
        managed_by: None,
        notes: None,
    }
}

fn a_match(board: BoardId, product_id: i64, key: &str) -> MatchFields {
    MatchFields {
        board_id: board,
        product_id,
        vuln_key: key.into(),
        cve_id: Some(key.into()),
        method: "cpe".into(),
        relation: "affected".into(),
        level: "version".into(),
        detail: "{}".into(),
        fingerprint: "f1".into(),
        priority: "P2".into(),
        prio_rank: 10,
        reasons: "[]".into(),
    }
}

async fn landscapes_matches_and_notices_stay_within_their_board(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let a = board(db, "10001", "Stichting A", BoardStatus::Active).await;
    let other = board(db, "10002", "Stichting B", BoardStatus::Active).await;
    let p = product(db, "fortinet-fortios").await;
    let mut cx = db.write().await.unwrap();
    let ea = landscape::insert(&mut cx, a, &entry(p), t(2))
        .await
        .unwrap();
    let eb = landscape::insert(&mut cx, other, &entry(p), t(2))
        .await
        .unwrap();
    let ma = matches::insert(&mut cx, &a_match(a, p, "CVE-2024-21762"), t(3))
        .await
        .unwrap();
    let mb = matches::insert(&mut cx, &a_match(other, p, "CVE-2024-21762"), t(3))
        .await
        .unwrap();
    let adv = advisories::insert(&mut cx, "SC-2026-0001", "amber", "Titel", false, "{}", t(3))
        .await
        .unwrap();
    advisories::record_notice(&mut cx, adv, a, "1.0.0", "fp", "[]", None, t(4))
        .await
        .unwrap();
    advisories::record_notice(&mut cx, adv, other, "1.0.0", "fp", "[]", None, t(4))
        .await
        .unwrap();
    cx.commit().await.unwrap();

    let sa = Scope::Board(a);
    let mut cx = db.write().await.unwrap();
    // Reads.
    assert!(
        landscape::of_board(&mut cx, sa, other)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(landscape::all(&mut cx, sa).await.unwrap().len(), 1);
    assert!(matches!(
        landscape::get(&mut cx, sa, eb).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(landscape::get(&mut cx, sa, ea).await.unwrap().board_id, a.0);
    assert!(matches!(
        matches::get(&mut cx, sa, mb).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(matches::get(&mut cx, sa, ma).await.unwrap().board_id, a.0);
    let mine = matches::all(&mut cx, sa, None).await.unwrap();
    assert_eq!(mine.iter().map(|m| m.id).collect::<Vec<_>>(), vec![ma]);
    let mine = matches::all(&mut cx, sa, Some(other)).await.unwrap();
    assert!(mine.is_empty());
    assert_eq!(
        matches::for_vulns(&mut cx, sa, &["CVE-2024-21762".into()])
            .await
            .unwrap()
            .len(),
        1
    );
    let notices = advisories::notices_of(&mut cx, sa, adv).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].board_id, a.0);
    assert!(
        advisories::notices_of_board(&mut cx, sa, other)
            .await
            .unwrap()
            .is_empty()
    );
    let theirs = advisories::notices_of(&mut cx, Scope::Board(other), adv)
        .await
        .unwrap()[0]
        .id;
    assert!(matches!(
        advisories::notice(&mut cx, sa, theirs).await,
        Err(StoreError::NotFound)
    ));
    // Writes.
    assert!(matches!(
        landscape::update(&mut cx, sa, eb, &entry(p), t(5)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        landscape::delete(&mut cx, sa, eb).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        matches::set_state(&mut cx, sa, mb, "done", t(5)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        advisories::set_notice_state(&mut cx, sa, theirs, "done", t(5)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        landscape::delete_board(&mut cx, sa, other).await.unwrap(),
        0
    );
    cx.commit().await.unwrap();
    let mut cx = db.read().await.unwrap();
    assert_eq!(landscape::all(&mut cx, Scope::All).await.unwrap().len(), 2);
    assert_eq!(
        matches::get(&mut cx, Scope::All, mb).await.unwrap().state,
        "new"
    );
    drop(cx);
    tdb.cleanup().await;
}

async fn documents_are_one_row_per_key_and_know_their_vulnerabilities(b: Backend) {
    let tdb = TestDb::new(b).await;
    let db = &tdb.db;
    let mut cx = db.write().await.unwrap();
    let f = |version: &'static str| DocumentFields {
        kind: "csaf",
        doc_key: "https://psirt.fortinet.com FG-IR-24-015",
        version,
        current_release_date: Some(t(2)),
        title: "FortiOS",
        tlp: Some("clear"),
        sha256: version,
        source: "x.json",
        raw: "{}",
        model: "{}",
    };
    let id1 = documents::upsert(&mut cx, &f("1.0.0"), t(2)).await.unwrap();
    let id2 = documents::upsert(&mut cx, &f("1.1.0"), t(3)).await.unwrap();
    assert_eq!(id1, id2);
    documents::set_statements(
        &mut cx,
        id1,
        &["CVE-2024-21762".into(), "CVE-2024-21762".into()],
    )
    .await
    .unwrap();
    let about = documents::about(&mut cx, &["CVE-2024-21762".into()])
        .await
        .unwrap();
    assert_eq!(about.len(), 1);
    assert_eq!(about[0].version, "1.1.0");
    assert!(
        documents::about(&mut cx, &["CVE-2000-0001".into()])
            .await
            .unwrap()
            .is_empty()
    );
    // KEV and EPSS join by CVE id.
    let kev = documents::KevRow {
        cve_id: "CVE-2024-21762".into(),
        date_added: "2024-02-09".into(),
        ransomware: true,
        data: "{}".into(),
    };
    assert!(documents::upsert_kev(&mut cx, &kev, t(3)).await.unwrap());
    assert!(!documents::upsert_kev(&mut cx, &kev, t(4)).await.unwrap());
    let e = documents::EpssRow {
        cve_id: "CVE-2024-21762".into(),
        epss: 0.94,
        percentile: 0.99,
    };
    documents::upsert_epss(&mut cx, &e, None, t(3))
        .await
        .unwrap();
    documents::upsert_epss(
        &mut cx,
        &documents::EpssRow {
            epss: 0.5,
            ..e.clone()
        },
        None,
        t(4),
    )
    .await
    .unwrap();
    let got = documents::epss_for(&mut cx, &["CVE-2024-21762".into()])
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert!((got[0].epss - 0.5).abs() < 1e-9);
    // A day's file replaces every score at once (duplicates in the file count once).
    let day: Vec<documents::EpssRow> = (1..=1200)
        .map(|n| documents::EpssRow {
            cve_id: format!("CVE-2025-{n:05}"),
            epss: 0.001 * f64::from(n % 1000),
            percentile: 0.5,
        })
        .chain(std::iter::once(documents::EpssRow {
            cve_id: "CVE-2025-00001".into(),
            epss: 0.9,
            percentile: 0.9,
        }))
        .collect();
    documents::replace_epss(&mut cx, &day, Some(t(5)), t(5))
        .await
        .unwrap();
    assert!(
        documents::epss_for(&mut cx, &["CVE-2024-21762".into()])
            .await
            .unwrap()
            .is_empty()
    );
    let got = documents::epss_for(&mut cx, &["CVE-2025-01200".into(), "CVE-2025-00001".into()])
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        documents::kev_for(&mut cx, &["CVE-2024-21762".into()])
            .await
            .unwrap()
            .len(),
        1
    );
    // Provider files are replaced as a whole.
    provider::replace_files(
        &mut cx,
        &[("a".into(), b"1".to_vec(), "public".into())],
        t(3),
    )
    .await
    .unwrap();
    provider::replace_files(
        &mut cx,
        &[("b".into(), b"2".to_vec(), "amber".into())],
        t(4),
    )
    .await
    .unwrap();
    assert!(provider::file(&mut cx, "a").await.unwrap().is_none());
    assert_eq!(
        provider::file(&mut cx, "b").await.unwrap().unwrap().content,
        b"2"
    );
    cx.commit().await.unwrap();
    tdb.cleanup().await;
}

dual_tests!(
    landscapes_matches_and_notices_stay_within_their_board,
    documents_are_one_row_per_key_and_know_their_vulnerabilities,
);
