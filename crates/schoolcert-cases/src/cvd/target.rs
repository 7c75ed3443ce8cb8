//! Where a reported vulnerability lives (URL, host name, IP address), read from the reporter's
//! free text and matched against the registry's lookup index to find the board; anything
//! ambiguous or unknown is left for the CERT to identify.

use std::collections::BTreeSet;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use schoolcert_domain::BoardId;
use schoolcert_domain::asset::domain::normalise_host;
use schoolcert_domain::lookup::{Lookup, LookupIndex};

/// One place the reporter pointed at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    Url(String),
    Host(String),
    Ip(IpAddr),
}

impl Target {
    /// The host or address to look up.
    fn key(&self) -> Option<LookupKey> {
        match self {
            Target::Ip(ip) => Some(LookupKey::Ip(*ip)),
            Target::Host(h) => Some(LookupKey::Host(h.clone())),
            Target::Url(u) => match Url::parse(u).ok()?.host()? {
                Host::Domain(d) => Some(LookupKey::Host(d.to_owned())),
                Host::Ipv4(a) => Some(LookupKey::Ip(IpAddr::V4(a))),
                Host::Ipv6(a) => Some(LookupKey::Ip(IpAddr::V6(a))),
            },
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            Target::Url(u) => u.clone(),
            Target::Host(h) => h.clone(),
            Target::Ip(ip) => ip.to_string(),
        }
    }
}

enum LookupKey {
    Ip(IpAddr),
    Host(String),
}

/// Reads one target per line (or separated by spaces or commas). Accepts URLs, bare host names
/// with or without a path (`portaal.school.nl/login`), IP addresses with or without a port, and
/// defanged forms (`hxxps://`, `[.]`). Returns the targets and the pieces it could not read.
pub fn parse_targets(text: &str) -> (Vec<Target>, Vec<String>) {
    let mut targets = Vec::new();
    let mut bad = Vec::new();
    for piece in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let piece = piece
            .trim()
            .trim_matches(|c| matches!(c, '<' | '>' | '"' | '\''));
        if piece.is_empty() {
            continue;
        }
        match parse_one(piece) {
            Some(t) if !targets.contains(&t) => targets.push(t),
            Some(_) => {}
            None => bad.push(piece.to_owned()),
        }
    }
    (targets, bad)
}

fn refang(s: &str) -> String {
    let s = s
        .replace("[.]", ".")
        .replace("(.)", ".")
        .replace("[:]", ":");
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("hxxp") {
        format!("http{}", &s[4..])
    } else {
        s
    }
}

fn parse_one(piece: &str) -> Option<Target> {
    let s = refang(piece);
    if let Ok(ip) = s.trim_matches(|c| c == '[' || c == ']').parse::<IpAddr>() {
        return Some(Target::Ip(ip));
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let url = Url::parse(&s).ok()?;
        url.host()?;
        return Some(Target::Url(url.to_string()));
    }
    if s.contains("://") {
        return None;
    }
    // No scheme: a host, maybe with a port or path. Parse it as a URL to split those off.
    let url = Url::parse(&format!("https://{s}")).ok()?;
    match url.host()? {
        Host::Ipv4(a) => Some(Target::Ip(IpAddr::V4(a))),
        Host::Ipv6(a) => Some(Target::Ip(IpAddr::V6(a))),
        Host::Domain(d) => {
            let host = normalise_host(d).filter(|h| h.contains('.'))?;
            if url.path() == "/" && url.port().is_none() && url.query().is_none() {
                Some(Target::Host(host))
            } else {
                Some(Target::Url(url.to_string()))
            }
        }
    }
}

/// The result of matching a report's targets against the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum TargetMatch {
    /// Every target that matched points to this one board.
    Board {
        board_id: BoardId,
        /// The registered prefixes or domains that matched, for "why this board".
        matched: Vec<String>,
        /// Targets that matched nothing (the board may still own them).
        unmatched: Vec<String>,
    },
    /// Targets point to several boards, or a registration overlaps: the CERT decides.
    Ambiguous { boards: Vec<BoardId> },
    /// Nothing matched: the CERT identifies the owner (or a supplier).
    Unknown,
}

impl TargetMatch {
    pub fn board(&self) -> Option<BoardId> {
        match self {
            TargetMatch::Board { board_id, .. } => Some(*board_id),
            _ => None,
        }
    }
}

/// Matches targets against the lookup index.
pub fn match_targets(index: &LookupIndex, targets: &[Target]) -> TargetMatch {
    let mut boards = BTreeSet::new();
    let mut matched = Vec::new();
    let mut unmatched = Vec::new();
    let mut conflict = false;
    for t in targets {
        let answer: Lookup = match t.key() {
            Some(LookupKey::Ip(ip)) => index.lookup_ip(ip),
            Some(LookupKey::Host(h)) => index.lookup_host(&h),
            None => Lookup::default(),
        };
        if answer.owners.is_empty() {
            unmatched.push(t.as_text());
            continue;
        }
        conflict |= answer.conflict;
        for hit in &answer.owners {
            boards.insert(hit.board_id);
            if !matched.contains(&hit.matched) {
                matched.push(hit.matched.clone());
            }
        }
    }
    match (boards.len(), conflict) {
        (0, _) => TargetMatch::Unknown,
        (1, false) => match boards.into_iter().next() {
            Some(board_id) => TargetMatch::Board {
                board_id,
                matched,
                unmatched,
            },
            None => TargetMatch::Unknown,
        },
        _ => TargetMatch::Ambiguous {
            boards: boards.into_iter().collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::lookup::entry;

    #[test]
    fn reads_urls_hosts_ips_and_defanged_forms() {
        let (t, bad) = parse_targets(
            "https://portaal.obs-klimop.nl/login?x=1\nhxxps://mail[.]klimop.nl\n\
             192.0.2.10:8443, 2001:db8::1 leerlingen.klimop.nl/admin  klimop.nl ftp://x.nl hallo",
        );
        assert_eq!(
            t,
            [
                Target::Url("https://portaal.obs-klimop.nl/login?x=1".into()),
                Target::Url("https://mail.klimop.nl/".into()),
                Target::Ip("192.0.2.10".parse().unwrap()),
                Target::Ip("2001:db8::1".parse().unwrap()),
                Target::Url("https://leerlingen.klimop.nl/admin".into()),
                Target::Host("klimop.nl".into()),
            ]
        );
        assert_eq!(bad, ["ftp://x.nl", "hallo"]);
    }

    #[test]
    fn matches_one_board_or_leaves_it_to_the_cert() {
        let index = LookupIndex::build(
            [
                entry(1, 10, "klimop.nl").unwrap(),
                entry(2, 10, "145.1.2.0/24").unwrap(),
                entry(3, 20, "esdoorn.nl").unwrap(),
            ],
            [],
        );
        let (t, _) = parse_targets("https://portaal.klimop.nl/ 145.1.2.10 unknown.example.org");
        let m = match_targets(&index, &t);
        assert_eq!(m.board(), Some(BoardId(10)));
        if let TargetMatch::Board {
            matched, unmatched, ..
        } = &m
        {
            assert_eq!(matched, &["klimop.nl", "145.1.2.0/24"]);
            assert_eq!(unmatched, &["unknown.example.org"]);
        }
        let (t, _) = parse_targets("klimop.nl esdoorn.nl");
        assert_eq!(
            match_targets(&index, &t),
            TargetMatch::Ambiguous {
                boards: vec![BoardId(10), BoardId(20)]
            }
        );
        let (t, _) = parse_targets("example.org");
        assert_eq!(match_targets(&index, &t), TargetMatch::Unknown);
    }
}
