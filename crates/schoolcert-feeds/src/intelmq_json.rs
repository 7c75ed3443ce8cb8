//! Events as IntelMQ JSON, both ways: one flat object per event (`"source.ip"`,
//! `"extra.tag"`, `"raw"` in base64, times as `2026-03-24T16:41:21+00:00`), one object per line
//! for files (`schoolcert events export --format intelmq`, and import of IntelMQ output).

use std::io::{BufRead, BufReader, Read};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use schoolcert_domain::registry::RowError;
use schoolcert_domain::{BoardId, Lang, Tlp};
use serde_json::Value as Json;

use crate::event::{Event, Value};
use crate::field::Field;
use crate::harmonize::{self, Input};
use crate::pyfmt;

/// The `extra` key that carries the matched board on export.
pub const BOARD_KEY: &str = "schoolcert_board";
/// The `extra` key that keeps a TLP 2.0 label IntelMQ cannot express.
pub const TLP_KEY: &str = "schoolcert_tlp";

/// One event as a single-line IntelMQ JSON object. `board` adds `extra.schoolcert_board`.
pub fn to_json_line(ev: &Event, board: Option<BoardId>) -> String {
    let mut out = String::with_capacity(512 + ev.arena_len() * 2);
    write_json(&mut out, ev, board);
    out
}

/// Appends the JSON object (no newline) to `out`.
pub fn write_json(out: &mut String, ev: &Event, board: Option<BoardId>) {
    out.push('{');
    let mut first = true;
    let mut key = |out: &mut String, k: &str| {
        if !first {
            out.push_str(", ");
        }
        first = false;
        write_str(out, k);
        out.push_str(": ");
    };
    for f in Field::ALL {
        match f {
            Field::TimeSource | Field::TimeObservation => {
                let t = if *f == Field::TimeSource {
                    ev.time_source
                } else {
                    ev.time_observation
                };
                if let Some(t) = t {
                    key(out, f.name());
                    out.push('"');
                    pyfmt::write_isoformat(out, t);
                    out.push('"');
                }
            }
            Field::SourceIp | Field::DestinationIp => {
                let ip = if *f == Field::SourceIp {
                    ev.source_ip
                } else {
                    ev.destination_ip
                };
                if let Some(ip) = ip {
                    key(out, f.name());
                    write_str(out, &ip.to_string());
                }
            }
            Field::SourcePort | Field::DestinationPort => {
                let p = if *f == Field::SourcePort {
                    ev.source_port
                } else {
                    ev.destination_port
                };
                if let Some(p) = p {
                    key(out, f.name());
                    out.push_str(&p.to_string());
                }
            }
            Field::SourceAsn | Field::DestinationAsn => {
                let a = if *f == Field::SourceAsn {
                    ev.source_asn
                } else {
                    ev.destination_asn
                };
                if let Some(a) = a {
                    key(out, f.name());
                    out.push_str(&a.to_string());
                }
            }
            _ => {
                if let Some(v) = ev.get(*f) {
                    key(out, f.name());
                    write_value(out, v);
                }
            }
        }
    }
    let mut extras: Vec<(&str, Value<'_>)> = ev.extra().collect();
    let board_text = board.map(|b| b.0);
    if let Some(b) = board_text {
        extras.retain(|(k, _)| *k != BOARD_KEY);
        extras.push((BOARD_KEY, Value::Int(b)));
        extras.sort_by(|a, b| a.0.cmp(b.0));
    }
    for (k, v) in extras {
        let mut full = String::with_capacity(6 + k.len());
        full.push_str("extra.");
        full.push_str(k);
        key(out, &full);
        write_value(out, v);
    }
    if let Some(raw) = ev.raw() {
        key(out, "raw");
        out.push('"');
        out.push_str(&STANDARD.encode(raw.as_bytes()));
        out.push('"');
    }
    out.push('}');
}

fn write_value(out: &mut String, v: Value<'_>) {
    match v {
        Value::Str(s) => write_str(out, s),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_finite() => out.push_str(&pyfmt::float_repr(f)),
        Value::Float(_) | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Json(s) => out.push_str(s),
    }
}

/// A JSON string literal.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why one IntelMQ JSON line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonEventError {
    #[error("not a JSON object: {0}")]
    Syntax(String),
    #[error("{key}: unknown field")]
    UnknownKey { key: String },
    #[error("{key}: invalid value {value}")]
    Invalid { key: String, value: String },
    #[error("raw: not base64")]
    Raw,
}

impl JsonEventError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (JsonEventError::Syntax(e), Lang::Nl) => format!("geen JSON-object: {e}"),
            (JsonEventError::UnknownKey { key }, Lang::Nl) => {
                format!("{key}: onbekend IntelMQ-veld")
            }
            (JsonEventError::Invalid { key, value }, Lang::Nl) => {
                format!("{key}: ongeldige waarde {value}")
            }
            (JsonEventError::Raw, Lang::Nl) => "raw: geen base64".into(),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// One IntelMQ event object (flat keys; an `extra` object is accepted too) as an [`Event`],
/// every value validated as IntelMQ validates it.
pub fn from_json_str(line: &str) -> Result<Event, JsonEventError> {
    let v: Json = serde_json::from_str(line).map_err(|e| JsonEventError::Syntax(e.to_string()))?;
    let Json::Object(map) = v else {
        return Err(JsonEventError::Syntax("expected an object".into()));
    };
    let mut ev = Event::new();
    for (k, v) in &map {
        if k == "__type" {
            continue;
        }
        if k == "raw" {
            let text = v.as_str().ok_or(JsonEventError::Raw)?;
            let bytes = STANDARD.decode(text).map_err(|_| JsonEventError::Raw)?;
            ev.set_raw(Some(&String::from_utf8_lossy(&bytes)));
            continue;
        }
        if k == "extra" {
            // Hierarchical form or IntelMQ's JSONDict string.
            let obj = match v {
                Json::Object(o) => o.clone(),
                Json::String(s) => match serde_json::from_str::<Json>(s) {
                    Ok(Json::Object(o)) => o,
                    _ => {
                        return Err(JsonEventError::Invalid {
                            key: k.clone(),
                            value: v.to_string(),
                        });
                    }
                },
                _ => {
                    return Err(JsonEventError::Invalid {
                        key: k.clone(),
                        value: v.to_string(),
                    });
                }
            };
            for (ek, evv) in &obj {
                set_extra_json(&mut ev, ek, evv);
            }
            continue;
        }
        if let Some(rest) = k.strip_prefix("extra.") {
            set_extra_json(&mut ev, rest, v);
            continue;
        }
        let Some(field) = Field::from_name(k) else {
            return Err(JsonEventError::UnknownKey { key: k.clone() });
        };
        let text;
        let input = match v {
            Json::Null => continue,
            Json::String(s) => Input::Text(s),
            Json::Bool(b) => Input::Bool(*b),
            Json::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Input::Int(i),
                (None, Some(f)) if n.is_f64() => Input::Float(f),
                _ => {
                    text = n.to_string();
                    Input::BigInt(&text)
                }
            },
            other => {
                return Err(JsonEventError::Invalid {
                    key: k.clone(),
                    value: other.to_string(),
                });
            }
        };
        harmonize::add(&mut ev, field, input).map_err(|_| JsonEventError::Invalid {
            key: k.clone(),
            value: v.to_string(),
        })?;
    }
    Ok(ev)
}

fn set_extra_json(ev: &mut Event, key: &str, v: &Json) {
    match v {
        Json::String(s) => ev.set_extra(key, Value::Str(s)),
        Json::Bool(b) => ev.set_extra(key, Value::Bool(*b)),
        Json::Null => ev.set_extra(key, Value::Null),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => ev.set_extra(key, Value::Int(i)),
            (None, Some(f)) if n.is_f64() => ev.set_extra(key, Value::Float(f)),
            _ => ev.set_extra(key, Value::Json(&n.to_string())),
        },
        other => ev.set_extra(key, Value::Json(&other.to_string())),
    }
}

/// Streams events out of IntelMQ JSON lines (blank lines skipped; line numbers exact).
#[derive(Debug)]
pub struct JsonLinesReader<R> {
    src: BufReader<R>,
    line: usize,
    buf: String,
    lang: Lang,
    fatal: Option<std::io::Error>,
}

impl<R: Read> JsonLinesReader<R> {
    pub fn new(src: R, lang: Lang) -> Self {
        JsonLinesReader {
            src: BufReader::with_capacity(256 << 10, src),
            line: 0,
            buf: String::new(),
            lang,
            fatal: None,
        }
    }

    /// The read error that ended the iteration early, if any.
    pub fn take_error(&mut self) -> Option<std::io::Error> {
        self.fatal.take()
    }
}

impl<R: Read> Iterator for JsonLinesReader<R> {
    type Item = Result<Event, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            match self.src.read_line(&mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.fatal = Some(e);
                    return None;
                }
            }
            self.line += 1;
            let text = self.buf.trim();
            if text.is_empty() {
                continue;
            }
            return Some(from_json_str(text).map_err(|e| RowError {
                line: self.line,
                reason: e.message(self.lang),
            }));
        }
    }
}

/// IntelMQ's `tlp` (TLP 1.0 names) for a TLP 2.0 label. AMBER+STRICT has no 1.0 name; it is
/// exported as RED (the stricter neighbour, so nothing is over-shared) and the exact label is
/// kept in `extra.schoolcert_tlp`.
pub fn tlp_to_intelmq(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "WHITE",
        Tlp::Green => "GREEN",
        Tlp::Amber => "AMBER",
        Tlp::AmberStrict | Tlp::Red => "RED",
    }
}

/// The TLP 2.0 label of an event: `extra.schoolcert_tlp` if present, else its `tlp`.
pub fn tlp_of(ev: &Event) -> Option<Tlp> {
    if let Some(Value::Str(s)) = ev.extra_get(TLP_KEY)
        && let Ok(t) = s.parse()
    {
        return Some(t);
    }
    ev.get_str(Field::Tlp).and_then(|s| s.parse().ok())
}

/// Sets `tlp` (and `extra.schoolcert_tlp` where 1.0 cannot say it).
pub fn set_tlp(ev: &mut Event, tlp: Tlp) {
    ev.set_str(Field::Tlp, tlp_to_intelmq(tlp));
    if tlp == Tlp::AmberStrict {
        ev.set_extra(TLP_KEY, Value::Str(tlp.label()));
    } else {
        ev.remove_extra(TLP_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_round_trips_through_intelmq_json() {
        let line = r#"{"feed.name": "Accessible-RDP", "feed.provider": "Shadowserver", "feed.accuracy": 100.0,
            "time.observation": "2026-03-24T06:00:00+00:00", "time.source": "2026-03-24T16:41:21+00:00",
            "source.ip": "2001:db8::1", "source.port": 3389, "source.asn": 8315,
            "source.reverse_dns": "Host.Example.NL.", "classification.taxonomy": "vulnerable",
            "classification.type": "vulnerable-system", "classification.identifier": "open-rdp",
            "extra.tag": "rdp", "extra.cert_length": 4096, "extra.ok": true, "extra.list": [1, 2],
            "raw": "ImEiLCJiIgoxLDI="}"#;
        let ev = from_json_str(line).unwrap();
        assert_eq!(ev.source_port, Some(3389));
        assert_eq!(ev.source_reverse_dns(), Some("host.example.nl"));
        assert_eq!(ev.raw(), Some("\"a\",\"b\"\n1,2"));
        let out = to_json_line(&ev, Some(BoardId(42)));
        let back: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(back["time.source"], "2026-03-24T16:41:21+00:00");
        assert_eq!(back["feed.accuracy"], 100.0);
        assert_eq!(back["extra.schoolcert_board"], 42);
        assert_eq!(back["extra.list"], serde_json::json!([1, 2]));
        assert_eq!(back["raw"], "ImEiLCJiIgoxLDI=");
        let again = from_json_str(&out).unwrap();
        assert_eq!(again.extra_get(BOARD_KEY), Some(Value::Int(42)));
        assert_eq!(again.source_ip, ev.source_ip);
    }

    #[test]
    fn bad_lines_are_row_errors_with_line_numbers() {
        let input =
            "{\"source.ip\": \"10.0.0.1\"}\n\n{\"source.ip\": \"x\"}\n{\"nope\": 1}\nnot json\n";
        let out: Vec<_> = JsonLinesReader::new(input.as_bytes(), Lang::En).collect();
        assert!(out[0].is_ok());
        let errs: Vec<_> = out.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(
            errs.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert!(errs[1].reason.contains("nope"));
    }

    #[test]
    fn tlp_2_labels_survive_intelmq_1_0_names() {
        let mut ev = Event::new();
        set_tlp(&mut ev, Tlp::AmberStrict);
        assert_eq!(ev.get_str(Field::Tlp), Some("RED"));
        assert_eq!(tlp_of(&ev), Some(Tlp::AmberStrict));
        set_tlp(&mut ev, Tlp::Clear);
        assert_eq!(ev.get_str(Field::Tlp), Some("WHITE"));
        assert_eq!(tlp_of(&ev), Some(Tlp::Clear));
    }
}
