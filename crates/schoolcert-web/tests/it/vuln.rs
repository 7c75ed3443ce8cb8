//! Vulnerability pages and API: a TLP:AMBER advisory is never public (pages, feed, API,
//! `/.well-known/csaf/`), TLP:CLEAR ones are; a board sees and changes only its own landscape,
//! matches and notices, by page and by API.

use axum::http::Method;
use schoolcert_app::vuln::advisories::{self, AdvisoryInput};
use schoolcert_app::vuln::ingest::{self, Kind};
use schoolcert_app::vuln::landscape::{self, EntryInput};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::{Actor, Role};
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{TestApp, dual_tests};

const FORTIOS: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/csaf/fortios-product-versions.json");

async fn board_with(
    t: &TestApp,
    duo: &str,
    email: &str,
    product: &str,
    versions: &str,
) -> (BoardId, Actor) {
    let b = t
        .board(duo, &format!("Stichting {duo}"), BoardStatus::Active)
        .await;
    let actor = t.user(email, Role::BoardContact, Some(b)).await;
    landscape::add(
        &t.app,
        &actor,
        b,
        &EntryInput {
            product: product.into(),
            versions: versions.into(),
            ..EntryInput::default()
        },
    )
    .await
    .unwrap();
    (b, actor)
}

fn form(title: &str, tlp: &str) -> AdvisoryInput {
    AdvisoryInput {
        title: title.into(),
        summary: "Een aanvaller kan op afstand code uitvoeren.".into(),
        actions: "Werk bij.".into(),
        urgency: "normaal".into(),
        tlp: tlp.into(),
        products: "fortinet-fortios fixed: 7.2.7".into(),
        cves: "CVE-2024-21762".into(),
        sources: "https://www.fortiguard.com/psirt/FG-IR-24-015 Fortinet".into(),
    }
}

async fn an_amber_advisory_is_never_public(b: Backend) {
    let t = TestApp::start_with(b, |c| c.vuln.automatic_p1 = false).await;
    let analyst = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let (_, contact_a) = board_with(&t, "10001", "ict@a.test", "fortinet-fortios", "7.2.6").await;
    let (_, contact_b) = board_with(&t, "10002", "ict@b.test", "magister", "").await;
    ingest::import(
        &t.app,
        None,
        Kind::Csaf,
        &[("f.json".into(), FORTIOS.to_vec())],
    )
    .await
    .unwrap();
    let clear = advisories::create(&t.app, &analyst, &form("Openbaar advies FortiOS", "clear"))
        .await
        .unwrap();
    let amber = advisories::create(
        &t.app,
        &analyst,
        &form("Vertrouwelijk advies FortiOS", "amber"),
    )
    .await
    .unwrap();
    let pc = advisories::publish(&t.app, &analyst, clear, "")
        .await
        .unwrap();
    let pa = advisories::publish(&t.app, &analyst, amber, "")
        .await
        .unwrap();
    assert_eq!(
        pa.notified.len(),
        1,
        "the affected board does get its AMBER notice"
    );

    let mut anon = t.client();
    let list = anon.get("/adviezen").await;
    list.assert_status(200)
        .assert_contains("Openbaar advies FortiOS");
    assert!(!list.body.contains("Vertrouwelijk"));
    anon.get(&format!("/adviezen/{}", pc.tracking_id))
        .await
        .assert_status(200)
        .assert_contains("Werk bij.");
    anon.get(&format!("/adviezen/{}", pa.tracking_id))
        .await
        .assert_status(404);
    let feed = anon.get("/adviezen/feed.atom").await;
    feed.assert_status(200)
        .assert_contains("Openbaar advies FortiOS");
    assert!(!feed.body.contains("Vertrouwelijk"));

    let meta = anon.get("/.well-known/csaf/provider-metadata.json").await;
    meta.assert_status(200);
    assert!(!meta.body.to_lowercase().contains("amber"), "{}", meta.body);
    let listing = anon.get("/.well-known/csaf/").await;
    assert!(listing.body.contains("white/"), "{}", listing.body);
    assert!(!listing.body.contains("amber"), "{}", listing.body);
    let white = format!(
        "/.well-known/csaf/white/2026/{}.json",
        pc.tracking_id.to_lowercase()
    );
    anon.get(&white)
        .await
        .assert_status(200)
        .assert_contains("Openbaar advies FortiOS");
    anon.get(&format!("{white}.sha512"))
        .await
        .assert_status(200);
    anon.get(&format!("{white}.asc"))
        .await
        .assert_status(200)
        .assert_contains("BEGIN PGP SIGNATURE");
    let amber_path = format!(
        "/.well-known/csaf/amber/2026/{}.json",
        pa.tracking_id.to_lowercase()
    );
    anon.get(&amber_path).await.assert_status(404);
    anon.get(&format!("{amber_path}.sha256"))
        .await
        .assert_status(404);
    let mut board_web = t.login("ict@a.test").await;
    board_web.get(&amber_path).await.assert_status(404);
    let mut cert_web = t.login("analist@cert.test").await;
    cert_web
        .get(&amber_path)
        .await
        .assert_status(200)
        .assert_contains("Vertrouwelijk");

    // API: the notified board sees its notice; another board gets "not found".
    let mut api = t.client();
    let ta = t.token(&contact_a).await;
    let tb = t.token(&contact_b).await;
    let got = api
        .api(
            Method::GET,
            &format!("/api/v1/advisories/{amber}"),
            Some(&ta),
            None,
        )
        .await;
    got.assert_status(200);
    assert_eq!(got.json()["notices"].as_array().unwrap().len(), 1);
    api.api(
        Method::GET,
        &format!("/api/v1/advisories/{amber}"),
        Some(&tb),
        None,
    )
    .await
    .assert_status(404);
    let mine = api
        .api(Method::GET, "/api/v1/advisories", Some(&tb), None)
        .await;
    assert_eq!(mine.json().as_array().unwrap().len(), 0);
    t.finish().await;
}

async fn boards_see_and_change_only_their_own_landscape_and_matches(b: Backend) {
    let t = TestApp::start_with(b, |c| c.vuln.automatic_p1 = false).await;
    let (a, contact_a) = board_with(&t, "10001", "ict@a.test", "magister", "").await;
    let (other, contact_b) =
        board_with(&t, "10002", "ict@b.test", "fortinet-fortios", "7.2.6").await;
    ingest::import(
        &t.app,
        None,
        Kind::Csaf,
        &[("f.json".into(), FORTIOS.to_vec())],
    )
    .await
    .unwrap();
    let b_entry = landscape::entries(&t.app, &contact_b, other).await.unwrap()[0].id;

    // Pages.
    let mut web = t.login("ict@a.test").await;
    web.get("/portaal/applicaties")
        .await
        .assert_status(200)
        .assert_contains("Magister");
    let r = web
        .post(
            "/portaal/applicaties",
            &[
                ("product", "fortinet-fortios"),
                ("versions", "7.4.2"),
                ("managed_by", "ICT-partner"),
            ],
        )
        .await;
    r.assert_status(303);
    let page = web.get("/portaal/applicaties").await;
    page.assert_contains("FortiOS")
        .assert_contains("7.4.2")
        .assert_contains("ICT-partner");
    assert!(!page.body.contains("7.2.6"), "board B's version leaked");
    let bad = web
        .post("/portaal/applicaties", &[("product", "no-such-product")])
        .await;
    bad.assert_status(200)
        .assert_contains("niet in de catalogus");
    web.get("/portaal/applicaties").await;
    web.post(&format!("/portaal/applicaties/{b_entry}/verwijderen"), &[])
        .await
        .assert_status(404);
    let csv = web.get("/portaal/applicaties/export.csv").await;
    csv.assert_status(200).assert_contains("fortinet-fortios");
    assert!(!csv.body.contains("7.2.6"));
    let imported = web
        .post(
            "/portaal/applicaties/import",
            &[(
                "csv",
                "product,versies\nmagister,\nfortinet-fortios,7.2.6\n",
            )],
        )
        .await;
    imported.assert_status(200).assert_contains("2");

    // API.
    let mut api = t.client();
    let ta = t.token(&contact_a).await;
    api.api(
        Method::GET,
        &format!("/api/v1/landscape?board={}", other.0),
        Some(&ta),
        None,
    )
    .await
    .assert_status(404);
    api.api(
        Method::DELETE,
        &format!("/api/v1/landscape/{b_entry}"),
        Some(&ta),
        None,
    )
    .await
    .assert_status(404);
    let own = api
        .api(Method::GET, "/api/v1/landscape", Some(&ta), None)
        .await;
    own.assert_status(200);
    assert_eq!(own.json().as_array().unwrap().len(), 2);
    let matches = api
        .api(Method::GET, "/api/v1/matches", Some(&ta), None)
        .await
        .json();
    let list = matches.as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|m| m["board_id"] == a.0), "{matches}");
    let theirs = api
        .api(
            Method::GET,
            &format!("/api/v1/matches?board={}", other.0),
            Some(&ta),
            None,
        )
        .await
        .json();
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    let added = api
        .api(Method::POST, "/api/v1/landscape", Some(&ta), Some(serde_json::json!({"proposed_vendor": "Leverancier X", "proposed_name": "Rooster Pro", "versions": ["2.1"]})))
        .await;
    added.assert_status(201);
    assert_eq!(added.json()["proposed_name"], "Rooster Pro");
    // Board B's data is unchanged.
    assert_eq!(
        landscape::entries(&t.app, &contact_b, other)
            .await
            .unwrap()
            .len(),
        1
    );
    let doc = api.get("/api/v1/openapi.json").await.json();
    for path in [
        "/landscape",
        "/landscape/{id}",
        "/matches",
        "/advisories",
        "/advisories/{id}",
        "/notices/{id}/state",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    t.finish().await;
}

async fn the_analyst_works_the_queue_into_a_published_advisory_and_the_board_records_progress(
    b: Backend,
) {
    let t = TestApp::start_with(b, |c| c.vuln.automatic_p1 = false).await;
    t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let (_, _) = board_with(&t, "10001", "ict@a.test", "fortinet-fortios", "7.2.6").await;
    ingest::import(
        &t.app,
        None,
        Kind::Csaf,
        &[("f.json".into(), FORTIOS.to_vec())],
    )
    .await
    .unwrap();
    let mut cert = t.login("analist@cert.test").await;
    cert.get("/cert/kwetsbaarheden")
        .await
        .assert_status(200)
        .assert_contains("CVE-2024-21762");
    cert.get("/cert/kwetsbaarheden/CVE-2024-21762")
        .await
        .assert_status(200)
        .assert_contains("Stichting 10001");
    let draft = cert.get("/cert/adviezen/nieuw?vuln=CVE-2024-21762").await;
    draft.assert_status(200).assert_contains("fortinet-fortios");
    let created = cert
        .post(
            "/cert/adviezen/nieuw",
            &[
                ("title", "FortiOS SSL-VPN"),
                ("summary", "Een **ernstige** kwetsbaarheid."),
                ("actions", "Werk bij naar 7.2.7."),
                ("urgency", "urgent"),
                ("tlp", "clear"),
                (
                    "products",
                    "fortinet-fortios vers:intdot/>=7.2.0|<7.2.7 fixed: 7.2.7",
                ),
                ("cves", "CVE-2024-21762"),
                (
                    "sources",
                    "https://www.fortiguard.com/psirt/FG-IR-24-015 Fortinet",
                ),
            ],
        )
        .await;
    created.assert_status(303);
    let path = created
        .location()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    cert.get(&path)
        .await
        .assert_status(200)
        .assert_contains("FortiOS SSL-VPN");
    cert.post(&format!("{path}/publiceren"), &[("summary", "")])
        .await
        .assert_status(303);
    cert.get(&path)
        .await
        .assert_contains("Stichting 10001")
        .assert_contains("1.0.0");
    cert.get("/cert/catalogus")
        .await
        .assert_status(200)
        .assert_contains("FortiOS");
    cert.get("/cert/catalogus/product?slug=fortinet-fortios")
        .await
        .assert_status(200)
        .assert_contains("fortinet-fortios");
    let bad = cert
        .post(
            "/cert/catalogus/product",
            &[("toml", "[[product]]\nid = 1")],
        )
        .await;
    bad.assert_status(200).assert_contains("error-box");
    cert.get("/cert/handreikingen/bewerken")
        .await
        .assert_status(200);
    cert.post(
        "/cert/handreikingen/bewerken",
        &[
            ("slug", "back-ups"),
            ("title", "Back-ups"),
            ("body", "# Back-ups\n\n<script>x</script>Maak ze."),
            ("published", "on"),
        ],
    )
    .await
    .assert_status(303);
    let mut anon = t.client();
    let guide = anon.get("/handreikingen/back-ups").await;
    guide.assert_status(200).assert_contains("Maak ze.");
    assert!(
        !guide.body.contains("<script>x"),
        "Markdown is rendered safely"
    );

    // The board reads its advisory (summary rendered from Markdown) and records progress.
    let mut board = t.login("ict@a.test").await;
    let list = board.get("/portaal/adviezen").await;
    list.assert_status(200).assert_contains("FortiOS SSL-VPN");
    let id = path.rsplit('/').next().unwrap();
    let page = board.get(&format!("/portaal/adviezen/{id}")).await;
    page.assert_status(200)
        .assert_contains("<strong>ernstige</strong>")
        .assert_contains("7.2.6");
    let form_action = page
        .body
        .split("action=\"/portaal/meldingen/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    board
        .post(
            &format!("/portaal/meldingen/{form_action}"),
            &[("state", "in_progress")],
        )
        .await
        .assert_status(303);
    board
        .get("/portaal/adviezen")
        .await
        .assert_contains("Oplossing loopt");
    t.finish().await;
}

dual_tests!(
    the_analyst_works_the_queue_into_a_published_advisory_and_the_board_records_progress,
    an_amber_advisory_is_never_public,
    boards_see_and_change_only_their_own_landscape_and_matches,
);
