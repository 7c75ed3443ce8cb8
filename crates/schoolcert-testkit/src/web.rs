//! The whole application in-process for one test: a fresh database on the chosen backend, a
//! fake clock, mail captured in the outbox, a fake DNS server, and helpers to create boards
//! and users and to log in as them.

use std::sync::Arc;

use axum::Router;
use chrono::{TimeZone, Utc};
use schoolcert_app::auth::{totp, users};
use schoolcert_app::{App, AppConfig};
use schoolcert_domain::access::{Actor, Role};
use schoolcert_domain::registry::BoardStatus;
use schoolcert_domain::time::ManualClock;
use schoolcert_domain::{BoardId, Clock, Lang};
use schoolcert_store::audit::By;
use schoolcert_store::outbox::{self, Mail, MailFilter};
use schoolcert_store::registry::boards::{self, BoardFields};
use schoolcert_store::{Backend, PageRequest};

use crate::{Client, FakeDns, TestDb};

/// The password of users made by `TestApp::user`.
pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub app: App,
    pub clock: ManualClock,
    pub router: Router,
    pub dns: FakeDns,
    tdb: TestDb,
}

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts with a tweak of the configuration.
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut AppConfig)) -> TestApp {
        let tdb = TestDb::new(backend).await;
        let dns = FakeDns::start().await;
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap());
        let mut config = AppConfig {
            base_url: "https://cert.test".into(),
            // Cheap hashing keeps tests fast; production parameters are tested in the app crate.
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            dns_server: Some(dns.addr),
            ..AppConfig::default()
        };
        // Tests never reach real CSAF providers; a test adds its own fake one.
        config.vuln.providers.clear();
        tweak(&mut config);
        let app = App::new(
            tdb.db.clone(),
            config,
            Arc::new(clock.clone()) as Arc<dyn Clock>,
        )
        .expect("app");
        schoolcert_app::registry::terms::ensure_default(&app)
            .await
            .expect("terms");
        let router = schoolcert_web::router(app.clone());
        TestApp {
            app,
            clock,
            router,
            dns,
            tdb,
        }
    }

    pub fn backend(&self) -> Backend {
        self.tdb.backend()
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// Runs every due job and sends due mail (into the dev mailbox).
    pub async fn run_jobs(&self) -> schoolcert_app::jobs::TickReport {
        schoolcert_app::jobs::tick(&self.app, "test")
            .await
            .expect("jobs")
    }

    /// Every message queued for an address, newest first.
    pub async fn mail_to(&self, address: &str) -> Vec<Mail> {
        let mut cx = self.app.db.read().await.unwrap();
        outbox::list(
            &mut cx,
            &MailFilter {
                to: Some(address.to_owned()),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(500)),
        )
        .await
        .unwrap()
        .items
    }

    /// The first link into the application found in the newest message to `address`.
    pub async fn link_in_mail(&self, address: &str) -> String {
        let mail = self.mail_to(address).await;
        let body = &mail
            .first()
            .unwrap_or_else(|| panic!("no mail to {address}"))
            .body_text;
        let at = body
            .find("https://cert.test")
            .unwrap_or_else(|| panic!("no link in mail:\n{body}"));
        body[at + "https://cert.test".len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }

    /// A board straight into the registry.
    pub async fn board(&self, duo: &str, name: &str, status: BoardStatus) -> BoardId {
        let mut cx = self.app.db.write().await.unwrap();
        let f = BoardFields {
            duo_number: duo.into(),
            name: name.into(),
            sectors: "po".into(),
            street: "Schoolstraat 1".into(),
            postcode: "7822 HG".into(),
            city: "EMMEN".into(),
            kvk_number: None,
            rio_id: None,
            website: None,
        };
        let id = boards::insert(&mut cx, &f, BoardStatus::Registered, self.app.now())
            .await
            .unwrap();
        if status != BoardStatus::Registered {
            boards::set_status(&mut cx, id, status, None, self.app.now())
                .await
                .unwrap();
        }
        cx.commit().await.unwrap();
        id
    }

    /// A user with `PASSWORD`; CERT users get a second factor set up, as they must.
    pub async fn user(&self, email: &str, role: Role, board: Option<BoardId>) -> Actor {
        let account = users::NewAccount {
            email,
            name: "",
            role,
            board,
            password: Some(PASSWORD),
            lang: Lang::Nl,
        };
        let u = users::create(&self.app, By::System("test"), account)
            .await
            .unwrap();
        if role.requires_totp() {
            let mut cx = self.app.db.write().await.unwrap();
            schoolcert_store::accounts::users::set_totp(
                &mut cx,
                u.id,
                Some(TOTP_SECRET),
                true,
                self.app.now(),
            )
            .await
            .unwrap();
            cx.commit().await.unwrap();
        }
        schoolcert_app::auth::actor_of(&u)
    }

    /// Logs in through the pages (second factor included) and returns the client.
    pub async fn login(&self, email: &str) -> Client {
        let mut c = self.client();
        c.get("/login").await.assert_status(200);
        let r = c
            .post(
                "/login",
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        r.assert_status(303);
        if r.location().is_some_and(|l| l.starts_with("/login/code")) {
            c.get("/login/code").await.assert_status(200);
            // Each code is accepted once: move to a fresh time step first.
            self.clock.advance(chrono::Duration::seconds(31));
            let code = totp::current_code(&self.app, TOTP_SECRET).unwrap();
            c.post("/login/code", &[("code", &code), ("next", "/")])
                .await
                .assert_status(303);
        }
        c
    }

    /// An API token for a user.
    pub async fn token(&self, actor: &Actor) -> String {
        schoolcert_app::auth::tokens::create(&self.app, actor, "test")
            .await
            .unwrap()
            .expose()
            .to_owned()
    }

    pub async fn finish(self) {
        self.tdb.cleanup().await;
    }
}

/// The second-factor secret of CERT users made by `TestApp::user`.
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
