//! The streaming pipeline the store drives: events (from any parser) → board match → dedup
//! key → in-file deduplication, plus the SHA-256 of the input file for idempotent re-ingest.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use schoolcert_domain::lookup::LookupIndex;
use schoolcert_domain::registry::RowError;
use sha2::{Digest, Sha256};

use crate::dedup::{DedupKey, Deduplicator, Observed, Window};
use crate::event::Event;
use crate::matching::{Match, match_event};

/// One event ready for the store.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub event: Event,
    pub matched: Match,
    pub key: DedupKey,
}

/// Counters of one ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestCounts {
    pub events: u64,
    pub matched: u64,
    pub unmatched: u64,
    pub conflicts: u64,
    /// Repeats inside the file, folded into the first occurrence.
    pub repeats: u64,
    pub row_errors: u64,
}

/// Wraps an iterator of parsed events; yields each new (not repeated) event with its match and
/// key, and every row error. Repeats only update the deduplicator (see
/// [`Deduplicator::repeated`] for the counts to apply at the end).
#[derive(Debug)]
pub struct Ingest<'i, I> {
    events: I,
    index: &'i LookupIndex,
    dedup: Deduplicator,
    counts: IngestCounts,
}

impl<'i, I> Ingest<'i, I>
where
    I: Iterator<Item = Result<Event, RowError>>,
{
    pub fn new(events: I, index: &'i LookupIndex, window: Window) -> Self {
        Ingest {
            events,
            index,
            dedup: Deduplicator::new(window),
            counts: IngestCounts::default(),
        }
    }

    pub fn counts(&self) -> &IngestCounts {
        &self.counts
    }

    pub fn deduplicator(&self) -> &Deduplicator {
        &self.dedup
    }

    /// The counters and the deduplicator (for its repeat counts) once the stream is done.
    pub fn into_parts(self) -> (I, Deduplicator, IngestCounts) {
        (self.events, self.dedup, self.counts)
    }
}

impl<I> Iterator for Ingest<'_, I>
where
    I: Iterator<Item = Result<Event, RowError>>,
{
    type Item = Result<Ingested, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let event = match self.events.next()? {
                Ok(e) => e,
                Err(e) => {
                    self.counts.row_errors += 1;
                    return Some(Err(e));
                }
            };
            self.counts.events += 1;
            let key = DedupKey::of_event(&event);
            let t = event
                .time_source
                .or(event.time_observation)
                .unwrap_or_default();
            if self.dedup.observe(key, t) == Observed::Repeat {
                self.counts.repeats += 1;
                continue;
            }
            let matched = match_event(self.index, &event);
            match (matched.board, matched.conflict) {
                (_, true) => self.counts.conflicts += 1,
                (Some(_), false) => self.counts.matched += 1,
                (None, false) => self.counts.unmatched += 1,
            }
            return Some(Ok(Ingested {
                event,
                matched,
                key,
            }));
        }
    }
}

/// A reader that hashes what passes through (SHA-256), for "this exact file was ingested
/// before". Take the [`FileHash`] handle before handing the reader to a parser.
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    state: Arc<Mutex<Sha256>>,
}

/// The hash of everything read through a [`HashingReader`] so far.
#[derive(Debug, Clone)]
pub struct FileHash(Arc<Mutex<Sha256>>);

impl FileHash {
    /// Hex SHA-256 of the bytes read so far.
    pub fn hex(&self) -> String {
        match self.0.lock() {
            Ok(h) => hex::encode(h.clone().finalize()),
            Err(p) => hex::encode(p.into_inner().clone().finalize()),
        }
    }
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> (Self, FileHash) {
        let state = Arc::new(Mutex::new(Sha256::new()));
        (
            HashingReader {
                inner,
                state: Arc::clone(&state),
            },
            FileHash(state),
        )
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.state.lock() {
            Ok(mut h) => h.update(&buf[..n]),
            Err(p) => p.into_inner().update(&buf[..n]),
        }
        Ok(n)
    }
}

/// Hex SHA-256 of a byte slice (for files already in memory).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;
    use crate::shadowserver::{ReportContext, ShadowserverParser};
    use crate::synthetic::{ScanRdpReport, registry};
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn a_synthetic_report_flows_through_match_and_dedup_and_is_hashed() {
        let schema = Schema::embedded().unwrap();
        let rt = schema.by_file_name("scan_rdp").unwrap();
        let bytes = ScanRdpReport::to_bytes(3000, 42, "2026-03-24");
        let (reader, hash) = HashingReader::new(&bytes[..]);
        let ctx = ReportContext::new(parse_rfc3339("2026-03-24T06:00:00Z").unwrap());
        let parser = ShadowserverParser::new(rt, reader, ctx).unwrap();
        let index = registry(42);
        let mut ingest = Ingest::new(parser, &index, Window::default());
        let out: Vec<_> = ingest.by_ref().collect();
        let counts = ingest.counts().clone();
        assert_eq!(counts.events, 3000);
        assert!(counts.repeats > 50 && counts.repeats < 300, "{counts:?}");
        assert_eq!(out.len() as u64, counts.events - counts.repeats);
        assert!(counts.matched > 500, "{counts:?}");
        assert!(counts.unmatched > 500, "{counts:?}");
        assert_eq!(hash.hex(), sha256_hex(&bytes));
        let (_, dedup, _) = ingest.into_parts();
        assert!(dedup.repeated().count() > 0);
    }
}
