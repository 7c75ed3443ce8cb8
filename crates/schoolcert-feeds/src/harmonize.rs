//! IntelMQ's `Event.add(key, value)` for harmonised fields: drop the ignored values (`""`,
//! `-`, `N/A`), sanitise by type (strip, lower-case, IDNA, integer IPs, ...), validate (type,
//! length, pattern) and store. One call per value; nothing is parsed twice.

use std::net::IpAddr;

use schoolcert_domain::Timestamp;

use crate::event::{Event, Value, is_typed};
use crate::field::{Field, Kind, Pattern, TRANSPORTS};
use crate::pyfmt::{self, PyInt};

/// A value on its way into an event, as a conversion function or an input format hands it over
/// (mirrors the Python types IntelMQ's conversions return).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input<'a> {
    Text(&'a str),
    Int(i64),
    /// An integer beyond `i64`, as decimal text.
    BigInt(&'a str),
    Float(f64),
    Bool(bool),
    Time(Timestamp),
    Ip(IpAddr),
}

/// What `add` did with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Stored,
    /// `""`, `-` or `N/A`: IntelMQ silently skips these.
    Ignored,
}

/// The value is not valid for the field (IntelMQ's `InvalidValue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

const IGNORED: [&str; 3] = ["", "-", "N/A"];

/// Adds `input` to `field` of `ev` (replacing an earlier value), with IntelMQ's sanitising and
/// validation.
pub fn add(ev: &mut Event, field: Field, input: Input<'_>) -> Result<Added, Invalid> {
    if let Input::Text(t) = input
        && IGNORED.contains(&t)
    {
        return Ok(Added::Ignored);
    }
    if is_typed(field) {
        add_typed(ev, field, input)?;
        return Ok(Added::Stored);
    }
    match field.kind() {
        Kind::String => add_string(ev, field, input, Case::Keep),
        Kind::LowercaseString => add_string(ev, field, input, Case::Lower),
        Kind::UppercaseString => add_string(ev, field, input, Case::Upper),
        Kind::Fqdn => {
            // The common case, text already lower-case ASCII: what `sanitize_fqdn` would return
            // is a substring of the input, stored without the two copies the general path makes.
            if let Input::Text(t) = input {
                let v = t.trim().trim_matches('.');
                if !v.is_empty() && v.is_ascii() && !v.bytes().any(|b| b.is_ascii_uppercase()) {
                    if !fqdn_valid(v) {
                        return Err(Invalid);
                    }
                    ev.set_str(field, v);
                    return Ok(Added::Stored);
                }
            }
            let v = sanitize_fqdn(&generic_text(input).ok_or(Invalid)?).ok_or(Invalid)?;
            ev.set_str(field, &v);
            Ok(())
        }
        Kind::Url => {
            let v = sanitize_url(&generic_text(input).ok_or(Invalid)?).ok_or(Invalid)?;
            ev.set_str(field, &v);
            Ok(())
        }
        Kind::IpAddress => {
            let ip = sanitize_ip(input).ok_or(Invalid)?;
            ev.set_str(field, &ip_text(ip));
            Ok(())
        }
        Kind::IpNetwork => {
            let t = generic_text(input).ok_or(Invalid)?;
            let net = parse_network(t.trim()).ok_or(Invalid)?;
            ev.set_str(field, &net);
            Ok(())
        }
        Kind::Integer => {
            let v = sanitize_int(input).ok_or(Invalid)?;
            let text_len = match &v {
                PyInt::Small(i) => i.to_string().len(),
                PyInt::Big(s) => s.len(),
            };
            if field.max_len().is_some_and(|m| text_len > m) {
                return Err(Invalid);
            }
            match v {
                PyInt::Small(i) => ev.set(field, Value::Int(i)),
                PyInt::Big(s) => ev.set(field, Value::Json(&s)),
            }
            Ok(())
        }
        Kind::Asn => {
            let v = sanitize_asn(input).ok_or(Invalid)?;
            ev.set(field, Value::Int(i64::from(v)));
            Ok(())
        }
        Kind::Float => {
            let f = sanitize_float(input).ok_or(Invalid)?;
            ev.set(field, Value::Float(f));
            Ok(())
        }
        Kind::Accuracy => {
            let f = match input {
                Input::Bool(b) => {
                    if b {
                        100.0
                    } else {
                        0.0
                    }
                }
                other => sanitize_float(other).ok_or(Invalid)?,
            };
            if !(0.0..=100.0).contains(&f) {
                return Err(Invalid);
            }
            ev.set(field, Value::Float(f));
            Ok(())
        }
        Kind::Boolean => {
            let b = match input {
                Input::Bool(b) => b,
                Input::Text(t) => match t.trim().to_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(Invalid),
                },
                Input::Int(0) => false,
                Input::Int(1) => true,
                _ => return Err(Invalid),
            };
            ev.set(field, Value::Bool(b));
            Ok(())
        }
        Kind::DateTime => {
            let t = sanitize_time(input).ok_or(Invalid)?;
            ev.set_str(field, &pyfmt::isoformat(t));
            Ok(())
        }
        Kind::Taxonomy => {
            let v = lower_text(input).ok_or(Invalid)?;
            let v = map_legacy_taxonomy(&v);
            if !TAXONOMIES.contains(&v) || v.len() > 100 {
                return Err(Invalid);
            }
            ev.set_str(field, v);
            Ok(())
        }
        Kind::ClassificationType => {
            let v = lower_text(input).ok_or(Invalid)?;
            let v = map_legacy_type(&v);
            if !TYPES.contains(&v) {
                return Err(Invalid);
            }
            ev.set_str(field, v);
            Ok(())
        }
        Kind::Json => {
            let t = generic_text(input).ok_or(Invalid)?;
            let t = t.trim();
            serde_json::from_str::<serde_json::Value>(t).map_err(|_| Invalid)?;
            ev.set_str(field, t);
            Ok(())
        }
        Kind::Registry => {
            let v = upper_text(input).ok_or(Invalid)?;
            let v = match v.as_str() {
                "RIPENCC" | "RIPE-NCC" => "RIPE",
                other => other,
            };
            if !["AFRINIC", "APNIC", "ARIN", "LACNIC", "RIPE"].contains(&v) {
                return Err(Invalid);
            }
            ev.set_str(field, v);
            Ok(())
        }
        Kind::Tlp => {
            let v = upper_text(input).ok_or(Invalid)?;
            let v = v.strip_prefix("TLP").unwrap_or(&v);
            let v = v.strip_prefix(':').unwrap_or(v).trim_start();
            let v = if v == "YELLOW" { "AMBER" } else { v };
            if !["WHITE", "GREEN", "AMBER", "RED"].contains(&v) {
                return Err(Invalid);
            }
            ev.set_str(field, v);
            Ok(())
        }
    }
    .map(|()| Added::Stored)
}

fn add_typed(ev: &mut Event, field: Field, input: Input<'_>) -> Result<(), Invalid> {
    match field {
        Field::TimeSource => ev.time_source = Some(sanitize_time(input).ok_or(Invalid)?),
        Field::TimeObservation => {
            ev.time_observation = Some(sanitize_time(input).ok_or(Invalid)?);
        }
        Field::SourceIp => ev.source_ip = Some(sanitize_ip(input).ok_or(Invalid)?),
        Field::DestinationIp => ev.destination_ip = Some(sanitize_ip(input).ok_or(Invalid)?),
        Field::SourcePort => ev.source_port = Some(sanitize_port(input)?),
        Field::DestinationPort => ev.destination_port = Some(sanitize_port(input)?),
        Field::SourceAsn => ev.source_asn = Some(sanitize_asn(input).ok_or(Invalid)?),
        Field::DestinationAsn => ev.destination_asn = Some(sanitize_asn(input).ok_or(Invalid)?),
        _ => return Err(Invalid),
    }
    Ok(())
}

/// Ports are typed `u16` here; IntelMQ accepts any integer of at most five characters for
/// `source.port` (so also 65536..99999 and negatives). We refuse those: no such port exists.
fn sanitize_port(input: Input<'_>) -> Result<u16, Invalid> {
    match sanitize_int(input).ok_or(Invalid)? {
        PyInt::Small(i) => u16::try_from(i).map_err(|_| Invalid),
        PyInt::Big(_) => Err(Invalid),
    }
}

#[derive(Clone, Copy)]
enum Case {
    Keep,
    Lower,
    Upper,
}

/// String, LowercaseString and UppercaseString: written straight into the event's arena, then
/// checked, so the common case allocates nothing.
fn add_string(ev: &mut Event, field: Field, input: Input<'_>, case: Case) -> Result<(), Invalid> {
    let owned;
    let text: &str = match input {
        Input::Text(t) => t.trim(),
        // Python: `value.lower()` fails on a non-string (the value is refused), while String
        // turns it into text with `str()` unless it is falsy (0, 0.0, False).
        other => match case {
            Case::Lower | Case::Upper => return Err(Invalid),
            Case::Keep => {
                owned = generic_text(other).ok_or(Invalid)?;
                owned.as_str()
            }
        },
    };
    if text.is_empty() {
        return Err(Invalid);
    }
    let cased: std::borrow::Cow<'_, str> = match case {
        Case::Keep => text.into(),
        Case::Lower if text.bytes().any(|b| b.is_ascii_uppercase()) || !text.is_ascii() => {
            text.to_lowercase().into()
        }
        Case::Upper if text.bytes().any(|b| b.is_ascii_lowercase()) || !text.is_ascii() => {
            text.to_uppercase().into()
        }
        _ => text.into(),
    };
    // `str.lower()` may change what strip() removes only in exotic cases; strip again.
    let cased = cased.trim();
    if cased.is_empty() || !length_ok(field, cased) || !pattern_ok(field.pattern(), cased) {
        return Err(Invalid);
    }
    ev.set_str(field, cased);
    Ok(())
}

fn length_ok(field: Field, s: &str) -> bool {
    match field.max_len() {
        None => true,
        Some(m) => s.len() <= m || s.chars().count() <= m,
    }
}

pub(crate) fn pattern_ok(p: Pattern, s: &str) -> bool {
    match p {
        Pattern::None => true,
        Pattern::PrintableAscii => !s.is_empty() && s.bytes().all(|b| (b' '..=b'~').contains(&b)),
        Pattern::CountryCode => s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphanumeric()),
        Pattern::Severity => {
            ["critical", "high", "medium", "low", "info", "undefined"].contains(&s)
        }
        Pattern::Transport => {
            // The value is lower case already (LowercaseString); IntelMQ's check is `iregex`.
            matches!(s, "tcp" | "udp" | "icmp")
                || TRANSPORTS.iter().any(|t| t.eq_ignore_ascii_case(s))
        }
        Pattern::EventHash => {
            !s.is_empty()
                && s.bytes().all(|b| {
                    b.is_ascii_digit() || (b'A'..=b'F').contains(&b) || b == b'.' || b == b'/'
                })
        }
        Pattern::Uuid => {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() == 5
                && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| {
                    p.len() == n
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        }
        Pattern::NoTrailingDot => !s.is_empty() && !s.ends_with('.'),
    }
}

/// `GenericType.sanitize`: text stripped; other values through `str()`, falsy ones refused.
fn generic_text(input: Input<'_>) -> Option<String> {
    match input {
        Input::Text(t) => Some(t.trim().to_owned()),
        Input::Int(0) | Input::Bool(false) => None,
        Input::Int(i) => Some(i.to_string()),
        Input::BigInt(s) => Some(s.to_owned()),
        Input::Float(f) => (f != 0.0).then(|| pyfmt::float_repr(f)),
        Input::Bool(true) => Some("True".to_owned()),
        Input::Time(t) => Some(pyfmt::isoformat(t)),
        Input::Ip(ip) => Some(ip_text(ip)),
    }
}

fn lower_text(input: Input<'_>) -> Option<String> {
    match input {
        Input::Text(t) => {
            let v = t.to_lowercase();
            let v = v.trim();
            (!v.is_empty()).then(|| v.to_owned())
        }
        _ => None,
    }
}

fn upper_text(input: Input<'_>) -> Option<String> {
    match input {
        Input::Text(t) => {
            let v = t.to_uppercase();
            let v = v.trim();
            (!v.is_empty()).then(|| v.to_owned())
        }
        _ => None,
    }
}

/// `FQDN.sanitize` + `FQDN.is_valid`: strip, strip dots, IDNA, lower case; then no IP address,
/// no `:`, `/`, `?` or `#`, labels of 1 to 63 characters.
pub fn sanitize_fqdn(value: &str) -> Option<String> {
    let v = value.trim().trim_matches('.');
    if v.is_empty() {
        return None;
    }
    let ascii = if v.is_ascii() {
        v.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(v).ok()?.to_lowercase()
    };
    if !fqdn_valid(&ascii) {
        return None;
    }
    Some(ascii)
}

/// Not empty, no leading or trailing dot, no ASCII upper case, none of `:/?#`, not an IP
/// address, and labels as Python's `str.encode('idna')` wants them on ASCII (every label but
/// the last 1..63 bytes, the last < 64); one pass over the bytes (the ASCII characters checked
/// never occur inside a multi-byte UTF-8 sequence).
pub(crate) fn fqdn_valid(v: &str) -> bool {
    let b = v.as_bytes();
    if b.first().is_none_or(|&c| c == b'.') || b.last().is_none_or(|&c| c == b'.') {
        return false;
    }
    let mut digits_and_dots = true;
    let mut label = 0usize;
    for &c in b {
        if c.is_ascii_uppercase() || matches!(c, b':' | b'/' | b'?' | b'#') {
            return false;
        }
        if c == b'.' {
            // Neither end is a dot, so an empty label is an inner one.
            if label == 0 || label >= 64 {
                return false;
            }
            label = 0;
        } else {
            label += 1;
            digits_and_dots &= c.is_ascii_digit();
        }
    }
    // Without a colon only a dotted-decimal IPv4 address can parse as an address.
    label < 64 && !(digits_and_dots && v.parse::<IpAddr>().is_ok())
}

/// `URL.sanitize`: strip, `hxxp` → `http`, `file:` without host gets `localhost`; valid only
/// with a host part (what Python's `urlsplit` calls the netloc).
pub fn sanitize_url(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let v = v
        .replace("hxxp://", "http://")
        .replace("hxxps://", "https://");
    let (scheme, rest) = split_scheme(&v);
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("file")) && netloc(rest).is_empty() {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let fixed = format!("{}://localhost{}", scheme.unwrap_or("file"), path);
        return Some(fixed);
    }
    if netloc(rest).is_empty() {
        return None;
    }
    Some(v)
}

/// `urlsplit`'s scheme detection: letters, digits, `+-.` before the first `:`, starting with a
/// letter.
fn split_scheme(url: &str) -> (Option<&str>, &str) {
    if let Some(i) = url.find(':') {
        let s = &url[..i];
        let ok = s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if ok {
            return (Some(s), &url[i + 1..]);
        }
    }
    (None, url)
}

/// The netloc of what follows the scheme: after `//`, up to `/`, `?` or `#`.
fn netloc(rest: &str) -> &str {
    match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            &r[..end]
        }
        None => "",
    }
}

/// The host of a URL as IntelMQ stores it (`http://host:port/path`), lower-cased, without
/// user info, port or IPv6 brackets. Used for matching.
pub fn url_host(url: &str) -> Option<&str> {
    let (_, rest) = split_scheme(url);
    let n = netloc(rest);
    let n = n.rsplit_once('@').map_or(n, |(_, h)| h);
    if let Some(v6) = n.strip_prefix('[') {
        return v6.split(']').next().filter(|h| !h.is_empty());
    }
    let host = match n.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => n,
    };
    (!host.is_empty()).then_some(host)
}

/// `IPAddress.sanitize`: strip; a decimal integer is an address; a scope id is dropped; a
/// `/32` or `/128` network is its address; `0.0.0.0` is refused.
pub fn sanitize_ip(input: Input<'_>) -> Option<IpAddr> {
    let ip = match input {
        Input::Ip(ip) => ip,
        Input::Int(i) => int_to_ip(u128::try_from(i).ok()?)?,
        Input::BigInt(s) => int_to_ip(s.parse().ok()?)?,
        Input::Text(t) => parse_ip_text(t)?,
        Input::Float(_) | Input::Bool(_) | Input::Time(_) => return None,
    };
    if ip == IpAddr::from([0u8, 0, 0, 0]) {
        return None;
    }
    Some(ip)
}

fn int_to_ip(v: u128) -> Option<IpAddr> {
    if let Ok(v4) = u32::try_from(v) {
        return Some(IpAddr::from(v4.to_be_bytes()));
    }
    Some(IpAddr::from(v.to_be_bytes()))
}

/// Text to address with Python's `ipaddress` rules (no leading zeros in IPv4 octets).
pub(crate) fn parse_ip_text(t: &str) -> Option<IpAddr> {
    let t = t.trim();
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ip);
    }
    // The canonical decimal form of an integer: `str(int(value)) == value`.
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && (t == "0" || !t.starts_with('0')) {
        return int_to_ip(t.parse().ok()?);
    }
    let t = t.split('%').next().unwrap_or(t);
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ip);
    }
    let (addr, len) = t.split_once('/')?;
    let ip: IpAddr = addr.parse().ok()?;
    let len: u8 = len.parse().ok()?;
    let full = if ip.is_ipv4() { 32 } else { 128 };
    (len == full).then_some(ip)
}

/// IntelMQ's text form of an address (Python's `str(ip_address)`).
pub fn ip_text(ip: IpAddr) -> String {
    ip.to_string()
}

/// `IPNetwork.sanitize`: host bits dropped, a bare address becomes a /32 or /128.
pub(crate) fn parse_network(t: &str) -> Option<String> {
    if let Ok(net) = t.parse::<ipnet::IpNet>() {
        return Some(net.trunc().to_string());
    }
    let ip: IpAddr = t.parse().ok()?;
    Some(ipnet::IpNet::from(ip).to_string())
}

fn sanitize_int(input: Input<'_>) -> Option<PyInt> {
    match input {
        Input::Int(i) => Some(PyInt::Small(i)),
        Input::BigInt(s) => Some(PyInt::Big(s.to_owned())),
        Input::Bool(b) => Some(PyInt::Small(i64::from(b))),
        Input::Float(f) if f.is_finite() => {
            let t = f.trunc();
            if t.abs() < 9.2e18 {
                #[allow(clippy::cast_possible_truncation)]
                Some(PyInt::Small(t as i64))
            } else {
                None
            }
        }
        Input::Text(t) => pyfmt::python_int(t),
        _ => None,
    }
}

fn sanitize_asn(input: Input<'_>) -> Option<u32> {
    let input = match input {
        Input::Text(t) if t.len() >= 2 && t[..2].eq_ignore_ascii_case("as") => Input::Text(&t[2..]),
        other => other,
    };
    match sanitize_int(input)? {
        PyInt::Small(i) if i > 0 => u32::try_from(i).ok(),
        _ => None,
    }
}

fn sanitize_float(input: Input<'_>) -> Option<f64> {
    match input {
        Input::Float(f) => Some(f),
        #[allow(clippy::cast_precision_loss)]
        Input::Int(i) => Some(i as f64),
        Input::BigInt(s) => s.parse().ok(),
        Input::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
        Input::Text(t) => pyfmt::python_float(t),
        _ => None,
    }
}

fn sanitize_time(input: Input<'_>) -> Option<Timestamp> {
    match input {
        Input::Time(t) => Some(t),
        Input::Text(t) => pyfmt::parse_datetime(t),
        _ => None,
    }
}

const TAXONOMIES: &[&str] = &[
    "abusive-content",
    "availability",
    "fraud",
    "information-content-security",
    "information-gathering",
    "intrusion-attempts",
    "intrusions",
    "malicious-code",
    "other",
    "test",
    "vulnerable",
];

/// IntelMQ's `classification.type` values (RSIT plus its own `blacklist`, `malware`, ...).
const TYPES: &[&str] = &[
    "application-compromise",
    "blacklist",
    "brute-force",
    "burglary",
    "c2-server",
    "copyright",
    "data-leak",
    "data-loss",
    "ddos",
    "ddos-amplifier",
    "dga-domain",
    "dos",
    "exploit",
    "harmful-speech",
    "ids-alert",
    "infected-system",
    "information-disclosure",
    "malware",
    "malware-configuration",
    "malware-distribution",
    "masquerade",
    "misconfiguration",
    "other",
    "outage",
    "phishing",
    "potentially-unwanted-accessible",
    "privileged-account-compromise",
    "proxy",
    "sabotage",
    "scanner",
    "sniffing",
    "social-engineering",
    "spam",
    "system-compromise",
    "test",
    "tor",
    "unauthorised-information-access",
    "unauthorised-information-modification",
    "unauthorized-use-of-resources",
    "undetermined",
    "unprivileged-account-compromise",
    "violence",
    "vulnerable-system",
    "weak-crypto",
];

fn map_legacy_taxonomy(v: &str) -> &str {
    match v {
        "abusive content" => "abusive-content",
        "information gathering" => "information-gathering",
        "intrusion attempts" => "intrusion-attempts",
        "malicious code" => "malicious-code",
        other => other,
    }
}

fn map_legacy_type(v: &str) -> &str {
    match v {
        "botnet drone" | "infected system" | "ransomware" => "infected-system",
        "ids alert" => "ids-alert",
        "c&c" | "c2server" => "c2-server",
        "malware configuration" => "malware-configuration",
        "vulnerable client" | "vulnerable service" => "vulnerable-system",
        "leak" => "data-leak",
        "unknown" => "undetermined",
        "dga domain" => "dga-domain",
        "unauthorized-login" | "unauthorized-command" | "compromised" | "backdoor" => {
            "system-compromise"
        }
        "defacement" => "unauthorised-information-modification",
        "dropzone" => "other",
        other => other,
    }
}

#[cfg(test)]
mod tests;
