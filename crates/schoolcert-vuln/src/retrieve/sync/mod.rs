//! The retrieving rules as a state machine without I/O: the HTTP layer asks for the next
//! batch of requests, fetches them (in any order, concurrently if it likes), hands each
//! response back, and repeats until the batch is empty. Order of phases: provider metadata
//! → public keys → listings (ROLIE preferred, else `changes.csv`, else `index.txt`) →
//! documents with their hash and signature files, verified before anyone parses them.

mod drive;
mod finish;

pub use drive::{Fetch, run};

use std::collections::HashSet;

use schoolcert_domain::Timestamp;
use serde::Serialize;
use url::Url;

use super::listing::{Listed, parse_changes_csv, parse_index_txt, parse_rolie_feed};
use super::metadata::{ProviderMetadata, parse_provider_metadata};
use super::verify::{HashCheck, SignatureCheck};
use crate::csaf::MAX_DOCUMENT_BYTES;
use crate::ingest::InputError;
use crate::openpgp::TrustedKeys;

/// How a sync behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConfig {
    /// Only documents updated after this (the cursor of the previous run).
    pub since: Option<Timestamp>,
    /// At most this many documents per run, oldest first, so the cursor moves forward.
    pub max_documents: usize,
    pub max_document_bytes: usize,
    /// TLP labels of feeds/directories to read. Public ones by default; add GREEN etc.
    /// only when the HTTP layer has credentials for them.
    pub tlp_labels: Vec<String>,
    /// Refuse listed documents on another origin than the provider metadata.
    pub same_origin_only: bool,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            since: None,
            max_documents: 500,
            max_document_bytes: MAX_DOCUMENT_BYTES,
            tlp_labels: vec!["WHITE".into(), "CLEAR".into(), "UNLABELED".into()],
            same_origin_only: true,
        }
    }
}

/// Why a URL is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Purpose {
    ProviderMetadata,
    PublicKey(usize),
    RolieFeed(usize),
    ChangesCsv(usize),
    IndexTxt(usize),
    Document(usize),
    Sha512(usize),
    Sha256(usize),
    Signature(usize),
}

/// One GET the HTTP layer must perform. It must not follow redirects to other hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub url: Url,
    pub purpose: Purpose,
}

/// What the HTTP layer got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    Body(Vec<u8>),
    /// 404 or 410: the file does not exist (fine for optional files).
    NotFound,
    /// Anything else: network error, other status, body over the size limit.
    Failed(String),
}

/// A document that passed the checks; parse it with [`crate::csaf::load`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetrievedDocument {
    pub url: Url,
    pub updated: Option<Timestamp>,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub hash: HashCheck,
    pub signature: SignatureCheck,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub provider: Option<ProviderMetadata>,
    pub documents: Vec<RetrievedDocument>,
    /// Documents refused (wrong hash, bad signature, too large, fetch failed), by URL.
    pub refused: Vec<InputError>,
    /// Problems that did not stop the run (a key that would not load, a bad listing row).
    pub problems: Vec<String>,
    /// The cursor to store for the next run: every listed document up to it was handled.
    pub cursor: Option<Timestamp>,
    /// The per-run cap left documents for the next run.
    pub more_remaining: bool,
    /// Why nothing could be done (metadata unreachable or invalid).
    pub fatal: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Metadata,
    Keys,
    Listings,
    IndexFallback,
    Documents,
    Done,
}

#[derive(Debug, Default)]
struct DocWork {
    listed: Option<Listed>,
    /// Refused before fetching (already in the report); counts as handled.
    skipped: bool,
    body: Option<Response>,
    sha512: Option<Response>,
    sha256: Option<Response>,
    signature: Option<Response>,
}

/// The state machine.
#[derive(Debug)]
pub struct ProviderSync {
    config: SyncConfig,
    metadata_url: Url,
    phase: Phase,
    outstanding: HashSet<Purpose>,
    metadata: Option<ProviderMetadata>,
    keys: TrustedKeys,
    keys_announced: bool,
    listing_urls: Vec<Url>,
    /// Directories without changes.csv, to be listed by index.txt.
    pending_index: Vec<(usize, Url)>,
    /// A listing could not be read: the cursor must not move.
    listing_incomplete: bool,
    listed: Vec<Listed>,
    docs: Vec<DocWork>,
    report: SyncReport,
}

impl ProviderSync {
    /// Starts a run for the provider whose `provider-metadata.json` is at `metadata_url`.
    /// `pinned` keys (configured by the CERT) are trusted in addition to published ones.
    pub fn new(metadata_url: Url, config: SyncConfig, pinned: TrustedKeys) -> ProviderSync {
        let keys_announced = !pinned.is_empty();
        ProviderSync {
            config,
            metadata_url,
            phase: Phase::Metadata,
            outstanding: HashSet::new(),
            metadata: None,
            keys: pinned,
            keys_announced,
            listing_urls: Vec::new(),
            pending_index: Vec::new(),
            listing_incomplete: false,
            listed: Vec::new(),
            docs: Vec::new(),
            report: SyncReport {
                provider: None,
                documents: Vec::new(),
                refused: Vec::new(),
                problems: Vec::new(),
                cursor: None,
                more_remaining: false,
                fatal: None,
            },
        }
    }

    /// The requests to perform now. Empty while responses are outstanding is impossible:
    /// call this again only after handling every request of the previous batch. An empty
    /// batch means the run is over; call [`ProviderSync::finish`].
    pub fn next_batch(&mut self) -> Vec<Request> {
        if !self.outstanding.is_empty() {
            return Vec::new();
        }
        loop {
            let batch = match self.phase {
                Phase::Metadata => {
                    self.phase = Phase::Keys;
                    vec![Request {
                        url: self.metadata_url.clone(),
                        purpose: Purpose::ProviderMetadata,
                    }]
                }
                Phase::Keys => {
                    self.phase = Phase::Listings;
                    self.key_requests()
                }
                Phase::Listings => {
                    self.phase = Phase::IndexFallback;
                    self.listing_requests()
                }
                Phase::IndexFallback => {
                    self.phase = Phase::Documents;
                    std::mem::take(&mut self.pending_index)
                        .into_iter()
                        .map(|(i, url)| Request {
                            url,
                            purpose: Purpose::IndexTxt(i),
                        })
                        .collect()
                }
                Phase::Documents => {
                    self.phase = Phase::Done;
                    self.document_requests()
                }
                Phase::Done => return Vec::new(),
            };
            if self.report.fatal.is_some() {
                self.phase = Phase::Done;
                return Vec::new();
            }
            if !batch.is_empty() {
                self.outstanding = batch.iter().map(|r| r.purpose).collect();
                return batch;
            }
        }
    }

    fn key_requests(&mut self) -> Vec<Request> {
        let Some(m) = &self.metadata else {
            return Vec::new();
        };
        if !m.public_keys.is_empty() {
            self.keys_announced = true;
        }
        m.public_keys
            .iter()
            .enumerate()
            .map(|(i, k)| Request {
                url: k.url.clone(),
                purpose: Purpose::PublicKey(i),
            })
            .collect()
    }

    fn listing_requests(&mut self) -> Vec<Request> {
        let Some(m) = &self.metadata else {
            return Vec::new();
        };
        let wanted = |label: &str| {
            self.config
                .tlp_labels
                .iter()
                .any(|l| l.eq_ignore_ascii_case(label))
        };
        // ROLIE is preferred when both distributions exist (7.3 step 2).
        let feeds: Vec<Url> = m
            .rolie_feeds
            .iter()
            .filter(|f| wanted(&f.tlp_label))
            .map(|f| f.url.clone())
            .collect();
        if !feeds.is_empty() {
            self.listing_urls = feeds;
            return self
                .listing_urls
                .iter()
                .enumerate()
                .map(|(i, u)| Request {
                    url: u.clone(),
                    purpose: Purpose::RolieFeed(i),
                })
                .collect();
        }
        self.listing_urls = m
            .directories
            .iter()
            .filter(|d| wanted(&d.tlp_label))
            .map(|d| {
                let mut u = d.url.clone();
                if !u.path().ends_with('/') {
                    u.set_path(&format!("{}/", u.path()));
                }
                u
            })
            .collect();
        if self.listing_urls.is_empty() {
            self.report
                .problems
                .push("the provider lists no distribution we may read".into());
        }
        self.listing_urls
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                Some(Request {
                    url: u.join("changes.csv").ok()?,
                    purpose: Purpose::ChangesCsv(i),
                })
            })
            .collect()
    }

    fn document_requests(&mut self) -> Vec<Request> {
        let mut seen = HashSet::new();
        let mut listed: Vec<Listed> = std::mem::take(&mut self.listed)
            .into_iter()
            .filter(|l| seen.insert(l.url.clone()))
            .filter(|l| match (self.config.since, l.updated) {
                (Some(since), Some(t)) => t > since,
                _ => true,
            })
            .collect();
        listed.sort_by(|a, b| a.updated.cmp(&b.updated).then(a.url.cmp(&b.url)));
        if listed.len() > self.config.max_documents {
            // Never split documents with the same update time: the next run starts after it.
            let cut = listed
                .get(self.config.max_documents)
                .and_then(|l| l.updated);
            let mut keep = self.config.max_documents;
            while keep > 0 && listed.get(keep - 1).and_then(|l| l.updated) == cut && cut.is_some() {
                keep -= 1;
            }
            if keep > 0 {
                listed.truncate(keep);
                self.report.more_remaining = true;
            }
        }
        let origin = self.metadata.as_ref().map(|m| m.canonical_url.origin());
        let mut out = Vec::new();
        for l in listed {
            let i = self.docs.len();
            if self.config.same_origin_only && origin.as_ref() != Some(&l.url.origin()) {
                self.report.refused.push(InputError::new(
                    l.url.as_str(),
                    "the document is on another origin than the provider",
                ));
                // Counted as handled: the listing is wrong, fetching again will not help.
                self.docs.push(DocWork {
                    listed: Some(l),
                    skipped: true,
                    ..DocWork::default()
                });
                continue;
            }
            let sibling = |suffix: &str| Url::parse(&format!("{}{suffix}", l.url)).ok();
            let sha512 = l
                .hash_urls
                .iter()
                .find(|u| u.path().ends_with(".sha512"))
                .cloned()
                .or_else(|| sibling(".sha512"));
            let sha256 = l
                .hash_urls
                .iter()
                .find(|u| u.path().ends_with(".sha256"))
                .cloned()
                .or_else(|| sibling(".sha256"));
            let signature = l.signature_url.clone().or_else(|| sibling(".asc"));
            out.push(Request {
                url: l.url.clone(),
                purpose: Purpose::Document(i),
            });
            for (u, p) in [
                (sha512, Purpose::Sha512(i)),
                (sha256, Purpose::Sha256(i)),
                (signature, Purpose::Signature(i)),
            ] {
                if let Some(url) = u {
                    out.push(Request { url, purpose: p });
                }
            }
            self.docs.push(DocWork {
                listed: Some(l),
                ..DocWork::default()
            });
        }
        out
    }

    /// Hands back the response to a request of the current batch.
    pub fn handle(&mut self, request: &Request, response: Response) {
        if !self.outstanding.remove(&request.purpose) {
            return;
        }
        match request.purpose {
            Purpose::ProviderMetadata => match response {
                Response::Body(b) => match parse_provider_metadata(&b, &request.url) {
                    Ok(m) => {
                        self.report.provider = Some(m.clone());
                        self.metadata = Some(m);
                    }
                    Err(e) => self.report.fatal = Some(e.to_string()),
                },
                Response::NotFound => {
                    self.report.fatal = Some(format!("{} does not exist", request.url));
                }
                Response::Failed(e) => {
                    self.report.fatal = Some(format!("{}: {e}", request.url));
                }
            },
            Purpose::PublicKey(i) => {
                let fingerprint = self
                    .metadata
                    .as_ref()
                    .and_then(|m| m.public_keys.get(i))
                    .and_then(|k| k.fingerprint.clone());
                let result =
                    match response {
                        Response::Body(b) => String::from_utf8(b)
                            .map_err(|e| e.to_string())
                            .and_then(|t| {
                                self.keys
                                    .add_armored(&t, fingerprint.as_deref())
                                    .map_err(|e| e.to_string())
                            }),
                        Response::NotFound => Err("not found".into()),
                        Response::Failed(e) => Err(e),
                    };
                if let Err(e) = result {
                    self.report
                        .problems
                        .push(format!("public key {}: {e}", request.url));
                }
            }
            Purpose::RolieFeed(_) => match response {
                Response::Body(b) => match parse_rolie_feed(&b, &request.url) {
                    Ok(l) => self.listed.extend(l),
                    Err(e) => self.report.problems.push(format!("{}: {e}", request.url)),
                },
                other => self.listing_failed(&request.url, other),
            },
            Purpose::ChangesCsv(i) => match response {
                Response::Body(b) => {
                    let dir = self.listing_urls.get(i).cloned();
                    if let Some(dir) = dir {
                        let (l, errors) = parse_changes_csv(&b, &dir);
                        self.listed.extend(l);
                        self.listing_row_errors(&request.url, errors);
                    }
                }
                Response::NotFound => {
                    // Without changes.csv, fall back to the full index.
                    if let Some(url) = self
                        .listing_urls
                        .get(i)
                        .and_then(|d| d.join("index.txt").ok())
                    {
                        self.pending_index.push((i, url));
                    }
                }
                other => self.listing_failed(&request.url, other),
            },
            Purpose::IndexTxt(i) => match response {
                Response::Body(b) => {
                    if let Some(dir) = self.listing_urls.get(i).cloned() {
                        let (l, errors) = parse_index_txt(&b, &dir);
                        self.listed.extend(l);
                        self.listing_row_errors(&request.url, errors);
                    }
                }
                other => self.listing_failed(&request.url, other),
            },
            Purpose::Document(i) => self.store(i, |w| &mut w.body, response),
            Purpose::Sha512(i) => self.store(i, |w| &mut w.sha512, response),
            Purpose::Sha256(i) => self.store(i, |w| &mut w.sha256, response),
            Purpose::Signature(i) => self.store(i, |w| &mut w.signature, response),
        }
    }

    fn store(&mut self, i: usize, slot: fn(&mut DocWork) -> &mut Option<Response>, r: Response) {
        if let Some(w) = self.docs.get_mut(i) {
            *slot(w) = Some(r);
        }
    }

    fn listing_failed(&mut self, url: &Url, r: Response) {
        let why = match r {
            Response::NotFound => "not found".to_owned(),
            Response::Failed(e) => e,
            Response::Body(_) => return,
        };
        self.report.problems.push(format!("{url}: {why}"));
        // A listing we could not read means documents may be missing: keep the cursor.
        self.listing_incomplete = true;
    }

    fn listing_row_errors(
        &mut self,
        url: &Url,
        errors: Vec<schoolcert_domain::registry::RowError>,
    ) {
        for e in errors {
            self.report
                .problems
                .push(format!("{url} line {}: {}", e.line, e.reason));
        }
    }
}
