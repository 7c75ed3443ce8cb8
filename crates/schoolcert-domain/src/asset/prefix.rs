//! IPv4 and IPv6 prefixes a board may register: parsed, refused when not public (with the reason
//! named), and flagged when large enough to need CERT approval.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::lang::Localized;

/// A public, canonical (no host bits) IP prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prefix(IpNet);

/// The kinds of address space that are not a board's to register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialRange {
    ThisNetwork,
    Private,
    Cgnat,
    Loopback,
    LinkLocal,
    ProtocolAssignments,
    Documentation,
    Benchmarking,
    Relay6to4,
    Multicast,
    Reserved,
    Broadcast,
    Unspecified,
    Ipv4Mapped,
    Translation,
    Discard,
    UniqueLocal,
    NotGlobalUnicast,
}

impl SpecialRange {
    fn describe(self, lang: Lang) -> &'static str {
        use SpecialRange::*;
        match self {
            ThisNetwork => lang.pick("'dit netwerk' (0.0.0.0/8)", "'this network' (0.0.0.0/8)"),
            Private => lang.pick(
                "privé-adresruimte (RFC 1918)",
                "private address space (RFC 1918)",
            ),
            Cgnat => lang.pick(
                "CGNAT-adresruimte van providers (100.64.0.0/10)",
                "carrier-grade NAT space (100.64.0.0/10)",
            ),
            Loopback => lang.pick("loopback", "loopback"),
            LinkLocal => lang.pick("link-local", "link-local"),
            ProtocolAssignments => lang.pick(
                "gereserveerd voor IETF-protocollen",
                "reserved for IETF protocol assignments",
            ),
            Documentation => lang.pick(
                "bedoeld voor documentatie en voorbeelden",
                "reserved for documentation and examples",
            ),
            Benchmarking => lang.pick(
                "gereserveerd voor benchmarktests (198.18.0.0/15)",
                "reserved for benchmarking (198.18.0.0/15)",
            ),
            Relay6to4 => lang.pick(
                "de vervallen 6to4-relayruimte",
                "the deprecated 6to4 relay range",
            ),
            Multicast => lang.pick("multicast", "multicast"),
            Reserved => lang.pick(
                "gereserveerde adresruimte (240.0.0.0/4)",
                "reserved address space (240.0.0.0/4)",
            ),
            Broadcast => lang.pick("het broadcastadres", "the broadcast address"),
            Unspecified => lang.pick(
                "het ongespecificeerde adres (::)",
                "the unspecified address (::)",
            ),
            Ipv4Mapped => lang.pick(
                "IPv4-mapped IPv6 (registreer het IPv4-adres zelf)",
                "IPv4-mapped IPv6 (register the IPv4 address itself)",
            ),
            Translation => lang.pick("NAT64-vertaalruimte", "NAT64 translation space"),
            Discard => lang.pick(
                "discard-only ruimte (100::/64)",
                "discard-only space (100::/64)",
            ),
            UniqueLocal => lang.pick(
                "privé IPv6-ruimte (unique local, fc00::/7)",
                "private IPv6 space (unique local, fc00::/7)",
            ),
            NotGlobalUnicast => lang.pick(
                "niet uitgegeven als publieke IPv6-ruimte (buiten 2000::/3)",
                "not allocated as public IPv6 space (outside 2000::/3)",
            ),
        }
    }
}

const V4_SPECIAL: &[(&str, SpecialRange)] = &[
    ("0.0.0.0/8", SpecialRange::ThisNetwork),
    ("10.0.0.0/8", SpecialRange::Private),
    ("100.64.0.0/10", SpecialRange::Cgnat),
    ("127.0.0.0/8", SpecialRange::Loopback),
    ("169.254.0.0/16", SpecialRange::LinkLocal),
    ("172.16.0.0/12", SpecialRange::Private),
    ("192.0.0.0/24", SpecialRange::ProtocolAssignments),
    ("192.0.2.0/24", SpecialRange::Documentation),
    ("192.88.99.0/24", SpecialRange::Relay6to4),
    ("192.168.0.0/16", SpecialRange::Private),
    ("198.18.0.0/15", SpecialRange::Benchmarking),
    ("198.51.100.0/24", SpecialRange::Documentation),
    ("203.0.113.0/24", SpecialRange::Documentation),
    ("224.0.0.0/4", SpecialRange::Multicast),
    ("255.255.255.255/32", SpecialRange::Broadcast),
    ("240.0.0.0/4", SpecialRange::Reserved),
];

const V6_SPECIAL: &[(&str, SpecialRange)] = &[
    ("::/128", SpecialRange::Unspecified),
    ("::1/128", SpecialRange::Loopback),
    ("::ffff:0:0/96", SpecialRange::Ipv4Mapped),
    ("64:ff9b::/96", SpecialRange::Translation),
    ("64:ff9b:1::/48", SpecialRange::Translation),
    ("100::/64", SpecialRange::Discard),
    ("2001::/23", SpecialRange::ProtocolAssignments),
    ("2001:db8::/32", SpecialRange::Documentation),
    ("3fff::/20", SpecialRange::Documentation),
    ("fc00::/7", SpecialRange::UniqueLocal),
    ("fe80::/10", SpecialRange::LinkLocal),
    ("ff00::/8", SpecialRange::Multicast),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrefixError {
    #[error("{input:?} is not an IP prefix in CIDR notation")]
    Syntax { input: String },
    #[error("{input:?} has host bits set; the network is {network}")]
    HostBits { input: String, network: String },
    #[error("{input:?} is not public address space")]
    NotPublic {
        input: String,
        range: SpecialRangeName,
        within: String,
    },
}

/// A `SpecialRange` that can live inside an error (it is `Copy` and compared by value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecialRangeName(pub SpecialRange);

impl Localized for PrefixError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PrefixError::Syntax { input }, Lang::Nl) => format!(
                "'{input}' is geen IP-prefix; schrijf bijvoorbeeld 145.97.16.0/24 of 2001:610:1::/48."
            ),
            (PrefixError::Syntax { input }, Lang::En) => format!(
                "'{input}' is not an IP prefix; write for example 145.97.16.0/24 or 2001:610:1::/48."
            ),
            (PrefixError::HostBits { input, network }, Lang::Nl) => {
                format!("'{input}' bevat hostbits; bedoelt u {network}?")
            }
            (PrefixError::HostBits { input, network }, Lang::En) => {
                format!("'{input}' has host bits set; did you mean {network}?")
            }
            (
                PrefixError::NotPublic {
                    input,
                    range,
                    within,
                },
                Lang::Nl,
            ) => format!(
                "'{input}' is geen publieke adresruimte: {within} is {}.",
                range.0.describe(lang)
            ),
            (
                PrefixError::NotPublic {
                    input,
                    range,
                    within,
                },
                Lang::En,
            ) => format!(
                "'{input}' is not public address space: {within} is {}.",
                range.0.describe(lang)
            ),
        }
    }
}

fn net(s: &str) -> IpNet {
    // The tables above are constants that parse; a typo there fails the unit tests below.
    s.parse().unwrap_or(IpNet::V4(Ipv4Net::default()))
}

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(b) || b.contains(a)
}

impl Prefix {
    pub fn net(&self) -> IpNet {
        self.0
    }

    pub fn is_v4(&self) -> bool {
        matches!(self.0, IpNet::V4(_))
    }

    /// The prefix length in bits (`/24`).
    pub fn prefix_len(&self) -> u8 {
        self.0.prefix_len()
    }

    /// Larger than /16 (IPv4) or /32 (IPv6) needs a CERT analyst's approval.
    pub fn is_large(&self) -> bool {
        match self.0 {
            IpNet::V4(n) => n.prefix_len() < 16,
            IpNet::V6(n) => n.prefix_len() < 32,
        }
    }

    /// First and last address as 16-byte keys (IPv4 mapped into IPv6), which compare the same
    /// as bytes in SQLite and PostgreSQL.
    pub fn range_keys(&self) -> ([u8; 16], [u8; 16]) {
        match self.0 {
            IpNet::V4(n) => (
                n.network().to_ipv6_mapped().octets(),
                n.broadcast().to_ipv6_mapped().octets(),
            ),
            IpNet::V6(n) => (n.network().octets(), n.broadcast().octets()),
        }
    }

    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }

    pub fn overlaps(&self, other: &Prefix) -> bool {
        overlaps(&self.0, &other.0)
    }

    fn check_public(input: &str, n: IpNet) -> Result<(), PrefixError> {
        let table = match n {
            IpNet::V4(_) => V4_SPECIAL,
            IpNet::V6(_) => V6_SPECIAL,
        };
        for (range, kind) in table {
            let r = net(range);
            if overlaps(&r, &n) {
                return Err(PrefixError::NotPublic {
                    input: input.to_owned(),
                    range: SpecialRangeName(*kind),
                    within: range.to_string(),
                });
            }
        }
        if let IpNet::V6(v6) = n {
            let global: Ipv6Net = "2000::/3".parse().unwrap_or_default();
            if !global.contains(&v6) {
                return Err(PrefixError::NotPublic {
                    input: input.to_owned(),
                    range: SpecialRangeName(SpecialRange::NotGlobalUnicast),
                    within: v6.to_string(),
                });
            }
        }
        Ok(())
    }
}

impl FromStr for Prefix {
    type Err = PrefixError;

    /// Accepts `a.b.c.d/len`, `v6::/len`, or a bare address (a host prefix).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let input = s.trim();
        let syntax = || PrefixError::Syntax {
            input: input.to_owned(),
        };
        let n: IpNet = if input.contains('/') {
            input.parse().map_err(|_| syntax())?
        } else {
            let ip: IpAddr = input.parse().map_err(|_| syntax())?;
            IpNet::from(ip)
        };
        if n.trunc() != n {
            return Err(PrefixError::HostBits {
                input: input.to_owned(),
                network: n.trunc().to_string(),
            });
        }
        Prefix::check_public(input, n)?;
        Ok(Prefix(n))
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for Prefix {
    type Error = PrefixError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Prefix> for String {
    fn from(p: Prefix) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_as(input: &str) -> SpecialRange {
        match input.parse::<Prefix>() {
            Err(PrefixError::NotPublic { range, .. }) => range.0,
            other => panic!("{input}: expected NotPublic, got {other:?}"),
        }
    }

    #[test]
    fn special_range_tables_parse() {
        for (r, _) in V4_SPECIAL.iter().chain(V6_SPECIAL) {
            assert!(r.parse::<IpNet>().is_ok(), "{r}");
        }
    }

    #[test]
    fn non_public_ranges_are_refused_with_their_name() {
        assert_eq!(refused_as("10.1.0.0/16"), SpecialRange::Private);
        assert_eq!(refused_as("192.168.1.0/24"), SpecialRange::Private);
        assert_eq!(refused_as("172.20.0.0/16"), SpecialRange::Private);
        assert_eq!(refused_as("127.0.0.1"), SpecialRange::Loopback);
        assert_eq!(refused_as("169.254.10.0/24"), SpecialRange::LinkLocal);
        assert_eq!(refused_as("100.64.1.0/24"), SpecialRange::Cgnat);
        assert_eq!(refused_as("192.0.2.0/24"), SpecialRange::Documentation);
        assert_eq!(refused_as("198.51.100.7"), SpecialRange::Documentation);
        assert_eq!(refused_as("203.0.113.0/25"), SpecialRange::Documentation);
        assert_eq!(refused_as("224.0.0.0/8"), SpecialRange::Multicast);
        assert_eq!(refused_as("250.0.0.0/8"), SpecialRange::Reserved);
        assert_eq!(refused_as("::1"), SpecialRange::Loopback);
        assert_eq!(refused_as("fd00:1::/48"), SpecialRange::UniqueLocal);
        assert_eq!(refused_as("fe80::/64"), SpecialRange::LinkLocal);
        assert_eq!(refused_as("2001:db8:1::/48"), SpecialRange::Documentation);
        assert_eq!(refused_as("ff02::1"), SpecialRange::Multicast);
        assert_eq!(refused_as("4000::/16"), SpecialRange::NotGlobalUnicast);
    }

    #[test]
    fn a_prefix_containing_a_special_range_is_refused_too() {
        assert_eq!(
            refused_as("192.0.0.0/16"),
            SpecialRange::ProtocolAssignments
        );
        assert_eq!(refused_as("8.0.0.0/6"), SpecialRange::Private);
    }

    #[test]
    fn public_prefixes_are_accepted_and_large_ones_flagged() {
        let p: Prefix = "145.97.0.0/16".parse().unwrap();
        assert!(!p.is_large());
        assert!("145.96.0.0/15".parse::<Prefix>().unwrap().is_large());
        assert!(!"2001:610::/32".parse::<Prefix>().unwrap().is_large());
        assert!("2a00::/24".parse::<Prefix>().unwrap().is_large());
        assert_eq!(
            "2001:67c:2e8::/48".parse::<Prefix>().unwrap().to_string(),
            "2001:67c:2e8::/48"
        );
    }

    #[test]
    fn bad_syntax_and_host_bits_are_explained() {
        assert!(matches!(
            "145.97.0.0/33".parse::<Prefix>(),
            Err(PrefixError::Syntax { .. })
        ));
        assert!(matches!(
            "school".parse::<Prefix>(),
            Err(PrefixError::Syntax { .. })
        ));
        let e = "145.97.16.5/24".parse::<Prefix>().unwrap_err();
        assert!(
            e.message(Lang::Nl).contains("145.97.16.0/24"),
            "{}",
            e.message(Lang::Nl)
        );
        let e = "10.0.0.0/8".parse::<Prefix>().unwrap_err();
        assert_eq!(
            e.message(Lang::En),
            "'10.0.0.0/8' is not public address space: 10.0.0.0/8 is private address space (RFC 1918)."
        );
    }

    #[test]
    fn range_keys_map_ipv4_into_ipv6_space() {
        let p: Prefix = "145.97.16.0/24".parse().unwrap();
        let (lo, hi) = p.range_keys();
        assert_eq!(&lo[10..], &[0xff, 0xff, 145, 97, 16, 0]);
        assert_eq!(&hi[10..], &[0xff, 0xff, 145, 97, 16, 255]);
        assert!(lo < hi);
    }
}
