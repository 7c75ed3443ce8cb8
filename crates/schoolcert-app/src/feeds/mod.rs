//! Security event feeds: streaming ingest of Shadowserver reports, IntelMQ JSON lines and
//! generic CSV (matched to boards, deduplicated, stored in batches), event and notice views,
//! the IntelMQ export, per-board digests through the outbox, preferences, retention, and the
//! Shadowserver Reports API pull.

pub mod digest;
pub mod events;
pub mod ingest;
pub mod preferences;
pub mod pull;
pub mod stored;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use schoolcert_domain::Tlp;
use schoolcert_feeds::generic_csv::GenericCsvConfig;
use schoolcert_feeds::schema::Schema;
use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult};

/// Settings of the feeds service (`[feeds]` in the configuration file).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedsConfig {
    /// The same problem seen again within this many hours updates its row.
    pub dedup_window_hours: i64,
    /// Events last seen longer ago than this are purged.
    pub retention_days: i64,
    /// Events per stored batch (one transaction each).
    pub batch_size: usize,
    /// Keep each event's original CSV line (`raw`, as IntelMQ does). About half of a stored
    /// event's size; switch off when nobody needs the original text.
    pub keep_raw: bool,
    /// The TLP label of digests (in the subject).
    pub tlp: Tlp,
    /// Events listed per problem group in a digest's text (all are in the attachment).
    pub digest_max_items: usize,
    /// A TOML file with explanations that replace or add to the embedded ones.
    pub explanations_file: Option<PathBuf>,
    /// A directory with `subject.j2`, `body.nl.j2` and/or `body.en.j2` replacing the defaults.
    pub templates_dir: Option<PathBuf>,
    /// A refreshed Shadowserver schema (JSON) instead of the embedded one.
    pub schema_file: Option<PathBuf>,
    /// Generic CSV feeds by name (`--feed NAME`): the column mapping.
    pub generic_csv: BTreeMap<String, GenericCsvConfig>,
    /// An ASCII-armoured OpenPGP secret key: digests get a detached signature attachment.
    pub pgp_key_file: Option<PathBuf>,
    pub pgp_passphrase: String,
    pub shadowserver: ShadowserverConfig,
}

/// The Shadowserver Reports API. Pulling runs only when `key` and `secret` are set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ShadowserverConfig {
    /// The API root (`reports/list` is appended); tests point this at a local server.
    pub api_url: String,
    /// Where reports are downloaded from (the report id is appended).
    pub download_url: String,
    pub key: String,
    #[serde(skip_serializing)]
    pub secret: String,
    /// Only these mailing lists (empty: all the key may see).
    pub reports: Vec<String>,
    /// Days back to list (late files appear after their date).
    pub days_back: i64,
}

impl Default for ShadowserverConfig {
    fn default() -> Self {
        ShadowserverConfig {
            api_url: schoolcert_feeds::shadowserver_api::API_ROOT.into(),
            download_url: schoolcert_feeds::shadowserver_api::DOWNLOAD_ROOT.into(),
            key: String::new(),
            secret: String::new(),
            reports: Vec::new(),
            days_back: 2,
        }
    }
}

impl ShadowserverConfig {
    pub fn enabled(&self) -> bool {
        !self.key.is_empty() && !self.secret.is_empty()
    }
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            dedup_window_hours: schoolcert_feeds::dedup::DEFAULT_WINDOW_HOURS,
            retention_days: 365,
            batch_size: 2000,
            keep_raw: true,
            tlp: Tlp::Amber,
            digest_max_items: 20,
            explanations_file: None,
            templates_dir: None,
            schema_file: None,
            generic_csv: BTreeMap::new(),
            pgp_key_file: None,
            pgp_passphrase: String::new(),
            shadowserver: ShadowserverConfig::default(),
        }
    }
}

static EMBEDDED_SCHEMA: OnceLock<Option<Schema>> = OnceLock::new();

/// The Shadowserver schema: the configured file, else the embedded one (parsed once).
pub(crate) fn schema(config: &FeedsConfig) -> AppResult<std::borrow::Cow<'static, Schema>> {
    if let Some(path) = &config.schema_file {
        let bytes = std::fs::read(path)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
        let s = Schema::from_json(&bytes)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
        return Ok(std::borrow::Cow::Owned(s));
    }
    EMBEDDED_SCHEMA
        .get_or_init(|| Schema::embedded().ok())
        .as_ref()
        .map(std::borrow::Cow::Borrowed)
        .ok_or_else(|| AppError::Internal("the embedded Shadowserver schema is invalid".into()))
}

/// Deletes events last seen longer ago than the retention; returns how many.
pub async fn purge(app: &crate::App) -> AppResult<u64> {
    let before = app.now() - chrono::Duration::days(app.config.feeds.retention_days.max(1));
    let mut cx = app.db.write().await?;
    let n = schoolcert_store::feeds::events::purge(&mut cx, before).await?;
    cx.commit().await?;
    if n > 0 {
        tracing::info!(purged = n, "old feed events purged");
    }
    Ok(n)
}
