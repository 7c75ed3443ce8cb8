//! Table tests of every conversion against IntelMQ 3.5 behaviour (intelmq.md §3 and the
//! conversion functions' definitions).

use super::*;

struct NoRow;
impl RowAccess for NoRow {
    fn get(&self, _: &str) -> Option<Option<&str>> {
        None
    }
}

struct Row(Vec<(&'static str, Option<&'static str>)>);
impl RowAccess for Row {
    fn get(&self, column: &str) -> Option<Option<&str>> {
        self.0.iter().find(|(k, _)| *k == column).map(|(_, v)| *v)
    }
}

fn conv(name: &str, value: &str) -> Result<Converted<'static>, ConversionError> {
    let v: &'static str = Box::leak(value.to_owned().into_boxed_str());
    let c = Conversion::from_name(name);
    apply(&c, v, &NoRow).map(|c| match c {
        Converted::Text(t) => Converted::Text(Cow::Owned(t.into_owned())),
        other => other,
    })
}

fn text(s: &str) -> Converted<'static> {
    Converted::Text(Cow::Owned(s.to_owned()))
}

#[test]
fn all_eighteen_conversions_are_known_by_name() {
    for c in Conversion::KNOWN {
        assert_eq!(Conversion::from_name(c.name()), c);
    }
    assert_eq!(
        Conversion::from_name("nope"),
        Conversion::Unknown("nope".into())
    );
}

#[test]
fn simple_conversions_table() {
    use Converted::*;
    let table: Vec<(&str, &str, Result<Converted<'static>, ()>)> = vec![
        ("validate_to_none", "", Ok(None)),
        ("validate_to_none", "0", Ok(None)),
        ("validate_to_none", "unknown", Ok(None)),
        ("validate_to_none", "Unknown", Ok(text("Unknown"))),
        ("validate_to_none", "rdp", Ok(text("rdp"))),
        ("convert_int", "", Ok(None)),
        ("convert_int", "3389", Ok(Int(3389))),
        ("convert_int", " 42 ", Ok(Int(42))),
        ("convert_int", "-7", Ok(Int(-7))),
        ("convert_int", "abc", Err(())),
        ("convert_int", "1.5", Err(())),
        ("invalidate_zero", "", Ok(None)),
        ("invalidate_zero", "0", Ok(None)),
        ("invalidate_zero", "000", Ok(None)),
        ("invalidate_zero", "1103", Ok(Int(1103))),
        ("invalidate_zero", "AS1103", Err(())),
        ("convert_float", "", Ok(None)),
        ("convert_float", "12.5", Ok(Float(12.5))),
        ("convert_float", "3", Ok(Float(3.0))),
        ("convert_float", "1e-07", Ok(Float(1e-7))),
        ("convert_float", "x", Err(())),
        ("convert_bool", "Y", Ok(Bool(true))),
        ("convert_bool", "enabled", Ok(Bool(true))),
        ("convert_bool", "1", Ok(Bool(true))),
        ("convert_bool", "No", Ok(Bool(false))),
        ("convert_bool", "disabled", Ok(Bool(false))),
        ("convert_bool", "", Ok(None)),
        ("convert_bool", "maybe", Ok(None)),
        ("convert_bool", " yes", Ok(None)),
        (
            "validate_network",
            "145.97.12.0/24",
            Ok(text("145.97.12.0/24")),
        ),
        ("validate_network", "10.0.0.1/8", Ok(text("10.0.0.1/8"))),
        ("validate_network", "10.0.0.1", Ok(None)),
        ("validate_network", "", Ok(None)),
        (
            "validate_fqdn",
            "Www.School.NL.",
            Ok(text("Www.School.NL.")),
        ),
        ("validate_fqdn", "", Ok(None)),
        ("validate_fqdn", "10.0.0.1", Ok(None)),
        ("validate_fqdn", "host:8080", Ok(None)),
        ("validate_fqdn", "a..b", Ok(None)),
        ("convert_date", "", Ok(None)),
        (
            "convert_date",
            "Fri, 20 Nov 2026 04:12:33 GMT",
            Ok(text("2026-11-20T04:12:33+00:00")),
        ),
        (
            "convert_date",
            "2026-11-20 04:12:33",
            Ok(text("2026-11-20T04:12:33+00:00")),
        ),
        (
            "convert_date",
            "2026-11-20T04:12:33+00:00",
            Ok(text("2026-11-20T04:12:33+00:00")),
        ),
        (
            "convert_date",
            "2026-11-20T06:12:33+02:00",
            Ok(text("2026-11-20T04:12:33+00:00")),
        ),
        ("convert_date", "garbage", Ok(None)),
        (
            "convert_date_utc",
            "2026-11-20 04:12:33",
            Ok(text("2026-11-20T04:12:33+00:00")),
        ),
        ("convert_date_utc", "", Ok(None)),
        ("force_base64", "", Ok(None)),
        ("force_base64", "aGVsbG8=", Ok(text("aGVsbG8="))),
        ("force_base64", "hello world", Ok(text("aGVsbG8gd29ybGQ="))),
        (
            "scan_exchange_taxonomy",
            "exchange;webshell",
            Ok(text("intrusions")),
        ),
        ("scan_exchange_taxonomy", "exchange", Ok(text("vulnerable"))),
        (
            "scan_exchange_type",
            "exchange;webshell",
            Ok(text("system-compromise")),
        ),
        (
            "scan_exchange_type",
            "exchange",
            Ok(text("vulnerable-system")),
        ),
        (
            "scan_exchange_identifier",
            "webshell",
            Ok(text("exchange-server-webshell")),
        ),
        (
            "scan_exchange_identifier",
            "",
            Ok(text("vulnerable-exchange-server")),
        ),
        (
            "extract_cve_from_tag",
            "rdp;cve-2019-0708",
            Ok(text("cve-2019-0708")),
        ),
        (
            "extract_cve_from_tag",
            "cve-2023-46604;x;cve-2021-44228;cve-2023-46604",
            Ok(text("cve-2021-44228;cve-2023-46604")),
        ),
        ("extract_cve_from_tag", "CVE-2019-0708", Ok(None)),
        ("extract_cve_from_tag", "rdp", Ok(None)),
    ];
    for (name, input, want) in table {
        let got = conv(name, input).map_err(|_| ());
        assert_eq!(got, want, "{name}({input:?})");
    }
}

#[test]
fn add_utc_and_validate_ip_keep_the_original_text() {
    assert_eq!(
        conv("add_UTC_to_timestamp", "2026-11-20 04:12:33").unwrap(),
        Converted::Utc("2026-11-20 04:12:33")
    );
    match conv("validate_ip", " 145.97.12.7 ").unwrap() {
        Converted::Ip(t, ip) => {
            assert_eq!(t, " 145.97.12.7 ");
            assert_eq!(ip.to_string(), "145.97.12.7");
        }
        other => panic!("{other:?}"),
    }
    // An integer is an address (Python's ipaddress accepts it).
    assert!(
        matches!(conv("validate_ip", "2443783177").unwrap(), Converted::Ip(_, ip) if ip.to_string() == "145.169.44.9")
    );
    for bad in ["0.0.0.0", "10.0.0.0/8", "not-an-ip", "", "010.1.1.1"] {
        assert_eq!(conv("validate_ip", bad).unwrap(), Converted::None, "{bad}");
    }
    assert!(matches!(
        conv("validate_ip", "fe80::1%eth0").unwrap(),
        Converted::Ip(_, _)
    ));
}

#[test]
fn row_conversions_read_other_columns() {
    let c = Conversion::ConvertHttpHostAndUrl;
    let row = Row(vec![
        ("http_host", Some("www.school.nl")),
        ("url", Some("GET /wp-login.php HTTP/1.1")),
        ("application", Some("https")),
    ]);
    assert_eq!(
        apply(&c, "GET /wp-login.php HTTP/1.1", &row).unwrap(),
        text("https://www.school.nl/wp-login.php")
    );
    // cc_dns first; no slash in the path leaves an empty path; other application → http.
    let row = Row(vec![
        ("cc_dns", Some("c2.example")),
        ("http_host", Some("ignored.nl")),
        ("http_url", Some("index")),
        ("application", Some("smtp")),
    ]);
    assert_eq!(apply(&c, "index", &row).unwrap(), text("http://c2.example"));
    // No host: the value is returned unchanged.
    let row = Row(vec![("url", Some("/x"))]);
    assert_eq!(apply(&c, "/x", &row).unwrap(), text("/x"));
    // The ip column is the last resort.
    let row = Row(vec![("ip", Some("145.97.12.7")), ("url", Some("/a b"))]);
    assert_eq!(
        apply(&c, "/a b", &row).unwrap(),
        text("http://145.97.12.7/a")
    );

    let c = Conversion::CategoryOrDetail;
    let row = Row(vec![("category", Some("")), ("detail", Some("wso shell"))]);
    assert_eq!(apply(&c, "", &row).unwrap(), text("wso shell"));
    let row = Row(vec![("category", Some("webshell")), ("detail", Some("x"))]);
    assert_eq!(apply(&c, "webshell", &row).unwrap(), text("webshell"));
}
