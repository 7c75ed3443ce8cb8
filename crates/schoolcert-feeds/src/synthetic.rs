//! Deterministic synthetic data for benchmarks (`schoolcert bench feeds`) and tests: a
//! Shadowserver `scan_rdp` report of any size, shaped like `shared/bench/intelmq/gen_scan_rdp.py`
//! (the real 32-column header, all fields quoted, 480 /24s in 40 /16s, half with a PTR name,
//! 5 % exact repeats), produced as a stream so a 2 GB report needs no 2 GB of memory; and a
//! sector-sized registry (1,300 boards, 50,000 prefixes) that owns part of those addresses.

use std::io::{self, Read};
use std::net::{Ipv4Addr, Ipv6Addr};

use schoolcert_domain::asset::{AssetValue, DomainName, Prefix};
use schoolcert_domain::lookup::{IndexEntry, LookupIndex};
use schoolcert_domain::{AssetId, BoardId};

/// The `scan_rdp` header (Shadowserver report schema, 2026-03-24).
pub const SCAN_RDP_HEADER: [&str; 32] = [
    "timestamp",
    "severity",
    "ip",
    "protocol",
    "port",
    "hostname",
    "tag",
    "asn",
    "geo",
    "region",
    "city",
    "naics",
    "hostname_source",
    "sector",
    "handshake",
    "rdp_protocol",
    "cert_length",
    "subject_common_name",
    "issuer_common_name",
    "cert_issue_date",
    "cert_expiration_date",
    "sha1_fingerprint",
    "cert_serial_number",
    "ssl_version",
    "signature_algorithm",
    "key_algorithm",
    "sha256_fingerprint",
    "sha512_fingerprint",
    "md5_fingerprint",
    "tlsv13_support",
    "tlsv13_cipher",
    "jarm",
];

/// A small, fast, deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i]
    }
}

const FIRST_OCTETS: [u8; 31] = [
    31, 37, 45, 62, 77, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 145, 176, 178,
    185, 188, 193, 194, 195, 212, 213, 217,
];
const ASNS: [u32; 12] = [
    1136, 1103, 3265, 33915, 9143, 15435, 50266, 8315, 12859, 20857, 28685, 31615,
];
const REGIONS: [(&str, &str); 8] = [
    ("NOORD-HOLLAND", "AMSTERDAM"),
    ("ZUID-HOLLAND", "ROTTERDAM"),
    ("UTRECHT", "UTRECHT"),
    ("NOORD-BRABANT", "EINDHOVEN"),
    ("GELDERLAND", "NIJMEGEN"),
    ("GRONINGEN", "GRONINGEN"),
    ("LIMBURG", "MAASTRICHT"),
    ("OVERIJSSEL", "ENSCHEDE"),
];
const SECTORS: [&str; 6] = [
    "",
    "",
    "Education",
    "Information Technology",
    "Government",
    "Healthcare",
];
const RDP_PROTOCOLS: [&str; 4] = ["RDP", "CredSSP", "SSL", "HYBRID_EX"];
const HOST_WORDS: [&str; 10] = [
    "srv", "dc01", "ts", "rds", "admin", "school", "lyceum", "obs", "college", "ws",
];

/// The 480 /24 networks the report's addresses come from (same for a given seed).
pub fn networks(seed: u64) -> Vec<[u8; 3]> {
    let mut rng = SplitMix(seed);
    let mut nets = Vec::with_capacity(480);
    for _ in 0..40 {
        let a = *rng.pick(&FIRST_OCTETS);
        let b = (rng.below(256)) as u8;
        for _ in 0..12 {
            nets.push([a, b, rng.below(256) as u8]);
        }
    }
    nets
}

/// A streaming synthetic `scan_rdp` report: implements `Read`, generating rows on demand.
#[derive(Debug)]
pub struct ScanRdpReport {
    rng: SplitMix,
    nets: Vec<[u8; 3]>,
    rows_left: u64,
    day: String,
    buf: Vec<u8>,
    pos: usize,
    /// Recent distinct rows, for exact repeats.
    recent: Vec<Vec<u8>>,
    dup_percent: u64,
}

impl ScanRdpReport {
    /// `rows` data rows for `day` (`YYYY-MM-DD`), 5 % exact repeats.
    pub fn new(rows: u64, seed: u64, day: &str) -> Self {
        let mut buf = Vec::with_capacity(64 << 10);
        let header: Vec<String> = SCAN_RDP_HEADER.iter().map(|h| format!("\"{h}\"")).collect();
        buf.extend_from_slice(header.join(",").as_bytes());
        buf.push(b'\n');
        ScanRdpReport {
            rng: SplitMix(seed ^ 0xDEAD_BEEF),
            nets: networks(seed),
            rows_left: rows,
            day: day.to_owned(),
            buf,
            pos: 0,
            recent: Vec::new(),
            dup_percent: 5,
        }
    }

    /// The whole report in memory (for small sizes and tests).
    pub fn to_bytes(rows: u64, seed: u64, day: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = ScanRdpReport::new(rows, seed, day).read_to_end(&mut out);
        out
    }

    fn hexbytes(&mut self, out: &mut String, n: usize) {
        use std::fmt::Write;
        for i in 0..n {
            if i > 0 {
                out.push(':');
            }
            let _ = write!(out, "{:02X}", self.rng.below(256));
        }
    }

    fn make_row(&mut self) -> Vec<u8> {
        use std::fmt::Write;
        let rng = &mut self.rng;
        let [a, b, c] = *rng.pick(&self.nets);
        let d = 1 + rng.below(254);
        let (region, city) = *rng.pick(&REGIONS);
        let has_ptr = rng.chance(50);
        let word = *rng.pick(&HOST_WORDS);
        let hostname = if has_ptr {
            format!("{word}-{d}.{c}-{b}-{a}.dyn.example-isp.nl")
        } else {
            String::new()
        };
        let cn = format!(
            "{}{:02}.{}.local",
            word.to_uppercase(),
            1 + rng.below(39),
            rng.pick(&["school", "bestuur", "corp", "ad"])
        );
        let issue_y = 2025 + rng.below(2);
        let issue_m = 1 + rng.below(12);
        let issue = format!(
            "{issue_y}-{issue_m:02}-{:02} {:02}:{:02}:{:02}",
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let exp = format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            issue_y + u64::from(issue_m > 6),
            ((issue_m + 5) % 12) + 1,
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let ts = format!(
            "{} {:02}:{:02}:{:02}",
            self.day,
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let naics = *rng.pick(&[0u32, 0, 0, 611_110, 517_311, 541_512]);
        let port = if rng.chance(93) {
            3389
        } else {
            *rng.pick(&[3388u32, 3390, 33890, 53389])
        };
        let asn = *rng.pick(&ASNS);
        let sector = *rng.pick(&SECTORS);
        let rdp = *rng.pick(&RDP_PROTOCOLS);
        let cert_len = if rng.chance(90) { 2048 } else { 4096 };
        let sig = *rng.pick(&["sha256WithRSAEncryption", "sha1WithRSAEncryption"]);
        let serial = format!("{:016X}{:016X}", rng.next_u64(), rng.next_u64());
        let tls13 = if rng.chance(70) { "" } else { "Y" };
        let cipher = if rng.chance(70) {
            ""
        } else {
            "TLS_AES_256_GCM_SHA384"
        };
        let mut sha1 = String::new();
        self.hexbytes(&mut sha1, 20);
        let mut sha256 = String::new();
        self.hexbytes(&mut sha256, 32);
        let mut sha512 = String::new();
        self.hexbytes(&mut sha512, 64);
        let mut md5 = String::new();
        self.hexbytes(&mut md5, 16);
        let mut jarm = String::new();
        for _ in 0..4 {
            let _ = write!(jarm, "{:016x}", self.rng.next_u64());
        }
        jarm.truncate(62);
        let fields: [String; 32] = [
            ts,
            "high".into(),
            format!("{a}.{b}.{c}.{d}"),
            "tcp".into(),
            port.to_string(),
            hostname,
            "rdp".into(),
            asn.to_string(),
            "NL".into(),
            region.into(),
            city.into(),
            naics.to_string(),
            if has_ptr { "ptr".into() } else { String::new() },
            sector.into(),
            String::new(),
            rdp.into(),
            cert_len.to_string(),
            cn.clone(),
            cn,
            issue,
            exp,
            sha1,
            serial,
            "2".into(),
            sig.into(),
            "rsaEncryption".into(),
            sha256,
            sha512,
            md5,
            tls13.into(),
            cipher.into(),
            jarm,
        ];
        let mut row = Vec::with_capacity(900);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                row.push(b',');
            }
            row.push(b'"');
            row.extend_from_slice(f.as_bytes());
            row.push(b'"');
        }
        row.push(b'\n');
        row
    }

    fn next_row(&mut self) -> Vec<u8> {
        if !self.recent.is_empty() && self.rng.chance(self.dup_percent) {
            let i = usize::try_from(self.rng.below(self.recent.len() as u64)).unwrap_or(0);
            return self.recent[i].clone();
        }
        let row = self.make_row();
        // Keep a bounded pool of earlier rows to repeat (memory stays flat).
        if self.recent.len() < 4096 {
            self.recent.push(row.clone());
        } else {
            let i = usize::try_from(self.rng.below(4096)).unwrap_or(0);
            self.recent[i] = row.clone();
        }
        row
    }
}

impl Read for ScanRdpReport {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            if self.rows_left == 0 {
                return Ok(0);
            }
            self.buf.clear();
            self.pos = 0;
            while self.buf.len() < 60_000 && self.rows_left > 0 {
                let row = self.next_row();
                self.buf.extend_from_slice(&row);
                self.rows_left -= 1;
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A sector-sized registry: 1,300 boards, 50,000 prefixes (40,000 IPv4 /20–/28 of which a
/// third of the report's /24s, 10,000 IPv6 /48s) and 20,000 domains.
pub fn registry(seed: u64) -> LookupIndex {
    LookupIndex::build(registry_entries(seed), [])
}

/// The entries of [`registry`] (board ids `0..1300`), for callers that store the boards first
/// and map the ids.
pub fn registry_entries(seed: u64) -> Vec<IndexEntry> {
    let mut rng = SplitMix(seed.wrapping_add(7));
    let boards = 1300i64;
    let mut entries = Vec::with_capacity(70_000);
    let mut id = 0i64;
    let mut push = |entries: &mut Vec<IndexEntry>, board: i64, value: AssetValue| {
        id += 1;
        entries.push(IndexEntry {
            asset_id: AssetId(id),
            board_id: BoardId(board),
            value,
        });
    };
    for (i, [a, b, c]) in networks(seed).into_iter().enumerate() {
        if i % 3 == 0
            && let Ok(p) = format!("{a}.{b}.{c}.0/24").parse::<Prefix>()
        {
            push(&mut entries, (i as i64) % boards, AssetValue::Prefix(p));
        }
    }
    let mut v4 = 0;
    while v4 < 40_000 - 160 {
        let len = 20 + rng.below(9) as u8;
        let first = *rng.pick(&[11u8, 20, 41, 50, 60, 70, 100, 130, 150, 160, 170, 190]);
        let addr = (u32::from(first) << 24) | (rng.next_u64() as u32 & 0x00FF_FFFF);
        let Ok(net) = ipnet::Ipv4Net::new(Ipv4Addr::from(addr), len) else {
            continue;
        };
        let Ok(p) = net.trunc().to_string().parse::<Prefix>() else {
            continue;
        };
        let board = (rng.below(boards as u64)) as i64;
        push(&mut entries, board, AssetValue::Prefix(p));
        v4 += 1;
    }
    let mut v6 = 0;
    while v6 < 10_000 {
        let hi =
            0x2a00_0000_0000_0000_0000_0000_0000_0000u128 | (u128::from(rng.next_u64()) << 64) >> 8;
        let Ok(net) = ipnet::Ipv6Net::new(Ipv6Addr::from(hi), 48) else {
            continue;
        };
        let Ok(p) = net.trunc().to_string().parse::<Prefix>() else {
            continue;
        };
        let board = (rng.below(boards as u64)) as i64;
        push(&mut entries, board, AssetValue::Prefix(p));
        v6 += 1;
    }
    for i in 0..20_000i64 {
        let Ok(d) = format!("school{i}-{}.nl", rng.below(1000)).parse::<DomainName>() else {
            continue;
        };
        push(&mut entries, i % boards, AssetValue::Domain(d));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_deterministic_and_shaped_like_the_python_generator() {
        let a = ScanRdpReport::to_bytes(200, 42, "2026-03-24");
        let b = ScanRdpReport::to_bytes(200, 42, "2026-03-24");
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count(), 201);
        let row = text.lines().nth(1).unwrap();
        assert_eq!(row.matches("\",\"").count(), 31);
        assert!(row.starts_with("\"2026-03-24 "));
        // ~800 bytes a row, like the IntelMQ benchmark's file (77.4 MiB / 100,000 rows).
        let per_row = text.len() / 200;
        assert!((700..950).contains(&per_row), "{per_row}");
    }

    #[test]
    fn the_registry_is_sector_sized() {
        let idx = registry(42);
        assert!(idx.len() >= 69_000, "{}", idx.len());
    }
}
