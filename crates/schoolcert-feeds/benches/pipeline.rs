//! Feed pipeline speed on one core: parse + normalise (IntelMQ harmonisation) + match (1,300
//! boards, 50,000 prefixes) + dedup, on a synthetic 100,000-row Shadowserver `scan_rdp` report
//! (the IntelMQ anchor's scenario: ~800 bytes a row, 5 % repeats).
//!
//! `cargo bench -p schoolcert-feeds --bench pipeline`
// A benchmark is test code: failing loudly on a broken fixture is what we want.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_feeds::dedup::Window;
use schoolcert_feeds::ingest::Ingest;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use schoolcert_feeds::synthetic::{ScanRdpReport, registry};

const ROWS: u64 = 100_000;

fn bench(c: &mut Criterion) {
    let schema = Schema::embedded().expect("schema");
    let rt = schema.by_file_name("scan_rdp").expect("scan_rdp");
    let data = ScanRdpReport::to_bytes(ROWS, 42, "2026-03-24");
    let index = registry(42);
    let observed = parse_rfc3339("2026-03-24T06:00:00Z").expect("time");
    let mut group = c.benchmark_group("feeds");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS));
    for keep_raw in [false, true] {
        let name = if keep_raw {
            "parse+normalise+match+dedup, raw kept (100k scan_rdp rows)"
        } else {
            "parse+normalise+match+dedup (100k scan_rdp rows)"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut ctx = ReportContext::new(observed);
                ctx.keep_raw = keep_raw;
                let parser = ShadowserverParser::new(rt, &data[..], ctx).expect("header");
                let mut n = 0u64;
                for i in Ingest::new(parser, &index, Window::default()).flatten() {
                    black_box(&i);
                    n += 1;
                }
                n
            })
        });
    }
    group.bench_function("parse+normalise only (100k scan_rdp rows)", |b| {
        b.iter(|| {
            let mut ctx = ReportContext::new(observed);
            ctx.keep_raw = false;
            let parser = ShadowserverParser::new(rt, &data[..], ctx).expect("header");
            parser.filter(Result::is_ok).count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
