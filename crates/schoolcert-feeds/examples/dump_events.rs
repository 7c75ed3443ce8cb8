//! Prints every result of the pipeline (event as IntelMQ JSON with `raw`, the extra entries in
//! their stored order, match, dedup key; or the row error) for a synthetic `scan_rdp` report of
//! N rows and for the oracle inputs, one line each: run it before and after a change to the
//! parser and diff the outputs.
//!
//! `cargo run --release -p schoolcert-feeds --example dump_events -- 20000 > out.txt`
#![allow(clippy::print_stdout)]

use std::io::Read;

use schoolcert_domain::time::parse_rfc3339;
use schoolcert_feeds::dedup::Window;
use schoolcert_feeds::filename::report_type_for_file;
use schoolcert_feeds::ingest::Ingest;
use schoolcert_feeds::intelmq_json::to_json_line;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use schoolcert_feeds::synthetic::{ScanRdpReport, registry};

fn dump(
    name: &str,
    report: &schoolcert_feeds::schema::ReportType,
    src: impl Read,
    keep_raw: bool,
    index: &schoolcert_domain::lookup::LookupIndex,
) -> Result<(), Box<dyn std::error::Error>> {
    let observed = parse_rfc3339("2026-03-24T06:00:00Z").ok_or("time")?;
    let mut ctx = ReportContext::new(observed);
    ctx.keep_raw = keep_raw;
    let parser = ShadowserverParser::new(report, src, ctx)?;
    let mut ingest = Ingest::new(parser, index, Window::default());
    for item in ingest.by_ref() {
        match item {
            Ok(i) => {
                let extra: Vec<String> =
                    i.event.extra().map(|(k, v)| format!("{k}={v:?}")).collect();
                println!(
                    "{name} ok {} | {:?} | {} | {}",
                    to_json_line(&i.event, None),
                    i.matched,
                    i.key.to_hex(),
                    extra.join(";")
                );
            }
            Err(e) => println!("{name} err {} {}", e.line, e.reason),
        }
    }
    let counts = ingest.counts().clone();
    let (parser, _, _) = ingest.into_parts();
    println!("{name} summary {counts:?} {:?}", parser.finish());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: u64 = std::env::args().nth(1).map_or(Ok(20_000), |a| a.parse())?;
    let schema = Schema::embedded()?;
    let index = registry(42);
    let rt = schema.by_file_name("scan_rdp").ok_or("scan_rdp")?;
    let data = ScanRdpReport::to_bytes(rows, 42, "2026-03-24");
    for keep_raw in [true, false] {
        dump("synthetic", rt, &data[..], keep_raw, &index)?;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/input");
    let mut inputs: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    inputs.sort();
    for path in inputs {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let Ok(report) = report_type_for_file(&schema, &name) else {
            continue;
        };
        let bytes = std::fs::read(&path)?;
        dump(&name, report, &bytes[..], true, &index)?;
        // Also fed one byte at a time, to exercise the reader's buffer edges.
        dump(&name, report, OneByte(&bytes[..]), true, &index)?;
    }
    Ok(())
}

/// A reader that hands out one byte per call.
struct OneByte<'a>(&'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(out)) => {
                *out = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}
