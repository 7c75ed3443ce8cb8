//! Feed pages and API: a CERT analyst uploads a report and follows it to findings, notices
//! and the file; a board contact sees only its own findings and notices on every route (pages,
//! CSV export, API) and keeps infected/vulnerable notices on.

use axum::http::Method;
use schoolcert_app::registry::assets;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_store::Backend;
use schoolcert_store::audit::By;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_testkit::{TestApp, dual_tests};

fn report(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schoolcert-feeds/tests/oracle/input")
            .join(format!("2026-11-20-{name}-nl-geo.csv")),
    )
    .unwrap()
}

struct Two {
    a: schoolcert_domain::BoardId,
    b: schoolcert_domain::BoardId,
}

/// A holds 145.97.12.0/24 (contact ict@a.nl), B holds 192.87.101.0/24 (ict@b.nl); both have a
/// mail contact; the scan_rdp and scan_ntp inputs are ingested and the digests sent.
async fn two_boards_with_findings(t: &TestApp) -> Two {
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let b = t.board("10002", "Stichting B", BoardStatus::Active).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    t.user("ict@a.nl", Role::BoardContact, Some(a)).await;
    t.user("ict@b.nl", Role::BoardContact, Some(b)).await;
    for (board, email) in [(a, "anna@a.nl"), (b, "bea@b.nl")] {
        let mut cx = t.app.db.write().await.unwrap();
        contacts::insert(
            &mut cx,
            board,
            &ContactFields {
                name: "Contact".into(),
                function: String::new(),
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
    assets::claim_list(&t.app, &cert, a, "145.97.12.0/24")
        .await
        .unwrap();
    assets::claim_list(&t.app, &cert, b, "192.87.101.0/24")
        .await
        .unwrap();
    for kind in ["scan_rdp", "scan_ntp"] {
        schoolcert_app::feeds::ingest::ingest_bytes(
            &t.app,
            By::System("test"),
            &format!("2026-11-20-{kind}-nl-geo.csv"),
            None,
            report(kind),
        )
        .await
        .unwrap();
    }
    t.run_jobs().await;
    Two { a, b }
}

async fn a_board_never_sees_another_boards_findings_by_page_csv_or_api(b: Backend) {
    let t = TestApp::start(b).await;
    let s = two_boards_with_findings(&t).await;
    let cert = t.user("hoofd@cert.test", Role::CertAnalyst, None).await;
    let all = schoolcert_app::feeds::events::list(
        &t.app,
        &cert,
        &Default::default(),
        schoolcert_store::PageRequest::new(Some(1), Some(500)),
    )
    .await
    .unwrap()
    .items;
    let b_event = all.iter().find(|e| e.board_id == Some(s.b.0)).unwrap();
    let a_event = all.iter().find(|e| e.board_id == Some(s.a.0)).unwrap();
    let unmatched = all.iter().find(|e| e.board_id.is_none()).unwrap();

    let mut c = t.login("ict@a.nl").await;
    let page = c.get("/portaal/bevindingen").await;
    page.assert_status(200).assert_contains("145.97.12.");
    assert!(
        !page.body.contains("192.87.101."),
        "B's addresses on A's page"
    );
    // Filters cannot widen the scope.
    for q in [
        format!("/portaal/bevindingen?board_id={}", s.b.0),
        "/portaal/bevindingen?matched=nee".to_owned(),
        "/portaal/bevindingen?q=192.87.101".to_owned(),
    ] {
        let r = c.get(&q).await;
        r.assert_status(200);
        assert!(!r.body.contains("192.87.101."), "{q}");
    }
    c.get(&format!("/portaal/bevindingen/{}", a_event.id))
        .await
        .assert_status(200);
    for id in [b_event.id, unmatched.id] {
        c.get(&format!("/portaal/bevindingen/{id}"))
            .await
            .assert_status(404);
    }
    c.get("/cert/bevindingen").await.assert_status(403);
    c.get("/cert/bestanden").await.assert_status(403);
    let csv = c.get("/portaal/bevindingen.csv").await;
    csv.assert_status(200).assert_contains("145.97.12.");
    assert!(!csv.body.contains("192.87.101."));
    // Asking the export for B's board gives only the header.
    let csv = c
        .get(&format!("/portaal/bevindingen.csv?board_id={}", s.b.0))
        .await;
    csv.assert_status(200);
    assert_eq!(csv.body.lines().count(), 1, "{}", csv.body);
    let notices = c.get("/portaal/berichten").await;
    notices.assert_status(200).assert_contains("Stichting A");
    assert!(!notices.body.contains("Stichting B"));

    // The API: the same scope.
    let actor_a = t.user("api@a.nl", Role::BoardContact, Some(s.a)).await;
    let token = t.token(&actor_a).await;
    let list = c
        .api(
            Method::GET,
            "/api/v1/events?per_page=500",
            Some(&token),
            None,
        )
        .await;
    list.assert_status(200);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert!(!items.is_empty());
    assert!(items.iter().all(|e| e["board_id"] == s.a.0));
    let sneaky = c
        .api(
            Method::GET,
            &format!("/api/v1/events?board_id={}&matched=false", s.b.0),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(sneaky.json()["total"], 0);
    c.api(
        Method::GET,
        &format!("/api/v1/events/{}", b_event.id),
        Some(&token),
        None,
    )
    .await
    .assert_status(404);
    let notices = c
        .api(Method::GET, "/api/v1/notices", Some(&token), None)
        .await
        .json();
    assert_eq!(notices["total"], 1);
    assert_eq!(notices["items"][0]["board_id"], s.a.0);
    let refused = c
        .request(
            Method::POST,
            "/api/v1/feeds/ingest?name=2026-11-20-scan_rdp-nl-geo.csv",
            &[("authorization", &format!("Bearer {token}"))],
            String::from_utf8(report("scan_rdp")).unwrap(),
        )
        .await;
    refused.assert_status(403);
    t.finish().await;
}

async fn an_analyst_uploads_a_report_and_follows_it_to_findings_and_notices(b: Backend) {
    let t = TestApp::start(b).await;
    let s = two_boards_with_findings(&t).await;
    let mut c = t.login("analist@cert.test").await;
    c.get("/cert/bestanden").await.assert_status(200);
    let token = c.csrf().unwrap().to_owned();
    let boundary = "XyZ123";
    let mut body = String::new();
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"feed\"\r\n\r\n\r\n"
    ));
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2026-11-20-scan_ssl-nl-geo.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    ));
    body.push_str(&String::from_utf8(report("scan_ssl")).unwrap());
    body.push_str(&format!("\r\n--{boundary}--\r\n"));
    let r = c
        .request(
            Method::POST,
            &format!("/cert/bestanden?csrf={token}"),
            &[(
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            )],
            body.clone(),
        )
        .await;
    r.assert_status(200)
        .assert_contains("2026-11-20-scan_ssl-nl-geo.csv")
        .assert_contains("regels gelezen");
    // Without the CSRF token the upload is refused.
    c.request(
        Method::POST,
        "/cert/bestanden",
        &[(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )],
        body,
    )
    .await
    .assert_status(403);
    // Findings with filters; unmatched ones are there for the CERT.
    c.get("/cert/bevindingen")
        .await
        .assert_status(200)
        .assert_contains("145.97.12.")
        .assert_contains("192.87.101.");
    let gaps = c.get("/cert/bevindingen?matched=nee").await;
    gaps.assert_status(200);
    assert!(!gaps.body.contains("Stichting A"));
    c.get(&format!("/cert/bevindingen?board_id={}", s.a.0))
        .await
        .assert_status(200)
        .assert_contains("Stichting A");
    c.get("/cert/berichten")
        .await
        .assert_status(200)
        .assert_contains("Stichting A")
        .assert_contains("Stichting B");
    let files = c.get("/cert/bestanden").await;
    files.assert_status(200).assert_contains("scan_ntp");
    // The API upload for CERT staff; the same file again is recognised.
    let cert = t.user("api@cert.test", Role::CertAnalyst, None).await;
    let token = t.token(&cert).await;
    let up = c
        .request(
            Method::POST,
            "/api/v1/feeds/ingest?name=2026-11-20-scan_http-nl-geo.csv",
            &[("authorization", &format!("Bearer {token}"))],
            String::from_utf8(report("scan_http")).unwrap(),
        )
        .await;
    up.assert_status(200);
    let j = up.json();
    assert_eq!(j["already_ingested"], false);
    assert!(j["events"].as_u64().unwrap() > 10);
    let again = c
        .request(
            Method::POST,
            "/api/v1/feeds/ingest?name=2026-11-20-scan_http-nl-geo.csv",
            &[("authorization", &format!("Bearer {token}"))],
            String::from_utf8(report("scan_http")).unwrap(),
        )
        .await;
    assert_eq!(again.json()["already_ingested"], true);
    let doc = c.get("/api/v1/openapi.json").await.json();
    for path in ["/events", "/events/{id}", "/notices", "/feeds/ingest"] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    t.finish().await;
}

async fn a_board_sets_its_preferences_but_cannot_switch_off_vulnerable_systems(b: Backend) {
    let t = TestApp::start(b).await;
    two_boards_with_findings(&t).await;
    let mut c = t.login("ict@a.nl").await;
    c.get("/portaal/voorkeuren").await.assert_status(200);
    let r = c
        .post(
            "/portaal/voorkeuren",
            &[("default", "never"), ("type_vulnerable-system", "never")],
        )
        .await;
    r.assert_status(200).assert_contains("niet uitzetten");
    c.post(
        "/portaal/voorkeuren",
        &[
            ("default", "never"),
            ("type_vulnerable-system", "weekly"),
            ("type_infected-system", "daily"),
        ],
    )
    .await
    .assert_redirect("/portaal/voorkeuren");
    c.get("/portaal/voorkeuren")
        .await
        .assert_status(200)
        .assert_contains("value=\"weekly\" selected");
    t.finish().await;
}

dual_tests!(
    a_board_never_sees_another_boards_findings_by_page_csv_or_api,
    an_analyst_uploads_a_report_and_follows_it_to_findings_and_notices,
    a_board_sets_its_preferences_but_cannot_switch_off_vulnerable_systems,
);
