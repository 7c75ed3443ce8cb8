//! Our Shadowserver parser against IntelMQ 3.5's, field by field, on the committed goldens
//! (`tests/oracle/golden/*.jsonl`, made by `tests/oracle/run_intelmq.py`).
//!
//! Deliberate differences (our parser refuses the row, IntelMQ emits an event): no valid
//! `source.ip` (IntelMQ keeps the text in `extra.ip`), no parsable `time.source` (IntelMQ dates
//! an empty timestamp today), and a port above 65535.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_feeds::filename::report_type_for_file;
use schoolcert_feeds::intelmq_json::to_json_line;
use schoolcert_feeds::schema::Schema;
use schoolcert_feeds::shadowserver::{ReportContext, ShadowserverParser};
use serde_json::Value;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

/// Why IntelMQ's event for a row we refuse is an accepted difference, or None.
fn accepted_difference(golden: &BTreeMap<String, Value>) -> Option<&'static str> {
    if !golden.contains_key("source.ip") {
        return Some("no valid source.ip");
    }
    let port = golden.get("source.port").and_then(Value::as_i64);
    if port.is_some_and(|p| !(0..=65535).contains(&p)) {
        return Some("port out of range");
    }
    // The edge rows with an empty or non-ISO timestamp: dateutil's fuzzy parser guesses
    // (today for an empty one, day-first for `20-11-2026 garbage`); we refuse.
    let raw = golden
        .get("raw")
        .and_then(Value::as_str)
        .and_then(|r| base64::engine::general_purpose::STANDARD.decode(r).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let line = raw.lines().nth(1).unwrap_or("");
    if line.starts_with("\"\",") || line.contains("garbage") {
        return Some("timestamp empty or not ISO (IntelMQ guesses)");
    }
    if golden.get("time.source").is_none() {
        return Some("no time.source");
    }
    None
}

#[test]
fn shadowserver_parser_matches_intelmq_field_by_field() {
    let schema = Schema::embedded().unwrap();
    let observation = parse_rfc3339("2026-11-20T06:00:00Z").unwrap();
    let mut inputs: Vec<_> = std::fs::read_dir(dir().join("input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "need at least ten report types");
    let (mut compared, mut differences) = (0, Vec::new());
    let mut failures = Vec::new();
    for path in &inputs {
        let name = path.file_name().unwrap().to_str().unwrap();
        let report = report_type_for_file(&schema, name).unwrap();
        let golden_text =
            std::fs::read_to_string(dir().join("golden").join(name.replace(".csv", ".jsonl")))
                .unwrap();
        let golden: Vec<Value> = golden_text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let file = std::fs::File::open(path).unwrap();
        let parser =
            ShadowserverParser::new(report, file, ReportContext::new(observation)).unwrap();
        let ours: Vec<_> = parser.collect();
        assert_eq!(ours.len(), golden.len(), "{name}: one result per data line");
        for (item, g) in ours.iter().zip(&golden) {
            let line = g["line"].as_u64().unwrap();
            let g_event: Option<BTreeMap<String, Value>> = g
                .get("event")
                .map(|e| serde_json::from_value(e.clone()).unwrap());
            match (item, g_event) {
                (Ok(ev), Some(want)) => {
                    let got: BTreeMap<String, Value> =
                        serde_json::from_str(&to_json_line(ev, None)).unwrap();
                    for key in want.keys().chain(got.keys()) {
                        if want.get(key) != got.get(key) {
                            failures.push(format!(
                                "{name}:{line} {key}: IntelMQ {:?}, ours {:?}",
                                want.get(key),
                                got.get(key)
                            ));
                        }
                    }
                    compared += 1;
                }
                (Err(e), None) => {
                    assert_eq!(e.line as u64, line, "{name}");
                    compared += 1;
                }
                (Err(e), Some(want)) => match accepted_difference(&want) {
                    Some(why) => {
                        assert_eq!(e.line as u64, line, "{name}");
                        differences.push(format!("{name}:{line}: {why} ({})", e.reason));
                    }
                    None => failures.push(format!(
                        "{name}:{line}: we refused ({}), IntelMQ accepted",
                        e.reason
                    )),
                },
                (Ok(_), None) => {
                    failures.push(format!("{name}:{line}: IntelMQ refused, we accepted"))
                }
            }
        }
    }
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared > 300, "compared {compared}");
    eprintln!(
        "compared {compared} rows; {} deliberate differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
