//! Pure feed processing: IntelMQ-compatible events, Shadowserver parsing, matching, digests.
//!
//! The security-event-feed service's core, without I/O: bytes come in through `std::io::Read`,
//! events, board matches, deduplication keys and rendered digests go out. What the store, the
//! application layer and the command line call:
//!
//! - ingest a Shadowserver file: [`schema::Schema::embedded`] (or `from_json` for a refreshed
//!   schema) → [`filename::report_type_for_file`] / [`filename::report_type_by_name`] →
//!   [`shadowserver::ShadowserverParser::new`] (an iterator of `Result<Event, RowError>`;
//!   `finish()` gives counters or the whole-file error) → [`ingest::Ingest`] (adds
//!   [`matching::Match`] and [`dedup::DedupKey`], folds in-file repeats); wrap the input in
//!   [`ingest::HashingReader`] for the file's SHA-256;
//! - other inputs: [`intelmq_json::JsonLinesReader`] (IntelMQ JSON lines),
//!   [`generic_csv::GenericCsvParser`] with a [`generic_csv::GenericCsvConfig`] from TOML;
//! - export: [`intelmq_json::to_json_line`] (one IntelMQ event object, board in
//!   `extra.schoolcert_board`);
//! - store-side dedup: [`dedup::DedupKey::of_event`], [`dedup::Window::decide`];
//! - notices: [`digest::render_digest`] with [`digest::Explanations`] and
//!   [`digest::Templates`]; [`digest::Preferences::check`] for a board's choices;
//! - Shadowserver Reports API: [`shadowserver_api::list_request`],
//!   [`shadowserver_api::parse_list_response`], [`shadowserver_api::download_url`];
//! - benchmarks: [`synthetic::ScanRdpReport`] and [`synthetic::registry`].

pub mod conversions;
pub mod csvreader;
pub mod dedup;
pub mod digest;
pub mod event;
pub mod field;
pub mod filename;
pub mod generic_csv;
pub mod harmonize;
pub mod ingest;
pub mod intelmq_json;
pub mod matching;
pub mod pyfmt;
pub mod schema;
pub mod shadowserver;
pub mod shadowserver_api;
pub mod synthetic;

pub use event::{Event, Value};
pub use field::Field;
pub use schema::{ReportType, Schema};
