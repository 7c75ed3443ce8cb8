//! The security event: IntelMQ's field names and value types, stored compactly.
//!
//! Addresses, ports, ASNs and times are typed public fields; every other harmonised field, the
//! `extra.*` map and `raw` live in one text arena per event. A parser copies the row's text into
//! the arena once and values that are plain substrings of it are kept as spans; `extra` keys of
//! a parsed report point into a key table shared by all its events. So building an event from a
//! 32-column Shadowserver row costs three allocations and one large copy instead of ~60 small
//! ones (measured: the difference between ~0.3 M and ~1 M rows per second). Read them with [`Event::get`], [`Event::extra`]
//! and [`Event::raw`]; set them with the `set_*` methods (no validation: use
//! [`crate::harmonize`] for IntelMQ's checks).

use std::net::IpAddr;
use std::sync::Arc;

use schoolcert_domain::Timestamp;

use crate::field::Field;

/// A value of a harmonised field other than the typed ones, or of an `extra.*` key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// A JSON array, object or out-of-range number, as JSON text (from IntelMQ JSON input).
    Json(&'a str),
}

impl Value<'_> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as `serde_json` sees it.
    pub fn to_json(&self) -> serde_json::Value {
        match *self {
            Value::Str(s) => serde_json::Value::String(s.to_owned()),
            Value::Int(i) => serde_json::Value::from(i),
            Value::Float(f) => serde_json::Number::from_f64(f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Bool(b) => serde_json::Value::Bool(b),
            Value::Null => serde_json::Value::Null,
            Value::Json(s) => serde_json::from_str(s).unwrap_or(serde_json::Value::Null),
        }
    }

    /// Text as a person or a CSV cell shows it (`true`, `12`, `1.5`, the string itself).
    pub fn to_text(&self) -> String {
        match *self {
            Value::Str(s) | Value::Json(s) => s.to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::pyfmt::float_repr(f),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Str(Span),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    Json(Span),
}

/// An `extra` key: in the shared key table of the report, or in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Table(u32),
    Arena(Span),
}

/// A table of `extra` keys shared by the events of one parse.
pub type KeyTable = Arc<[Box<str>]>;

/// One security event in IntelMQ's data model.
#[derive(Debug, Clone, Default)]
pub struct Event {
    pub time_source: Option<Timestamp>,
    pub time_observation: Option<Timestamp>,
    pub source_ip: Option<IpAddr>,
    pub source_port: Option<u16>,
    pub source_asn: Option<u32>,
    pub destination_ip: Option<IpAddr>,
    pub destination_port: Option<u16>,
    pub destination_asn: Option<u32>,
    text: String,
    fields: Vec<(Field, Slot)>,
    extra: Vec<(Key, Slot)>,
    keys: Option<KeyTable>,
    raw: Option<Span>,
    /// The source record the event was parsed from (a span of the adopted row text).
    record: Option<Span>,
    /// While a parser builds the event: address and length of the row text that was copied
    /// into the arena, so that substrings of it become spans without a copy.
    row: (usize, usize),
    /// Where in the arena that copy starts (after a prefix written with it, see
    /// [`Event::adopt_row_after`]).
    row_at: u32,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.time_source == other.time_source
            && self.time_observation == other.time_observation
            && self.source_ip == other.source_ip
            && self.source_port == other.source_port
            && self.source_asn == other.source_asn
            && self.destination_ip == other.destination_ip
            && self.destination_port == other.destination_port
            && self.destination_asn == other.destination_asn
            && self.fields().eq(other.fields())
            && self.extra().eq(other.extra())
            && self.raw() == other.raw()
    }
}

/// Fields the event keeps as typed public members rather than in the arena.
pub(crate) fn is_typed(field: Field) -> bool {
    matches!(
        field,
        Field::TimeSource
            | Field::TimeObservation
            | Field::SourceIp
            | Field::SourcePort
            | Field::SourceAsn
            | Field::DestinationIp
            | Field::DestinationPort
            | Field::DestinationAsn
    )
}

impl Event {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty event with room for a row of about `text_bytes` bytes and `extras` extra keys.
    pub fn with_capacity(text_bytes: usize, fields: usize, extras: usize) -> Self {
        Event {
            text: String::with_capacity(text_bytes),
            fields: Vec::with_capacity(fields),
            extra: Vec::with_capacity(extras),
            ..Event::default()
        }
    }

    fn push_text(&mut self, s: &str) -> Span {
        // A substring of the adopted row text is already in the arena.
        let p = s.as_ptr() as usize;
        let (base, len) = self.row;
        if p >= base && p + s.len() <= base + len && len > 0 {
            return span(p - base + self.row_at as usize, s.len());
        }
        let start = self.text.len();
        self.text.push_str(s);
        span(start, s.len())
    }

    /// Copies a parser's row text into the (empty) arena; until [`Event::release_row`],
    /// values that are substrings of `row` are stored as spans into that copy.
    pub(crate) fn adopt_row(&mut self, row: &str) {
        if self.text.is_empty() {
            self.text.push_str(row);
            self.row = (row.as_ptr() as usize, row.len());
        }
    }

    /// Like [`Event::adopt_row`], with `prefix` written just before the row: the Shadowserver
    /// parser puts the quoted header line there, so that `raw` (header line + data line) is one
    /// span of the arena instead of a second copy of the row.
    pub(crate) fn adopt_row_after(&mut self, prefix: &str, row: &str) {
        if self.text.is_empty() {
            self.text.push_str(prefix);
            self.row_at = u32::try_from(prefix.len()).unwrap_or(u32::MAX);
            self.text.push_str(row);
            self.row = (row.as_ptr() as usize, row.len());
        }
    }

    /// Ends `adopt_row`: the row buffer may change from now on.
    pub(crate) fn release_row(&mut self) {
        self.row = (0, 0);
        self.row_at = 0;
    }

    pub(crate) fn set_key_table(&mut self, keys: KeyTable) {
        self.keys = Some(keys);
    }

    fn key_text(&self, k: Key) -> &str {
        match k {
            Key::Arena(s) => self.text_of(s),
            Key::Table(i) => self
                .keys
                .as_ref()
                .and_then(|t| t.get(i as usize))
                .map_or("", |b| b),
        }
    }

    fn text_of(&self, s: Span) -> &str {
        let start = s.start as usize;
        self.text.get(start..start + s.len as usize).unwrap_or("")
    }

    fn view(&self, slot: Slot) -> Value<'_> {
        match slot {
            Slot::Str(s) => Value::Str(self.text_of(s)),
            Slot::Int(i) => Value::Int(i),
            Slot::Float(f) => Value::Float(f),
            Slot::Bool(b) => Value::Bool(b),
            Slot::Null => Value::Null,
            Slot::Json(s) => Value::Json(self.text_of(s)),
        }
    }

    fn slot_of(&mut self, value: Value<'_>) -> Slot {
        match value {
            Value::Str(s) => Slot::Str(self.push_text(s)),
            Value::Int(i) => Slot::Int(i),
            Value::Float(f) => Slot::Float(f),
            Value::Bool(b) => Slot::Bool(b),
            Value::Null => Slot::Null,
            Value::Json(s) => Slot::Json(self.push_text(s)),
        }
    }

    /// The value of an arena-kept field (`None` for absent fields and for the typed ones:
    /// read those from the public members).
    pub fn get(&self, field: Field) -> Option<Value<'_>> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| self.view(*s))
    }

    /// The text of a string field.
    pub fn get_str(&self, field: Field) -> Option<&str> {
        match self.get(field)? {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Sets an arena-kept field, replacing an earlier value. Typed fields are ignored here.
    pub fn set(&mut self, field: Field, value: Value<'_>) {
        if is_typed(field) {
            return;
        }
        let slot = self.slot_of(value);
        self.put(field, slot);
    }

    pub fn set_str(&mut self, field: Field, value: &str) {
        self.set(field, Value::Str(value));
    }

    fn put(&mut self, field: Field, slot: Slot) {
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some(entry) => entry.1 = slot,
            None => self.fields.push((field, slot)),
        }
    }

    pub fn remove(&mut self, field: Field) {
        match field {
            Field::TimeSource => self.time_source = None,
            Field::TimeObservation => self.time_observation = None,
            Field::SourceIp => self.source_ip = None,
            Field::SourcePort => self.source_port = None,
            Field::SourceAsn => self.source_asn = None,
            Field::DestinationIp => self.destination_ip = None,
            Field::DestinationPort => self.destination_port = None,
            Field::DestinationAsn => self.destination_asn = None,
            _ => self.fields.retain(|(f, _)| *f != field),
        }
    }

    /// Whether a field (typed or not) has a value.
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::TimeSource => self.time_source.is_some(),
            Field::TimeObservation => self.time_observation.is_some(),
            Field::SourceIp => self.source_ip.is_some(),
            Field::SourcePort => self.source_port.is_some(),
            Field::SourceAsn => self.source_asn.is_some(),
            Field::DestinationIp => self.destination_ip.is_some(),
            Field::DestinationPort => self.destination_port.is_some(),
            Field::DestinationAsn => self.destination_asn.is_some(),
            _ => self.fields.iter().any(|(f, _)| *f == field),
        }
    }

    /// The arena-kept harmonised fields in the order they were set.
    pub fn fields(&self) -> impl Iterator<Item = (Field, Value<'_>)> + '_ {
        self.fields.iter().map(|(f, s)| (*f, self.view(*s)))
    }

    /// The `extra.*` entries (keys without the `extra.` prefix) in the order they were set.
    pub fn extra(&self) -> impl Iterator<Item = (&str, Value<'_>)> + '_ {
        self.extra
            .iter()
            .map(|(k, s)| (self.key_text(*k), self.view(*s)))
    }

    pub fn extra_len(&self) -> usize {
        self.extra.len()
    }

    pub fn extra_get(&self, key: &str) -> Option<Value<'_>> {
        self.extra
            .iter()
            .find(|(k, _)| self.key_text(*k) == key)
            .map(|(_, s)| self.view(*s))
    }

    /// Sets `extra.<key>`, replacing an earlier value of the same key.
    pub fn set_extra(&mut self, key: &str, value: Value<'_>) {
        let slot = self.slot_of(value);
        if let Some(i) = self
            .extra
            .iter()
            .position(|(k, _)| self.key_text(*k) == key)
        {
            self.extra[i].1 = slot;
            return;
        }
        let k = self.push_text(key);
        self.extra.push((Key::Arena(k), slot));
    }

    /// Writes the extra entry whose key is entry `key` of the key table at position `at`
    /// (replacing its value) or appends it; returns the position. For parsers that track
    /// their keys' positions themselves.
    pub(crate) fn put_extra_at(&mut self, at: Option<usize>, key: u32, value: Value<'_>) -> usize {
        let slot = self.slot_of(value);
        self.put_extra_slot(at, key, slot)
    }

    /// Like `put_extra_at` for a string written in pieces.
    pub(crate) fn put_extra_at_with(
        &mut self,
        at: Option<usize>,
        key: u32,
        write: impl FnOnce(&mut String),
    ) -> usize {
        let start = self.text.len();
        write(&mut self.text);
        let s = span(start, self.text.len() - start);
        self.put_extra_slot(at, key, Slot::Str(s))
    }

    /// Appends an extra entry (key from the key table) whose value is bytes `start..end` of
    /// the adopted row text: the fast path of the Shadowserver parser.
    #[inline]
    pub(crate) fn push_extra_row_span(&mut self, key: u32, start: u32, end: u32) {
        if self.row.1 > 0 {
            self.extra.push((
                Key::Table(key),
                Slot::Str(Span {
                    start: start.saturating_add(self.row_at),
                    len: end.saturating_sub(start),
                }),
            ));
        }
    }

    fn put_extra_slot(&mut self, at: Option<usize>, key: u32, slot: Slot) -> usize {
        match at.and_then(|i| self.extra.get_mut(i).map(|e| (i, e))) {
            Some((i, e)) => {
                e.1 = slot;
                i
            }
            None => {
                self.extra.push((Key::Table(key), slot));
                self.extra.len() - 1
            }
        }
    }

    /// Sorts `extra` by key (IntelMQ writes its extra dictionary with sorted keys).
    pub fn sort_extra(&mut self) {
        let mut entries = std::mem::take(&mut self.extra);
        entries.sort_by(|a, b| self.key_text(a.0).cmp(self.key_text(b.0)));
        self.extra = entries;
    }

    pub fn remove_extra(&mut self, key: &str) {
        let mut entries = std::mem::take(&mut self.extra);
        entries.retain(|(k, _)| self.key_text(*k) != key);
        self.extra = entries;
    }

    /// The original input the event came from (for Shadowserver: the quoted header line and
    /// the data line, as IntelMQ keeps it before base64).
    pub fn raw(&self) -> Option<&str> {
        self.raw.map(|s| self.text_of(s))
    }

    /// The input record this event was parsed from, when the parser keeps it (Shadowserver
    /// rows): what the store keeps instead of the whole event, to parse again on reading. Not
    /// part of the event's value (equality ignores it).
    pub fn record(&self) -> Option<&str> {
        self.record.map(|s| self.text_of(s))
    }

    /// Marks the first `len` bytes of the adopted row text as the source record.
    pub(crate) fn mark_record(&mut self, len: usize) {
        if self.row.1 >= len {
            self.record = Some(span(self.row_at as usize, len));
        }
    }

    pub fn set_raw(&mut self, raw: Option<&str>) {
        self.raw = raw.map(|r| self.push_text(r));
    }

    /// Sets `raw` to the first `len` bytes of the arena (see [`Event::adopt_row_after`]).
    pub(crate) fn set_raw_arena_prefix(&mut self, len: usize) {
        self.raw = Some(span(0, len.min(self.text.len())));
    }

    pub(crate) fn set_raw_with(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        self.raw = Some(span(start, self.text.len() - start));
    }

    /// Bytes held by the event's arena (for sizing estimates).
    pub fn arena_len(&self) -> usize {
        self.text.len()
    }

    // Convenience accessors for the fields matching, deduplication and digests use.

    pub fn feed_name(&self) -> Option<&str> {
        self.get_str(Field::FeedName)
    }
    pub fn classification_taxonomy(&self) -> Option<&str> {
        self.get_str(Field::ClassificationTaxonomy)
    }
    pub fn classification_type(&self) -> Option<&str> {
        self.get_str(Field::ClassificationType)
    }
    pub fn classification_identifier(&self) -> Option<&str> {
        self.get_str(Field::ClassificationIdentifier)
    }
    pub fn source_fqdn(&self) -> Option<&str> {
        self.get_str(Field::SourceFqdn)
    }
    pub fn source_url(&self) -> Option<&str> {
        self.get_str(Field::SourceUrl)
    }
    pub fn source_reverse_dns(&self) -> Option<&str> {
        self.get_str(Field::SourceReverseDns)
    }
}

fn span(start: usize, len: usize) -> Span {
    Span {
        start: u32::try_from(start).unwrap_or(u32::MAX),
        len: u32::try_from(len).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_extras_replace_and_keep_order() {
        let mut e = Event::new();
        e.set_str(Field::FeedName, "Accessible-RDP");
        e.set_str(Field::Severity, "high");
        e.set_str(Field::FeedName, "Shadowserver");
        e.set_extra("tag", Value::Str("rdp"));
        e.set_extra("cert_length", Value::Int(2048));
        e.set_extra("tag", Value::Str("rdp;x"));
        assert_eq!(e.feed_name(), Some("Shadowserver"));
        let f: Vec<_> = e.fields().map(|(f, _)| f).collect();
        assert_eq!(f, vec![Field::FeedName, Field::Severity]);
        let x: Vec<_> = e.extra().collect();
        assert_eq!(
            x,
            vec![
                ("tag", Value::Str("rdp;x")),
                ("cert_length", Value::Int(2048))
            ]
        );
        e.remove_extra("tag");
        assert_eq!(e.extra_len(), 1);
        e.set_raw(Some("a\nb"));
        assert_eq!(e.raw(), Some("a\nb"));
        // Setting a typed field through `set` is ignored: they are public members.
        e.set(Field::SourceIp, Value::Str("1.2.3.4"));
        assert!(!e.has(Field::SourceIp));
    }
}
