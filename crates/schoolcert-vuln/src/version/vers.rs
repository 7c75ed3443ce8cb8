//! Reading `vers` strings (`vers:intdot/>=7.0.0|<7.2.11`) and CSAF `product_version_range`
//! names, which may also be a vers-like specifier (vls) such as `<4.2`.

use super::range::{Constraint, Op, VersionSpec};

/// Why a `vers` string is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersError {
    #[error("'{0}' does not start with 'vers:'")]
    NoScheme(String),
    #[error("'{0}' has no '/' between the type and the constraints")]
    NoSlash(String),
    #[error("'{0}' has an empty constraint")]
    EmptyConstraint(String),
}

/// Reads a CSAF `product_version_range` name or any vers string into a [`VersionSpec`].
/// Never fails: what cannot be evaluated is kept as [`VersionSpec::Unevaluable`] with the
/// reason, so a person still sees the range.
pub fn range_spec(raw: &str) -> VersionSpec {
    let t = raw.trim();
    if !t.starts_with("vers:") {
        return VersionSpec::Unevaluable {
            raw: t.to_owned(),
            reason: "vers-like specifier (vls): not evaluated".into(),
        };
    }
    match parse_vers(t) {
        Ok(spec) => spec,
        Err(e) => VersionSpec::Unevaluable {
            raw: t.to_owned(),
            reason: e.to_string(),
        },
    }
}

/// Parses a `vers` string. `vers:all/*` and `vers:none/*` become [`VersionSpec::All`] and
/// [`VersionSpec::None`]; `vers:unknown/*` (seen in NCSC-NL documents, not a registered
/// type) and other unregistered types become [`VersionSpec::Unevaluable`].
pub fn parse_vers(raw: &str) -> Result<VersionSpec, VersError> {
    let t = raw.trim();
    let rest = t
        .strip_prefix("vers:")
        .ok_or_else(|| VersError::NoScheme(t.to_owned()))?;
    let (vers_type, body) = rest
        .split_once('/')
        .ok_or_else(|| VersError::NoSlash(t.to_owned()))?;
    let vers_type = vers_type.trim().to_ascii_lowercase();
    let body = body.trim();
    match (vers_type.as_str(), body) {
        ("all", "*") => return Ok(VersionSpec::All),
        ("none", "*") => return Ok(VersionSpec::None),
        (_, "*") if vers_rs::is_registered_scheme(&vers_type) => return Ok(VersionSpec::All),
        _ => {}
    }
    if !vers_rs::is_registered_scheme(&vers_type) || matches!(vers_type.as_str(), "all" | "none") {
        return Ok(VersionSpec::Unevaluable {
            raw: t.to_owned(),
            reason: format!("vers type '{vers_type}' cannot be evaluated"),
        });
    }
    let mut constraints = Vec::new();
    for part in body.split('|') {
        let part = part.trim();
        if part.is_empty() {
            return Err(VersError::EmptyConstraint(t.to_owned()));
        }
        let (op, version) = split_op(part);
        let version = percent_decode(version.trim());
        if version.is_empty() {
            return Err(VersError::EmptyConstraint(t.to_owned()));
        }
        constraints.push(Constraint { op, version });
    }
    Ok(VersionSpec::Vers {
        vers_type,
        constraints,
        raw: t.to_owned(),
    })
}

fn split_op(s: &str) -> (Op, &str) {
    for (prefix, op) in [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return (op, rest);
        }
    }
    (Op::Eq, s)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Asks `vers-rs` for the ecosystem types it implements. Its errors (non-canonical input,
/// unparseable version) mean "undecided", never "outside".
pub(super) fn vers_rs_contains(raw: &str, version: &str) -> Option<bool> {
    let range = vers_rs::parse(raw).ok()?;
    vers_rs::contains(&range, version.trim().to_owned()).ok()
}
