//! A blocking driver for the sync state machine, for tests, the CLI and simple clients.

use super::{ProviderSync, Request, Response, SyncReport};

/// Something that performs GET requests; for tests, the CLI, or a blocking client.
pub trait Fetch {
    fn fetch(&mut self, request: &Request) -> Response;
}

/// Drives a sync to the end with `fetcher`, one request at a time. An async HTTP layer
/// writes the same loop with `.await` (and may fetch a batch concurrently).
pub fn run(mut sync: ProviderSync, fetcher: &mut impl Fetch) -> SyncReport {
    loop {
        let batch = sync.next_batch();
        if batch.is_empty() {
            break;
        }
        for r in &batch {
            let response = fetcher.fetch(r);
            sync.handle(r, response);
        }
    }
    sync.finish()
}
