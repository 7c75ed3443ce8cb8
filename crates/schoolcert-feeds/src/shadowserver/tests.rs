//! Tests of the schema-driven parser on hand-made rows: column order, IPv6, bad rows with exact
//! line numbers, IntelMQ's fall-back to `extra`, raw, and whole-file problems.

use super::*;
use crate::schema::Schema;
use schoolcert_domain::time::parse_rfc3339;

fn ctx() -> ReportContext {
    ReportContext::new(parse_rfc3339("2026-11-20T06:00:00Z").unwrap())
}

fn parse(kind: &str, csv: &str) -> Vec<Result<Event, RowError>> {
    let schema = Schema::embedded().unwrap();
    let rt = schema.by_file_name(kind).unwrap();
    ShadowserverParser::new(rt, csv.as_bytes(), ctx())
        .unwrap()
        .collect()
}

#[test]
fn columns_are_found_by_name_whatever_their_order() {
    let a = parse(
        "scan_rdp",
        "\"timestamp\",\"ip\",\"port\",\"asn\",\"geo\"\n\"2026-11-20 04:12:33\",\"145.97.12.7\",\"3389\",\"1103\",\"NL\"\n",
    );
    let b = parse(
        "scan_rdp",
        "geo,asn,port,ip,timestamp\r\nNL,1103,3389,145.97.12.7,2026-11-20 04:12:33\r\n",
    );
    let (a, b) = (a[0].as_ref().unwrap(), b[0].as_ref().unwrap());
    assert_eq!(a.source_ip, b.source_ip);
    assert_eq!(a.source_asn, Some(1103));
    assert_eq!(a.get_str(Field::SourceGeolocationCc), Some("NL"));
    assert_eq!(a.classification_identifier(), Some("open-rdp"));
    assert_eq!(a.feed_name(), Some("Accessible-RDP"));
    assert_eq!(a.time_source, b.time_source);
    // raw: the quoted header, the file's line ending, the data line.
    assert_eq!(
        b.raw(),
        Some(
            "\"geo\",\"asn\",\"port\",\"ip\",\"timestamp\"\r\nNL,1103,3389,145.97.12.7,2026-11-20 04:12:33"
        )
    );
}

#[test]
fn bad_rows_are_reported_with_their_line_and_the_rest_goes_on() {
    let csv = "timestamp,ip,port,asn\n\
               2026-11-20 04:12:33,145.97.12.7,3389,1103\n\
               \n\
               2026-11-20 04:12:34,not-an-ip,3389,1103\n\
               ,145.97.12.8,3389,1103\n\
               2026-11-20 04:12:35,2001:610:188::1,3389,AS1\n\
               2026-11-20 04:12:36,145.97.12.9\n\
               2026-11-20 04:12:37,2001:610:188::2,3389,0\n";
    let out = parse("scan_rdp", csv);
    assert_eq!(out.len(), 6);
    let lines: Vec<usize> = out
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.line)
        .collect();
    assert_eq!(lines, vec![4, 5, 6, 7]);
    let reasons: Vec<&str> = out
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.reason.as_str())
        .collect();
    assert!(reasons[0].contains("IP-adres"), "{reasons:?}");
    assert!(reasons[1].contains("tijdstip"), "{reasons:?}");
    assert!(reasons[2].contains("asn"), "{reasons:?}");
    assert!(reasons[3].contains("velden"), "{reasons:?}");
    let last = out[5].as_ref().unwrap();
    assert!(last.source_ip.unwrap().is_ipv6());
    assert_eq!(last.source_asn, None, "invalidate_zero drops ASN 0");
}

#[test]
fn invalid_optional_values_fall_back_to_extra_as_intelmq_does() {
    let out = parse(
        "scan_rdp",
        "timestamp,ip,port,geo,hostname,severity,naics,tag,new_column\n\
         2026-11-20 04:12:33,145.97.12.7,3389,NLD,Bad Host:1,urgent,0,rdp;cve-2019-0708,surprise\n",
    );
    let e = out[0].as_ref().unwrap();
    assert_eq!(e.extra_get("geo"), Some(Value::Str("NLD")));
    assert_eq!(e.extra_get("hostname"), Some(Value::Str("Bad Host:1")));
    assert_eq!(e.extra_get("severity"), Some(Value::Str("urgent")));
    assert_eq!(e.extra_get("naics"), None, "invalidate_zero consumes 0");
    assert_eq!(e.extra_get("tag"), Some(Value::Str("rdp;cve-2019-0708")));
    assert_eq!(
        e.get_str(Field::ProductVulnerabilities),
        Some("cve-2019-0708")
    );
    assert_eq!(e.extra_get("new_column"), Some(Value::Str("surprise")));
}

#[test]
fn whole_file_problems_are_file_errors() {
    let schema = Schema::embedded().unwrap();
    let rt = schema.by_file_name("scan_rdp").unwrap();
    assert!(matches!(
        ShadowserverParser::new(rt, "".as_bytes(), ctx()),
        Err(FileError::Empty)
    ));
    let e = ShadowserverParser::new(rt, "timestamp,ip\n".as_bytes(), ctx()).unwrap_err();
    assert!(matches!(&e, FileError::MissingColumns { columns, .. } if columns == &["port"]));
    assert!(e.message(Lang::Nl).contains("port"));
    let p = ShadowserverParser::new(
        rt,
        "timestamp,ip,port\n2026-11-20 04:12:33,145.97.12.7,3389\n".as_bytes(),
        ctx(),
    )
    .unwrap();
    let s = p.finish().unwrap();
    assert_eq!((s.rows, s.events, s.row_errors), (1, 1, 0));
    assert!(s.missing_optional_columns.contains(&"asn".to_string()));
}

#[test]
fn feed_name_and_raw_can_be_set_by_the_caller() {
    let schema = Schema::embedded().unwrap();
    let rt = schema.by_file_name("scan_rdp").unwrap();
    let mut c = ctx();
    c.feed_name = Some("Shadowserver".into());
    c.keep_raw = false;
    c.feed_accuracy = Some(100.0);
    let e = ShadowserverParser::new(
        rt,
        "timestamp,ip,port\n2026-11-20 04:12:33,145.97.12.7,3389\n".as_bytes(),
        c,
    )
    .unwrap()
    .next()
    .unwrap()
    .unwrap();
    assert_eq!(e.feed_name(), Some("Shadowserver"));
    assert_eq!(e.raw(), None);
    assert_eq!(e.get(Field::FeedAccuracy), Some(Value::Float(100.0)));
}

#[test]
fn stored_records_parse_again_into_the_same_events() {
    // Quoted fields, a doubled quote, a line break inside a quoted field, CRLF endings, IPv6.
    let csv = "\"timestamp\",\"ip\",\"port\",\"asn\",\"geo\",\"hostname\",\"product\"\r\n\
               \"2026-11-20 04:12:33\",\"145.97.12.7\",\"3389\",\"1103\",\"NL\",\"rdp.school.nl\",\"Windows \"\"RDP\"\"\"\r\n\
               \"2026-11-20 04:12:34\",\"2001:610:188::1\",\"3389\",\"1103\",\"NL\",\"\",\"two\r\nlines\"\r\n\
               2026-11-20 04:12:35,145.97.12.8,3389,1103,NL,,plain\r\n";
    let schema = Schema::embedded().unwrap();
    let rt = schema.by_file_name("scan_rdp").unwrap();
    let mut parser = ShadowserverParser::new(rt, csv.as_bytes(), ctx()).unwrap();
    let header = parser.header_source().unwrap().to_owned();
    let events: Vec<Event> = parser.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(events.len(), 3);
    let records: Vec<&str> = events.iter().map(|e| e.record().unwrap()).collect();
    assert!(records[1].contains("two\r\nlines"), "{records:?}");
    let again = reparse(rt, &header, records.iter().copied(), ctx()).unwrap();
    assert_eq!(again.len(), 3);
    for (a, b) in events.iter().zip(&again) {
        let b = b.as_ref().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.raw(), b.raw());
        assert_eq!(a.extra().count(), b.extra().count());
    }
    // Another observation time gives another event: the context is part of what is stored.
    let later = ReportContext::new(parse_rfc3339("2026-11-21T06:00:00Z").unwrap());
    let other = reparse(rt, &header, records.iter().copied(), later).unwrap();
    assert_ne!(other[0].as_ref().unwrap(), &events[0]);
}

#[test]
fn a_record_that_no_longer_parses_stays_in_its_place() {
    let schema = Schema::embedded().unwrap();
    let rt = schema.by_file_name("scan_rdp").unwrap();
    let header = "timestamp,ip,port\n";
    let out = reparse(
        rt,
        header,
        [
            "2026-11-20 04:12:33,145.97.12.7,3389",
            "2026-11-20 04:12:34,not-an-ip,3389",
            "2026-11-20 04:12:35,145.97.12.9,3389",
        ],
        ctx(),
    )
    .unwrap();
    assert_eq!(out.len(), 3);
    assert!(out[0].is_ok() && out[1].is_err() && out[2].is_ok());
    assert_eq!(
        out[2].as_ref().unwrap().source_ip,
        Some("145.97.12.9".parse().unwrap())
    );
}
