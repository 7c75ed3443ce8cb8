//! Lookup index speed at sector scale: 50,000 prefixes (IPv4 and IPv6) and 20,000 domains over
//! 1,300 boards. Run with `cargo bench -p schoolcert-domain --bench lookup`.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure here is a bug in the generator

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use criterion::{Criterion, criterion_group, criterion_main};
use schoolcert_domain::asset::{AssetValue, DomainName, Prefix};
use schoolcert_domain::lookup::{IndexEntry, LookupIndex};
use schoolcert_domain::{AssetId, BoardId};

const BOARDS: i64 = 1300;

/// A small deterministic generator, so every run measures the same index.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn public_v4(rng: &mut SplitMix) -> u32 {
    loop {
        let a = (rng.next() as u32) | 0x0100_0000;
        let first = a >> 24;
        if (11..=99).contains(&first) || (130..=190).contains(&first) {
            return a;
        }
    }
}

fn build() -> (LookupIndex, Vec<IpAddr>, Vec<String>) {
    let mut rng = SplitMix(42);
    let mut entries = Vec::new();
    let mut probe_ips = Vec::new();
    let mut id = 0;
    while entries.len() < 40_000 {
        let len = 20 + (rng.next() % 9) as u8; // /20 .. /28
        let addr = public_v4(&mut rng);
        let net = ipnet::Ipv4Net::new(Ipv4Addr::from(addr), len)
            .unwrap()
            .trunc();
        let Ok(p) = net.to_string().parse::<Prefix>() else {
            continue;
        };
        id += 1;
        entries.push(IndexEntry {
            asset_id: AssetId(id),
            board_id: BoardId(id % BOARDS),
            value: AssetValue::Prefix(p),
        });
        probe_ips.push(IpAddr::V4(Ipv4Addr::from(addr)));
    }
    while entries.len() < 50_000 {
        let hi = 0x2a00_0000_0000_0000_0000_0000_0000_0000u128 | ((rng.next() as u128) << 64) >> 8;
        let net = ipnet::Ipv6Net::new(Ipv6Addr::from(hi), 48).unwrap().trunc();
        let Ok(p) = net.to_string().parse::<Prefix>() else {
            continue;
        };
        id += 1;
        entries.push(IndexEntry {
            asset_id: AssetId(id),
            board_id: BoardId(id % BOARDS),
            value: AssetValue::Prefix(p),
        });
        probe_ips.push(IpAddr::V6(Ipv6Addr::from(hi | 0x1234)));
    }
    let mut hosts = Vec::new();
    for i in 0..20_000 {
        let d: DomainName = format!("school{i}-{}.nl", rng.next() % 1000)
            .parse()
            .unwrap();
        hosts.push(format!("www.mail.{d}"));
        id += 1;
        entries.push(IndexEntry {
            asset_id: AssetId(id),
            board_id: BoardId(i % BOARDS),
            value: AssetValue::Domain(d),
        });
    }
    // Half the probes miss, as most feed rows do.
    for _ in 0..probe_ips.len() {
        probe_ips.push(IpAddr::V4(Ipv4Addr::from(public_v4(&mut rng))));
    }
    (LookupIndex::build(entries, []), probe_ips, hosts)
}

fn bench(c: &mut Criterion) {
    let (index, ips, hosts) = build();
    assert_eq!(index.len(), 70_000);
    let mut i = 0usize;
    c.bench_function(
        "owners_of_ip (50k prefixes, mixed v4/v6, half misses)",
        |b| {
            b.iter(|| {
                i = (i + 1) % ips.len();
                black_box(index.owners_of_ip(black_box(ips[i])))
            })
        },
    );
    let mut j = 0usize;
    c.bench_function(
        "owners_of_normalised_host (20k domains, 3-label-deep hosts)",
        |b| {
            b.iter(|| {
                j = (j + 1) % hosts.len();
                black_box(index.owners_of_normalised_host(black_box(&hosts[j])))
            })
        },
    );
    c.bench_function("owners_of_normalised_host miss (unknown domain)", |b| {
        b.iter(|| {
            black_box(index.owners_of_normalised_host(black_box("www.mail.unknown-school.nl")))
        })
    });
    let mut k = 0usize;
    c.bench_function("lookup_ip with overlap report (API/CLI path)", |b| {
        b.iter(|| {
            k = (k + 1) % ips.len();
            black_box(index.lookup_ip(black_box(ips[k])))
        })
    });
    c.bench_function("build index (70k entries)", |b| {
        b.iter_with_large_drop(|| {
            let (idx, _, _) = build();
            idx
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
