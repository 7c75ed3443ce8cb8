//! Time as a parameter: the `Clock` trait, the real clock, a controllable clock for tests, and
//! how instants are shown to people (Europe/Amsterdam) while stored in UTC.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

use crate::Lang;

/// An instant in UTC, truncated to microseconds so it survives a round trip through both
/// databases (PostgreSQL keeps microseconds, SQLite would keep nanoseconds).
pub type Timestamp = DateTime<Utc>;

/// Where the current time comes from. The core never reads the system clock itself.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the real clock
    fn now(&self) -> Timestamp {
        truncate(Utc::now())
    }
}

/// A clock that stands still until told to move; tests run deadlines with it.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn at(t: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(t.timestamp_micros())))
    }
    pub fn set(&self, t: Timestamp) {
        self.0.store(t.timestamp_micros(), Ordering::SeqCst);
    }
    pub fn advance(&self, d: chrono::Duration) {
        let micros = d.num_microseconds().unwrap_or(i64::MAX);
        self.0.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Utc.timestamp_micros(self.0.load(Ordering::SeqCst))
            .single()
            .unwrap_or_default()
    }
}

/// Drops sub-microsecond precision.
pub fn truncate(t: Timestamp) -> Timestamp {
    Utc.timestamp_micros(t.timestamp_micros())
        .single()
        .unwrap_or(t)
}

/// Parses an RFC 3339 instant (any offset) into UTC.
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| truncate(t.with_timezone(&Utc)))
}

/// Formats an instant for people: Europe/Amsterdam, day first in Dutch.
pub fn format_local(t: Timestamp, lang: Lang) -> String {
    let local = t.with_timezone(&Amsterdam);
    match lang {
        Lang::Nl => local.format("%d-%m-%Y %H:%M").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M %Z").to_string(),
    }
}

/// Formats a date (no time of day) for people, in Europe/Amsterdam.
pub fn format_local_date(t: Timestamp, lang: Lang) -> String {
    let local = t.with_timezone(&Amsterdam);
    match lang {
        Lang::Nl => local.format("%d-%m-%Y").to_string(),
        Lang::En => local.format("%Y-%m-%d").to_string(),
    }
}

/// Formats an instant for machines: RFC 3339 in UTC with a `Z`.
pub fn format_utc(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = parse_rfc3339("2026-11-20T08:00:00Z").unwrap();
        let clock = ManualClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(chrono::Duration::hours(72));
        assert_eq!(format_utc(clock.now()), "2026-11-23T08:00:00Z");
    }

    #[test]
    fn local_display_follows_amsterdam_summer_and_winter_time() {
        let winter = parse_rfc3339("2026-01-15T12:00:00Z").unwrap();
        let summer = parse_rfc3339("2026-07-15T12:00:00Z").unwrap();
        assert_eq!(format_local(winter, Lang::Nl), "15-01-2026 13:00");
        assert_eq!(format_local(summer, Lang::Nl), "15-07-2026 14:00");
    }

    #[test]
    fn truncation_keeps_microseconds_only() {
        let t = Utc.timestamp_nanos(1_700_000_000_123_456_789);
        assert_eq!(truncate(t).timestamp_subsec_nanos(), 123_456_000);
    }
}
