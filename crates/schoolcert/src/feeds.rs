//! `schoolcert feed ...` and `schoolcert events export`: ingest files with a summary per file
//! (rejected rows by line on stderr), pull from Shadowserver, queue due digests, purge, and
//! export events as IntelMQ JSON lines on stdout.

use std::io::Write;

use anyhow::{Context, bail};
use chrono::{NaiveDate, TimeZone, Utc};
use schoolcert_app::feeds::{self as feed_cases, digest, events, ingest, pull};
use schoolcert_domain::access::Scope;
use schoolcert_store::audit::By;
use schoolcert_store::feeds::events::EventFilter;

use crate::cli::FeedCommand;
use crate::commands::{explain, find_board, report};
use crate::config::Settings;
use crate::serve;

pub async fn run(settings: &Settings, json: bool, command: FeedCommand) -> anyhow::Result<()> {
    let app = serve::open(settings).await?;
    match command {
        FeedCommand::Ingest { feed, files } => {
            let mut failed = 0;
            for file in &files {
                match ingest::ingest_path(&app, By::System("feed ingest"), file, feed.as_deref())
                    .await
                {
                    Ok(s) => {
                        let line = if s.already_ingested {
                            format!("{}: already ingested, nothing done", s.file)
                        } else {
                            format!(
                                "{} ({}): {} rows read, {} events, {} rejected, {} matched, {} unmatched, {} duplicates{}",
                                s.file,
                                s.feed,
                                s.rows_read,
                                s.events,
                                s.rejected,
                                s.matched,
                                s.unmatched + s.conflicts,
                                s.duplicates,
                                s.file_error
                                    .as_deref()
                                    .map(|e| format!("; stopped early: {e}"))
                                    .unwrap_or_default()
                            )
                        };
                        report(json, &line, serde_json::to_value(&s)?);
                        if !json {
                            for e in &s.errors {
                                eprintln!("{} line {}: {}", s.file, e.line, e.reason);
                            }
                            if s.rejected > s.errors.len() as u64 {
                                eprintln!(
                                    "{}: {} more rejected rows not listed",
                                    s.file,
                                    s.rejected - s.errors.len() as u64
                                );
                            }
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("{}: {}", file.display(), explain(e));
                    }
                }
            }
            if failed > 0 {
                bail!("{failed} of {} files could not be ingested", files.len());
            }
            Ok(())
        }
        FeedCommand::Pull { date } => {
            let s = pull::pull(&app, date).await.map_err(explain)?;
            let line = format!(
                "{} reports listed: {} ingested, {} already done, {} failed",
                s.listed,
                s.ingested.len(),
                s.skipped,
                s.failed.len()
            );
            report(json, &line, serde_json::to_value(&s)?);
            if !json {
                for (f, e) in &s.failed {
                    eprintln!("{f}: {e}");
                }
            }
            Ok(())
        }
        FeedCommand::Digest => {
            let n = digest::send_due(&app).await.map_err(explain)?;
            report(
                json,
                &format!("{n} digests queued"),
                serde_json::json!({ "queued": n }),
            );
            Ok(())
        }
        FeedCommand::Purge => {
            let n = feed_cases::purge(&app).await.map_err(explain)?;
            report(
                json,
                &format!(
                    "{n} events older than {} days deleted",
                    app.config.feeds.retention_days
                ),
                serde_json::json!({ "purged": n }),
            );
            Ok(())
        }
    }
}

fn parse_since(s: &str) -> anyhow::Result<chrono::DateTime<Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("--since {s:?}: give RFC 3339 or YYYY-MM-DD"))?;
    Ok(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

pub async fn export(
    settings: &Settings,
    format: &str,
    feed: Option<String>,
    board: Option<String>,
    since: Option<String>,
) -> anyhow::Result<()> {
    if format != "intelmq" {
        bail!("unknown format {format:?} (supported: intelmq)");
    }
    let app = serve::open(settings).await?;
    let board_id = match board {
        Some(duo) => Some(find_board(&app, &duo).await?),
        None => None,
    };
    let filter = EventFilter {
        feed,
        board_id,
        since: since.as_deref().map(parse_since).transpose()?,
        ..EventFilter::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // A reader that stops early (`| head`) closes the pipe: that ends the export, quietly.
    let mut closed = false;
    let result = events::export_intelmq(&app, Scope::All, &filter, |line| {
        let r = out
            .write_all(line.as_bytes())
            .and_then(|()| out.write_all(b"\n"));
        if let Err(e) = &r {
            closed = e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        r
    })
    .await;
    if closed {
        return Ok(());
    }
    let n = result.map_err(explain)?;
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other?,
    }
    tracing::info!(events = n, "exported");
    Ok(())
}
