//! The named conversion functions of Shadowserver's schema, with the behaviour of IntelMQ 3.5's
//! implementations (the schema names them, IntelMQ defines them; Shadowserver's files assume
//! that definition). Each takes the raw cell text (and, for a few, the whole row) and returns a
//! value for the harmonisation step, nothing (`Converted::None`, the column is consumed), or an
//! error where Python raises (the whole row is refused, as IntelMQ refuses it).

use std::borrow::Cow;
use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

use crate::harmonize::{self, Input};
use crate::pyfmt::{self, PyInt};

/// A conversion named in the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversion {
    AddUtcToTimestamp,
    ConvertBool,
    ValidateToNone,
    ConvertInt,
    ConvertFloat,
    ConvertHttpHostAndUrl,
    InvalidateZero,
    ValidateIp,
    ValidateNetwork,
    ValidateFqdn,
    ConvertDate,
    ConvertDateUtc,
    ForceBase64,
    ScanExchangeTaxonomy,
    ScanExchangeType,
    ScanExchangeIdentifier,
    CategoryOrDetail,
    ExtractCveFromTag,
    /// A name this build does not know (a newer schema): see `shadowserver` for what happens.
    Unknown(String),
}

impl Conversion {
    /// Every conversion this build implements.
    pub const KNOWN: [Conversion; 18] = [
        Conversion::AddUtcToTimestamp,
        Conversion::ConvertBool,
        Conversion::ValidateToNone,
        Conversion::ConvertInt,
        Conversion::ConvertFloat,
        Conversion::ConvertHttpHostAndUrl,
        Conversion::InvalidateZero,
        Conversion::ValidateIp,
        Conversion::ValidateNetwork,
        Conversion::ValidateFqdn,
        Conversion::ConvertDate,
        Conversion::ConvertDateUtc,
        Conversion::ForceBase64,
        Conversion::ScanExchangeTaxonomy,
        Conversion::ScanExchangeType,
        Conversion::ScanExchangeIdentifier,
        Conversion::CategoryOrDetail,
        Conversion::ExtractCveFromTag,
    ];

    pub fn from_name(name: &str) -> Conversion {
        Conversion::KNOWN
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap_or_else(|| Conversion::Unknown(name.to_owned()))
    }

    pub fn name(&self) -> &str {
        match self {
            Conversion::AddUtcToTimestamp => "add_UTC_to_timestamp",
            Conversion::ConvertBool => "convert_bool",
            Conversion::ValidateToNone => "validate_to_none",
            Conversion::ConvertInt => "convert_int",
            Conversion::ConvertFloat => "convert_float",
            Conversion::ConvertHttpHostAndUrl => "convert_http_host_and_url",
            Conversion::InvalidateZero => "invalidate_zero",
            Conversion::ValidateIp => "validate_ip",
            Conversion::ValidateNetwork => "validate_network",
            Conversion::ValidateFqdn => "validate_fqdn",
            Conversion::ConvertDate => "convert_date",
            Conversion::ConvertDateUtc => "convert_date_utc",
            Conversion::ForceBase64 => "force_base64",
            Conversion::ScanExchangeTaxonomy => "scan_exchange_taxonomy",
            Conversion::ScanExchangeType => "scan_exchange_type",
            Conversion::ScanExchangeIdentifier => "scan_exchange_identifier",
            Conversion::CategoryOrDetail => "category_or_detail",
            Conversion::ExtractCveFromTag => "extract_cve_from_tag",
            Conversion::Unknown(n) => n,
        }
    }

    /// Whether the function reads other columns of the row.
    pub fn needs_row(&self) -> bool {
        matches!(
            self,
            Conversion::ConvertHttpHostAndUrl | Conversion::CategoryOrDetail
        )
    }
}

/// What a conversion returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted<'a> {
    /// Python's `None`: nothing is stored and the column counts as used.
    None,
    Text(Cow<'a, str>),
    /// `add_UTC_to_timestamp`: the text with ` UTC` appended (kept unappended until needed).
    Utc(&'a str),
    /// `validate_ip`: the original text, already known to be this address.
    Ip(&'a str, IpAddr),
    Int(i64),
    BigInt(String),
    Float(f64),
    Bool(bool),
}

impl<'a> Converted<'a> {
    /// The value as the harmonisation step takes it.
    pub fn as_input(&self) -> Option<Input<'_>> {
        Some(match self {
            Converted::None => return None,
            Converted::Text(t) => Input::Text(t),
            Converted::Utc(t) => match pyfmt::parse_datetime(t) {
                Some(ts) => Input::Time(ts),
                // Leave it to the DateTime type to refuse.
                None => Input::Text(""),
            },
            Converted::Ip(_, ip) => Input::Ip(*ip),
            Converted::Int(i) => Input::Int(*i),
            Converted::BigInt(s) => Input::BigInt(s),
            Converted::Float(f) => Input::Float(*f),
            Converted::Bool(b) => Input::Bool(*b),
        })
    }
}

/// Python raised: the row is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{conversion} cannot convert {value:?}")]
pub struct ConversionError {
    pub conversion: String,
    pub value: String,
}

/// The other cells of the row, for the conversions that read them. `get` answers `None` when
/// the header has no such column and `Some(None)` when this row is too short to have a value.
pub trait RowAccess {
    fn get(&self, column: &str) -> Option<Option<&str>>;
}

/// Applies `conv` to `value`.
pub fn apply<'a>(
    conv: &Conversion,
    value: &'a str,
    row: &'a dyn RowAccess,
) -> Result<Converted<'a>, ConversionError> {
    let err = || ConversionError {
        conversion: conv.name().to_owned(),
        value: value.to_owned(),
    };
    Ok(match conv {
        Conversion::AddUtcToTimestamp => Converted::Utc(value),
        Conversion::ConvertBool => match value.to_lowercase().as_str() {
            "y" | "yes" | "true" | "enabled" | "1" => Converted::Bool(true),
            "n" | "no" | "false" | "disabled" | "0" => Converted::Bool(false),
            _ => Converted::None,
        },
        Conversion::ValidateToNone => validate_to_none(value),
        Conversion::ConvertInt => {
            if value.is_empty() {
                Converted::None
            } else {
                int(pyfmt::python_int(value).ok_or_else(err)?)
            }
        }
        Conversion::ConvertFloat => {
            if value.is_empty() {
                Converted::None
            } else {
                Converted::Float(pyfmt::python_float(value).ok_or_else(err)?)
            }
        }
        Conversion::InvalidateZero => {
            if value.is_empty() {
                Converted::None
            } else {
                match pyfmt::python_int(value).ok_or_else(err)? {
                    PyInt::Small(0) => Converted::None,
                    other => int(other),
                }
            }
        }
        Conversion::ValidateIp => validate_ip(value),
        Conversion::ValidateNetwork => {
            if value.contains('/') && harmonize::parse_network(value.trim()).is_some() {
                Converted::Text(value.into())
            } else {
                Converted::None
            }
        }
        Conversion::ValidateFqdn => {
            if !value.is_empty() && harmonize::sanitize_fqdn(value).is_some() {
                Converted::Text(value.into())
            } else {
                Converted::None
            }
        }
        Conversion::ConvertDate => convert_date(value),
        Conversion::ConvertDateUtc => {
            if value.is_empty() {
                Converted::None
            } else {
                convert_date(&format!("{value}+00:00")).into_owned()
            }
        }
        Conversion::ForceBase64 => force_base64(value),
        Conversion::ScanExchangeTaxonomy => Converted::Text(
            if value.contains("webshell") {
                "intrusions"
            } else {
                "vulnerable"
            }
            .into(),
        ),
        Conversion::ScanExchangeType => Converted::Text(
            if value.contains("webshell") {
                "system-compromise"
            } else {
                "vulnerable-system"
            }
            .into(),
        ),
        Conversion::ScanExchangeIdentifier => Converted::Text(
            if value.contains("webshell") {
                "exchange-server-webshell"
            } else {
                "vulnerable-exchange-server"
            }
            .into(),
        ),
        Conversion::CategoryOrDetail => {
            match row.get("category").flatten().filter(|c| !c.is_empty()) {
                Some(c) => Converted::Text(c.into()),
                None => Converted::Text(row.get("detail").flatten().unwrap_or("").into()),
            }
        }
        Conversion::ExtractCveFromTag => extract_cve_from_tag(value),
        Conversion::ConvertHttpHostAndUrl => convert_http_host_and_url(value, row),
        // Unknown conversions are resolved by the parser before it gets here; pass through.
        Conversion::Unknown(_) => Converted::Text(value.into()),
    })
}

fn int(v: PyInt) -> Converted<'static> {
    match v {
        PyInt::Small(i) => Converted::Int(i),
        PyInt::Big(s) => Converted::BigInt(s),
    }
}

impl Converted<'_> {
    fn into_owned(self) -> Converted<'static> {
        match self {
            Converted::None => Converted::None,
            Converted::Text(t) => Converted::Text(Cow::Owned(t.into_owned())),
            Converted::Utc(t) => Converted::Text(Cow::Owned(format!("{t} UTC"))),
            Converted::Ip(t, _) => Converted::Text(Cow::Owned(t.to_owned())),
            Converted::Int(i) => Converted::Int(i),
            Converted::BigInt(s) => Converted::BigInt(s),
            Converted::Float(f) => Converted::Float(f),
            Converted::Bool(b) => Converted::Bool(b),
        }
    }
}

/// `None` for empty, `0` and `unknown` (exactly these spellings), the value otherwise.
pub fn validate_to_none(value: &str) -> Converted<'_> {
    if value.is_empty() || value == "0" || value == "unknown" {
        Converted::None
    } else {
        Converted::Text(value.into())
    }
}

/// The value if it is one address (not `0.0.0.0`, no `/`), else `None`.
pub fn validate_ip(value: &str) -> Converted<'_> {
    if value == "0.0.0.0" || value.contains('/') {
        return Converted::None;
    }
    match harmonize::parse_ip_text(value) {
        Some(ip) if ip != IpAddr::from([0u8, 0, 0, 0]) => Converted::Ip(value, ip),
        _ => Converted::None,
    }
}

/// `DateTime.sanitize`: an already-normalised value stays as it is, anything else parsable
/// becomes `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`.
pub fn convert_date(value: &str) -> Converted<'_> {
    if is_intelmq_isoformat(value) {
        return Converted::Text(value.into());
    }
    match pyfmt::parse_datetime(value) {
        Some(t) => Converted::Text(pyfmt::isoformat(t).into()),
        None => Converted::None,
    }
}

/// `%Y-%m-%dT%H:%M:%S+00:00` or `%Y-%m-%dT%H:%M:%S.%f+00:00`.
fn is_intelmq_isoformat(v: &str) -> bool {
    let Some(body) = v.strip_suffix("+00:00") else {
        return false;
    };
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let b = main.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    shape
        && frac.is_none_or(|f| (1..=6).contains(&f.len()) && f.bytes().all(|c| c.is_ascii_digit()))
        && pyfmt::parse_datetime(v).is_some()
}

fn force_base64(value: &str) -> Converted<'_> {
    if value.is_empty() {
        return Converted::None;
    }
    // Python's `b64decode(validate=True)`: the alphabet and padding, trailing bits allowed.
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    if lenient.decode(value).is_ok() {
        Converted::Text(value.into())
    } else {
        Converted::Text(STANDARD.encode(value.as_bytes()).into())
    }
}

/// The `cve-N-N` items of a `;`-separated tag, sorted and de-duplicated, or `None`.
pub fn extract_cve_from_tag(tag: &str) -> Converted<'static> {
    let mut cves: Vec<&str> = tag.split(';').filter(|t| is_cve(t)).collect();
    if cves.is_empty() {
        return Converted::None;
    }
    cves.sort_unstable();
    cves.dedup();
    Converted::Text(cves.join(";").into())
}

fn is_cve(t: &str) -> bool {
    let t = t.strip_suffix('\n').unwrap_or(t);
    let Some(rest) = t.strip_prefix("cve-") else {
        return false;
    };
    let Some((a, b)) = rest.split_once('-') else {
        return false;
    };
    !a.is_empty()
        && !b.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// Builds `http(s)://host/path` from the host column (`cc_dns`, `http_host`, `hostname` or
/// `ip`, the first non-empty one present) and the path column (`url`, else `http_url`), which
/// may hold a whole request line (`GET /x HTTP/1.1`). Without both, the value is unchanged.
fn convert_http_host_and_url<'a>(value: &'a str, row: &'a dyn RowAccess) -> Converted<'a> {
    let mut host: Option<&str> = None;
    for col in ["cc_dns", "http_host", "hostname", "ip"] {
        if host.is_some_and(|h| !h.is_empty()) {
            break;
        }
        if let Some(v) = row.get(col) {
            host = v;
        }
    }
    let path = match row.get("url") {
        Some(v) => v,
        None => row.get("http_url").unwrap_or(Some("")),
    };
    match (host, path) {
        (Some(h), Some(p)) if !h.is_empty() && !p.is_empty() => {
            let p = match p.find('/') {
                Some(i) => &p[i..],
                None => "",
            };
            let p = match p.find(char::is_whitespace) {
                Some(i)
                    if !p[i..].contains('\n')
                        || p[i..].trim_end_matches('\n').find('\n').is_none() =>
                {
                    &p[..i]
                }
                _ => p,
            };
            let app = row
                .get("application")
                .flatten()
                .filter(|a| matches!(*a, "http" | "https"))
                .unwrap_or("http");
            Converted::Text(format!("{app}://{h}{p}").into())
        }
        _ => Converted::Text(value.into()),
    }
}

#[cfg(test)]
mod tests;
