//! `schoolcert bench feeds`: throughput of the feed pipeline on a synthetic Shadowserver
//! `scan_rdp` report (written to a temporary file first, so that neither the generator's cost nor
//! the input's size is measured; both phases stream the file) against a
//! sector-sized registry (1,300 boards, 50,000 prefixes, 20,000 domains). Two figures: rows per
//! second for parse + normalise + match + dedup alone (one thread), and for the whole ingest
//! into a scratch database of the configured kind; plus the process's peak memory (VmHWM).

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use schoolcert_app::App;
use schoolcert_domain::BoardId;
use schoolcert_domain::lookup::LookupIndex;
use schoolcert_domain::time::{SystemClock, parse_rfc3339};
use schoolcert_feeds::dedup::Window;
use schoolcert_feeds::ingest::Ingest;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use schoolcert_feeds::synthetic::{ScanRdpReport, registry_entries};
use schoolcert_store::audit::By;
use schoolcert_store::registry::boards::{self, BoardFields};
use schoolcert_store::{Db, DbOptions};
use serde_json::json;

use crate::commands::report;
use crate::config::Settings;

const SEED: u64 = 42;
const DAY: &str = "2026-11-20";

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub async fn feeds(
    settings: &Settings,
    json: bool,
    rows: u64,
    storage: bool,
    keep_raw: bool,
) -> anyhow::Result<()> {
    let mut settings = settings.clone();
    settings.app.feeds.keep_raw = keep_raw;
    let settings = &settings;
    let schema = Schema::embedded().context("the embedded schema")?;
    let rt = schema
        .by_file_name("scan_rdp")
        .context("scan_rdp is not in the schema")?
        .clone();
    let entries = registry_entries(SEED);
    let index = Arc::new(LookupIndex::build(entries.clone(), []));
    let observed = parse_rfc3339("2026-11-20T06:00:00Z").context("time")?;
    let report_file = ReportFile::generate(rows)?;

    // 1. The pure pipeline on one thread.
    let (pure_secs, events, matched) = tokio::task::spawn_blocking({
        let rt = rt.clone();
        let index = index.clone();
        let path = report_file.path.clone();
        move || -> anyhow::Result<(f64, u64, u64)> {
            let src = open_report(&path)?;
            let started = Instant::now();
            let mut ctx = ReportContext::new(observed);
            ctx.keep_raw = keep_raw;
            let parser = ShadowserverParser::new(&rt, src, ctx).context("parser")?;
            let mut ingest = Ingest::new(parser, &index, Window::default());
            // Consume every event as the store would receive it.
            for item in ingest.by_ref() {
                std::hint::black_box(&item);
            }
            let secs = started.elapsed().as_secs_f64();
            let c = ingest.counts().clone();
            Ok((secs, c.events, c.matched))
        }
    })
    .await??;
    // The storing phase builds its own index over the registered boards' ids.
    drop(index);
    let pure_rate = rows as f64 / pure_secs;

    let pure_peak = peak_rss_mib();
    let mut out = json!({
        "rows": rows,
        "keep_raw": keep_raw,
        "events": events,
        "matched": matched,
        "pure": { "seconds": pure_secs, "rows_per_second": pure_rate, "peak_rss_mib": pure_peak },
    });
    let mut line = format!(
        "scan_rdp, {rows} rows{}: parse+normalise+match+dedup {pure_rate:.0} rows/s ({pure_secs:.2} s, one thread)",
        if keep_raw { "" } else { " (without raw)" }
    );

    // 2. The whole ingest into a scratch database.
    if storage {
        let (db, scratch) = scratch_db(settings).await?;
        let result = store_bench(settings, &db, &entries, rows, &report_file.path).await;
        let backend = format!("{:?}", db.backend());
        db.drop_schema(&scratch.schema).await.ok();
        db.close().await;
        if let Some(p) = &scratch.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
        let (secs, summary) = result?;
        let rate = rows as f64 / secs;
        line.push_str(&format!(
            "; stored into {backend}: {rate:.0} rows/s ({secs:.2} s, {} rows stored, {} duplicates)",
            summary.stored, summary.duplicates
        ));
        out["stored"] = json!({
            "backend": backend,
            "seconds": secs,
            "rows_per_second": rate,
            "rows_stored": summary.stored,
            "duplicates": summary.duplicates,
        });
    }
    let peak = peak_rss_mib();
    if let Some(p) = peak {
        line.push_str(&format!("; peak memory {p:.0} MiB"));
    }
    out["peak_rss_mib"] = json!(peak);
    report(json, &line, out);
    Ok(())
}

/// The synthetic report on disk, removed when dropped.
struct ReportFile {
    path: std::path::PathBuf,
}

impl ReportFile {
    fn generate(rows: u64) -> anyhow::Result<ReportFile> {
        let path = std::env::temp_dir().join(format!(
            "schoolcert-bench-{}-{DAY}-scan_rdp.csv",
            std::process::id()
        ));
        let file = ReportFile { path };
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&file.path).context("creating the report file")?,
        );
        std::io::copy(&mut ScanRdpReport::new(rows, SEED, DAY), &mut out)
            .context("writing the report file")?;
        std::io::Write::flush(&mut out).context("writing the report file")?;
        Ok(file)
    }
}

impl Drop for ReportFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn open_report(path: &std::path::Path) -> anyhow::Result<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).context("opening the report file")?;
    Ok(std::io::BufReader::with_capacity(1 << 20, file))
}

struct Scratch {
    schema: String,
    file: Option<std::path::PathBuf>,
}

/// A temporary SQLite file, or a temporary schema in the configured PostgreSQL.
async fn scratch_db(settings: &Settings) -> anyhow::Result<(Db, Scratch)> {
    let url = &settings.database_url;
    let pid = std::process::id();
    if schoolcert_store::is_postgres_url(url) {
        let schema = format!("schoolcert_bench_{pid}");
        let admin = Db::open(&DbOptions::new(url.clone())).await?;
        admin.create_schema(&schema).await?;
        admin.close().await;
        let db = Db::open(&DbOptions {
            pg_schema: Some(schema.clone()),
            ..DbOptions::new(url.clone())
        })
        .await?;
        db.migrate().await?;
        return Ok((db, Scratch { schema, file: None }));
    }
    let path = std::env::temp_dir().join(format!("schoolcert-bench-{pid}.db"));
    let db = Db::open(&DbOptions::new(format!("sqlite://{}", path.display()))).await?;
    db.migrate().await?;
    Ok((
        db,
        Scratch {
            schema: String::new(),
            file: Some(path),
        },
    ))
}

/// Registers the synthetic boards, then times the application's own ingest of the report.
async fn store_bench(
    settings: &Settings,
    db: &Db,
    entries: &[schoolcert_domain::lookup::IndexEntry],
    rows: u64,
    report: &std::path::Path,
) -> anyhow::Result<(f64, schoolcert_app::feeds::ingest::IngestSummary)> {
    let now = schoolcert_domain::Clock::now(&SystemClock);
    let mut ids = Vec::with_capacity(1300);
    let mut cx = db.write().await?;
    for i in 0..1300 {
        let f = BoardFields {
            duo_number: format!("{:05}", 40000 + i),
            name: format!("Benchmarkbestuur {i}"),
            sectors: "po".into(),
            street: String::new(),
            postcode: String::new(),
            city: String::new(),
            kvk_number: None,
            rio_id: None,
            website: None,
        };
        ids.push(
            boards::insert(
                &mut cx,
                &f,
                schoolcert_domain::registry::BoardStatus::Active,
                now,
            )
            .await?,
        );
    }
    cx.commit().await?;
    let mapped: Vec<_> = entries
        .iter()
        .cloned()
        .map(|mut e| {
            let k = usize::try_from(e.board_id.0).unwrap_or(0);
            e.board_id = ids.get(k).copied().unwrap_or(BoardId(0));
            e
        })
        .collect();
    let index = Arc::new(LookupIndex::build(mapped, []));
    let app = App::new(db.clone(), settings.app.clone(), Arc::new(SystemClock))?;
    let started = Instant::now();
    let summary = schoolcert_app::feeds::ingest::ingest_with_index(
        &app,
        By::System("bench"),
        &format!("{DAY}-scan_rdp-nl-geo.csv"),
        &format!("bench-{}-{rows}", std::process::id()),
        None,
        open_report(report)?,
        index,
    )
    .await
    .map_err(crate::commands::explain)?;
    Ok((started.elapsed().as_secs_f64(), summary))
}
