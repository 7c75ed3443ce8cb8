//! Retrieving CSAF documents from a provider by the standard's rules (7.3), as pure logic:
//! discovery URLs, provider metadata, listings (ROLIE, `changes.csv`, `index.txt`), hash and
//! signature checks, and a request/response state machine an HTTP layer drives.

mod listing;
mod metadata;
mod sync;
mod verify;

#[cfg(test)]
mod tests;

pub use listing::{Listed, parse_changes_csv, parse_index_txt, parse_rolie_feed};
pub use metadata::{
    KeyRef, Labelled, ProviderMetadata, Role, discovery_urls, parse_provider_metadata,
    security_txt_csaf_urls,
};
pub use sync::{
    Fetch, ProviderSync, Purpose, Request, Response, RetrievedDocument, SyncConfig, SyncReport, run,
};
pub use verify::{HashCheck, SignatureCheck, VerifyError, parse_hash_file, verify};

/// Whole-file problems of the retrieval inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetrieveError {
    #[error("'{0}' is not a usable domain or URL")]
    BadUrl(String),
    #[error("provider-metadata.json: {0}")]
    Metadata(String),
    #[error("listing: {0}")]
    Listing(String),
}
