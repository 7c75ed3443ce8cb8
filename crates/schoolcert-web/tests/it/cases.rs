//! Cases over HTTP: a board reports through the portal and follows its case, the CERT answers
//! with shared messages and internal notes, another board is refused on every page and API
//! route, the anonymous CVD flow through the public pages and API, security.txt and metrics.

use axum::http::Method;
use schoolcert_app::cases::{cvd, incidents};
use schoolcert_cases::intake::pow;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{TestApp, dual_tests};
use serde_json::json;

async fn a_board_follows_its_case_and_another_board_is_refused_everywhere(b: Backend) {
    let t = TestApp::start(b).await;
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let other = t.board("10002", "Stichting B", BoardStatus::Active).await;
    let anna = t.user("anna@a.nl", Role::BoardContact, Some(a)).await;
    let bert = t.user("bert@b.nl", Role::BoardContact, Some(other)).await;
    t.user("analist@cert.test", Role::CertAnalyst, None).await;

    let mut ca = t.login("anna@a.nl").await;
    ca.get("/portaal/zaken/nieuw").await.assert_status(200);
    let r = ca
        .post(
            "/portaal/zaken/nieuw",
            &[
                ("subject", "Datalek"),
                ("body", "Cijferlijst naar verkeerde ouder"),
                ("personal_data", "yes"),
                ("became_aware_at", "2026-11-20T09:00"),
            ],
        )
        .await;
    r.assert_status(303);
    let path = r.location().unwrap().split('?').next().unwrap().to_owned();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    ca.get(&path)
        .await
        .assert_status(200)
        .assert_contains("Datalek")
        .assert_contains("Autoriteit Persoonsgegevens");
    ca.get("/portaal/zaken")
        .await
        .assert_status(200)
        .assert_contains("INC-2026-");

    let mut cc = t.login("analist@cert.test").await;
    cc.get("/cert/zaken/wachtrij")
        .await
        .assert_status(200)
        .assert_contains("Datalek");
    cc.get(&format!("/cert/zaken/{id}"))
        .await
        .assert_status(200);
    cc.post(
        &format!("/zaken/{id}/berichten"),
        &[("body", "Interne notitie: bellen"), ("shared", "0")],
    )
    .await
    .assert_status(303);
    cc.post(
        &format!("/zaken/{id}/berichten"),
        &[
            ("body", "Meld dit binnen 72 uur bij de AP."),
            ("shared", "1"),
        ],
    )
    .await
    .assert_status(303);
    cc.get("/cert/zaken/termijnen")
        .await
        .assert_status(200)
        .assert_contains("gdpr-33");
    cc.get("/cert/zaken?q=notitie")
        .await
        .assert_status(200)
        .assert_contains("Datalek");
    let page = ca.get(&path).await;
    page.assert_status(200)
        .assert_contains("Meld dit binnen 72 uur");
    assert!(
        !page.body.contains("Interne notitie"),
        "internal notes never reach the board"
    );

    let att = incidents::upload(
        &t.app,
        &anna,
        id,
        "log.txt",
        Some("text/plain"),
        b"regel",
        "",
        false,
    )
    .await
    .unwrap();
    ca.get(&format!("/zaken/bijlagen/{att}"))
        .await
        .assert_status(200);

    // Board B: every page and API route answers not found (CERT pages: forbidden).
    let mut cb = t.login("bert@b.nl").await;
    cb.get(&format!("/portaal/zaken/{id}"))
        .await
        .assert_status(404);
    cb.get(&format!("/cert/zaken/{id}"))
        .await
        .assert_status(403);
    cb.get(&format!("/zaken/bijlagen/{att}"))
        .await
        .assert_status(404);
    cb.get(&format!("/zaken/{id}/concept/ap_datalek"))
        .await
        .assert_status(404);
    cb.post(&format!("/zaken/{id}/berichten"), &[("body", "hallo")])
        .await
        .assert_status(404);
    cb.post(
        &format!("/zaken/{id}/termijnen/gdpr-33"),
        &[("reference", "x")],
    )
    .await
    .assert_status(404);
    assert!(!cb.get("/portaal/zaken").await.body.contains("Datalek"));
    let tb = t.token(&bert).await;
    let mut api = t.client();
    api.api(Method::GET, &format!("/api/v1/cases/{id}"), Some(&tb), None)
        .await
        .assert_status(404);
    api.api(
        Method::POST,
        &format!("/api/v1/cases/{id}/messages"),
        Some(&tb),
        Some(json!({"body": "x"})),
    )
    .await
    .assert_status(404);
    api.api(
        Method::POST,
        &format!("/api/v1/cases/{id}/attachments"),
        Some(&tb),
        Some(json!({"filename": "a.txt", "content_base64": "YQ=="})),
    )
    .await
    .assert_status(404);
    api.api(
        Method::POST,
        &format!("/api/v1/cases/{id}/obligations/gdpr-33"),
        Some(&tb),
        Some(json!({})),
    )
    .await
    .assert_status(404);
    api.api(
        Method::GET,
        &format!("/api/v1/attachments/{att}"),
        Some(&tb),
        None,
    )
    .await
    .assert_status(404);
    api.api(Method::GET, "/api/v1/cases-queue", Some(&tb), None)
        .await
        .assert_status(403);
    api.api(
        Method::GET,
        "/api/v1/metrics/quarterly?year=2026&quarter=4",
        Some(&tb),
        None,
    )
    .await
    .assert_status(403);
    assert_eq!(
        api.api(Method::GET, "/api/v1/cases", Some(&tb), None)
            .await
            .json()["total"],
        0
    );

    // Board A through the API sees its case without internal notes.
    let ta = t.token(&anna).await;
    let d = api
        .api(Method::GET, &format!("/api/v1/cases/{id}"), Some(&ta), None)
        .await
        .json();
    assert!(
        d["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["direction"] != "internal")
    );
    assert!(
        d["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "gdpr-33")
    );
    api.api(
        Method::POST,
        &format!("/api/v1/cases/{id}/obligations/gdpr-33"),
        Some(&ta),
        Some(json!({"reference": "AP-1"})),
    )
    .await
    .assert_status(204);
    t.finish().await;
}

dual_tests!(a_board_follows_its_case_and_another_board_is_refused_everywhere);

async fn an_anonymous_reporter_uses_the_public_pages_and_api(b: Backend) {
    let t = TestApp::start_with(b, |c| c.cvd_pow_difficulty = 4).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let mut c = t.client();
    c.get("/kwetsbaarheid-melden")
        .await
        .assert_status(200)
        .assert_contains("pow_challenge");
    let sec = c.get("/.well-known/security.txt").await;
    sec.assert_status(200)
        .assert_contains("Contact: https://cert.test/kwetsbaarheid-melden")
        .assert_contains("Expires:");
    let ch = c
        .api(Method::GET, "/api/v1/cvd/challenge", None, None)
        .await
        .json();
    let challenge = pow::Challenge {
        text: ch["challenge"].as_str().unwrap().to_owned(),
        difficulty: ch["difficulty"].as_u64().unwrap() as u8,
        issued_at: t.app.now(),
        id: String::new(),
    };
    let counter = pow::solve(&challenge, 1_000_000).unwrap();
    let r = c
        .api(
            Method::POST,
            "/api/v1/cvd/reports",
            None,
            Some(json!({"what": "Open directory listing met leerlingfoto's", "location": "https://fotos.school-x.nl/", "reproduce": "Open de URL.", "challenge": challenge.text, "counter": counter.to_string()})),
        )
        .await;
    r.assert_status(201);
    let url = r.json()["status_url"].as_str().unwrap().to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();
    // Unsolved or replayed challenges are refused with the field.
    let again = c
        .api(Method::POST, "/api/v1/cvd/reports", None, Some(json!({"what": "Nog een keer hetzelfde", "location": "https://x.nl", "reproduce": "x", "challenge": challenge.text, "counter": counter.to_string()})))
        .await;
    again.assert_status(422);
    let page = c
        .get(&format!("/kwetsbaarheid-melden/status/{token}"))
        .await;
    page.assert_status(200).assert_contains("CVD-2026-");
    c.get("/kwetsbaarheid-melden/status/cvd_verkeerd")
        .await
        .assert_status(404);
    let s = c
        .api(
            Method::GET,
            &format!("/api/v1/cvd/status/{token}"),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(s["status"], "received");
    assert!(s["board_name"].is_null());
    c.api(
        Method::POST,
        &format!("/api/v1/cvd/status/{token}/messages"),
        None,
        Some(json!({"body": "Nog een vraag"})),
    )
    .await
    .assert_status(201);
    c.get("/kwetsbaarheid-melden/bedankt")
        .await
        .assert_status(200);
    // The metrics API for the CERT.
    let tc = t.token(&cert).await;
    let m = c
        .api(
            Method::GET,
            "/api/v1/metrics/quarterly?year=2026&quarter=4",
            Some(&tc),
            None,
        )
        .await;
    m.assert_status(200);
    assert!(m.json()["metrics"]["cvd_by_state"].is_object());
    let doc = c
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json();
    for p in [
        "/cases",
        "/cases/{id}",
        "/metrics/quarterly",
        "/cvd/reports",
        "/sector-incidents",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing from OpenAPI");
    }
    let _ = cvd::REPORTS_PER_HOUR;
    t.finish().await;
}

dual_tests!(an_anonymous_reporter_uses_the_public_pages_and_api);

/// A multipart upload of `name` with `content` to a case page's file form.
async fn upload_to_case(
    c: &mut schoolcert_testkit::Client,
    case_path: &str,
    id: i64,
    name: &str,
    content: &str,
) -> schoolcert_testkit::TestResponse {
    c.get(case_path).await;
    let token = c.csrf().unwrap_or_default().to_owned();
    let boundary = "CaseFile42";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"tlp\"\r\n\r\namber\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n{content}\r\n\
         --{boundary}--\r\n"
    );
    c.request(
        Method::POST,
        &format!("/zaken/{id}/bijlagen?csrf={token}"),
        &[(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )],
        body,
    )
    .await
}

async fn a_board_uploads_a_file_to_its_case_from_the_page(b: Backend) {
    let t = TestApp::start(b).await;
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let other = t.board("10002", "Stichting B", BoardStatus::Active).await;
    t.user("anna@a.nl", Role::BoardContact, Some(a)).await;
    t.user("bert@b.nl", Role::BoardContact, Some(other)).await;
    t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let mut ca = t.login("anna@a.nl").await;
    ca.get("/portaal/zaken/nieuw").await;
    let r = ca
        .post(
            "/portaal/zaken/nieuw",
            &[("subject", "Phishing"), ("body", "Nepmail aan docenten")],
        )
        .await;
    r.assert_status(303);
    let path = r.location().unwrap().split('?').next().unwrap().to_owned();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();

    upload_to_case(&mut ca, &path, id, "headers.txt", "Received: from evil")
        .await
        .assert_status(303);
    ca.get(&path)
        .await
        .assert_status(200)
        .assert_contains("headers.txt");
    let mut cc = t.login("analist@cert.test").await;
    cc.get(&format!("/cert/zaken/{id}"))
        .await
        .assert_status(200)
        .assert_contains("headers.txt");

    // An empty file is refused with a message on the form; nothing is stored.
    upload_to_case(&mut ca, &path, id, "leeg.txt", "")
        .await
        .assert_status(200)
        .assert_contains("Kies een bestand");
    assert!(!ca.get(&path).await.body.contains("leeg.txt"));
    // Another board cannot add a file to this case.
    let mut cb = t.login("bert@b.nl").await;
    let refused = upload_to_case(&mut cb, "/portaal/zaken", id, "x.txt", "x").await;
    assert_eq!(refused.status, 404);
    assert!(
        !cc.get(&format!("/cert/zaken/{id}"))
            .await
            .body
            .contains("x.txt")
    );
    t.finish().await;
}

dual_tests!(a_board_uploads_a_file_to_its_case_from_the_page);

/// On a plain-http deployment (a local demo) there is no valid RFC 9116 file: the page says
/// why instead of failing.
async fn security_txt_explains_itself_without_https(b: Backend) {
    let t = TestApp::start_with(b, |c| c.base_url = "http://127.0.0.1:8080".into()).await;
    let mut c = t.client();
    c.get("/.well-known/security.txt")
        .await
        .assert_status(409)
        .assert_contains("SCHOOLCERT_BASE_URL");
    t.finish().await;
}

dual_tests!(security_txt_explains_itself_without_https);
