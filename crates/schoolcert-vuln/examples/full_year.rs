//! Full-year matching run: generates 40,000 CVE JSON 5.1 records and 1,300 board landscapes
//! of 30 catalogue products, parses every record, and matches all statements against all
//! landscapes. Prints timings; run under `/usr/bin/time -v` for peak memory.
//!
//! `cargo run --release -p schoolcert-vuln --example full_year [-- --records N --boards N --collect]`
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::time::Instant;

use schoolcert_vuln::catalogue::Catalogue;
use schoolcert_vuln::cve;
use schoolcert_vuln::matching::Matcher;
use schoolcert_vuln::synthetic::{SyntheticConfig, SyntheticYear, landscapes};

fn main() {
    let mut cfg = SyntheticConfig::default();
    let mut collect = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<usize>().ok());
        match (args[i].as_str(), value) {
            ("--records", Some(v)) => {
                cfg.records = v;
                i += 1;
            }
            ("--boards", Some(v)) => {
                cfg.boards = v;
                i += 1;
            }
            ("--collect", _) => collect = true,
            (other, _) => {
                println!("unknown argument {other}");
                return;
            }
        }
        i += 1;
    }
    let catalogue = Catalogue::seed();
    let total = Instant::now();

    let t = Instant::now();
    let boards = landscapes(&catalogue, &cfg);
    let entries: usize = boards.iter().map(|l| l.entries.len()).sum();
    let landscapes_s = t.elapsed().as_secs_f64();

    // Generate and parse record by record, as an ingest of cvelistV5 files would; only the
    // statements are kept.
    let year = SyntheticYear::new(&catalogue, cfg);
    let (mut gen_s, mut parse_s, mut bytes, mut refused) = (0.0, 0.0, 0usize, 0usize);
    let mut statements = Vec::new();
    for i in 0..year.len() {
        let t = Instant::now();
        let json = year.record(i);
        gen_s += t.elapsed().as_secs_f64();
        bytes += json.len();
        let t = Instant::now();
        match cve::parse_record(&json) {
            Ok(r) => statements.extend(r.statements()),
            Err(_) => refused += 1,
        }
        parse_s += t.elapsed().as_secs_f64();
    }

    let t = Instant::now();
    let matcher = Matcher::new(&catalogue, &boards);
    let index_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut by_relation: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    let mut count = 0usize;
    matcher.for_each_match(&statements, |m| {
        count += 1;
        *by_relation.entry(m.relation.code()).or_default() += 1;
        if collect {
            kept.push(m);
        }
    });
    let match_s = t.elapsed().as_secs_f64();

    println!(
        "records              {} ({:.1} MB JSON, {refused} refused)",
        year.len(),
        bytes as f64 / 1e6
    );
    println!(
        "landscapes           {} boards, {entries} entries",
        boards.len()
    );
    println!("statements           {}", statements.len());
    println!(
        "matches              {count} {by_relation:?}{}",
        if collect { " (all kept in memory)" } else { "" }
    );
    println!("generate landscapes  {landscapes_s:.3} s");
    println!("generate records     {gen_s:.3} s");
    println!("parse records        {parse_s:.3} s");
    println!("build matcher        {index_s:.3} s");
    println!("match                {match_s:.3} s");
    println!("parse + index + match {:.3} s", parse_s + index_s + match_s);
    println!(
        "total wall           {:.3} s",
        total.elapsed().as_secs_f64()
    );
    drop(kept);
}
