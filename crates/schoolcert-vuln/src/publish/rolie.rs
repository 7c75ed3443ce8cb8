//! ROLIE feeds (RFC 8322, JSON) for a provider's TLP folders: one entry per document, linking
//! the document, its hashes and its signature.

use schoolcert_domain::Timestamp;
use serde_json::{Value, json};

use super::provider::PublishedDocument;

fn date(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The feed JSON for `documents` given as (document, absolute URL), newest first.
pub fn feed(
    publisher: &str,
    tlp_label: &str,
    feed_url: &str,
    documents: &[(&PublishedDocument, String)],
    now: Timestamp,
) -> Value {
    let entries: Vec<Value> = documents
        .iter()
        .map(|(d, url)| {
            json!({
                "id": d.tracking_id,
                "title": d.title,
                "link": [
                    { "rel": "self", "href": url },
                    { "rel": "hash", "href": format!("{url}.sha256") },
                    { "rel": "hash", "href": format!("{url}.sha512") },
                    { "rel": "signature", "href": format!("{url}.asc") },
                ],
                "published": date(d.initial_release_date),
                "updated": date(d.current_release_date),
                "summary": { "content": d.summary.clone().unwrap_or_else(|| d.title.clone()) },
                "content": { "type": "application/json", "src": url },
                "format": {
                    "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
                    "version": "2.0",
                },
            })
        })
        .collect();
    json!({
        "feed": {
            "id": format!("{}-csaf-feed-tlp-{}", publisher.to_lowercase().replace(' ', "-"), tlp_label.to_lowercase()),
            "title": format!("{publisher} CSAF feed (TLP:{tlp_label})"),
            "link": [{ "rel": "self", "href": feed_url }],
            "category": [{ "scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf" }],
            "updated": date(now),
            "entry": entries,
        }
    })
}
