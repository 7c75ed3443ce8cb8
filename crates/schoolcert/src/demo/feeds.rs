//! The demo's feed data: yesterday's Shadowserver reports of five types in their real format,
//! with addresses from the demo boards' registered prefixes (and some outside any board, so the
//! CERT sees registry gaps), ingested like real files; the digests are queued, so the portal
//! shows findings and notices and the dev mailbox shows the messages.

use std::net::IpAddr;

use chrono::Duration;
use schoolcert_app::App;
use schoolcert_app::feeds::{digest, ingest};
use schoolcert_domain::asset::AssetValue;
use schoolcert_store::audit::By;
use schoolcert_store::registry::assets;

use super::Rng;

/// Report templates: real-format files (header plus rows) from the feeds crate's test inputs.
const REPORTS: [(&str, &str); 5] = [
    (
        "scan_rdp",
        include_str!("../../../schoolcert-feeds/tests/oracle/input/2026-11-20-scan_rdp-nl-geo.csv"),
    ),
    (
        "event4_sinkhole_http",
        include_str!(
            "../../../schoolcert-feeds/tests/oracle/input/2026-11-20-event4_sinkhole_http-nl-geo.csv"
        ),
    ),
    (
        "scan_http_vulnerable",
        include_str!(
            "../../../schoolcert-feeds/tests/oracle/input/2026-11-20-scan_http_vulnerable-nl-geo.csv"
        ),
    ),
    (
        "scan_ntp",
        include_str!("../../../schoolcert-feeds/tests/oracle/input/2026-11-20-scan_ntp-nl-geo.csv"),
    ),
    (
        "scan_ssl",
        include_str!("../../../schoolcert-feeds/tests/oracle/input/2026-11-20-scan_ssl-nl-geo.csv"),
    ),
];

/// Splits a fully quoted CSV line (`"a","b"`) as the templates are written.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line
        .trim_end_matches('\r')
        .strip_prefix('"')?
        .strip_suffix('"')?;
    Some(inner.split("\",\"").map(str::to_owned).collect())
}

fn join(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    quoted.join(",")
}

/// Ingests the reports and queues the digests; returns (events stored, notices queued).
pub async fn fill(app: &App) -> anyhow::Result<(u64, usize)> {
    let v4: Vec<(u32, u8)> = {
        let mut cx = app.db.read().await?;
        assets::active_entries(&mut cx)
            .await?
            .into_iter()
            .filter_map(|e| match e.value {
                AssetValue::Prefix(p) => match p.net().network() {
                    IpAddr::V4(a) => Some((u32::from(a), p.prefix_len())),
                    IpAddr::V6(_) => None,
                },
                AssetValue::Domain(_) => None,
            })
            .collect()
    };
    if v4.is_empty() {
        return Ok((0, 0));
    }
    let mut rng = Rng::new(2026);
    let yesterday = (app.now() - Duration::days(1)).date_naive();
    let day = yesterday.format("%Y-%m-%d").to_string();
    let mut stored = 0;
    for (kind, template) in REPORTS {
        let mut lines = template.lines();
        let Some(header) = lines.next() else { continue };
        let Some(head) = cells(header) else { continue };
        let ip_col = head.iter().position(|h| h == "ip" || h == "src_ip");
        let ts_col = head.iter().position(|h| h == "timestamp");
        let mut out = String::from(header);
        out.push('\n');
        let good: Vec<Vec<String>> = lines
            .filter_map(cells)
            .filter(|c| c.len() == head.len())
            .collect();
        // About 60 rows per report: template rows with a board's address (four in five) or
        // the template's own address (no board: a registry gap).
        for i in 0..60 {
            let mut row = good[i % good.len().max(1)].clone();
            if let Some(c) = ip_col
                && rng.chance(80)
            {
                let (net, len) = *rng.pick(&v4);
                let span = 1u32 << (32 - u32::from(len.clamp(16, 32))).min(8);
                let host = 1 + rng.below(span.saturating_sub(2).max(1) as usize) as u32;
                row[c] = std::net::Ipv4Addr::from(net.wrapping_add(host)).to_string();
            }
            if let Some(c) = ts_col
                && row[c].len() >= 10
            {
                row[c] = format!("{day}{}", &row[c][10..]);
            }
            out.push_str(&join(&row));
            out.push('\n');
        }
        let name = format!("{day}-{kind}-nl-geo.csv");
        let s = ingest::ingest_bytes(app, By::System("demo"), &name, None, out.into_bytes())
            .await
            .map_err(crate::commands::explain)?;
        stored += s.stored;
    }
    let notices = digest::send_due(app)
        .await
        .map_err(crate::commands::explain)?;
    Ok((stored, notices))
}
