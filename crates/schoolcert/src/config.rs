//! Configuration: defaults, then an optional TOML file, then `SCHOOLCERT_*` environment
//! variables (`SCHOOLCERT_DATABASE_URL`, `SCHOOLCERT_LISTEN`, `SCHOOLCERT_BASE_URL`,
//! `SCHOOLCERT_SMTP_URL`, ...). Errors name the source of the bad value.
//!
//! The feeds service reads a `[feeds]` table (`schoolcert_app::feeds::FeedsConfig`): dedup
//! window, retention, batch size, TLP, template/explanation/schema overrides, generic CSV
//! mappings (`[feeds.generic_csv.NAME]`), an OpenPGP key for signing digests, and
//! `[feeds.shadowserver]` (`api_url`, `download_url`, `key`, `secret`, `reports`, `days_back`).

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use schoolcert_app::AppConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://schoolcert.db` (default), a path to an existing SQLite file, or `postgres://...`.
    pub database_url: String,
    pub listen: SocketAddr,
    /// Maximum database connections of this instance.
    pub database_max_connections: u32,
    #[serde(flatten)]
    pub app: AppConfig,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: DEFAULT_DATABASE.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_max_connections: 8,
            app: AppConfig::default(),
        }
    }
}

pub const DEFAULT_DATABASE: &str = "schoolcert.db";

impl Settings {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut f = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            anyhow::ensure!(
                path.exists(),
                "configuration file {} does not exist",
                path.display()
            );
            f = f.merge(Toml::file(path));
        }
        let mut s: Settings = f
            .merge(Env::prefixed("SCHOOLCERT_").ignore(&["CONFIG"]))
            .extract()
            .context("reading the configuration")?;
        // Without an explicit base URL, links point at what we listen on.
        if std::env::var("SCHOOLCERT_BASE_URL").is_err()
            && s.app.base_url == AppConfig::default().base_url
        {
            s.app.base_url = format!("http://{}", s.listen);
        }
        Ok(s)
    }

    /// Database options: the default file is created on first start; any other bare path must
    /// exist (a typo must not silently start an empty registry); `sqlite://` creates on purpose.
    pub fn db_options(&self) -> schoolcert_store::DbOptions {
        let create =
            self.database_url == DEFAULT_DATABASE || self.database_url.starts_with("sqlite:");
        schoolcert_store::DbOptions {
            create_if_missing: create,
            max_connections: self.database_max_connections,
            ..schoolcert_store::DbOptions::new(self.database_url.clone())
        }
    }
}
