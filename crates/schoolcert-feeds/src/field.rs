//! The IntelMQ harmonisation ("IntelMQ Data Format", 3.5.0) as a closed list of event fields,
//! each with the value type and extra rules (length, pattern) IntelMQ checks on `add`.
//!
//! `extra.*` and `raw` are not in this list: the event keeps them separately.

use std::fmt;

/// The IntelMQ type of a field: decides how a value is sanitised and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    LowercaseString,
    UppercaseString,
    Fqdn,
    Url,
    IpAddress,
    IpNetwork,
    Integer,
    Asn,
    Float,
    Accuracy,
    Boolean,
    DateTime,
    Taxonomy,
    ClassificationType,
    Json,
    Registry,
    Tlp,
}

/// The `regex` / `iregex` rules of `harmonization.conf`, written out by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    None,
    /// `^[ -~]+$`
    PrintableAscii,
    /// `^[a-zA-Z0-9]{2}$`
    CountryCode,
    /// `^(critical|high|medium|low|info|undefined)$`
    Severity,
    /// the IANA protocol-name list, case-insensitive
    Transport,
    /// `^[A-F0-9./]+$`
    EventHash,
    /// lower-case UUID
    Uuid,
    /// `^.*[^\.]$`: no trailing dot
    NoTrailingDot,
}

macro_rules! fields {
    ($($variant:ident = $name:literal : $kind:ident $(, len $len:literal)? $(, pat $pat:ident)?;)*) => {
        /// One harmonised IntelMQ event field (everything but `extra.*` and `raw`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field {
            $($variant,)*
        }

        impl Field {
            /// Every field, in the order events are written out.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The IntelMQ key, e.g. `source.ip`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }

            /// The field with this IntelMQ key.
            pub fn from_name(name: &str) -> Option<Field> {
                match name {
                    $($name => Some(Field::$variant),)*
                    _ => None,
                }
            }

            pub fn kind(self) -> Kind {
                match self {
                    $(Field::$variant => Kind::$kind,)*
                }
            }

            /// Maximum length in characters, where IntelMQ sets one.
            pub fn max_len(self) -> Option<usize> {
                match self {
                    $($(Field::$variant => Some($len),)?)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            pub fn pattern(self) -> Pattern {
                match self {
                    $($(Field::$variant => Pattern::$pat,)?)*
                    #[allow(unreachable_patterns)]
                    _ => Pattern::None,
                }
            }
        }
    };
}

fields! {
    FeedName = "feed.name": String;
    FeedProvider = "feed.provider": String;
    FeedAccuracy = "feed.accuracy": Accuracy;
    FeedCode = "feed.code": String, len 100;
    FeedDocumentation = "feed.documentation": String;
    FeedUrl = "feed.url": Url;
    TimeSource = "time.source": DateTime;
    TimeObservation = "time.observation": DateTime;
    ClassificationTaxonomy = "classification.taxonomy": Taxonomy, len 100;
    ClassificationType = "classification.type": ClassificationType;
    ClassificationIdentifier = "classification.identifier": String;
    SourceIp = "source.ip": IpAddress;
    SourcePort = "source.port": Integer, len 5;
    SourceAsn = "source.asn": Asn;
    SourceAsName = "source.as_name": String;
    SourceNetwork = "source.network": IpNetwork;
    SourceFqdn = "source.fqdn": Fqdn, pat NoTrailingDot;
    SourceReverseDns = "source.reverse_dns": Fqdn, pat NoTrailingDot;
    SourceDomainSuffix = "source.domain_suffix": Fqdn;
    SourceUrl = "source.url": Url;
    SourceUrlpath = "source.urlpath": String;
    SourceAccount = "source.account": String;
    SourceAbuseContact = "source.abuse_contact": LowercaseString;
    SourceAllocated = "source.allocated": DateTime;
    SourceRegistry = "source.registry": Registry, len 7;
    SourceLocalIp = "source.local_ip": IpAddress;
    SourceLocalHostname = "source.local_hostname": String;
    SourceTorNode = "source.tor_node": Boolean;
    SourceGeolocationCc = "source.geolocation.cc": UppercaseString, len 2, pat CountryCode;
    SourceGeolocationCity = "source.geolocation.city": String;
    SourceGeolocationCountry = "source.geolocation.country": String;
    SourceGeolocationCymruCc = "source.geolocation.cymru_cc": UppercaseString, len 2, pat CountryCode;
    SourceGeolocationGeoipCc = "source.geolocation.geoip_cc": UppercaseString, len 2, pat CountryCode;
    SourceGeolocationLatitude = "source.geolocation.latitude": Float;
    SourceGeolocationLongitude = "source.geolocation.longitude": Float;
    SourceGeolocationRegion = "source.geolocation.region": String;
    SourceGeolocationState = "source.geolocation.state": String;
    DestinationIp = "destination.ip": IpAddress;
    DestinationPort = "destination.port": Integer;
    DestinationAsn = "destination.asn": Asn;
    DestinationAsName = "destination.as_name": String;
    DestinationNetwork = "destination.network": IpNetwork;
    DestinationFqdn = "destination.fqdn": Fqdn, pat NoTrailingDot;
    DestinationReverseDns = "destination.reverse_dns": Fqdn, pat NoTrailingDot;
    DestinationDomainSuffix = "destination.domain_suffix": Fqdn;
    DestinationUrl = "destination.url": Url;
    DestinationUrlpath = "destination.urlpath": String;
    DestinationAccount = "destination.account": String;
    DestinationAbuseContact = "destination.abuse_contact": LowercaseString;
    DestinationAllocated = "destination.allocated": DateTime;
    DestinationRegistry = "destination.registry": Registry, len 7;
    DestinationLocalIp = "destination.local_ip": IpAddress;
    DestinationLocalHostname = "destination.local_hostname": String;
    DestinationTorNode = "destination.tor_node": Boolean;
    DestinationGeolocationCc = "destination.geolocation.cc": UppercaseString, len 2, pat CountryCode;
    DestinationGeolocationCity = "destination.geolocation.city": String;
    DestinationGeolocationCountry = "destination.geolocation.country": String;
    DestinationGeolocationLatitude = "destination.geolocation.latitude": Float;
    DestinationGeolocationLongitude = "destination.geolocation.longitude": Float;
    DestinationGeolocationRegion = "destination.geolocation.region": String;
    DestinationGeolocationState = "destination.geolocation.state": String;
    ProtocolTransport = "protocol.transport": LowercaseString, len 11, pat Transport;
    ProtocolApplication = "protocol.application": LowercaseString, len 100, pat PrintableAscii;
    Severity = "severity": LowercaseString, len 10, pat Severity;
    MalwareName = "malware.name": LowercaseString, pat PrintableAscii;
    MalwareVersion = "malware.version": String, pat PrintableAscii;
    MalwareHashMd5 = "malware.hash.md5": String, len 200, pat PrintableAscii;
    MalwareHashSha1 = "malware.hash.sha1": String, len 200, pat PrintableAscii;
    MalwareHashSha256 = "malware.hash.sha256": String, len 200, pat PrintableAscii;
    ProductName = "product.name": LowercaseString;
    ProductVendor = "product.vendor": LowercaseString;
    ProductVersion = "product.version": LowercaseString;
    ProductFullName = "product.full_name": String;
    ProductVulnerabilities = "product.vulnerabilities": LowercaseString;
    EventDescriptionText = "event_description.text": String;
    EventDescriptionTarget = "event_description.target": String;
    EventDescriptionUrl = "event_description.url": Url;
    MispEventUuid = "misp.event_uuid": LowercaseString, len 36, pat Uuid;
    MispAttributeUuid = "misp.attribute_uuid": LowercaseString, len 36, pat Uuid;
    Status = "status": String;
    Comment = "comment": String;
    Constituency = "constituency": String;
    EventHash = "event_hash": UppercaseString, len 40, pat EventHash;
    Output = "output": Json;
    RtirId = "rtir_id": Integer;
    ScreenshotUrl = "screenshot_url": Url;
    Tlp = "tlp": Tlp;
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Transport protocol names IntelMQ accepts in `protocol.transport` (its `iregex`).
pub(crate) const TRANSPORTS: &[&str] = &[
    "ip",
    "icmp",
    "igmp",
    "ggp",
    "ipencap",
    "st2",
    "tcp",
    "cbt",
    "egp",
    "igp",
    "bbn-rcc",
    "nvp",
    "nvp-ii",
    "pup",
    "argus",
    "emcon",
    "xnet",
    "chaos",
    "udp",
    "mux",
    "dcn",
    "hmp",
    "prm",
    "xns-idp",
    "trunk-1",
    "trunk-2",
    "leaf-1",
    "leaf-2",
    "rdp",
    "irtp",
    "iso-tp4",
    "netblt",
    "mfe-nsp",
    "merit-inp",
    "sep",
    "3pc",
    "idpr",
    "xtp",
    "ddp",
    "idpr-cmtp",
    "tp++",
    "il",
    "ipv6",
    "sdrp",
    "ipv6-route",
    "ipv6-frag",
    "idrp",
    "rsvp",
    "gre",
    "mhrp",
    "bna",
    "esp",
    "ah",
    "i-nlsp",
    "swipe",
    "narp",
    "mobile",
    "tlsp",
    "skip",
    "ipv6-icmp",
    "ipv6-nonxt",
    "ipv6-opts",
    "cftp",
    "sat-expak",
    "kryptolan",
    "rvd",
    "ippc",
    "sat-mon",
    "visa",
    "ipcv",
    "cpnx",
    "cphb",
    "wsn",
    "pvp",
    "br-sat-mon",
    "sun-nd",
    "wb-mon",
    "wb-expak",
    "iso-ip",
    "vmtp",
    "secure-vmtp",
    "vines",
    "ttp",
    "nsfnet-igp",
    "dgp",
    "tcf",
    "eigrp",
    "ospf",
    "sprite-rpc",
    "larp",
    "mtp",
    "ax.25",
    "ipip",
    "micp",
    "scc-sp",
    "etherip",
    "encap",
    "gmtp",
    "ifmp",
    "pnni",
    "pim",
    "aris",
    "scps",
    "qnx",
    "a/n",
    "ipcomp",
    "snp",
    "compaq-peer",
    "ipx-in-ip",
    "vrrp",
    "pgm",
    "l2tp",
    "ddx",
    "iatp",
    "st",
    "srp",
    "uti",
    "smp",
    "sm",
    "ptp",
    "isis",
    "fire",
    "crtp",
    "crdup",
    "sscopmce",
    "iplt",
    "sps",
    "pipe",
    "sctp",
    "fc",
    "divert",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(*f));
            assert!(seen.insert(f.name()));
        }
        // 89 harmonised fields minus `extra` and `raw`.
        assert_eq!(Field::ALL.len(), 87);
        assert_eq!(Field::SourcePort.max_len(), Some(5));
        assert_eq!(Field::DestinationPort.max_len(), None);
        assert_eq!(Field::Severity.pattern(), Pattern::Severity);
    }
}
