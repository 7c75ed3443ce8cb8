//! Streams a synthetic `scan_rdp` report of N rows (default 2,000,000, ~1.6 GB) through
//! parse + normalise + match + dedup without writing it anywhere, and prints rows/s. Run under
//! `/usr/bin/time -v` to see that peak memory stays flat:
//!
//! `cargo run --release -p schoolcert-feeds --example stream_report -- 2000000`
#![allow(clippy::print_stdout)]

use std::time::Instant;

use schoolcert_domain::time::parse_rfc3339;
use schoolcert_feeds::csvreader::{Record, RecordReader};
use schoolcert_feeds::dedup::Window;
use schoolcert_feeds::ingest::Ingest;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use schoolcert_feeds::synthetic::{ScanRdpReport, registry};

fn observed_time() -> Result<schoolcert_domain::Timestamp, Box<dyn std::error::Error>> {
    Ok(parse_rfc3339("2026-03-24T06:00:00Z").ok_or("time")?)
}

fn rt_of() -> Result<&'static schoolcert_feeds::schema::ReportType, Box<dyn std::error::Error>> {
    let schema: &'static Schema = Box::leak(Box::new(Schema::embedded()?));
    Ok(schema.by_file_name("scan_rdp").ok_or("scan_rdp")?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().map_or(Ok(2_000_000), |a| a.parse())?;
    let mode = args.next().unwrap_or_default();
    let phases = mode == "--phases";
    if let Some(only) = mode.strip_prefix("--only=") {
        // One phase on an in-memory copy, for `perf stat` (generation is the baseline).
        let data = ScanRdpReport::to_bytes(rows, 42, "2026-03-24");
        let mut ctx = ReportContext::new(observed_time()?);
        ctx.keep_raw = only.ends_with("+raw");
        let n = match only.trim_end_matches("+raw") {
            "gen" => data.len(),
            "csv" => {
                let mut r = RecordReader::new(&data[..]);
                let mut rec = Record::new();
                let mut n = 0;
                while r.read_record(&mut rec)? {
                    n += 1;
                }
                n
            }
            "parse" => ShadowserverParser::new(rt_of()?, &data[..], ctx)?
                .filter(Result::is_ok)
                .count(),
            _ => {
                let index = registry(42);
                let parser = ShadowserverParser::new(rt_of()?, &data[..], ctx)?;
                Ingest::new(parser, &index, Window::default())
                    .filter(Result::is_ok)
                    .count()
            }
        };
        println!("{only}: {n}");
        return Ok(());
    }
    let schema = Schema::embedded()?;
    let rt = schema.by_file_name("scan_rdp").ok_or("scan_rdp")?;
    let index = registry(42);
    let observed = parse_rfc3339("2026-03-24T06:00:00Z").ok_or("time")?;
    if phases {
        // Where the time goes, on an in-memory copy; best of five runs of each phase.
        let data = ScanRdpReport::to_bytes(rows, 42, "2026-03-24");
        let best = |f: &mut dyn FnMut() -> usize| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f());
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min)
        };
        let per_row = |s: f64| s / rows as f64 * 1e9;
        let csv = best(&mut || {
            let mut r = RecordReader::new(&data[..]);
            let mut rec = Record::new();
            let mut n = 0;
            while r.read_record(&mut rec).unwrap_or(false) {
                n += 1;
            }
            n
        });
        println!(
            "csv only:          {:7.0} ns/row  {:9.0} rows/s",
            per_row(csv),
            rows as f64 / csv
        );
        for keep_raw in [false, true] {
            let mut ctx = ReportContext::new(observed);
            ctx.keep_raw = keep_raw;
            let p = best(&mut || {
                ShadowserverParser::new(rt, &data[..], ctx.clone())
                    .map(|p| p.filter(Result::is_ok).count())
                    .unwrap_or(0)
            });
            println!(
                "parse+normalise:   {:7.0} ns/row  {:9.0} rows/s (raw kept: {keep_raw})",
                per_row(p),
                rows as f64 / p
            );
            let all = best(&mut || {
                ShadowserverParser::new(rt, &data[..], ctx.clone())
                    .map(|p| {
                        Ingest::new(p, &index, Window::default())
                            .filter(Result::is_ok)
                            .count()
                    })
                    .unwrap_or(0)
            });
            println!(
                "+match+dedup:      {:7.0} ns/row  {:9.0} rows/s (raw kept: {keep_raw})",
                per_row(all),
                rows as f64 / all
            );
        }
        return Ok(());
    }
    let mut ctx = ReportContext::new(observed);
    ctx.keep_raw = true;
    let src = ScanRdpReport::new(rows, 42, "2026-03-24");
    let t = Instant::now();
    let parser = ShadowserverParser::new(rt, src, ctx)?;
    let mut ingest = Ingest::new(parser, &index, Window::default());
    let mut kept = 0u64;
    for item in ingest.by_ref() {
        if item.is_ok() {
            kept += 1;
        }
    }
    let e = t.elapsed();
    let counts = ingest.counts().clone();
    let (parser, _, _) = ingest.into_parts();
    let summary = parser.finish()?;
    println!(
        "{rows} rows ({:.0} MB) in {e:?} = {:.0} rows/s (generation included); {kept} new events, {counts:?}",
        summary.bytes as f64 / 1e6,
        rows as f64 / e.as_secs_f64()
    );
    Ok(())
}
