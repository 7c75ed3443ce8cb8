//! Bad input gets a clear error and loses nothing: refused prefixes and domains with their
//! reasons, one contact only, missing CSRF, wrong passwords, expired sessions, throttling.

use axum::http::Method;
use chrono::Duration;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{PASSWORD, TestApp, dual_tests};

async fn refused_assets_say_why_and_the_rest_is_kept(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.login("ict@a.nl").await;
    c.get("/portaal/netwerk").await;
    let r = c.post("/portaal/netwerk", &[("assets", "192.168.10.0/24\n127.0.0.1\n145.97.16.5/24\n145.97.300.0/24\nnl\nschool.local\nhttps://www.school.nl/contact\n100.64.0.0/10\n2001:db8::/32\nfe80::/64\n145.97.17.0/24")]).await;
    r.assert_status(200)
        .assert_contains("privé-adresruimte (RFC 1918)")
        .assert_contains("loopback")
        .assert_contains("bedoelt u 145.97.16.0/24?")
        .assert_contains("is geen IP-prefix")
        .assert_contains("publiek achtervoegsel")
        .assert_contains("bestaand topleveldomein")
        .assert_contains("vul alleen de domeinnaam in, bijvoorbeeld www.school.nl")
        .assert_contains("CGNAT")
        .assert_contains("documentatie")
        .assert_contains("link-local");
    assert_eq!(
        r.body.matches("badge ok\">toegevoegd").count(),
        1,
        "only the one good line is added"
    );
    // The same list in English explains in English.
    c.get("/taal/en?next=/portaal/netwerk").await;
    c.get("/portaal/netwerk").await;
    c.post("/portaal/netwerk", &[("assets", "10.1.0.0/16")])
        .await
        .assert_contains("private address space (RFC 1918)");
    t.finish().await;
}

async fn a_single_contact_cannot_activate_a_board(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10002", "Stichting B", BoardStatus::Applying).await;
    t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let mut cert = t.login("analist@cert.test").await;
    cert.get(&format!("/cert/besturen/{board}")).await;
    cert.post(
        &format!("/cert/besturen/{board}/contacten"),
        &[
            ("name", "Een"),
            ("email", "een@b.nl"),
            ("role", "primary"),
            ("phone", ""),
            ("function", ""),
            ("pgp_key", ""),
        ],
    )
    .await
    .assert_status(303);
    // The same person twice under another role is still one address.
    cert.get(&format!("/cert/besturen/{board}")).await;
    cert.post(
        &format!("/cert/besturen/{board}/contacten"),
        &[
            ("name", "Een"),
            ("email", "EEN@b.nl"),
            ("role", "security"),
            ("phone", ""),
            ("function", ""),
            ("pgp_key", ""),
        ],
    )
    .await
    .assert_status(303);
    cert.get(&format!("/cert/besturen/{board}")).await;
    let r = cert
        .post(
            &format!("/cert/besturen/{board}/status"),
            &[("status", "active"), ("reason", "")],
        )
        .await;
    // The board page comes back with the reason; the status is unchanged.
    r.assert_status(200).assert_contains("minstens twee nodig");
    cert.get(&format!("/cert/besturen/{board}"))
        .await
        .assert_contains("Aanmelding loopt");
    t.finish().await;
}

async fn an_active_board_cannot_drop_below_two_contacts(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10008", "Stichting H", BoardStatus::Active).await;
    let actor = t.user("ict@h.nl", Role::BoardContact, Some(board)).await;
    for (name, email, role) in [
        ("Een", "een@h.nl", "primary"),
        ("Twee", "twee@h.nl", "secondary"),
    ] {
        let input = schoolcert_app::registry::contacts::ContactInput {
            name: name.into(),
            email: email.into(),
            role: role.into(),
            ..Default::default()
        };
        schoolcert_app::registry::contacts::add(&t.app, &actor, board, &input)
            .await
            .unwrap();
    }
    let mut c = t.login("ict@h.nl").await;
    let page = c.get("/portaal/contacten").await;
    let id = page
        .body
        .split("/portaal/contacten/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    c.post(&format!("/portaal/contacten/{id}/verwijderen"), &[])
        .await
        .assert_status(409)
        .assert_contains("minstens twee contactpersonen");
    // Changing one to the other's address is the same loss.
    c.get("/portaal/contacten").await;
    c.post(
        &format!("/portaal/contacten/{id}"),
        &[
            ("name", "Een"),
            ("email", "twee@h.nl"),
            ("role", "privacy_officer"),
            ("phone", ""),
            ("function", ""),
            ("pgp_key", ""),
        ],
    )
    .await
    .assert_contains("minstens twee contactpersonen");
    assert_eq!(
        schoolcert_app::registry::contacts::list(&t.app, &actor, board)
            .await
            .unwrap()
            .len(),
        2,
        "nothing was removed"
    );
    t.finish().await;
}

async fn bad_contact_fields_are_all_explained(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10003", "Stichting C", BoardStatus::Active).await;
    t.user("ict@c.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.login("ict@c.nl").await;
    c.get("/portaal/contacten").await;
    let r = c.post("/portaal/contacten", &[("name", ""), ("email", "geen-adres"), ("role", "baas"), ("phone", "12"), ("function", ""), ("pgp_key", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nrommel\n-----END PGP PUBLIC KEY BLOCK-----")]).await;
    r.assert_status(200)
        .assert_contains("Naam is verplicht")
        .assert_contains("geldig e-mailadres")
        .assert_contains("Kies een rol")
        .assert_contains("8 tot 15 cijfers")
        .assert_contains("geen geldige OpenPGP");
    // The form keeps what was typed.
    r.assert_contains("value=\"geen-adres\"");
    t.finish().await;
}

async fn forms_without_a_valid_csrf_token_are_refused(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10004", "Stichting D", BoardStatus::Active).await;
    t.user("ict@d.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.login("ict@d.nl").await;
    c.get("/portaal/netwerk").await;
    let r = c
        .post_raw("/portaal/netwerk", &[("assets", "145.97.16.0/24".into())])
        .await;
    r.assert_status(403).assert_contains("verlopen");
    let r = c
        .post_raw(
            "/portaal/netwerk",
            &[
                ("assets", "145.97.16.0/24".into()),
                ("csrf", "forged-token-value-000000".into()),
            ],
        )
        .await;
    r.assert_status(403);
    // A cross-site request is refused even with the right token.
    let token = c.csrf().unwrap().to_owned();
    let body =
        serde_urlencoded::to_string([("assets", "145.97.16.0/24"), ("csrf", &token)]).unwrap();
    c.request(
        Method::POST,
        "/portaal/netwerk",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("sec-fetch-site", "cross-site"),
        ],
        body.clone(),
    )
    .await
    .assert_status(403);
    c.request(
        Method::POST,
        "/portaal/netwerk",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "https://evil.example"),
        ],
        body.clone(),
    )
    .await
    .assert_status(403);
    // Nothing was claimed by any of those.
    let mut cx = t.app.db.read().await.unwrap();
    assert!(
        schoolcert_store::registry::assets::of_board(
            &mut cx,
            schoolcert_domain::access::Scope::All,
            board
        )
        .await
        .unwrap()
        .is_empty()
    );
    drop(cx);
    // The login form is protected too (login CSRF).
    let mut anon = t.client();
    anon.post_raw(
        "/login",
        &[("email", "ict@d.nl".into()), ("password", PASSWORD.into())],
    )
    .await
    .assert_status(403);
    t.finish().await;
}

async fn wrong_passwords_fail_alike_and_are_throttled(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10005", "Stichting E", BoardStatus::Active).await;
    t.user("ict@e.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.client();
    c.get("/login").await;
    let wrong = c
        .post(
            "/login",
            &[("email", "ict@e.nl"), ("password", "not the password")],
        )
        .await;
    wrong.assert_status(401).assert_contains("klopt niet");
    let unknown = c
        .post(
            "/login",
            &[("email", "niemand@e.nl"), ("password", "not the password")],
        )
        .await;
    unknown.assert_status(401).assert_contains("klopt niet");
    assert!(!c.cookies.contains_key("sc_session"));
    for _ in 0..3 {
        c.post(
            "/login",
            &[("email", "ict@e.nl"), ("password", "still wrong")],
        )
        .await;
    }
    // Locked now, even with the right password.
    c.post("/login", &[("email", "ict@e.nl"), ("password", PASSWORD)])
        .await
        .assert_status(401)
        .assert_contains("Te veel mislukte pogingen");
    t.clock.advance(Duration::minutes(16));
    c.post("/login", &[("email", "ict@e.nl"), ("password", PASSWORD)])
        .await
        .assert_status(303);
    t.finish().await;
}

async fn an_idle_session_expires(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10006", "Stichting F", BoardStatus::Active).await;
    t.user("ict@f.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.login("ict@f.nl").await;
    c.get("/portaal").await.assert_status(200);
    t.clock.advance(Duration::minutes(121));
    c.get("/portaal")
        .await
        .assert_redirect("/login?next=%2Fportaal");
    t.finish().await;
}

async fn logging_out_ends_the_session_on_the_server(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10007", "Stichting G", BoardStatus::Active).await;
    t.user("ict@g.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.login("ict@g.nl").await;
    let stolen = c.cookies.get("sc_session").cloned().unwrap();
    c.get("/portaal").await;
    c.post("/logout", &[]).await.assert_redirect("/");
    let mut thief = t.client();
    thief.cookies.insert("sc_session".into(), stolen);
    thief.get("/portaal").await.assert_redirect("/login");
    t.finish().await;
}

dual_tests!(
    refused_assets_say_why_and_the_rest_is_kept,
    a_single_contact_cannot_activate_a_board,
    bad_contact_fields_are_all_explained,
    forms_without_a_valid_csrf_token_are_refused,
    wrong_passwords_fail_alike_and_are_throttled,
    an_idle_session_expires,
    an_active_board_cannot_drop_below_two_contacts,
    logging_out_ends_the_session_on_the_server,
);
