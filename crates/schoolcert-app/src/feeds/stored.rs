//! Events as the store keeps them, and back. A Shadowserver event is stored as its source row;
//! its file keeps a [`FileSource`] (report type, header line, observation time, `raw` or not),
//! and reading parses the rows again, a file's rows of a page in one go. That keeps a stored
//! event about a tenth of the size of its IntelMQ JSON, which is what lets reports be stored
//! at the rate they are parsed. Other events (IntelMQ JSON, generic CSV) keep their JSON.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use schoolcert_domain::lang::Localized;

use schoolcert_feeds::event::Event;
use schoolcert_feeds::intelmq_json::{from_json_str, to_json_line};
use schoolcert_feeds::shadowserver::{ReportContext, reparse};
use schoolcert_store::feeds::events::StoredEvent;
use serde::{Deserialize, Serialize};

use super::FeedsConfig;

/// How a file's stored rows are parsed again (`feed_files.source`, JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSource {
    /// The Shadowserver report type (its file-name part, e.g. `scan_rdp`).
    pub report: String,
    /// The header line as it stood in the file, line ending included.
    pub header: String,
    /// `time.observation` of the file's events.
    pub observed: DateTime<Utc>,
    pub keep_raw: bool,
}

impl FileSource {
    pub fn to_json(&self) -> String {
        // A struct of strings, a time and a bool always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Option<FileSource> {
        serde_json::from_str(s).ok()
    }
}

/// The events of `rows`, in order; `None` for a row that no longer parses (a schema that
/// changed under stored rows, or a bug: logged by id, without the row's content).
pub fn events_of(config: &FeedsConfig, rows: &[StoredEvent]) -> Vec<Option<Event>> {
    let mut out: Vec<Option<Event>> = Vec::with_capacity(rows.len());
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        match (&r.record, &r.file_source) {
            (Some(_), Some(source)) => {
                by_file.entry(source.as_str()).or_default().push(i);
                out.push(None);
            }
            _ => out.push(match from_json_str(&r.event_json) {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!(event = r.id, error = %e.message(schoolcert_domain::Lang::En), "stored event does not parse");
                    None
                }
            }),
        }
    }
    for (source, idx) in by_file {
        let records = idx
            .iter()
            .filter_map(|&i| rows.get(i).and_then(|r| r.record.as_deref()));
        match reparse_file(config, source, records) {
            Ok(events) => {
                for (&i, ev) in idx.iter().zip(events) {
                    if ev.is_none() {
                        tracing::warn!(event = rows[i].id, "stored feed row does not parse again");
                    }
                    out[i] = ev;
                }
            }
            Err(why) => {
                let ids: Vec<i64> = idx.iter().map(|&i| rows[i].id).collect();
                tracing::warn!(events = ?ids, why, "stored feed rows cannot be parsed again");
            }
        }
    }
    out
}

fn reparse_file<'r>(
    config: &FeedsConfig,
    source: &str,
    records: impl Iterator<Item = &'r str>,
) -> Result<Vec<Option<Event>>, String> {
    let source = FileSource::from_json(source).ok_or("the file's source is not readable")?;
    let schema = super::schema(config).map_err(|e| e.to_string())?;
    let report = schema
        .find(&source.report)
        .ok_or_else(|| format!("report type {} is not in the schema", source.report))?;
    let mut ctx = ReportContext::new(source.observed);
    ctx.keep_raw = source.keep_raw;
    let parsed = reparse(report, &source.header, records, ctx)
        .map_err(|e| e.message(schoolcert_domain::Lang::En))?;
    Ok(parsed.into_iter().map(Result::ok).collect())
}

/// The rows as IntelMQ JSON lines (the matched board in `extra.schoolcert_board`); `None`
/// where [`events_of`] has none.
pub fn intelmq_lines(config: &FeedsConfig, rows: &[StoredEvent]) -> Vec<Option<String>> {
    events_of(config, rows)
        .iter()
        .zip(rows)
        .map(|(ev, r)| {
            ev.as_ref()
                .map(|e| to_json_line(e, r.board_id.map(schoolcert_domain::BoardId)))
        })
        .collect()
}

/// The rows as IntelMQ JSON values (`null` where [`events_of`] has none), for the API and the
/// event page.
pub fn intelmq_values(config: &FeedsConfig, rows: &[StoredEvent]) -> Vec<serde_json::Value> {
    intelmq_lines(config, rows)
        .into_iter()
        .map(|l| {
            l.and_then(|l| serde_json::from_str(&l).ok())
                .unwrap_or(serde_json::Value::Null)
        })
        .collect()
}
