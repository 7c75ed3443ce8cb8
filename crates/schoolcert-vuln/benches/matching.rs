//! Criterion benchmarks: parsing synthetic CVE records and matching them against 1,300
//! landscapes. The full-year run (40,000 records) is `examples/full_year.rs`.

use criterion::{Criterion, criterion_group, criterion_main};
use schoolcert_vuln::catalogue::Catalogue;
use schoolcert_vuln::cve;
use schoolcert_vuln::matching::Matcher;
use schoolcert_vuln::synthetic::{SyntheticConfig, SyntheticYear, landscapes};

fn bench(c: &mut Criterion) {
    let catalogue = Catalogue::seed();
    let cfg = SyntheticConfig {
        records: 2_000,
        ..SyntheticConfig::default()
    };
    let year = SyntheticYear::new(&catalogue, cfg);
    let records: Vec<Vec<u8>> = (0..year.len()).map(|i| year.record(i)).collect();
    let boards = landscapes(&catalogue, &cfg);
    let statements: Vec<_> = records
        .iter()
        .filter_map(|r| cve::parse_record(r).ok())
        .flat_map(|r| r.statements())
        .collect();
    let matcher = Matcher::new(&catalogue, &boards);

    c.bench_function("parse 2,000 CVE records", |b| {
        b.iter(|| {
            records
                .iter()
                .filter_map(|r| cve::parse_record(r).ok())
                .map(|r| r.statements().len())
                .sum::<usize>()
        })
    });
    c.bench_function("match 2,000 records x 1,300 landscapes", |b| {
        b.iter(|| {
            let mut n = 0usize;
            matcher.for_each_match(&statements, |_| n += 1);
            n
        })
    });
    c.bench_function("build matcher for 1,300 landscapes", |b| {
        b.iter(|| Matcher::new(&catalogue, &boards))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
