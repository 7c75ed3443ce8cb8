//! The CSV attachment of a digest: one row per event, fixed columns that a school's IT
//! coordinator can read in a spreadsheet (times in UTC, ISO 8601).

use crate::digest::DigestRow;
use crate::event::Event;
use crate::field::Field;
use crate::pyfmt::isoformat;

/// The attachment's columns (IntelMQ field names where one exists).
pub const ATTACHMENT_COLUMNS: [&str; 18] = [
    "time.source",
    "first_seen",
    "last_seen",
    "count",
    "classification.type",
    "classification.identifier",
    "severity",
    "source.ip",
    "source.port",
    "protocol.transport",
    "protocol.application",
    "source.reverse_dns",
    "source.fqdn",
    "source.url",
    "source.asn",
    "product.vulnerabilities",
    "malware.name",
    "feed.name",
];

fn text(ev: &Event, f: Field) -> String {
    ev.get(f).map(|v| v.to_text()).unwrap_or_default()
}

/// The attachment for `rows`, with a header line; `\r\n` line ends as RFC 4180 asks.
pub fn write_csv(rows: &[DigestRow<'_>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(ATTACHMENT_COLUMNS);
    for r in rows {
        let e = r.event;
        let record = [
            e.time_source.map(isoformat).unwrap_or_default(),
            isoformat(r.first_seen),
            isoformat(r.last_seen),
            r.count.to_string(),
            text(e, Field::ClassificationType),
            text(e, Field::ClassificationIdentifier),
            text(e, Field::Severity),
            e.source_ip.map(|i| i.to_string()).unwrap_or_default(),
            e.source_port.map(|p| p.to_string()).unwrap_or_default(),
            text(e, Field::ProtocolTransport),
            text(e, Field::ProtocolApplication),
            text(e, Field::SourceReverseDns),
            text(e, Field::SourceFqdn),
            text(e, Field::SourceUrl),
            e.source_asn.map(|a| a.to_string()).unwrap_or_default(),
            text(e, Field::ProductVulnerabilities),
            text(e, Field::MalwareName),
            text(e, Field::FeedName),
        ];
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
