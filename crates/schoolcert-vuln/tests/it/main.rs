//! End-to-end tests of the vulnerability service's pure core: ingest → match → prioritise →
//! reconcile → publish, on real-shaped documents.

// Helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pipeline;
mod revisions;
