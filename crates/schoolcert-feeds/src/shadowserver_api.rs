//! The pure half of Shadowserver's Reports API client: request bodies, their HMAC signature,
//! and response parsing. The HTTP client lives elsewhere; it POSTs [`SignedRequest::body`] to
//! [`SignedRequest::url`] with the header `HMAC2: <signature>` and GETs downloads from
//! [`download_url`].
//!
//! As Shadowserver documents it (and IntelMQ's collector does): `POST
//! https://transform.shadowserver.org/api2/reports/list` with the JSON body
//! `{"apikey": KEY, "date": "YYYY-MM-DD:YYYY-MM-DD", "reports": [..]?, "type": ..?}`, signed with
//! HMAC-SHA256 of the exact body bytes under the API secret, hex, in header `HMAC2`. The answer
//! is a JSON array of `{id, type, file, report, timestamp, url}` or `{"error": ".."}`. Each file
//! is then fetched with `GET https://dl.shadowserver.org/<id>`.

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const API_ROOT: &str = "https://transform.shadowserver.org/api2/";
pub const DOWNLOAD_ROOT: &str = "https://dl.shadowserver.org/";
/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "HMAC2";

/// API key and secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Credentials {
    pub key: String,
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("secret", &"<hidden>")
            .finish()
    }
}

/// A request ready to send: URL, body, and the value of the `HMAC2` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub url: String,
    pub body: String,
    pub signature: String,
}

/// Hex HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &str) -> String {
    // HMAC accepts keys of any length; the error case cannot happen.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

#[derive(Serialize)]
struct ListBody<'a> {
    apikey: &'a str,
    date: String,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    reports: &'a [String],
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

/// `reports/list` for the reports dated `from..=to` (IntelMQ asks for the last three days to
/// catch late files), optionally only some mailing lists (`reports`) or one report type.
pub fn list_request(
    creds: &Credentials,
    from: NaiveDate,
    to: NaiveDate,
    reports: &[String],
    report_type: Option<&str>,
    limit: Option<u32>,
) -> SignedRequest {
    let body = ListBody {
        apikey: &creds.key,
        date: format!("{from}:{to}"),
        reports,
        kind: report_type,
        limit,
    };
    let body = serde_json::to_string(&body).unwrap_or_default();
    SignedRequest {
        url: format!("{API_ROOT}reports/list"),
        signature: sign(&creds.secret, &body),
        body,
    }
}

/// `reports/download` as a signed POST (the API also serves files by plain GET, see
/// [`download_url`]).
pub fn download_request(creds: &Credentials, id: &str) -> SignedRequest {
    #[derive(Serialize)]
    struct Body<'a> {
        apikey: &'a str,
        id: &'a str,
    }
    let body = serde_json::to_string(&Body {
        apikey: &creds.key,
        id,
    })
    .unwrap_or_default();
    SignedRequest {
        url: format!("{API_ROOT}reports/download"),
        signature: sign(&creds.secret, &body),
        body,
    }
}

/// Where a listed report is downloaded from.
pub fn download_url(id: &str) -> String {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    format!("{DOWNLOAD_ROOT}{safe}")
}

/// One entry of a `reports/list` answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ListedReport {
    pub id: String,
    /// The report type (`scan_rdp`, ...).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The file name (`2026-11-20-scan_rdp-nl-geo.csv`): what the parser recognises.
    pub file: String,
    /// The mailing list / organisation the report belongs to.
    #[serde(default)]
    pub report: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("Shadowserver answered with an error: {0}")]
    Remote(String),
    #[error("unexpected answer from Shadowserver: {0}")]
    Format(String),
}

/// Parses a `reports/list` answer.
pub fn parse_list_response(bytes: &[u8]) -> Result<Vec<ListedReport>, ApiError> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::Format(e.to_string()))?;
    if let Some(e) = v.get("error") {
        return Err(ApiError::Remote(
            e.as_str().map_or_else(|| e.to_string(), str::to_owned),
        ));
    }
    serde_json::from_value(v).map_err(|e| ApiError::Format(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            key: "demo-key".into(),
            secret: "demo-secret".into(),
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_hex_of_the_exact_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let r = list_request(
            &creds(),
            NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            &["schoolcert-sector".to_string()],
            None,
            None,
        );
        assert_eq!(
            r.url,
            "https://transform.shadowserver.org/api2/reports/list"
        );
        assert_eq!(
            r.body,
            r#"{"apikey":"demo-key","date":"2026-11-18:2026-11-20","reports":["schoolcert-sector"]}"#
        );
        assert_eq!(r.signature, sign("demo-secret", &r.body));
        assert!(!format!("{:?}", creds()).contains("demo-secret"));
        let d = download_request(&creds(), "abc123");
        assert_eq!(d.body, r#"{"apikey":"demo-key","id":"abc123"}"#);
        assert_eq!(
            download_url("abc/../x"),
            "https://dl.shadowserver.org/abc..x"
        );
    }

    #[test]
    fn list_answers_and_errors_are_parsed() {
        let ok = br#"[{"id":"8f1c","type":"scan_rdp","file":"2026-11-20-scan_rdp-nl-geo.csv",
                       "report":"schoolcert-sector","timestamp":"2026-11-20 08:00:00","url":"https://dl.shadowserver.org/8f1c"}]"#;
        let list = parse_list_response(ok).unwrap();
        assert_eq!(list[0].file, "2026-11-20-scan_rdp-nl-geo.csv");
        assert_eq!(list[0].kind.as_deref(), Some("scan_rdp"));
        assert_eq!(
            parse_list_response(br#"{"error":"Invalid API key"}"#),
            Err(ApiError::Remote("Invalid API key".into()))
        );
        assert!(matches!(
            parse_list_response(b"<html>"),
            Err(ApiError::Format(_))
        ));
    }
}
