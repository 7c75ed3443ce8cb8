//! The DUO importer and the bulk asset importer: idempotent, bad rows reported by line,
//! joined boards never deleted, every change audited.

use schoolcert_app::registry::{assets_import, duo_import};
use schoolcert_domain::Lang;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::{BoardStatus, Sectors};
use schoolcert_store::audit::{self, AuditFilter, By};
use schoolcert_store::registry::boards;
use schoolcert_store::{Backend, PageRequest};
use schoolcert_testkit::{TestApp, dual_tests};

const PO_2017: &[u8] = include_bytes!("../../../../testdata/duo/po-alle-vestigingen-2017.csv");

async fn audit_count(t: &TestApp) -> i64 {
    let mut cx = t.app.db.read().await.unwrap();
    audit::list(
        &mut cx,
        &AuditFilter::default(),
        PageRequest::new(Some(1), Some(1)),
    )
    .await
    .unwrap()
    .total
}

async fn importing_the_real_duo_file_twice_changes_nothing_the_second_time(b: Backend) {
    let t = TestApp::start(b).await;
    let r = duo_import::import(
        &t.app,
        By::System("test"),
        None,
        Some(PO_2017),
        Some(Sectors {
            po: true,
            vo: false,
        }),
    )
    .await
    .unwrap();
    assert_eq!((r.schools.new, r.schools.rejected), (6804, 0));
    assert_eq!(
        r.boards.new, 1010,
        "boards are created by number from the locations file"
    );
    let audited = audit_count(&t).await;
    assert_eq!(audited, 6804 + 1010);

    let again = duo_import::import(
        &t.app,
        By::System("test"),
        None,
        Some(PO_2017),
        Some(Sectors {
            po: true,
            vo: false,
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        (
            again.schools.new,
            again.schools.changed,
            again.schools.unchanged
        ),
        (0, 0, 6804)
    );
    assert_eq!((again.boards.new, again.boards.changed), (0, 0));
    assert_eq!(
        audit_count(&t).await,
        audited,
        "an unchanged import writes nothing"
    );

    // The board file then names the boards; only those rows change.
    let board_file = "BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM\r\n10249;Stichting Openbaar Onderwijs Emmen;Ravelijn;2;7811 AJ;EMMEN\r\n1O249;Kapot nummer;;;;\r\n";
    let named = duo_import::import(
        &t.app,
        By::System("test"),
        Some(board_file.as_bytes()),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!((named.boards.changed, named.boards.rejected), (1, 1));
    assert_eq!(named.rejected[0].error.line, 3);
    assert!(named.rejected[0].error.reason.contains("1O249"));
    let mut cx = t.app.db.read().await.unwrap();
    let emmen = boards::find_by_duo(&mut cx, "10249")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(emmen.name, "Stichting Openbaar Onderwijs Emmen");
    assert!(emmen.sectors.po);
    let entry = audit::list(
        &mut cx,
        &AuditFilter {
            object_type: Some("board".into()),
            object_id: Some(emmen.id.0),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    let change = entry.items[0]
        .changes
        .iter()
        .find(|c| c.field == "name")
        .unwrap();
    assert_eq!(change.before, "Bevoegd gezag 10249");
    drop(cx);
    // A complete board file that no longer lists a board marks it; nothing is deleted.
    assert_eq!(named.marked_missing, 1009);
    t.finish().await;
}

async fn a_joined_board_is_never_deleted_or_downgraded_by_an_import(b: Backend) {
    let t = TestApp::start(b).await;
    let joined = t.board("10249", "Stichting OOE", BoardStatus::Active).await;
    let file = "\u{feff}\"BEVOEGD GEZAG NUMMER\",\"BEVOEGD GEZAG NAAM\",\"PLAATSNAAM\"\r\n\"41234\",\"Andere Stichting\",\"ASSEN\"\r\n";
    let r = duo_import::import(
        &t.app,
        By::System("test"),
        Some(file.as_bytes()),
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!((r.boards.new, r.marked_missing), (1, 1));
    let mut cx = t.app.db.read().await.unwrap();
    let b = boards::get(&mut cx, Scope::All, joined).await.unwrap();
    assert_eq!(b.status, BoardStatus::Active);
    assert!(!b.in_duo);
    drop(cx);
    // An unusable file is refused as a whole, before anything is written.
    let err = duo_import::import(
        &t.app,
        By::System("test"),
        Some(b"NAAM;PLAATS\nx;y\n"),
        None,
        None,
    )
    .await
    .unwrap_err();
    assert!(
        err.message(Lang::En).contains("BEVOEGD GEZAG NUMMER"),
        "{}",
        err.message(Lang::En)
    );
    t.finish().await;
}

async fn bulk_assets_are_validated_like_the_form_and_reported_by_line(b: Backend) {
    let t = TestApp::start(b).await;
    t.board("10249", "Stichting A", BoardStatus::Active).await;
    t.board("41234", "Stichting B", BoardStatus::Active).await;
    let csv = "duo_number,asset\n10249,145.97.0.0/16\n10249,obs-emmen.nl\n99999,school.nl\n41234,192.168.1.0/24\n41234,145.97.16.0/24\n10249,145.97.0.0/16\n";
    let r = assets_import::import(&t.app, By::System("test"), csv.as_bytes(), Lang::En)
        .await
        .unwrap();
    assert_eq!((r.rows, r.added, r.already_registered), (6, 3, 1));
    let bad: Vec<usize> = r.rejected.iter().map(|e| e.line).collect();
    assert_eq!(bad, [4, 5]);
    assert!(r.rejected[0].reason.contains("unknown board number"));
    assert!(r.rejected[1].reason.contains("private address space"));
    assert_eq!(r.overlaps.len(), 1, "B's /24 inside A's /16 is reported");
    // Imported assets are approved, so lookups answer at once.
    let a = schoolcert_app::registry::assets::lookup(&t.app, None, "145.97.16.9")
        .await
        .unwrap();
    assert_eq!(a.owners[0].duo_number, "41234");
    assert_eq!(a.also_covered_by[0].duo_number, "10249");
    assert!(a.conflict);
    t.finish().await;
}

dual_tests!(
    importing_the_real_duo_file_twice_changes_nothing_the_second_time,
    a_joined_board_is_never_deleted_or_downgraded_by_an_import,
    bulk_assets_are_validated_like_the_form_and_reported_by_line,
);
