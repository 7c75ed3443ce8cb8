//! The digest for one board, from real-format Shadowserver reports through matching, compared
//! with golden files (`tests/golden/digest.*`). Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p schoolcert-feeds --test it digest`.

use std::path::{Path, PathBuf};

use schoolcert_domain::lookup::{LookupIndex, entry};
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{BoardId, Lang, Tlp};
use schoolcert_feeds::Event;
use schoolcert_feeds::digest::{DigestMeta, DigestRow, Explanations, Templates, render_digest};
use schoolcert_feeds::filename::report_type_for_file;
use schoolcert_feeds::matching::match_event;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[allow(clippy::unwrap_used)] // test helper
fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() || !path.exists() {
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(actual, want, "{name} differs from its golden file");
}

#[test]
fn a_boards_daily_digest_matches_the_golden_files() {
    let schema = Schema::embedded().unwrap();
    let observed = parse_rfc3339("2026-11-20T06:00:00Z").unwrap();
    let index = LookupIndex::build(
        [
            entry(1, 7, "145.97.12.0/24"),
            entry(2, 7, "2001:610:188::/48"),
            entry(3, 8, "192.87.101.0/24"),
        ]
        .into_iter()
        .flatten(),
        [],
    );
    let mut events: Vec<Event> = Vec::new();
    for file in [
        "2026-11-20-scan_rdp-nl-geo.csv",
        "2026-11-20-scan6_rdp-nl-geo.csv",
        "2026-11-20-event4_sinkhole_http-nl-geo.csv",
        "2026-11-20-scan_http_vulnerable-nl-geo.csv",
        "2026-11-20-scan_ssl-nl-geo.csv",
    ] {
        let rt = report_type_for_file(&schema, file).unwrap();
        let f = std::fs::File::open(root().join("tests/oracle/input").join(file)).unwrap();
        let parser = ShadowserverParser::new(rt, f, ReportContext::new(observed)).unwrap();
        events.extend(
            parser
                .filter_map(Result::ok)
                .filter(|e| match_event(&index, e).board == Some(BoardId(7))),
        );
    }
    assert!(events.len() >= 10, "{}", events.len());
    let rows: Vec<DigestRow<'_>> = events
        .iter()
        .enumerate()
        .map(|(i, e)| DigestRow {
            event: e,
            first_seen: e.time_source.unwrap() - chrono::Duration::days((i % 3) as i64),
            last_seen: e.time_source.unwrap(),
            count: 1 + (i % 3) as u32,
        })
        .collect();
    let explanations = Explanations::embedded().unwrap();
    let templates = Templates::embedded().unwrap();
    for lang in [Lang::Nl, Lang::En] {
        let meta = DigestMeta {
            cert_name: "School-CERT".into(),
            board_name: "Stichting Scholengroep Voorbeeld".into(),
            contact_name: Some("Sanne de Vries".into()),
            period_start: parse_rfc3339("2026-11-19T23:00:00Z").unwrap(),
            period_end: parse_rfc3339("2026-11-20T23:00:00Z").unwrap(),
            tlp: Tlp::Amber,
            lang,
            max_items_per_group: 5,
        };
        let d = render_digest(&meta, &rows, &explanations, &templates).unwrap();
        let text = format!(
            "Subject: {}\nAttachment: {}\n\n{}",
            d.subject, d.attachment_name, d.body
        );
        check_golden(&format!("digest.{}.txt", lang.code()), &text);
        if lang == Lang::Nl {
            check_golden("digest.csv", &d.attachment_csv);
            assert!(d.subject.contains("[TLP:AMBER]"));
        }
    }
}
