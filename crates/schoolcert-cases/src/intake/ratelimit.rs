//! Rate limiting of public forms per client address: a sliding window over the attempts the
//! app stored, decided without state of its own.

use std::net::IpAddr;

use chrono::Duration;
use serde::Serialize;

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{Lang, Timestamp};

/// At most `max` attempts per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: usize,
    pub window: Duration,
}

impl RateLimit {
    /// The CVD form: five reports an hour from one address is plenty for a person.
    pub fn cvd_form() -> Self {
        RateLimit {
            max: 5,
            window: Duration::hours(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum RateDecision {
    Allow,
    Deny { retry_after_seconds: i64 },
}

impl Localized for RateDecision {
    fn message(&self, lang: Lang) -> String {
        match self {
            RateDecision::Allow => String::new(),
            RateDecision::Deny {
                retry_after_seconds,
            } => {
                let minutes = (retry_after_seconds + 59) / 60;
                match lang {
                    Lang::Nl => format!(
                        "Er zijn vanaf dit adres te veel meldingen verstuurd. Probeer het over \
                         {minutes} minuten opnieuw."
                    ),
                    Lang::En => format!(
                        "Too many reports were sent from this address. Try again in {minutes} \
                         minutes."
                    ),
                }
            }
        }
    }
}

/// The key attempts are counted under. One IPv6 host usually controls a whole /64, so IPv6
/// addresses count per /64; IPv4-mapped addresses count as IPv4.
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = a.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Whether one more attempt is allowed at `now`, given earlier attempts under the same key
/// (older ones are ignored, so the app may pass whatever it kept).
pub fn decide(previous: &[Timestamp], now: Timestamp, limit: RateLimit) -> RateDecision {
    let since = now - limit.window;
    let mut recent: Vec<Timestamp> = previous
        .iter()
        .copied()
        .filter(|t| *t > since && *t <= now)
        .collect();
    if recent.len() < limit.max {
        return RateDecision::Allow;
    }
    recent.sort();
    // The window opens again when the oldest attempt that still counts falls out of it.
    let idx = recent.len() - limit.max;
    let free_at = recent[idx] + limit.window;
    RateDecision::Deny {
        retry_after_seconds: (free_at - now).num_seconds().max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn allows_up_to_the_limit_then_says_when() {
        let now = parse_rfc3339("2026-05-01T12:00:00Z").unwrap();
        let limit = RateLimit {
            max: 2,
            window: Duration::hours(1),
        };
        let old = now - Duration::hours(2);
        assert_eq!(decide(&[old, old, old], now, limit), RateDecision::Allow);
        let a = now - Duration::minutes(50);
        let b = now - Duration::minutes(10);
        assert_eq!(decide(&[a], now, limit), RateDecision::Allow);
        let d = decide(&[b, a], now, limit);
        assert_eq!(
            d,
            RateDecision::Deny {
                retry_after_seconds: 600
            }
        );
        assert!(d.message(Lang::Nl).contains("10 minuten"));
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_v4_as_v4() {
        assert_eq!(
            client_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_key("2001:db8:1:2:bbbb::9".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    }
}
