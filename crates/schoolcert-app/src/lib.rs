//! schoolcert's use cases: every action a page, an API call, a command or a background job
//! performs goes through here. Each checks who may do it, runs the pure rules, and writes
//! through the store in one transaction together with its audit entries and outgoing mail.

pub mod auth;
pub mod cases;
pub mod config;
pub mod dns;
pub mod error;
pub mod feeds;
pub mod index;
pub mod jobs;
pub mod mail;
pub mod registry;
pub mod vuln;

use std::sync::Arc;

use schoolcert_domain::access::Actor;
use schoolcert_domain::{Clock, Timestamp};
use schoolcert_store::Db;

pub use config::AppConfig;
pub use error::{AppError, AppResult, FieldError, Msg};

/// Everything a use case needs. Cheap to clone; holds no state that is not in the database
/// except caches that the database says when to refresh (the lookup index).
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<AppConfig>,
    pub clock: Arc<dyn Clock>,
    pub index: Arc<index::IndexHandle>,
    pub dns: Arc<dns::TxtResolver>,
    pub mailer: Arc<mail::sender::Transport>,
}

impl App {
    pub fn new(db: Db, config: AppConfig, clock: Arc<dyn Clock>) -> AppResult<App> {
        let dns = dns::TxtResolver::new(config.dns_server)?;
        let mailer = mail::sender::Transport::from_config(&config)?;
        Ok(App {
            db,
            config: Arc::new(config),
            clock,
            index: Arc::new(index::IndexHandle::default()),
            dns: Arc::new(dns),
            mailer: Arc::new(mailer),
        })
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

/// Fails with `Forbidden` unless the actor is CERT staff.
pub fn require_cert(actor: &Actor) -> AppResult<()> {
    if actor.is_cert() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Fails with `Forbidden` unless the actor is a CERT administrator.
pub fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
