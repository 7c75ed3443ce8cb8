//! Which board an event is about: `source.ip` by the most specific registered prefix, else the
//! host of `source.fqdn` or `source.url` by the longest registered domain. Uses the lookup
//! index's hot paths, so the common cases (an IP that matches, or none) allocate nothing.
//!
//! `source.reverse_dns` is deliberately not used: whoever controls an address's reverse zone
//! can name it after any school, and a notice about it must not go to that school.

use std::net::IpAddr;

use schoolcert_domain::lookup::{LookupIndex, Owner};
use schoolcert_domain::{AssetId, BoardId};
use serde::Serialize;

use crate::event::Event;
use crate::harmonize::url_host;

/// Why an event was (or was not) given to a board. `asset` is the registered prefix or domain
/// that matched: the store shows its value ("145.97.12.0/24", "school.nl").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchReason {
    /// `source.ip` lies in the asset's prefix (the most specific one registered).
    Ip {
        asset: AssetId,
    },
    /// `source.fqdn` is the asset's domain or under it.
    Fqdn {
        asset: AssetId,
    },
    /// The host of `source.url` is the asset's domain or under it (or its IP in the prefix).
    Url {
        asset: AssetId,
    },
    None,
}

/// The outcome of matching one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The board to notify; `None` when nothing matched or the match is ambiguous.
    pub board: Option<BoardId>,
    pub reason: MatchReason,
    /// More than one board owns the most specific match, or the address and the host point to
    /// different boards: a CERT analyst must look (the event is kept, nobody is notified).
    pub conflict: bool,
}

impl Match {
    pub const NONE: Match = Match {
        board: None,
        reason: MatchReason::None,
        conflict: false,
    };

    pub fn reason_code(&self) -> &'static str {
        match self.reason {
            MatchReason::Ip { .. } => "ip",
            MatchReason::Fqdn { .. } => "fqdn",
            MatchReason::Url { .. } => "url",
            MatchReason::None => "none",
        }
    }
}

/// The single board of a set of owners, and whether the set is ambiguous.
fn decide(owners: &[Owner]) -> (Option<&Owner>, bool) {
    match owners {
        [] => (None, false),
        [one] => (Some(one), false),
        [first, rest @ ..] => {
            if rest.iter().all(|o| o.board_id == first.board_id) {
                (Some(first), false)
            } else {
                (None, true)
            }
        }
    }
}

fn by_host<'i>(index: &'i LookupIndex, host: &str) -> Option<&'i [Owner]> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return index.owners_of_ip(ip);
    }
    // Event hosts are lower case already when they come through the harmonisation; URLs may
    // carry upper case or a trailing dot.
    if host.bytes().any(|b| b.is_ascii_uppercase()) || host.ends_with('.') || !host.is_ascii() {
        let normal = schoolcert_domain::asset::domain::normalise_host(host)?;
        return index.owners_of_normalised_host(&normal).map(|(_, o)| o);
    }
    index.owners_of_normalised_host(host).map(|(_, o)| o)
}

/// Matches one event.
pub fn match_event(index: &LookupIndex, ev: &Event) -> Match {
    let by_ip = ev.source_ip.and_then(|ip| index.owners_of_ip(ip));
    let fqdn = ev.source_fqdn().and_then(|h| by_host(index, h));
    let url = ev
        .source_url()
        .and_then(url_host)
        .and_then(|h| by_host(index, h));

    let candidates = [
        by_ip.map(|o| (o, 0u8)),
        fqdn.map(|o| (o, 1u8)),
        url.map(|o| (o, 2u8)),
    ];
    let mut chosen: Option<Match> = None;
    let mut conflict = false;
    for (owners, kind) in candidates.into_iter().flatten() {
        let (owner, ambiguous) = decide(owners);
        match (chosen, owner) {
            (None, _) if ambiguous => {
                conflict = true;
                chosen = Some(Match {
                    board: None,
                    reason: reason(kind, owners[0].asset_id),
                    conflict: true,
                });
            }
            (None, Some(o)) => {
                chosen = Some(Match {
                    board: Some(o.board_id),
                    reason: reason(kind, o.asset_id),
                    conflict: false,
                });
            }
            (Some(c), Some(o)) => {
                if c.board.is_some_and(|b| b != o.board_id) {
                    conflict = true;
                }
            }
            (Some(_), None) => conflict |= ambiguous,
            (None, None) => {}
        }
    }
    match chosen {
        Some(mut m) => {
            m.conflict |= conflict;
            if m.conflict {
                // Ambiguous: nobody is notified until an analyst decides.
                m.board = None;
            }
            m
        }
        None => Match::NONE,
    }
}

fn reason(kind: u8, asset: AssetId) -> MatchReason {
    match kind {
        0 => MatchReason::Ip { asset },
        1 => MatchReason::Fqdn { asset },
        _ => MatchReason::Url { asset },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;
    use schoolcert_domain::lookup::entry;

    fn index() -> LookupIndex {
        LookupIndex::build(
            [
                entry(1, 10, "145.97.0.0/16"),
                entry(2, 20, "145.97.12.0/24"),
                entry(3, 30, "2001:610:188::/48"),
                entry(4, 30, "lyceum.nl"),
                entry(5, 40, "portal.lyceum.nl"),
                entry(6, 50, "192.87.101.0/24"),
                entry(7, 51, "192.87.101.0/24"),
                entry(8, 60, "basisschool.nl"),
            ]
            .into_iter()
            .flatten(),
            [],
        )
    }

    fn ev(ip: Option<&str>, fqdn: Option<&str>, url: Option<&str>) -> Event {
        let mut e = Event::new();
        e.source_ip = ip.map(|s| s.parse().unwrap());
        if let Some(f) = fqdn {
            e.set_str(Field::SourceFqdn, f);
        }
        if let Some(u) = url {
            e.set_str(Field::SourceUrl, u);
        }
        e
    }

    #[test]
    fn the_most_specific_prefix_wins() {
        let idx = index();
        let m = match_event(&idx, &ev(Some("145.97.12.7"), None, None));
        assert_eq!(m.board, Some(BoardId(20)));
        assert_eq!(m.reason, MatchReason::Ip { asset: AssetId(2) });
        let m = match_event(&idx, &ev(Some("145.97.13.7"), None, None));
        assert_eq!(m.board, Some(BoardId(10)));
        assert!(!m.conflict);
    }

    #[test]
    fn ipv6_and_ipv4_mapped_addresses_match() {
        let idx = index();
        assert_eq!(
            match_event(&idx, &ev(Some("2001:610:188:40::7"), None, None)).board,
            Some(BoardId(30))
        );
        assert_eq!(
            match_event(&idx, &ev(Some("::ffff:145.97.12.1"), None, None)).board,
            Some(BoardId(20))
        );
        assert_eq!(
            match_event(&idx, &ev(Some("2001:611::1"), None, None)),
            Match::NONE
        );
    }

    #[test]
    fn hosts_match_by_the_longest_registered_domain_at_label_boundaries() {
        let idx = index();
        let m = match_event(&idx, &ev(None, Some("www.portal.lyceum.nl"), None));
        assert_eq!(m.board, Some(BoardId(40)));
        assert_eq!(m.reason, MatchReason::Fqdn { asset: AssetId(5) });
        assert_eq!(
            match_event(&idx, &ev(None, Some("mail.lyceum.nl"), None)).board,
            Some(BoardId(30))
        );
        // "mylyceum.nl" is not under "lyceum.nl".
        assert_eq!(
            match_event(&idx, &ev(None, Some("mylyceum.nl"), None)),
            Match::NONE
        );
        let m = match_event(
            &idx,
            &ev(
                None,
                None,
                Some("https://WWW.Basisschool.NL.:8443/wp-login.php?x=1"),
            ),
        );
        assert_eq!(m.board, Some(BoardId(60)));
        assert_eq!(m.reason, MatchReason::Url { asset: AssetId(8) });
        // A URL with an address as host matches by prefix.
        assert_eq!(
            match_event(&idx, &ev(None, None, Some("http://145.97.12.9/x"))).board,
            Some(BoardId(20))
        );
        assert_eq!(
            match_event(&idx, &ev(None, None, Some("http://[2001:610:188::5]/x"))).board,
            Some(BoardId(30))
        );
    }

    #[test]
    fn ambiguity_is_a_conflict_and_notifies_nobody() {
        let idx = index();
        let m = match_event(&idx, &ev(Some("192.87.101.5"), None, None));
        assert!(m.conflict);
        assert_eq!(m.board, None);
        // Address and host point to different boards.
        let m = match_event(&idx, &ev(Some("145.97.12.7"), Some("www.lyceum.nl"), None));
        assert!(m.conflict);
        assert_eq!(m.board, None);
        assert_eq!(m.reason, MatchReason::Ip { asset: AssetId(2) });
        // The same board through both: no conflict.
        let m = match_event(&idx, &ev(Some("2001:610:188::9"), Some("lyceum.nl"), None));
        assert_eq!(m.board, Some(BoardId(30)));
        assert!(!m.conflict);
    }

    #[test]
    fn reverse_dns_is_never_used() {
        let idx = index();
        let mut e = ev(Some("8.8.8.8"), None, None);
        e.set_str(Field::SourceReverseDns, "www.lyceum.nl");
        assert_eq!(match_event(&idx, &e), Match::NONE);
    }
}
