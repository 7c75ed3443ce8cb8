//! Security event feeds: ingested files, deduplicated events (written in batches), the digest
//! notices and exactly which events each carried, per-board preferences, the Shadowserver pull
//! log. Event lists take a `Scope`; unmatched events (no board) are only visible to `Scope::All`.

pub mod events;
pub mod files;
pub mod notices;
pub mod preferences;
pub mod pulls;

use std::net::IpAddr;

/// The 16-byte key of an address (IPv4 mapped into IPv6), comparable with the assets' range
/// keys in both databases.
pub fn ip_key(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
        IpAddr::V6(a) => a.octets(),
    }
}
