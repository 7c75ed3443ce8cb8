//! Settings the use cases depend on. The binary reads them from the environment and an
//! optional TOML file; tests build them directly.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AppConfig {
    /// Where people reach the web application; used in links in e-mail.
    pub base_url: String,
    /// The CERT's name as it appears in mail and pages.
    pub cert_name: String,
    /// The From address of outgoing mail; its domain also names Message-IDs.
    pub mail_from: String,
    /// `smtp://`, `smtps://` or `smtp+starttls://` URL; without it mail stays in the dev mailbox.
    pub smtp_url: Option<String>,
    /// A directory with overrides of the e-mail templates.
    pub mail_templates_dir: Option<PathBuf>,
    /// A session ends after this many minutes without a request...
    pub session_idle_minutes: i64,
    /// ...and at the latest this many hours after login.
    pub session_max_hours: i64,
    /// argon2id memory cost in KiB (OWASP: 19 MiB at t = 2).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    /// How long a joining confirmation link stays valid.
    pub application_link_hours: i64,
    /// A DNS server for domain verification (`127.0.0.1:5353`); default the system's resolver.
    pub dns_server: Option<SocketAddr>,
    /// Demo mode: shows demo accounts' one-time codes on the second-factor page.
    pub demo: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Vulnerability information: remote CSAF providers, automatic P1 notices, priorities,
    /// and the CERT's own CSAF provider.
    pub vuln: crate::vuln::VulnConfig,
    /// Security event feeds: ingest, deduplication, digests, Shadowserver pulls.
    pub feeds: crate::feeds::FeedsConfig,
    /// Leading zero bits the public CVD form's proof of work asks for.
    pub cvd_pow_difficulty: u8,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            base_url: "http://127.0.0.1:8080".into(),
            cert_name: "School-CERT".into(),
            mail_from: "School-CERT <cert@schoolcert.localhost>".into(),
            smtp_url: None,
            mail_templates_dir: None,
            session_idle_minutes: 120,
            session_max_hours: 12,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            application_link_hours: 48,
            dns_server: None,
            demo: false,
            trust_forwarded_for: false,
            vuln: crate::vuln::VulnConfig::default(),
            feeds: crate::feeds::FeedsConfig::default(),
            cvd_pow_difficulty: 18,
        }
    }
}

impl AppConfig {
    /// The domain part of `mail_from`, for Message-IDs and reply addresses.
    pub fn mail_domain(&self) -> &str {
        let addr = self.mail_from.rsplit('<').next().unwrap_or(&self.mail_from);
        addr.trim_end_matches('>')
            .rsplit('@')
            .next()
            .unwrap_or("localhost")
    }

    /// A link into the web application.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }
}
