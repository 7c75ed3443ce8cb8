//! A board contact cannot read or change another board's data through any route: every web
//! page and API endpoint with board B's ids answers 404 (or 403 for CERT-only functions) to
//! board A, and board B's data is unchanged afterwards.

use axum::http::Method;
use schoolcert_domain::access::{Role, Scope};
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_store::Backend;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_store::registry::schools::{self, SchoolFields};
use schoolcert_testkit::{TestApp, dual_tests};
use serde_json::json;

async fn board_b(t: &TestApp) -> (schoolcert_domain::BoardId, i64, i64, i64) {
    let b = t.board("20002", "Stichting B", BoardStatus::Active).await;
    let actor_b = t.user("ict@b.nl", Role::BoardContact, Some(b)).await;
    let lines = schoolcert_app::registry::assets::claim_list(
        &t.app,
        &actor_b,
        b,
        "146.50.0.0/24\nschool-b.nl",
    )
    .await
    .unwrap();
    let asset = match &lines[0].outcome {
        schoolcert_app::registry::assets::ClaimOutcome::Added { asset_id, .. } => asset_id.0,
        other => panic!("{other:?}"),
    };
    let mut cx = t.app.db.write().await.unwrap();
    let contact = contacts::insert(
        &mut cx,
        b,
        &ContactFields {
            name: "Bea".into(),
            function: String::new(),
            email: "bea@b.nl".into(),
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
    let school = schools::insert(
        &mut cx,
        &SchoolFields {
            board_id: b.0,
            code: "99BB00".into(),
            brin: "99BB".into(),
            name: "OBS B".into(),
            street: String::new(),
            postcode: String::new(),
            city: "B".into(),
            sectors: "po".into(),
            website: None,
        },
        t.app.now(),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    (b, contact.0, asset, school.0)
}

async fn board_a_cannot_reach_board_b_through_any_page(b: Backend) {
    let t = TestApp::start(b).await;
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    t.user("ict@a.nl", Role::BoardContact, Some(a)).await;
    let (bb, contact, asset, _school) = board_b(&t).await;
    let mut c = t.login("ict@a.nl").await;

    c.get(&format!("/portaal/contacten/{contact}"))
        .await
        .assert_status(404);
    c.get("/portaal").await;
    let contact_form = [
        ("name", "Overgenomen"),
        ("email", "x@a.nl"),
        ("role", "primary"),
        ("phone", ""),
        ("function", ""),
        ("pgp_key", ""),
    ];
    c.post(&format!("/portaal/contacten/{contact}"), &contact_form)
        .await
        .assert_status(404);
    c.post(&format!("/portaal/contacten/{contact}/verwijderen"), &[])
        .await
        .assert_status(404);
    c.post(&format!("/portaal/contacten/{contact}/bevestigen"), &[])
        .await
        .assert_status(404);
    c.post(&format!("/portaal/netwerk/{asset}/verifieren"), &[])
        .await
        .assert_status(404);
    c.post(&format!("/portaal/netwerk/{asset}/intrekken"), &[])
        .await
        .assert_status(404);
    // The portal's own lists never show B.
    for page in [
        "/portaal",
        "/portaal/contacten",
        "/portaal/netwerk",
        "/portaal/scholen",
    ] {
        let r = c.get(page).await;
        assert!(
            !r.body.contains("Stichting B")
                && !r.body.contains("bea@b.nl")
                && !r.body.contains("146.50.0.0"),
            "{page} leaks board B"
        );
    }
    // CERT pages are closed to board contacts, whatever the id.
    for page in [
        format!("/cert/besturen/{bb}"),
        "/cert".into(),
        "/cert/besturen".into(),
        "/cert/netwerk".into(),
        "/cert/audit".into(),
        "/cert/opzoeken?q=146.50.0.1".into(),
        "/cert/conflicten".into(),
        "/cert/aanmeldingen".into(),
        "/cert/beheer".into(),
        "/cert/beheer/post".into(),
        "/cert/scholen".into(),
    ] {
        c.get(&page).await.assert_status(403);
    }
    c.get("/portaal").await;
    c.post(
        &format!("/cert/besturen/{bb}/status"),
        &[("status", "suspended"), ("reason", "")],
    )
    .await
    .assert_status(403);
    c.post(
        &format!("/cert/besturen/{bb}/netwerk"),
        &[("assets", "146.51.0.0/24")],
    )
    .await
    .assert_status(403);
    c.post(
        &format!("/cert/netwerk/{asset}/besluit"),
        &[("decision", "reject"), ("reason", "weg")],
    )
    .await
    .assert_status(403);

    assert_b_unchanged(&t, bb).await;
    t.finish().await;
}

async fn board_a_cannot_reach_board_b_through_the_api(b: Backend) {
    let t = TestApp::start(b).await;
    let a = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let actor_a = t.user("ict@a.nl", Role::BoardContact, Some(a)).await;
    let (bb, contact, asset, school) = board_b(&t).await;
    let token = t.token(&actor_a).await;
    let mut c = t.client();
    let tk = Some(token.as_str());

    let boards = c.api(Method::GET, "/api/v1/boards", tk, None).await;
    boards.assert_status(200);
    assert_eq!(boards.json()["total"], 1);
    assert_eq!(boards.json()["items"][0]["id"], a.0);
    c.api(Method::GET, &format!("/api/v1/boards/{bb}"), tk, None)
        .await
        .assert_status(404);
    c.api(
        Method::POST,
        &format!("/api/v1/boards/{bb}/status"),
        tk,
        Some(json!({"status": "suspended"})),
    )
    .await
    .assert_status(403);
    c.api(
        Method::GET,
        &format!("/api/v1/boards/{bb}/contacts"),
        tk,
        None,
    )
    .await
    .assert_status(404);
    c.api(
        Method::POST,
        &format!("/api/v1/boards/{bb}/contacts"),
        tk,
        Some(json!({"name": "X", "email": "x@a.nl", "role": "primary"})),
    )
    .await
    .assert_status(404);
    c.api(
        Method::GET,
        &format!("/api/v1/contacts/{contact}"),
        tk,
        None,
    )
    .await
    .assert_status(404);
    c.api(
        Method::PUT,
        &format!("/api/v1/contacts/{contact}"),
        tk,
        Some(json!({"name": "X", "email": "x@a.nl", "role": "primary"})),
    )
    .await
    .assert_status(404);
    c.api(
        Method::DELETE,
        &format!("/api/v1/contacts/{contact}"),
        tk,
        None,
    )
    .await
    .assert_status(404);
    let schools = c
        .api(
            Method::GET,
            &format!("/api/v1/schools?board_id={bb}"),
            tk,
            None,
        )
        .await;
    assert_eq!(schools.json()["total"], 0);
    c.api(Method::GET, &format!("/api/v1/schools/{school}"), tk, None)
        .await
        .assert_status(404);
    let assets = c.api(Method::GET, "/api/v1/assets", tk, None).await;
    assert_eq!(assets.json()["total"], 0);
    c.api(Method::GET, &format!("/api/v1/assets/{asset}"), tk, None)
        .await
        .assert_status(404);
    c.api(Method::DELETE, &format!("/api/v1/assets/{asset}"), tk, None)
        .await
        .assert_status(404);
    c.api(
        Method::POST,
        &format!("/api/v1/assets/{asset}/verify"),
        tk,
        None,
    )
    .await
    .assert_status(404);
    c.api(
        Method::POST,
        &format!("/api/v1/assets/{asset}/decision"),
        tk,
        Some(json!({"decision": "reject", "reason": "x"})),
    )
    .await
    .assert_status(403);
    c.api(
        Method::POST,
        &format!("/api/v1/boards/{bb}/assets"),
        tk,
        Some(json!({"assets": ["146.51.0.0/24"]})),
    )
    .await
    .assert_status(404);
    c.api(Method::GET, "/api/v1/audit", tk, None)
        .await
        .assert_status(403);
    c.api(
        Method::GET,
        &format!("/api/v1/audit?board_id={bb}"),
        tk,
        None,
    )
    .await
    .assert_status(403);
    // Lookups only tell A about A: B's approved range answers "no owner" to A.
    let mut cx = t.app.db.write().await.unwrap();
    schoolcert_store::registry::assets::set_status(
        &mut cx,
        schoolcert_domain::AssetId(asset),
        schoolcert_domain::asset::AssetStatus::Approved,
        None,
        None,
        None,
        t.app.now(),
    )
    .await
    .unwrap();
    schoolcert_store::changes::bump(&mut cx, schoolcert_store::changes::ASSETS, t.app.now())
        .await
        .unwrap();
    cx.commit().await.unwrap();
    let r = c
        .api(Method::GET, "/api/v1/lookup?ip=146.50.0.7", tk, None)
        .await;
    assert_eq!(r.json()["owners"], json!([]));
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let ct = t.token(&cert).await;
    let r = c
        .api(Method::GET, "/api/v1/lookup?ip=146.50.0.7", Some(&ct), None)
        .await;
    assert_eq!(
        r.json()["owners"][0]["board_id"],
        bb.0,
        "the CERT does see the owner"
    );

    assert_b_unchanged(&t, bb).await;
    t.finish().await;
}

async fn assert_b_unchanged(t: &TestApp, bb: schoolcert_domain::BoardId) {
    let mut cx = t.app.db.read().await.unwrap();
    let board = schoolcert_store::registry::boards::get(&mut cx, Scope::All, bb)
        .await
        .unwrap();
    assert_eq!(board.status, BoardStatus::Active);
    let cs = contacts::of_board(&mut cx, Scope::All, bb).await.unwrap();
    assert!(
        cs.iter().any(|c| c.name == "Bea"),
        "B's contact is untouched"
    );
    let assets = schoolcert_store::registry::assets::of_board(&mut cx, Scope::All, bb)
        .await
        .unwrap();
    assert_eq!(assets.len(), 2);
}

dual_tests!(
    board_a_cannot_reach_board_b_through_any_page,
    board_a_cannot_reach_board_b_through_the_api
);
