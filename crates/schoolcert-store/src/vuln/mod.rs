//! Vulnerability-information storage: catalogue products, board landscapes, ingested documents
//! and threat intelligence, matches, sector advisories with their notices, guides, and the
//! generated CSAF provider files. Structured facts that only the pure crate interprets (a
//! catalogue product, a parsed CSAF document, a match's remediations) are kept as JSON text,
//! written and read by `schoolcert-app`; what is filtered or sorted on has its own column.

pub mod advisories;
pub mod catalogue;
pub mod documents;
pub mod guides;
pub mod landscape;
pub mod matches;
pub mod provider;
