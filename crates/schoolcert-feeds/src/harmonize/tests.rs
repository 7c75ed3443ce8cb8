//! Table tests of the harmonisation rules (IntelMQ 3.5 `harmonization.py`).

use super::*;
use crate::event::Value;

fn put(field: Field, input: Input<'_>) -> Result<Option<String>, Invalid> {
    let mut e = Event::new();
    match add(&mut e, field, input)? {
        Added::Ignored => Ok(None),
        Added::Stored => Ok(Some(match field {
            Field::SourceIp => e.source_ip.map(|i| i.to_string()).unwrap_or_default(),
            Field::SourcePort => e.source_port.map(|i| i.to_string()).unwrap_or_default(),
            Field::SourceAsn => e.source_asn.map(|i| i.to_string()).unwrap_or_default(),
            Field::TimeSource => e.time_source.map(pyfmt::isoformat).unwrap_or_default(),
            _ => e.get(field).map(|v| v.to_text()).unwrap_or_default(),
        })),
    }
}

fn ok(field: Field, input: &str) -> String {
    put(field, Input::Text(input))
        .unwrap_or_else(|_| panic!("{field} {input:?} refused"))
        .unwrap_or_else(|| panic!("{field} {input:?} ignored"))
}

fn refused(field: Field, input: &str) -> bool {
    put(field, Input::Text(input)).is_err()
}

#[test]
fn ignored_values_are_skipped() {
    for v in ["", "-", "N/A"] {
        assert_eq!(put(Field::SourceGeolocationCity, Input::Text(v)), Ok(None));
        assert_eq!(put(Field::SourceIp, Input::Text(v)), Ok(None));
    }
}

#[test]
fn strings_are_stripped_and_cased() {
    assert_eq!(ok(Field::SourceGeolocationCity, "  UTRECHT "), "UTRECHT");
    assert!(refused(Field::SourceGeolocationCity, "   "));
    assert_eq!(ok(Field::SourceGeolocationCc, "nl"), "NL");
    assert!(refused(Field::SourceGeolocationCc, "NLD"));
    assert!(refused(Field::SourceGeolocationCc, "N-"));
    assert_eq!(ok(Field::ProtocolTransport, "  UDP "), "udp");
    assert!(refused(Field::ProtocolTransport, "quic"));
    assert_eq!(ok(Field::Severity, "High"), "high");
    assert!(refused(Field::Severity, "urgent"));
    assert_eq!(ok(Field::ProductVendor, "Microsoft"), "microsoft");
    assert!(refused(Field::MalwareName, "mälware"));
    // A non-string into a String field goes through str(); falsy values are refused.
    assert_eq!(put(Field::Status, Input::Int(5)), Ok(Some("5".into())));
    assert!(put(Field::Status, Input::Int(0)).is_err());
    assert!(put(Field::ProductName, Input::Int(5)).is_err());
}

#[test]
fn fqdns_urls_and_addresses() {
    assert_eq!(
        ok(Field::SourceReverseDns, "Host-7.School.NL."),
        "host-7.school.nl"
    );
    assert_eq!(ok(Field::SourceFqdn, "bücher.de"), "xn--bcher-kva.de");
    for bad in ["10.0.0.1", "host:8080", "a/b", "a..b", "bad host name:8080"] {
        assert!(refused(Field::SourceFqdn, bad), "{bad}");
    }
    assert_eq!(
        ok(Field::SourceUrl, "hxxp://evil.example/x"),
        "http://evil.example/x"
    );
    assert_eq!(
        ok(Field::SourceUrl, "file:///etc/passwd"),
        "file://localhost/etc/passwd"
    );
    assert!(refused(Field::SourceUrl, "/just/a/path"));
    assert!(refused(Field::SourceUrl, "www.example.nl/x"));
    assert_eq!(ok(Field::SourceIp, " 2001:DB8::1 "), "2001:db8::1");
    assert_eq!(ok(Field::SourceIp, "167772161"), "10.0.0.1");
    assert_eq!(ok(Field::SourceIp, "10.0.0.1/32"), "10.0.0.1");
    assert!(refused(Field::SourceIp, "0.0.0.0"));
    assert!(refused(Field::SourceIp, "10.0.0.0/24"));
    assert_eq!(ok(Field::SourceNetwork, "10.0.0.1/8"), "10.0.0.0/8");
    assert_eq!(
        url_host("https://User@WWW.School.NL:8443/x"),
        Some("WWW.School.NL")
    );
    assert_eq!(url_host("http://[2001:db8::1]:80/"), Some("2001:db8::1"));
    assert_eq!(url_host("/x"), None);
}

#[test]
fn numbers_times_and_enumerations() {
    assert_eq!(ok(Field::SourcePort, "3389"), "3389");
    assert!(refused(Field::SourcePort, "70000"));
    assert!(refused(Field::SourcePort, "-1"));
    assert_eq!(ok(Field::SourceAsn, "AS1103"), "1103");
    assert!(refused(Field::SourceAsn, "0"));
    assert!(refused(Field::SourceAsn, "4294967296"));
    assert_eq!(
        put(Field::DestinationGeolocationLatitude, Input::Text("52.1")),
        Ok(Some("52.1".into()))
    );
    assert_eq!(
        put(Field::FeedAccuracy, Input::Bool(true)),
        Ok(Some("100.0".into()))
    );
    assert!(put(Field::FeedAccuracy, Input::Float(101.0)).is_err());
    assert_eq!(ok(Field::SourceTorNode, " TRUE "), "true");
    assert_eq!(
        ok(Field::TimeSource, "2026-11-20 04:12:33 UTC"),
        "2026-11-20T04:12:33+00:00"
    );
    assert!(refused(Field::TimeSource, "someday"));
    assert_eq!(
        ok(Field::ClassificationTaxonomy, "Malicious Code"),
        "malicious-code"
    );
    assert_eq!(
        ok(Field::ClassificationType, "botnet drone"),
        "infected-system"
    );
    assert!(refused(Field::ClassificationType, "made-up"));
    assert_eq!(ok(Field::Tlp, "tlp:amber"), "AMBER");
    assert_eq!(ok(Field::Tlp, "yellow"), "AMBER");
    assert!(refused(Field::Tlp, "CLEAR"));
    assert_eq!(ok(Field::SourceRegistry, "ripe-ncc"), "RIPE");
    assert_eq!(ok(Field::Output, " {\"a\": 1} "), "{\"a\": 1}");
    let mut e = Event::new();
    add(
        &mut e,
        Field::RtirId,
        Input::Text("123456789012345678901234"),
    )
    .unwrap();
    assert_eq!(
        e.get(Field::RtirId),
        Some(Value::Json("123456789012345678901234"))
    );
}

/// `fqdn_valid` as first written (several passes), the reference for the one-pass version.
fn fqdn_valid_reference(v: &str) -> bool {
    let labels_ok = {
        let mut labels = v.split('.').peekable();
        let mut ok = true;
        while let Some(l) = labels.next() {
            let last = labels.peek().is_none();
            if l.len() >= 64 || (!last && l.is_empty()) {
                ok = false;
            }
        }
        ok
    };
    !v.is_empty()
        && v.trim_matches('.') == v
        && !v.bytes().any(|b| b.is_ascii_uppercase())
        && !v.contains([':', '/', '?', '#'])
        && v.parse::<IpAddr>().is_err()
        && labels_ok
}

proptest::proptest! {
    #[test]
    fn fqdn_valid_agrees_with_reference(v in "[a-cA0-9.:/é-]{0,12}|[a-z]{60,66}(\\.[a-z]{0,3})?") {
        proptest::prop_assert_eq!(fqdn_valid(&v), fqdn_valid_reference(&v));
    }
}

#[test]
fn fqdn_valid_edge_cases() {
    for v in [
        "1.2.3.4",
        "1.2.3",
        "a..b",
        ".a",
        "a.",
        "a",
        "01.2.3.4",
        "1.2.3.4.5",
        "é.nl",
    ] {
        assert_eq!(fqdn_valid(v), fqdn_valid_reference(v), "{v}");
    }
    let long = "a".repeat(63);
    for v in [
        long.clone(),
        format!("{long}a"),
        format!("{long}.nl"),
        format!("nl.{long}a"),
    ] {
        assert_eq!(fqdn_valid(&v), fqdn_valid_reference(&v), "{v}");
    }
}
