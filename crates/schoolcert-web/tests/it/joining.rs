//! Joining end to end over HTTP: a stranger finds the board, confirms their address, accepts
//! the terms, enters contacts and assets, submits; the CERT reviews and activates; the board
//! shows up in lookups. E-mail goes out at every step.

use axum::http::Method;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{PASSWORD, TestApp, dual_tests};

async fn a_board_joins_from_the_public_page_to_activation(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t
        .board(
            "10249",
            "Stichting Openbaar Onderwijs Emmen",
            BoardStatus::Registered,
        )
        .await;
    let analyst = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let mut anon = t.client();

    // 1. Find the board and ask for a confirmation link.
    anon.get("/aanmelden?q=emmen")
        .await
        .assert_status(200)
        .assert_contains("Stichting Openbaar Onderwijs Emmen")
        .assert_contains(&format!("/aanmelden/bestuur/{board}"));
    anon.get(&format!("/aanmelden/bestuur/{board}"))
        .await
        .assert_status(200);
    anon.post(
        &format!("/aanmelden/bestuur/{board}"),
        &[
            ("name", "Anna de Vries"),
            ("email", "anna@obs-emmen.nl"),
            ("website", ""),
        ],
    )
    .await
    .assert_status(200)
    .assert_contains("anna@obs-emmen.nl");
    let link = t.link_in_mail("anna@obs-emmen.nl").await;
    assert!(link.starts_with("/aanmelden/bevestig/"), "{link}");

    // 2. Confirm by choosing a password: logged in, board is applying.
    anon.get(&link)
        .await
        .assert_status(200)
        .assert_contains("Stichting Openbaar Onderwijs Emmen");
    let r = anon
        .post(&link, &[("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    r.assert_redirect("/portaal");
    let mut applicant = anon;
    let page = applicant.get("/portaal").await;
    page.assert_status(200)
        .assert_contains("Aanmelding loopt")
        .assert_contains("Gebruiksvoorwaarden accepteren");
    // The link works once.
    t.client().get(&link).await.assert_status(409);

    // Submitting too early explains what is missing.
    applicant.get("/portaal").await;
    applicant
        .post("/portaal/aanmelding/indienen", &[])
        .await
        .assert_status(200)
        .assert_contains("minstens twee nodig");

    // 3. Terms, contacts, assets.
    let terms = applicant.get("/portaal/voorwaarden").await;
    let id = terms
        .body
        .split("name=\"terms_version_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    applicant
        .post(
            "/portaal/voorwaarden",
            &[("terms_version_id", &id), ("agree", "yes")],
        )
        .await
        .assert_redirect("/portaal");
    applicant.get("/portaal/contacten").await;
    applicant
        .post(
            "/portaal/contacten",
            &[
                ("name", "Anna de Vries"),
                ("email", "anna@obs-emmen.nl"),
                ("role", "primary"),
                ("phone", "0591 659 840"),
                ("function", "ICT"),
                ("pgp_key", ""),
            ],
        )
        .await
        .assert_redirect("/portaal/contacten");
    applicant.get("/portaal/contacten").await;
    applicant
        .post(
            "/portaal/contacten",
            &[
                ("name", "Bram Jansen"),
                ("email", "bram@obs-emmen.nl"),
                ("role", "secondary"),
                ("phone", ""),
                ("function", ""),
                ("pgp_key", ""),
            ],
        )
        .await
        .assert_redirect("/portaal/contacten");
    applicant.get("/portaal/netwerk").await;
    let r = applicant
        .post(
            "/portaal/netwerk",
            &[(
                "assets",
                "145.97.16.0/24\n10.0.0.0/8\nobs-emmen.nl\n2001:610:1::/48\nco.uk",
            )],
        )
        .await;
    r.assert_status(200)
        .assert_contains("privé-adresruimte")
        .assert_contains("publiek achtervoegsel");
    // The refused lines stay in the box for correction; the good ones were kept.
    assert!(
        r.body.contains(">10.0.0.0/8\nco.uk</textarea>"),
        "refused lines are offered again"
    );
    assert_eq!(r.body.matches("badge ok\">toegevoegd").count(), 3);

    // The domain is verified through DNS.
    let mut cx = t.app.db.read().await.unwrap();
    let assets = schoolcert_store::registry::assets::of_board(
        &mut cx,
        schoolcert_domain::access::Scope::All,
        board,
    )
    .await
    .unwrap();
    drop(cx);
    let domain = assets.iter().find(|a| a.value == "obs-emmen.nl").unwrap();
    let token = domain.challenge_token.clone().unwrap();
    applicant.get("/portaal/netwerk").await;
    applicant
        .post(&format!("/portaal/netwerk/{}/verifieren", domain.id), &[])
        .await
        .assert_status(200)
        .assert_contains("nog niet gevonden");
    t.dns.txt(
        "_schoolcert-challenge.obs-emmen.nl",
        &format!("schoolcert-verification={token}"),
    );
    applicant.get("/portaal/netwerk").await;
    applicant
        .post(&format!("/portaal/netwerk/{}/verifieren", domain.id), &[])
        .await
        .assert_redirect("/portaal/netwerk?msg=verified");

    // 4. Submit; applicant and CERT get mail.
    applicant.get("/portaal").await;
    applicant
        .post("/portaal/aanmelding/indienen", &[])
        .await
        .assert_redirect("/portaal?msg=submitted");
    assert!(
        t.mail_to("anna@obs-emmen.nl")
            .await
            .iter()
            .any(|m| m.kind == "join_submitted")
    );
    assert!(
        t.mail_to("analist@cert.test")
            .await
            .iter()
            .any(|m| m.kind == "join_submitted_cert")
    );

    // The CERT reviews: first returns it, then approves with the assets.
    let mut cert = t.login("analist@cert.test").await;
    let list = cert.get("/cert/aanmeldingen").await;
    list.assert_status(200)
        .assert_contains("Stichting Openbaar Onderwijs Emmen");
    let app_id = list
        .body
        .split("/cert/aanmeldingen/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    cert.get(&format!("/cert/aanmeldingen/{app_id}"))
        .await
        .assert_status(200);
    cert.post(
        &format!("/cert/aanmeldingen/{app_id}/terugsturen"),
        &[("reason", "Voeg ook de privacy officer toe.")],
    )
    .await
    .assert_redirect("/cert/aanmeldingen");
    let returned = t.mail_to("anna@obs-emmen.nl").await;
    assert!(
        returned[0]
            .body_text
            .contains("Voeg ook de privacy officer toe.")
    );
    applicant
        .get("/portaal")
        .await
        .assert_contains("Voeg ook de privacy officer toe.");
    applicant
        .post("/portaal/aanmelding/indienen", &[])
        .await
        .assert_redirect("/portaal?msg=submitted");
    cert.get(&format!("/cert/aanmeldingen/{app_id}")).await;
    cert.post(
        &format!("/cert/aanmeldingen/{app_id}/goedkeuren"),
        &[("approve_assets", "yes")],
    )
    .await
    .assert_redirect("/cert/aanmeldingen");
    assert!(
        t.mail_to("anna@obs-emmen.nl")
            .await
            .iter()
            .any(|m| m.kind == "join_approved")
    );

    // 5. The board is active and answers lookups, through the API as well as the pages.
    applicant
        .get("/portaal")
        .await
        .assert_contains("Aangesloten");
    cert.get("/cert/opzoeken?q=145.97.16.200")
        .await
        .assert_contains("Stichting Openbaar Onderwijs Emmen");
    let token = t.token(&analyst).await;
    let r = cert
        .api(
            Method::GET,
            "/api/v1/lookup?host=www.obs-emmen.nl",
            Some(&token),
            None,
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.json()["owners"][0]["duo_number"], "10249");
    let r = cert
        .api(
            Method::GET,
            "/api/v1/lookup?ip=2001:610:1::5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["owners"][0]["matched"], "2001:610:1::/48");

    // Mail leaves through the sender (the dev mailbox here).
    let report = t.run_jobs().await;
    assert!(report.mail.sent >= 5, "{report:?}");
    t.finish().await;
}

dual_tests!(a_board_joins_from_the_public_page_to_activation);
