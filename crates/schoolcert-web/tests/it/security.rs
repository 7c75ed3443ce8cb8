//! Cookies, headers, roles and the second factor.

use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{PASSWORD, TestApp, dual_tests};

async fn the_session_cookie_is_secure_http_only_and_same_site(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let c = t.login("ict@a.nl").await;
    let cookie = c
        .set_cookie_log
        .iter()
        .find(|s| s.starts_with("sc_session="))
        .unwrap();
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    let csrf = c
        .set_cookie_log
        .iter()
        .find(|s| s.starts_with("sc_csrf="))
        .unwrap();
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"),
        "{csrf}"
    );
    t.finish().await;
}

async fn every_page_carries_the_security_headers(b: Backend) {
    let t = TestApp::start(b).await;
    let mut c = t.client();
    for path in [
        "/",
        "/login",
        "/aanmelden",
        "/api/v1/boards",
        "/no-such-page",
    ] {
        let r = c.get(path).await;
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(
            r.headers["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
        assert_eq!(r.headers["cache-control"], "no-store");
    }
    t.finish().await;
}

async fn cert_staff_must_set_up_a_second_factor_before_anything_else(b: Backend) {
    let t = TestApp::start(b).await;
    // A CERT account created without a second factor (as `user create` does).
    let account = schoolcert_app::auth::users::NewAccount {
        email: "nieuw@cert.test",
        name: "",
        role: Role::CertAnalyst,
        board: None,
        password: Some(PASSWORD),
        lang: schoolcert_domain::Lang::Nl,
    };
    schoolcert_app::auth::users::create(
        &t.app,
        schoolcert_store::audit::By::System("test"),
        account,
    )
    .await
    .unwrap();
    let mut c = t.client();
    c.get("/login").await;
    c.post(
        "/login",
        &[
            ("email", "nieuw@cert.test"),
            ("password", PASSWORD),
            ("next", "/cert"),
        ],
    )
    .await
    .assert_redirect("/account/tweede-factor");
    c.get("/cert")
        .await
        .assert_redirect("/account/tweede-factor");
    c.get("/cert/besturen")
        .await
        .assert_redirect("/account/tweede-factor");
    let page = c.get("/account/tweede-factor").await;
    page.assert_status(200).assert_contains("verplicht");
    let secret = page
        .body
        .split("<p><code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    c.post("/account/tweede-factor", &[("code", "000000")])
        .await
        .assert_status(200)
        .assert_contains("klopt niet");
    t.clock.advance(chrono::Duration::seconds(31));
    let code = schoolcert_app::auth::totp::current_code(&t.app, &secret).unwrap();
    c.post("/account/tweede-factor", &[("code", &code)])
        .await
        .assert_redirect("/cert");
    c.get("/cert").await.assert_status(200);
    // The same code cannot be used twice.
    let mut again = t.client();
    again.get("/login").await;
    again
        .post(
            "/login",
            &[("email", "nieuw@cert.test"), ("password", PASSWORD)],
        )
        .await
        .assert_redirect("/login/code");
    again.get("/login/code").await;
    again
        .post("/login/code", &[("code", &code)])
        .await
        .assert_status(200)
        .assert_contains("al gebruikt");
    t.finish().await;
}

async fn board_contacts_cannot_use_cert_pages_and_anonymous_users_must_log_in(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let mut anon = t.client();
    anon.get("/portaal")
        .await
        .assert_redirect("/login?next=%2Fportaal");
    anon.get("/cert")
        .await
        .assert_redirect("/login?next=%2Fcert");
    let mut c = t.login("ict@a.nl").await;
    c.get("/cert")
        .await
        .assert_status(403)
        .assert_contains("Geen toegang");
    // After login an outside `next` is never followed.
    let mut d = t.client();
    d.get("/login").await;
    d.post(
        "/login",
        &[
            ("email", "ict@a.nl"),
            ("password", PASSWORD),
            ("next", "//evil.example/x"),
        ],
    )
    .await
    .assert_redirect("/");
    t.finish().await;
}

async fn the_first_administrator_link_works_once(b: Backend) {
    let t = TestApp::start(b).await;
    let link = schoolcert_app::auth::users::first_admin_link(&t.app)
        .await
        .unwrap()
        .unwrap();
    let path = link.trim_start_matches("https://cert.test");
    let mut c = t.client();
    c.get(path).await.assert_status(200);
    c.post(
        path,
        &[
            ("email", "beheer@cert.test"),
            ("name", "Beheer"),
            ("password", "kort"),
            ("password2", "kort"),
        ],
    )
    .await
    .assert_status(200)
    .assert_contains("minstens 12");
    c.post(
        path,
        &[
            ("email", "beheer@cert.test"),
            ("name", "Beheer"),
            ("password", PASSWORD),
            ("password2", PASSWORD),
        ],
    )
    .await
    .assert_redirect("/account/tweede-factor");
    t.client().get(path).await.assert_status(409);
    assert!(
        schoolcert_app::auth::users::first_admin_link(&t.app)
            .await
            .unwrap()
            .is_none(),
        "no second link once users exist"
    );
    t.finish().await;
}

dual_tests!(
    the_session_cookie_is_secure_http_only_and_same_site,
    every_page_carries_the_security_headers,
    cert_staff_must_set_up_a_second_factor_before_anything_else,
    board_contacts_cannot_use_cert_pages_and_anonymous_users_must_log_in,
    the_first_administrator_link_works_once,
);
