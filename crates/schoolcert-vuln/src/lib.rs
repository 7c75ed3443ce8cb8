//! Pure vulnerability information: catalogue, CSAF/CVE/KEV/EPSS, matching, priorities, publishing.
//!
//! No I/O happens here: callers hand in bytes and get values, row errors and files back.
//!
//! - In: [`csaf::load`] / [`csaf::load_many`] (2.0 validated by `csaf-rs`, 2.1 drafts
//!   tolerated), [`cve::parse_record`] / [`cve::parse_delta`], [`kev::parse`],
//!   [`epss::parse`], and [`retrieve`] (the CSAF retrieving rules as a state machine the
//!   HTTP layer drives).
//! - What schools run: [`catalogue::Catalogue`] (seed in `data/catalogue.toml`) and
//!   [`landscape::Landscape`] (with [`landscape::csv`]).
//! - Matching: documents and records become [`statement::Statement`]s; a
//!   [`matching::Matcher`] turns them into [`matching::Match`]es per board × product ×
//!   vulnerability; [`priority::PriorityConfig::assess`] ranks them with
//!   [`intel::ThreatIntel`]; [`match_state::reconcile`] decides create / keep / re-notify;
//!   [`rematch::Trigger::scope`] says what to run again.
//! - Out: [`advisory::SectorAdvisory`], [`publish::to_csaf`], [`publish::build`] (the
//!   `/.well-known/csaf/` tree with hashes and [`openpgp::Signer`] signatures), and
//!   [`feed`] (Markdown → safe HTML, Atom).
//! - [`synthetic`]: deterministic benchmark data.

pub mod advisory;
pub mod catalogue;
pub mod cpe;
pub mod csaf;
pub mod cve;
pub mod epss;
pub mod feed;
pub mod ids;
pub mod ingest;
pub mod intel;
pub mod kev;
pub mod landscape;
pub mod match_state;
pub mod matching;
pub mod openpgp;
pub mod priority;
pub mod publish;
pub mod purl;
pub mod rematch;
pub mod retrieve;
pub mod statement;
pub mod synthetic;
pub mod text;
pub mod version;
