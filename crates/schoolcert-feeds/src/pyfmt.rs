//! Python's text forms of numbers and times, where IntelMQ's output depends on them:
//! `repr(float)`, `int(str)` and `datetime.isoformat()` for UTC instants, and the subset of
//! `dateutil.parser.parse` that Shadowserver's columns need.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use schoolcert_domain::Timestamp;

/// `repr(f)` as Python 3 writes it: shortest round-trip digits, `1.0`, `1e+16`, `1.5e-05`.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. `1.5e-5`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = usize::try_from(point).unwrap_or(0);
    if digits.len() <= point {
        let zeros = "0".repeat(point - digits.len());
        format!("{sign}{digits}{zeros}.0")
    } else {
        let (a, b) = digits.split_at(point);
        format!("{sign}{a}.{b}")
    }
}

/// `int(s)` for a string: surrounding whitespace, a sign and `_` between digits allowed.
/// `None` where Python raises `ValueError`; values beyond `i64` come back as decimal text.
pub fn python_int(s: &str) -> Option<PyInt> {
    // Fast path: plain digits that fit i64 (ports, ASNs, lengths): no allocation.
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 18 && b.iter().all(u8::is_ascii_digit) {
        return Some(PyInt::Small(
            b.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')),
        ));
    }
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let clean: String = if digits.contains('_') {
        digits.chars().filter(|c| *c != '_').collect()
    } else {
        digits.to_owned()
    };
    let trimmed = clean.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    let text = if neg && trimmed != "0" {
        format!("-{trimmed}")
    } else {
        trimmed.to_owned()
    };
    match text.parse::<i64>() {
        Ok(i) => Some(PyInt::Small(i)),
        Err(_) => Some(PyInt::Big(text)),
    }
}

/// A Python integer: most fit `i64`, certificate serials and the like may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PyInt {
    Small(i64),
    Big(String),
}

/// `float(s)`: whitespace, `inf`, `nan`, exponent and `_` between digits allowed.
pub fn python_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return lower.replace("infinity", "inf").parse().ok();
    }
    if t.contains('_') {
        if t.contains("__") || t.starts_with('_') || t.ends_with('_') {
            return None;
        }
        return t.replace('_', "").parse().ok();
    }
    // Rust also accepts "inf"/"nan" spellings handled above; anything else is plain syntax.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        t.parse().ok()
    } else {
        None
    }
}

/// `datetime.isoformat()` of a UTC instant: `2026-03-24T16:41:21+00:00`, with `.ffffff` only
/// when there are microseconds. This is the DateTime format IntelMQ stores and emits.
pub fn isoformat(t: Timestamp) -> String {
    let mut s = String::with_capacity(32);
    write_isoformat(&mut s, t);
    s
}

/// Appends `isoformat(t)` to `out`.
pub fn write_isoformat(out: &mut String, t: Timestamp) {
    use std::fmt::Write;
    let micros = t.nanosecond() / 1000;
    let _ = if micros == 0 {
        write!(out, "{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    } else {
        write!(out, "{}.{micros:06}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    };
}

/// Parses the date-and-time forms Shadowserver and IntelMQ exchange, as `dateutil` reads them:
/// `YYYY-MM-DD[ T]HH:MM[:SS[.f]]` with an optional zone (`Z`, `UTC`, `GMT`, `±HH:MM`,
/// `±HHMM`, `±HH`), a bare date (midnight), and RFC 2822 (`Tue, 24 Mar 2026 10:00:00 GMT`).
/// A missing zone means UTC. Anything else is `None` (dateutil's fuzzy mode guesses more).
pub fn parse_datetime(s: &str) -> Option<Timestamp> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(ts) = parse_iso_like(t) {
        return Some(ts);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Some(d.with_timezone(&Utc));
    }
    None
}

/// Fast path for `YYYY-MM-DD HH:MM:SS` (Shadowserver's `timestamp`) and its relatives.
fn parse_iso_like(t: &str) -> Option<Timestamp> {
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let mut rest = &t[10..];
    if rest.is_empty() {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    }
    let sep = rest.as_bytes()[0];
    if sep != b' ' && sep != b'T' && sep != b't' {
        return None;
    }
    rest = &rest[1..];
    let rb = rest.as_bytes();
    if rb.len() < 5 || rb[2] != b':' {
        // A date followed by a zone only: "2026-03-24 UTC".
        let offset = parse_zone(rest.trim())?;
        let naive = date.and_time(NaiveTime::MIN);
        return to_utc(naive, offset);
    }
    let hour = digits(&rb[0..2])?;
    let minute = digits(&rb[3..5])?;
    let mut i = 5;
    let mut second = 0;
    let mut nanos = 0u32;
    if rb.get(i) == Some(&b':') {
        second = digits(rb.get(i + 1..i + 3)?)?;
        i += 3;
        if matches!(rb.get(i), Some(b'.') | Some(b',')) {
            let start = i + 1;
            let mut end = start;
            while rb.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            // dateutil keeps microseconds (6 digits), truncating the rest.
            let frac = &rest[start..end.min(start + 6)];
            let mut micros = frac.parse::<u32>().ok()?;
            for _ in frac.len()..6 {
                micros *= 10;
            }
            nanos = micros * 1000;
            i = end;
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let naive = NaiveDateTime::new(date, time);
    let zone = rest[i..].trim();
    if zone.is_empty() {
        return Some(Utc.from_utc_datetime(&naive));
    }
    to_utc(naive, parse_zone(zone)?)
}

fn to_utc(naive: NaiveDateTime, offset: FixedOffset) -> Option<Timestamp> {
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

fn parse_zone(z: &str) -> Option<FixedOffset> {
    match z {
        "Z" | "z" | "UTC" | "utc" | "GMT" | "gmt" | "UT" => return FixedOffset::east_opt(0),
        _ => {}
    }
    let z = z
        .strip_prefix("UTC")
        .or_else(|| z.strip_prefix("GMT"))
        .unwrap_or(z);
    let b = z.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &z[1..];
    let (h, m) = match body.len() {
        2 => (digits(body.as_bytes())?, 0),
        4 => (
            digits(&body.as_bytes()[0..2])?,
            digits(&body.as_bytes()[2..4])?,
        ),
        5 if body.as_bytes()[2] == b':' => (
            digits(&body.as_bytes()[0..2])?,
            digits(&body.as_bytes()[3..5])?,
        ),
        _ => return None,
    };
    let secs = i32::try_from(h * 3600 + m * 60).ok()?;
    FixedOffset::east_opt(sign * secs)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        for (f, s) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345.0, "123456789012345.0"),
            (-2.25, "-2.25"),
            (1234.5678, "1234.5678"),
        ] {
            assert_eq!(float_repr(f), s, "{f}");
        }
    }

    #[test]
    fn python_int_accepts_what_int_accepts() {
        assert_eq!(python_int(" 42 "), Some(PyInt::Small(42)));
        assert_eq!(python_int("+007"), Some(PyInt::Small(7)));
        assert_eq!(python_int("-1_000"), Some(PyInt::Small(-1000)));
        assert_eq!(
            python_int("123456789012345678901234"),
            Some(PyInt::Big("123456789012345678901234".into()))
        );
        assert!(python_int("1.5").is_none());
        assert!(python_int("").is_none());
        assert!(python_int("abc").is_none());
        assert!(python_int("1__0").is_none());
    }

    #[test]
    fn python_float_accepts_what_float_accepts() {
        assert_eq!(python_float(" 1.5 "), Some(1.5));
        assert_eq!(python_float("1e3"), Some(1000.0));
        assert_eq!(python_float("1_0.5"), Some(10.5));
        assert!(python_float("inf").is_some_and(f64::is_infinite));
        assert_eq!(python_float("abc"), None);
        assert_eq!(python_float(""), None);
    }

    #[test]
    fn timestamps_parse_like_dateutil_and_print_like_isoformat() {
        let p = |s: &str| parse_datetime(s).map(isoformat);
        assert_eq!(
            p("2026-11-20 04:12:33").as_deref(),
            Some("2026-11-20T04:12:33+00:00")
        );
        assert_eq!(
            p("2026-11-20 04:12:33 UTC").as_deref(),
            Some("2026-11-20T04:12:33+00:00")
        );
        assert_eq!(
            p("2026-11-20T04:12:33.5+02:00").as_deref(),
            Some("2026-11-20T02:12:33.500000+00:00")
        );
        assert_eq!(
            p("2026-11-20T04:12:33Z").as_deref(),
            Some("2026-11-20T04:12:33+00:00")
        );
        assert_eq!(
            p("2026-11-20").as_deref(),
            Some("2026-11-20T00:00:00+00:00")
        );
        assert_eq!(
            p("Tue, 24 Mar 2026 10:00:00 GMT").as_deref(),
            Some("2026-03-24T10:00:00+00:00")
        );
        assert_eq!(
            p("2026-11-20 04:12").as_deref(),
            Some("2026-11-20T04:12:00+00:00")
        );
        assert_eq!(p(""), None);
        assert_eq!(p("yesterday"), None);
        assert_eq!(p("2026-13-01 00:00:00"), None);
    }
}
