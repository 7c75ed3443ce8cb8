//! Parsers that turn a version string into a comparable key, one per scheme. Each returns
//! `None` for anything it does not fully understand: a wrong guess would claim "affected".

use super::{VersionKey, VersionScheme};

pub(super) fn parse(scheme: VersionScheme, raw: &str) -> Option<VersionKey> {
    let s = strip_v(raw.trim());
    if s.is_empty() {
        return None;
    }
    match scheme {
        VersionScheme::Dotted | VersionScheme::Intdot => dotted(s).map(VersionKey::Numeric),
        VersionScheme::Semver => semver_lenient(s).map(VersionKey::Semver),
        VersionScheme::Fortinet => fortinet(s).map(VersionKey::Numeric),
        VersionScheme::Netscaler => netscaler(s).map(VersionKey::Numeric),
        VersionScheme::Ivanti => ivanti(s).map(VersionKey::Numeric),
        VersionScheme::Panos => panos(s).map(VersionKey::Numeric),
        VersionScheme::MsftBuild => msft_build(s).map(VersionKey::Numeric),
        VersionScheme::Cisco => cisco(s).map(VersionKey::Numeric),
        VersionScheme::None => None,
    }
}

fn strip_v(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(b'v' | b'V') if s.as_bytes().get(1).is_some_and(u8::is_ascii_digit) => &s[1..],
        _ => s,
    }
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `1.2.3.4`: only digits and dots, no empty parts.
fn dotted(s: &str) -> Option<Vec<u64>> {
    s.split('.').map(number).collect()
}

fn semver_lenient(s: &str) -> Option<semver::Version> {
    if let Ok(v) = semver::Version::parse(s) {
        return Some(v);
    }
    // `7.2` and `7` are common in advisories; read them as `7.2.0` and `7.0.0`. Only plain
    // numbers are padded: `7.2-beta` stays undecided.
    let parts = dotted(s)?;
    match parts.as_slice() {
        [major] => Some(semver::Version::new(*major, 0, 0)),
        [major, minor] => Some(semver::Version::new(*major, *minor, 0)),
        _ => None,
    }
}

/// `7.2.10`, `7.2.10 build1706`, `7.2.10,build1706`, `7.2.10-build1706`.
fn fortinet(s: &str) -> Option<Vec<u64>> {
    let lower = s.to_ascii_lowercase();
    let release = match lower.find("build") {
        Some(i) => {
            let build = lower[i + 5..].trim();
            number(build)?;
            lower[..i].trim_end_matches([' ', ',', '-', '_'])
        }
        None => lower.as_str(),
    };
    let parts = dotted(release.trim())?;
    (parts.len() <= 3).then_some(parts)
}

/// `13.1-49.13` (release-build) or `13.1.49.13`; a bare release `13.1` is allowed but only
/// orders against other releases (build zero).
fn netscaler(s: &str) -> Option<Vec<u64>> {
    let (release, build) = match s.split_once('-') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let mut key = dotted(release)?;
    match build {
        Some(b) => {
            if key.len() != 2 {
                return None;
            }
            let b = dotted(b)?;
            if b.is_empty() || b.len() > 2 {
                return None;
            }
            key.extend(b);
        }
        None => {
            if key.len() > 4 {
                return None;
            }
        }
    }
    Some(key)
}

/// `22.7R2.5`, `9.1R18`, `22.7R2.5 build 1485` (the build is dropped), `22.7r1`.
fn ivanti(s: &str) -> Option<Vec<u64>> {
    let lower = s.to_ascii_lowercase();
    let core = match lower.find("build") {
        Some(i) => {
            number(lower[i + 5..].trim())?;
            lower[..i].trim()
        }
        None => lower.trim(),
    };
    let (release, revision) = core.split_once('r')?;
    let mut key = dotted(release)?;
    if key.len() != 2 {
        return None;
    }
    let rev = dotted(revision)?;
    if rev.is_empty() || rev.len() > 2 {
        return None;
    }
    key.extend(rev);
    Some(key)
}

/// `10.2.9-h1` → [10, 2, 9, 1]; `10.2.9` → [10, 2, 9, 0] so the hotfix sorts after.
fn panos(s: &str) -> Option<Vec<u64>> {
    let lower = s.to_ascii_lowercase();
    let (release, hotfix) = match lower.split_once("-h") {
        Some((r, h)) => (r.to_owned(), number(h)?),
        None => (lower, 0),
    };
    let mut key = dotted(&release)?;
    if key.len() > 3 {
        return None;
    }
    key.resize(3, 0);
    key.push(hotfix);
    Some(key)
}

/// Four numeric parts at most: `10.0.22631.4037`, `15.2.1544.14`, `15.02.1544.014` (leading
/// zeros as Exchange's own tables write them).
fn msft_build(s: &str) -> Option<Vec<u64>> {
    let key = dotted(s)?;
    (key.len() <= 4).then_some(key)
}

/// `17.9.4a` → [17, 9, 4, 1]; `17.9.4` → [17, 9, 4, 0].
fn cisco(s: &str) -> Option<Vec<u64>> {
    let lower = s.to_ascii_lowercase();
    let (body, letter) = match lower.as_bytes().last() {
        Some(c) if c.is_ascii_lowercase() => (&lower[..lower.len() - 1], u64::from(c - b'a' + 1)),
        _ => (lower.as_str(), 0),
    };
    let mut key = dotted(body)?;
    if key.len() > 3 {
        return None;
    }
    key.resize(3, 0);
    key.push(letter);
    Some(key)
}
