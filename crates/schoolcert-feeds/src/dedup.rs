//! Deduplication: the same problem (feed, classification identifier, address, port, host) seen
//! again within a window updates the stored row's `last_seen` and `count` instead of adding a
//! row. This module gives the key, the window rule the store applies, and an in-memory
//! deduplicator for repeats inside one file.
//!
//! The key is SHA-256 over a length-prefixed encoding of the five parts, cut to 128 bits:
//! stable across versions and platforms (the store keeps it), collision-free in practice, and
//! ~50 ns with the CPU's SHA extensions.

use std::net::IpAddr;

use chrono::Duration;
use rustc_hash::FxHashMap;
use schoolcert_domain::Timestamp;
use sha2::{Digest, Sha256};

use crate::event::Event;
use crate::harmonize::url_host;

/// Default window: a day, Shadowserver's reporting rhythm.
pub const DEFAULT_WINDOW_HOURS: i64 = 24;

/// The identity of a problem for deduplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DedupKey(pub [u8; 16]);

impl DedupKey {
    /// Hex, for storage and logs.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn as_u128(&self) -> u128 {
        u128::from_be_bytes(self.0)
    }

    /// The key of explicit parts (`host` lower case, without trailing dot).
    pub fn of_parts(
        feed: &str,
        identifier: &str,
        ip: Option<IpAddr>,
        port: Option<u16>,
        host: &str,
    ) -> DedupKey {
        let mut h = Sha256::new();
        // Length prefixes make the encoding unambiguous ("ab"+"c" ≠ "a"+"bc").
        for part in [feed.as_bytes(), identifier.as_bytes()] {
            h.update(u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
            h.update(part);
        }
        match ip {
            // IPv4-mapped IPv6 and IPv4 are the same host.
            Some(ip) => {
                let v6 = match ip {
                    IpAddr::V4(a) => a.to_ipv6_mapped(),
                    IpAddr::V6(a) => a,
                };
                h.update([1]);
                h.update(v6.octets());
            }
            None => h.update([0]),
        }
        match port {
            Some(p) => {
                h.update([1]);
                h.update(p.to_be_bytes());
            }
            None => h.update([0]),
        }
        h.update(u32::try_from(host.len()).unwrap_or(u32::MAX).to_be_bytes());
        h.update(host.as_bytes());
        let digest = h.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        DedupKey(out)
    }

    /// The key of an event: `feed.name`, `classification.identifier` (else type), `source.ip`,
    /// `source.port`, and the host (`source.fqdn`, else the host of `source.url`).
    pub fn of_event(ev: &Event) -> DedupKey {
        let feed = ev.feed_name().unwrap_or("");
        let id = ev
            .classification_identifier()
            .or_else(|| ev.classification_type())
            .unwrap_or("");
        let host = ev
            .source_fqdn()
            .or_else(|| ev.source_url().and_then(url_host))
            .unwrap_or("");
        let host = host.trim_end_matches('.');
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = host.to_ascii_lowercase();
            return DedupKey::of_parts(feed, id, ev.source_ip, ev.source_port, &lower);
        }
        DedupKey::of_parts(feed, id, ev.source_ip, ev.source_port, host)
    }
}

/// Identity of one observation (key plus `time.source`): re-ingesting the same event is a
/// no-op when the store keeps these (or, cheaper, the file hashes).
pub fn event_id(key: DedupKey, time_source: Option<Timestamp>) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(key.0);
    h.update(
        time_source
            .map_or(i64::MIN, |t| t.timestamp_micros())
            .to_be_bytes(),
    );
    let d = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

/// What the store keeps per problem row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub count: u32,
}

/// What to do with a new observation of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// No row within the window: insert a new one.
    Insert,
    /// Update the existing row to this.
    Update(Seen),
    /// Exactly this observation is already counted (same time as the row's first or last).
    AlreadyCounted,
}

/// The window rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(pub Duration);

impl Default for Window {
    fn default() -> Self {
        Window(Duration::hours(DEFAULT_WINDOW_HOURS))
    }
}

impl Window {
    pub fn hours(h: i64) -> Window {
        Window(Duration::hours(h))
    }

    /// An observation at `t` belongs to the row `existing` when it lies within the window of
    /// the row's span [first_seen − window, last_seen + window]: a problem reported every day
    /// stays one row (with a growing count) for as long as it persists; after a gap longer
    /// than the window it is a new row (and notified again).
    pub fn decide(&self, existing: Option<Seen>, t: Timestamp) -> Decision {
        let Some(s) = existing else {
            return Decision::Insert;
        };
        if t == s.first_seen || t == s.last_seen {
            return Decision::AlreadyCounted;
        }
        if t < s.first_seen - self.0 || t > s.last_seen + self.0 {
            return Decision::Insert;
        }
        Decision::Update(Seen {
            first_seen: s.first_seen.min(t),
            last_seen: s.last_seen.max(t),
            count: s.count.saturating_add(1),
        })
    }
}

/// Within one ingest: the first event of each key passes, later ones only update counters that
/// come out at the end. Memory is bounded: past `capacity` keys new keys are no longer
/// remembered (their repeats then go to the store, which dedups them correctly anyway).
#[derive(Debug)]
pub struct Deduplicator {
    window: Window,
    seen: FxHashMap<u128, Seen>,
    capacity: usize,
    repeats: u64,
    untracked: u64,
}

/// Outcome of [`Deduplicator::observe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// First time (or outside the window): store the event.
    New,
    /// A repeat within the window: counted, do not store again.
    Repeat,
}

impl Deduplicator {
    /// About 40 bytes per remembered key; the default keeps memory under ~40 MB.
    pub const DEFAULT_CAPACITY: usize = 900_000;

    pub fn new(window: Window) -> Self {
        Deduplicator::with_capacity(window, Deduplicator::DEFAULT_CAPACITY)
    }

    pub fn with_capacity(window: Window, capacity: usize) -> Self {
        Deduplicator {
            window,
            seen: FxHashMap::default(),
            capacity,
            repeats: 0,
            untracked: 0,
        }
    }

    pub fn observe(&mut self, key: DedupKey, t: Timestamp) -> Observed {
        let k = key.as_u128();
        if let Some(s) = self.seen.get_mut(&k) {
            match self.window.decide(Some(*s), t) {
                Decision::Insert => {
                    *s = Seen {
                        first_seen: t,
                        last_seen: t,
                        count: 1,
                    };
                    return Observed::New;
                }
                Decision::Update(n) => *s = n,
                Decision::AlreadyCounted => s.count = s.count.saturating_add(1),
            }
            self.repeats += 1;
            return Observed::Repeat;
        }
        if self.seen.len() < self.capacity {
            self.seen.insert(
                k,
                Seen {
                    first_seen: t,
                    last_seen: t,
                    count: 1,
                },
            );
        } else {
            self.untracked += 1;
        }
        Observed::New
    }

    /// Events dropped as repeats so far.
    pub fn repeats(&self) -> u64 {
        self.repeats
    }

    /// Keys not remembered because the capacity was reached.
    pub fn untracked(&self) -> u64 {
        self.untracked
    }

    /// Keys seen more than once, with their span and count: the store applies these to the
    /// rows it inserted for the first occurrences.
    pub fn repeated(&self) -> impl Iterator<Item = (DedupKey, Seen)> + '_ {
        self.seen
            .iter()
            .filter(|(_, s)| s.count > 1)
            .map(|(k, s)| (DedupKey(k.to_be_bytes()), *s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Field;
    use schoolcert_domain::time::parse_rfc3339;

    fn t(s: &str) -> Timestamp {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn the_key_covers_feed_identifier_ip_port_and_host() {
        let ip: IpAddr = "145.97.12.7".parse().unwrap();
        let base = DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(ip), Some(3389), "");
        assert_eq!(
            base,
            DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(ip), Some(3389), "")
        );
        for other in [
            DedupKey::of_parts("Accessible-SMB", "open-rdp", Some(ip), Some(3389), ""),
            DedupKey::of_parts("Accessible-RDP", "open-smb", Some(ip), Some(3389), ""),
            DedupKey::of_parts("Accessible-RDP", "open-rdp", None, Some(3389), ""),
            DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(ip), Some(3390), ""),
            DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(ip), None, ""),
            DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(ip), Some(3389), "a.nl"),
            DedupKey::of_parts("Accessible-RD", "Popen-rdp", Some(ip), Some(3389), ""),
        ] {
            assert_ne!(base, other);
        }
        // A known vector, so a change of encoding is noticed (stored keys depend on it):
        // computed independently (Python hashlib over the documented encoding), for the
        // on-stack path and for a host too long for its buffer.
        assert_eq!(base.to_hex(), "7eafae4908c59913b2ace454d5654fc4");
        let long_host = format!("{}.nl", "a".repeat(300));
        assert_eq!(
            DedupKey::of_parts(
                "Accessible-RDP",
                "open-rdp",
                Some(ip),
                Some(3389),
                &long_host
            )
            .to_hex(),
            "dd16e57044c20790aa7ceb16753872e8"
        );
        let mapped: IpAddr = "::ffff:145.97.12.7".parse().unwrap();
        assert_eq!(
            base,
            DedupKey::of_parts("Accessible-RDP", "open-rdp", Some(mapped), Some(3389), "")
        );
    }

    #[test]
    fn event_keys_ignore_host_case_and_use_url_hosts() {
        let mut a = Event::new();
        a.set_str(Field::FeedName, "Compromised-Website");
        a.set_str(Field::ClassificationIdentifier, "compromised-website");
        a.set_str(Field::SourceUrl, "http://WWW.School.nl/x");
        let mut b = a.clone();
        b.set_str(Field::SourceUrl, "https://www.school.nl/other");
        assert_eq!(DedupKey::of_event(&a), DedupKey::of_event(&b));
        b.set_str(Field::SourceFqdn, "other.nl");
        assert_ne!(DedupKey::of_event(&a), DedupKey::of_event(&b));
    }

    #[test]
    fn the_window_rule() {
        let w = Window::default();
        let row = Seen {
            first_seen: t("2026-11-20T04:00:00Z"),
            last_seen: t("2026-11-20T04:00:00Z"),
            count: 1,
        };
        assert_eq!(w.decide(None, t("2026-11-20T04:00:00Z")), Decision::Insert);
        assert_eq!(
            w.decide(Some(row), t("2026-11-20T04:00:00Z")),
            Decision::AlreadyCounted
        );
        assert_eq!(
            w.decide(Some(row), t("2026-11-21T03:59:00Z")),
            Decision::Update(Seen {
                first_seen: row.first_seen,
                last_seen: t("2026-11-21T03:59:00Z"),
                count: 2
            })
        );
        assert_eq!(
            w.decide(Some(row), t("2026-11-21T04:00:01Z")),
            Decision::Insert
        );
        // Out of order within the window moves first_seen back.
        assert!(matches!(
            w.decide(Some(row), t("2026-11-19T06:00:00Z")),
            Decision::Update(Seen { first_seen, .. }) if first_seen == t("2026-11-19T06:00:00Z")
        ));
        assert_eq!(
            Window::hours(1).decide(Some(row), t("2026-11-20T05:30:00Z")),
            Decision::Insert
        );
    }

    #[test]
    fn the_in_memory_deduplicator_counts_repeats_and_stays_bounded() {
        let mut d = Deduplicator::with_capacity(Window::default(), 2);
        let k = |i: u8| DedupKey([i; 16]);
        let t0 = t("2026-11-20T04:00:00Z");
        assert_eq!(d.observe(k(1), t0), Observed::New);
        assert_eq!(d.observe(k(1), t0), Observed::Repeat);
        assert_eq!(d.observe(k(1), t0 + Duration::hours(2)), Observed::Repeat);
        assert_eq!(d.observe(k(2), t0), Observed::New);
        assert_eq!(d.observe(k(3), t0), Observed::New);
        assert_eq!(
            d.observe(k(3), t0),
            Observed::New,
            "beyond capacity: not remembered"
        );
        assert_eq!(d.untracked(), 2);
        assert_eq!(d.repeats(), 2);
        let rep: Vec<_> = d.repeated().collect();
        assert_eq!(rep.len(), 1);
        assert_eq!(rep[0].1.count, 3);
        assert_eq!(rep[0].1.last_seen, t0 + Duration::hours(2));
    }
}
