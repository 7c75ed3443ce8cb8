//! The in-memory lookup index: IP address → most specific registered prefix → board, and host
//! name → longest registered domain suffix → board. Feeds match millions of events through it,
//! so the hot paths allocate nothing.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use prefix_trie::PrefixMap;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::asset::domain::normalise_host;
use crate::asset::{AssetValue, DomainName, Prefix};
use crate::{AssetId, BoardId};

/// One active claim: which board, through which asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Owner {
    pub board_id: BoardId,
    pub asset_id: AssetId,
}

/// An active asset as the index is built from it.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub asset_id: AssetId,
    pub board_id: BoardId,
    pub value: AssetValue,
}

/// What matched, for display and storage ("why this board").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub board_id: BoardId,
    pub asset_id: AssetId,
    /// The prefix or domain that matched.
    pub matched: String,
}

/// A full answer: the owner(s) of the most specific match, and other boards whose claims also
/// cover the address or name. More than one owner, or any unresolved overlap, is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Lookup {
    pub owners: Vec<Hit>,
    pub also_covered_by: Vec<Hit>,
    pub conflict: bool,
}

impl Lookup {
    /// The single owning board, if the answer is unambiguous.
    pub fn board(&self) -> Option<BoardId> {
        match self.owners.as_slice() {
            [one] => Some(one.board_id),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct LookupIndex {
    v4: PrefixMap<Ipv4Net, Vec<Owner>>,
    v6: PrefixMap<Ipv6Net, Vec<Owner>>,
    domains: FxHashMap<Box<str>, Vec<Owner>>,
    /// Overlapping pairs a CERT analyst accepted as intended (smaller id first).
    accepted: FxHashSet<(AssetId, AssetId)>,
    len: usize,
}

impl LookupIndex {
    pub fn build(
        entries: impl IntoIterator<Item = IndexEntry>,
        accepted_overlaps: impl IntoIterator<Item = (AssetId, AssetId)>,
    ) -> Self {
        let mut index = LookupIndex::default();
        for e in entries {
            index.insert(e);
        }
        index.accepted = accepted_overlaps
            .into_iter()
            .map(|(a, b)| ordered(a, b))
            .collect();
        index
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn insert(&mut self, e: IndexEntry) {
        let owner = Owner {
            board_id: e.board_id,
            asset_id: e.asset_id,
        };
        let slot = match e.value {
            AssetValue::Prefix(p) => match p.net() {
                IpNet::V4(n) => self.v4.entry(n).or_default(),
                IpNet::V6(n) => self.v6.entry(n).or_default(),
            },
            AssetValue::Domain(d) => self
                .domains
                .entry(String::from(d).into_boxed_str())
                .or_default(),
        };
        if !slot.contains(&owner) {
            slot.push(owner);
            self.len += 1;
        }
    }

    /// Hot path: the owners of the most specific prefix containing `ip`.
    #[inline]
    pub fn owners_of_ip(&self, ip: IpAddr) -> Option<&[Owner]> {
        match ip {
            IpAddr::V4(a) => self
                .v4
                .get_lpm(&Ipv4Net::from(a))
                .map(|(_, o)| o.as_slice()),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => self.owners_of_ip(IpAddr::V4(v4)),
                None => self
                    .v6
                    .get_lpm(&Ipv6Net::from(a))
                    .map(|(_, o)| o.as_slice()),
            },
        }
    }

    /// Hot path: the owners of the longest registered domain that `host` is or is under.
    /// `host` must already be lower case without a trailing dot (see `owners_of_host`).
    #[inline]
    pub fn owners_of_normalised_host(&self, host: &str) -> Option<(&str, &[Owner])> {
        let mut rest = host;
        loop {
            if let Some((k, o)) = self.domains.get_key_value(rest) {
                return Some((k, o.as_slice()));
            }
            match rest.find('.') {
                Some(i) => rest = &rest[i + 1..],
                None => return None,
            }
        }
    }

    /// Like `owners_of_normalised_host`, normalising first (case, trailing dot, IDN).
    pub fn owners_of_host(&self, host: &str) -> Option<(String, &[Owner])> {
        let host = normalise_host(host)?;
        self.owners_of_normalised_host(&host)
            .map(|(k, o)| (k.to_owned(), o))
    }

    /// The full answer for an address, with overlaps.
    pub fn lookup_ip(&self, ip: IpAddr) -> Lookup {
        let ip = match ip {
            IpAddr::V6(a) => a.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let covering: Vec<(String, Vec<Owner>)> = match ip {
            IpAddr::V4(a) => self
                .v4
                .cover(&Ipv4Net::from(a))
                .map(|(p, o)| (p.to_string(), o.clone()))
                .collect(),
            IpAddr::V6(a) => self
                .v6
                .cover(&Ipv6Net::from(a))
                .map(|(p, o)| (p.to_string(), o.clone()))
                .collect(),
        };
        self.answer(covering)
    }

    /// The full answer for a host name, with parent domains registered by other boards.
    pub fn lookup_host(&self, host: &str) -> Lookup {
        let Some(host) = normalise_host(host) else {
            return Lookup::default();
        };
        // Shortest suffix first, so the most specific comes last like `cover` for prefixes.
        let mut covering = Vec::new();
        let mut rest = host.as_str();
        loop {
            if let Some(o) = self.domains.get(rest) {
                covering.push((rest.to_owned(), o.clone()));
            }
            match rest.find('.') {
                Some(i) => rest = &rest[i + 1..],
                None => break,
            }
        }
        covering.reverse();
        self.answer(covering)
    }

    /// Turns the covering claims, least specific first, into an answer.
    fn answer(&self, covering: Vec<(String, Vec<Owner>)>) -> Lookup {
        let Some((best_key, best)) = covering.last() else {
            return Lookup::default();
        };
        let hit = |k: &str, o: &Owner| Hit {
            board_id: o.board_id,
            asset_id: o.asset_id,
            matched: k.to_owned(),
        };
        let owners: Vec<Hit> = best.iter().map(|o| hit(best_key, o)).collect();
        let also: Vec<Hit> = covering[..covering.len() - 1]
            .iter()
            .flat_map(|(k, os)| os.iter().map(move |o| hit(k, o)))
            .filter(|h| !owners.iter().any(|w| w.board_id == h.board_id))
            .collect();
        let unresolved = |a: &Hit, b: &Hit| {
            a.board_id != b.board_id && !self.accepted.contains(&ordered(a.asset_id, b.asset_id))
        };
        let conflict = owners
            .iter()
            .enumerate()
            .any(|(i, a)| owners[i + 1..].iter().any(|b| unresolved(a, b)))
            || owners.iter().any(|a| also.iter().any(|b| unresolved(a, b)));
        Lookup {
            owners,
            also_covered_by: also,
            conflict,
        }
    }

    /// Every pair of active claims by different boards that overlap (same or nested prefixes,
    /// same or parent domains), for the CERT's conflict list.
    pub fn overlapping_pairs(&self) -> Vec<(Hit, Hit)> {
        let mut pairs = Vec::new();
        let mut push_pairs = |covering: Vec<(String, Vec<Owner>)>| {
            let Some((key, owners)) = covering.last() else {
                return;
            };
            for (i, a) in owners.iter().enumerate() {
                let ha = Hit {
                    board_id: a.board_id,
                    asset_id: a.asset_id,
                    matched: key.clone(),
                };
                for b in &owners[i + 1..] {
                    if a.board_id != b.board_id {
                        pairs.push((
                            ha.clone(),
                            Hit {
                                board_id: b.board_id,
                                asset_id: b.asset_id,
                                matched: key.clone(),
                            },
                        ));
                    }
                }
                for (k, os) in &covering[..covering.len() - 1] {
                    for b in os.iter().filter(|b| b.board_id != a.board_id) {
                        pairs.push((
                            Hit {
                                board_id: b.board_id,
                                asset_id: b.asset_id,
                                matched: k.clone(),
                            },
                            ha.clone(),
                        ));
                    }
                }
            }
        };
        for (p, _) in self.v4.iter() {
            push_pairs(
                self.v4
                    .cover(&p)
                    .map(|(k, o)| (k.to_string(), o.clone()))
                    .collect(),
            );
        }
        for (p, _) in self.v6.iter() {
            push_pairs(
                self.v6
                    .cover(&p)
                    .map(|(k, o)| (k.to_string(), o.clone()))
                    .collect(),
            );
        }
        for d in self.domains.keys() {
            let mut covering = Vec::new();
            let mut rest: &str = d;
            loop {
                if let Some(o) = self.domains.get(rest) {
                    covering.push((rest.to_owned(), o.clone()));
                }
                match rest.find('.') {
                    Some(i) => rest = &rest[i + 1..],
                    None => break,
                }
            }
            covering.reverse();
            push_pairs(covering);
        }
        pairs
    }
}

fn ordered(a: AssetId, b: AssetId) -> (AssetId, AssetId) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Convenience for tests and the demo: an entry from text.
pub fn entry(asset_id: i64, board_id: i64, value: &str) -> Option<IndexEntry> {
    let value = match value.parse::<Prefix>() {
        Ok(p) => AssetValue::Prefix(p),
        Err(_) => AssetValue::Domain(value.parse::<DomainName>().ok()?),
    };
    Some(IndexEntry {
        asset_id: AssetId(asset_id),
        board_id: BoardId(board_id),
        value,
    })
}

#[cfg(test)]
mod tests;
