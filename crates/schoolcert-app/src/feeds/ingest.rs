//! Ingesting a file: the parser runs on a blocking thread and hands batches of matched,
//! deduplicated events over a small channel; each batch is stored in one transaction. Memory
//! stays flat whatever the file size (about three batches in flight plus the in-file dedup table).
//! The same file (by SHA-256) is ingested once; the same observation in another file is
//! recognised by its event key and changes nothing.

use std::io::Read;
use std::path::Path;

use chrono::Duration;
use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::lookup::LookupIndex;
use schoolcert_domain::registry::RowError;
use schoolcert_feeds::dedup::{Deduplicator, Window};
use schoolcert_feeds::event::Event;
use schoolcert_feeds::filename;
use schoolcert_feeds::generic_csv::{GenericCsvConfig, GenericCsvParser};
use schoolcert_feeds::harmonize::url_host;
use schoolcert_feeds::ingest::{Ingest, IngestCounts, sha256_hex};
use schoolcert_feeds::intelmq_json::{JsonLinesReader, to_json_line};
use schoolcert_feeds::schema::ReportType;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::feeds::events::{self, BatchOutcome, NewEvent};
use schoolcert_store::feeds::files::{self, FileCounts, Rejected};
use serde::Serialize;
use tokio::sync::mpsc;

use super::stored::FileSource;
use crate::{App, AppError, AppResult, Msg, require_cert};

/// Rejected rows kept per file (all are counted).
const MAX_REPORTED_ERRORS: usize = 1000;

/// What an ingest did, for the command line (`--json`), the upload page and the API.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    pub file: String,
    pub feed: String,
    pub file_id: Option<i64>,
    /// This exact file was ingested before: nothing was done.
    pub already_ingested: bool,
    pub rows_read: u64,
    pub events: u64,
    pub rejected: u64,
    pub matched: u64,
    pub unmatched: u64,
    /// Matched to more than one board: kept for an analyst, nobody notified.
    pub conflicts: u64,
    /// Repeats inside the file plus observations folded into stored rows or already stored.
    pub duplicates: u64,
    /// New rows stored.
    pub stored: u64,
    pub errors: Vec<Rejected>,
    /// The problem that stopped reading the file early, if any.
    pub file_error: Option<String>,
}

/// Which parser reads the input.
#[derive(Debug, Clone)]
enum Format {
    Shadowserver(Box<ReportType>),
    IntelmqJson,
    Generic(Box<GenericCsvConfig>),
}

impl Format {
    fn feed(&self) -> String {
        match self {
            Format::Shadowserver(rt) => rt.feed_name.clone(),
            Format::IntelmqJson => "intelmq".into(),
            Format::Generic(c) => c.feed_name.clone(),
        }
    }
}

/// Picks the parser: `--feed` (a generic CSV mapping name, `intelmq`, or a Shadowserver
/// report/feed name), else the file name (`.jsonl`/`.json`: IntelMQ; else Shadowserver's name).
fn format_for(app: &App, name: &str, feed: Option<&str>) -> AppResult<Format> {
    let schema = super::schema(&app.config.feeds)?;
    match feed.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) if app.config.feeds.generic_csv.contains_key(f) => Ok(Format::Generic(Box::new(
            app.config.feeds.generic_csv[f].clone(),
        ))),
        Some("intelmq") | Some("intelmq-json") => Ok(Format::IntelmqJson),
        Some(f) => filename::report_type_by_name(&schema, f)
            .map(|rt| Format::Shadowserver(Box::new(rt.clone())))
            .map_err(|e| AppError::invalid("feed", Msg::of(&e))),
        None if name.ends_with(".jsonl") || name.ends_with(".json") => Ok(Format::IntelmqJson),
        None => filename::report_type_for_file(&schema, name)
            .map(|rt| Format::Shadowserver(Box::new(rt.clone())))
            .map_err(|e| AppError::invalid("feed", Msg::of(&e))),
    }
}

/// Ingests a file from disk (hashed first, so a repeat is refused before parsing).
pub async fn ingest_path(
    app: &App,
    by: By<'_>,
    path: &Path,
    feed: Option<&str>,
) -> AppResult<IngestSummary> {
    permitted(&by)?;
    let p = path.to_owned();
    let sha = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let f = std::fs::File::open(&p)?;
        let (mut r, hash) = schoolcert_feeds::ingest::HashingReader::new(f);
        std::io::copy(&mut r, &mut std::io::sink())?;
        Ok(hash.hex())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| {
        AppError::invalid(
            "file",
            Msg::new(
                format!("{} kan niet gelezen worden: {e}", path.display()),
                format!("{} cannot be read: {e}", path.display()),
            ),
        )
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let file = std::fs::File::open(path).map_err(|e| AppError::Internal(e.to_string()))?;
    ingest_reader(app, by, &name, &sha, feed, file).await
}

/// Ingests bytes already in memory (an upload, a pulled report).
pub async fn ingest_bytes(
    app: &App,
    by: By<'_>,
    name: &str,
    feed: Option<&str>,
    bytes: Vec<u8>,
) -> AppResult<IngestSummary> {
    permitted(&by)?;
    let sha = sha256_hex(&bytes);
    ingest_reader(app, by, name, &sha, feed, std::io::Cursor::new(bytes)).await
}

/// People must be CERT staff; the system (command line, pull job) may always.
fn permitted(by: &By<'_>) -> AppResult<()> {
    match by {
        By::Actor(a) => require_cert(a),
        By::System(_) => Ok(()),
    }
}

/// One message from the parsing thread.
enum Piece {
    Batch(Vec<NewEvent>),
}

/// What the parsing thread reports at the end.
struct Parsed {
    rows_read: u64,
    counts: IngestCounts,
    errors: Vec<Rejected>,
    repeats: Vec<events::Repeat>,
    file_error: Option<String>,
}

/// The streaming ingest. `sha256` is the hash of exactly what `src` yields.
pub async fn ingest_reader<R: Read + Send + 'static>(
    app: &App,
    by: By<'_>,
    name: &str,
    sha256: &str,
    feed: Option<&str>,
    src: R,
) -> AppResult<IngestSummary> {
    permitted(&by)?;
    let index = app.index.fresh(&app.db).await?;
    ingest_with_index(app, by, name, sha256, feed, src, index).await
}

/// [`ingest_reader`] with a given lookup index instead of the registry's (the benchmark's
/// synthetic sector).
pub async fn ingest_with_index<R: Read + Send + 'static>(
    app: &App,
    by: By<'_>,
    name: &str,
    sha256: &str,
    feed: Option<&str>,
    src: R,
    index: std::sync::Arc<LookupIndex>,
) -> AppResult<IngestSummary> {
    permitted(&by)?;
    let format = format_for(app, name, feed)?;
    let feed_name = format.feed();
    let mut summary = IngestSummary {
        file: name.to_owned(),
        feed: feed_name.clone(),
        ..IngestSummary::default()
    };
    let existing = {
        let mut cx = app.db.read().await?;
        files::find_by_hash(&mut cx, sha256).await?
    };
    if let Some(f) = &existing
        && f.complete
    {
        summary.file_id = Some(f.id);
        summary.already_ingested = true;
        summary.feed = f.feed.clone();
        return Ok(summary);
    }
    let window = Window(Duration::hours(app.config.feeds.dedup_window_hours.max(0)));
    let batch_size = app.config.feeds.batch_size.clamp(1, 50_000);
    // A file whose ingest stopped halfway goes again as it went the first time: its stored
    // rows are parsed again with the first observation time.
    let earlier = existing
        .as_ref()
        .and_then(|f| f.source.as_deref())
        .and_then(FileSource::from_json);
    let observation = earlier.as_ref().map_or_else(|| app.now(), |s| s.observed);
    let keep_raw = earlier
        .as_ref()
        .map_or(app.config.feeds.keep_raw, |s| s.keep_raw);
    let (tx, mut rx) = mpsc::channel::<Piece>(1);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<Result<Option<String>, String>>();
    let report = match &format {
        Format::Shadowserver(rt) => Some(rt.file_name.clone()),
        _ => None,
    };
    // A file first ingested before rows were kept as records goes on as it began: in JSON.
    let records_allowed = existing.as_ref().is_none_or(|f| f.source.is_some());
    let parse = tokio::task::spawn_blocking(move || {
        parse_thread(
            format,
            src,
            &index,
            window,
            batch_size,
            observation,
            keep_raw,
            records_allowed,
            tx,
            ready_tx,
        )
    });
    // A whole-file problem in the header (missing columns) is refused before anything is
    // written.
    let header = match ready_rx.await {
        Ok(Ok(header)) => header,
        Ok(Err(message)) => {
            let _ = parse.await;
            return Err(AppError::invalid(
                "file",
                Msg::new(format!("{name}: {message}"), format!("{name}: {message}")),
            ));
        }
        Err(_) => {
            return Err(AppError::Internal(match parse.await {
                Err(e) => e.to_string(),
                Ok(_) => "the parser stopped".into(),
            }));
        }
    };
    // Rows of a Shadowserver report are stored as they are, to be parsed again on reading.
    let source = report.zip(header).map(|(report, header)| FileSource {
        report,
        header,
        observed: observation,
        keep_raw,
    });
    let now = app.now();
    let file_id = match existing {
        // An ingest of this file stopped halfway before: go again; stored observations are
        // recognised by their keys.
        Some(f) => f.id,
        None => {
            let mut cx = app.db.write().await?;
            let (uid, label) = by_parts(&by);
            let source = source.as_ref().map(FileSource::to_json);
            let file = files::NewFile {
                sha256,
                name,
                feed: &feed_name,
                by: uid,
                by_label: &label,
                source: source.as_deref(),
            };
            let id = files::insert(&mut cx, file, now).await?;
            cx.commit().await?;
            id
        }
    };
    summary.file_id = Some(file_id);
    let window_d = window.0;
    let mut stored = BatchOutcome::default();
    while let Some(Piece::Batch(batch)) = rx.recv().await {
        let mut cx = app.db.write().await?;
        let o = events::store_batch(&mut cx, Some(file_id), window_d, &batch, app.now()).await?;
        cx.commit().await?;
        stored.inserted += o.inserted;
        stored.updated += o.updated;
        stored.already += o.already;
    }
    let parsed = parse.await.map_err(|e| AppError::Internal(e.to_string()))?;
    let mut cx = app.db.write().await?;
    events::apply_repeats(&mut cx, file_id, &parsed.repeats).await?;
    let c = &parsed.counts;
    summary.rows_read = parsed.rows_read;
    summary.events = c.events;
    summary.rejected = c.row_errors;
    summary.matched = c.matched;
    summary.unmatched = c.unmatched;
    summary.conflicts = c.conflicts;
    summary.duplicates = c.repeats + stored.updated + stored.already;
    summary.stored = stored.inserted;
    summary.errors = parsed.errors;
    summary.file_error = parsed.file_error;
    let mut errors = summary.errors.clone();
    if let Some(e) = &summary.file_error {
        errors.push(Rejected {
            line: 0,
            reason: e.clone(),
        });
    }
    let counts = FileCounts {
        rows_read: i64::try_from(summary.rows_read).unwrap_or(i64::MAX),
        events: i64::try_from(summary.events).unwrap_or(i64::MAX),
        rejected: i64::try_from(summary.rejected).unwrap_or(i64::MAX),
        matched: i64::try_from(summary.matched).unwrap_or(i64::MAX),
        unmatched: i64::try_from(summary.unmatched + summary.conflicts).unwrap_or(i64::MAX),
        duplicates: i64::try_from(summary.duplicates).unwrap_or(i64::MAX),
    };
    files::finish(&mut cx, file_id, &feed_name, &counts, &errors).await?;
    audit::record(
        &mut cx,
        Record {
            by,
            board_id: None,
            object_type: "feed_file",
            object_id: file_id,
            action: "ingest",
            changes: vec![schoolcert_domain::audit::change(
                "summary",
                serde_json::Value::Null,
                &counts,
            )],
        },
        app.now(),
    )
    .await?;
    cx.commit().await?;
    Ok(summary)
}

fn by_parts(by: &By<'_>) -> (Option<schoolcert_domain::UserId>, String) {
    match by {
        By::Actor(a) => (Some(a.user_id), a.label.clone()),
        By::System(s) => (None, format!("systeem: {s}")),
    }
}

/// The row of the store for one ingested event: with `keep_record`, the event's source record
/// (when its parser kept one) instead of its JSON.
pub fn to_new_event(ing: &schoolcert_feeds::ingest::Ingested, keep_record: bool) -> NewEvent {
    let ev = &ing.event;
    let host = ev
        .source_fqdn()
        .or_else(|| ev.source_url().and_then(url_host))
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let asset = match ing.matched.reason {
        schoolcert_feeds::matching::MatchReason::Ip { asset }
        | schoolcert_feeds::matching::MatchReason::Fqdn { asset }
        | schoolcert_feeds::matching::MatchReason::Url { asset } => Some(asset),
        schoolcert_feeds::matching::MatchReason::None => None,
    };
    let record = ev.record().filter(|_| keep_record);
    NewEvent {
        key: ing.key.0,
        feed: ev.feed_name().unwrap_or("").to_owned(),
        taxonomy: ev.classification_taxonomy().unwrap_or("other").to_owned(),
        class_type: ev
            .classification_type()
            .unwrap_or("undetermined")
            .to_owned(),
        identifier: ev
            .classification_identifier()
            .or_else(|| ev.classification_type())
            .unwrap_or("")
            .to_owned(),
        source_ip: ev.source_ip,
        source_port: ev.source_port,
        host,
        board_id: ing.matched.board,
        match_reason: ing.matched.reason_code(),
        match_asset_id: asset,
        conflict: ing.matched.conflict,
        seen: seen_at(ev),
        record: record.map(str::to_owned),
        event_json: match record {
            Some(_) => String::new(),
            None => to_json_line(ev, ing.matched.board),
        },
    }
}

fn seen_at(ev: &Event) -> chrono::DateTime<chrono::Utc> {
    ev.time_source.or(ev.time_observation).unwrap_or_default()
}

/// Runs the pipeline over any parser; returns the parser (for its whole-file error), the
/// deduplicator (for the repeats) and the collected row errors.
fn drive<I>(
    events: I,
    index: &LookupIndex,
    window: Window,
    batch_size: usize,
    keep_record: bool,
    tx: &mpsc::Sender<Piece>,
) -> (I, Deduplicator, IngestCounts, Vec<Rejected>)
where
    I: Iterator<Item = Result<Event, RowError>>,
{
    let mut ingest = Ingest::new(events, index, window);
    let mut batch = Vec::with_capacity(batch_size);
    let mut errors = Vec::new();
    for item in ingest.by_ref() {
        match item {
            Ok(ing) => {
                batch.push(to_new_event(&ing, keep_record));
                if batch.len() >= batch_size {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                    if tx.blocking_send(Piece::Batch(full)).is_err() {
                        // The storing side gave up (a database error): stop reading.
                        break;
                    }
                }
            }
            Err(e) => {
                if errors.len() < MAX_REPORTED_ERRORS {
                    errors.push(Rejected {
                        line: e.line as u64,
                        reason: e.reason,
                    });
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(Piece::Batch(batch));
    }
    let (events, dedup, counts) = ingest.into_parts();
    (events, dedup, counts, errors)
}

#[allow(clippy::too_many_arguments)]
fn parse_thread<R: Read>(
    format: Format,
    src: R,
    index: &LookupIndex,
    window: Window,
    batch_size: usize,
    observation: chrono::DateTime<chrono::Utc>,
    keep_raw: bool,
    records_allowed: bool,
    tx: mpsc::Sender<Piece>,
    ready: tokio::sync::oneshot::Sender<Result<Option<String>, String>>,
) -> Parsed {
    let repeats = |d: &Deduplicator| {
        d.repeated()
            .map(|(k, s)| (k.0, s.first_seen, s.last_seen, i64::from(s.count) - 1))
            .collect::<Vec<_>>()
    };
    let failed = |message: String| Parsed {
        rows_read: 0,
        counts: IngestCounts::default(),
        errors: Vec::new(),
        repeats: Vec::new(),
        file_error: Some(message),
    };
    match format {
        Format::Shadowserver(rt) => {
            let mut ctx = ReportContext::new(observation);
            ctx.keep_raw = keep_raw;
            let parser = match ShadowserverParser::new(&rt, src, ctx) {
                Ok(p) => p,
                Err(e) => {
                    let m = e.message(Lang::Nl);
                    let _ = ready.send(Err(m.clone()));
                    return failed(m);
                }
            };
            // Without the header's own text (repaired bytes), rows are stored as JSON.
            let header = parser
                .header_source()
                .filter(|_| records_allowed)
                .map(str::to_owned);
            let keep_record = header.is_some();
            let _ = ready.send(Ok(header));
            let (parser, dedup, counts, errors) =
                drive(parser, index, window, batch_size, keep_record, &tx);
            drop(tx);
            let (rows_read, file_error) = match parser.finish() {
                Ok(s) => (s.rows, None),
                Err(e) => (counts.events + counts.row_errors, Some(e.message(Lang::Nl))),
            };
            Parsed {
                rows_read,
                repeats: repeats(&dedup),
                counts,
                errors,
                file_error,
            }
        }
        Format::IntelmqJson => {
            let _ = ready.send(Ok(None));
            let reader = JsonLinesReader::new(src, Lang::Nl);
            let (mut reader, dedup, counts, errors) =
                drive(reader, index, window, batch_size, false, &tx);
            drop(tx);
            Parsed {
                rows_read: counts.events + counts.row_errors,
                repeats: repeats(&dedup),
                file_error: reader.take_error().map(|e| e.to_string()),
                counts,
                errors,
            }
        }
        Format::Generic(config) => {
            let parser = match GenericCsvParser::new(&config, src, observation, Lang::Nl) {
                Ok(p) => p,
                Err(e) => {
                    let m = e.message(Lang::Nl);
                    let _ = ready.send(Err(m.clone()));
                    return failed(m);
                }
            };
            let _ = ready.send(Ok(None));
            let (mut parser, dedup, counts, errors) =
                drive(parser, index, window, batch_size, false, &tx);
            drop(tx);
            Parsed {
                rows_read: counts.events + counts.row_errors,
                repeats: repeats(&dedup),
                file_error: parser.take_error().map(|e| e.message(Lang::Nl)),
                counts,
                errors,
            }
        }
    }
}
