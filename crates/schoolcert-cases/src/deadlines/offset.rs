//! Durations as rule files write them (`{ hours = 72 }`, `{ months = 1 }`): calendar months and
//! days count in Dutch local time, hours and minutes are exact.

use chrono::{Days, Duration, Months, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use schoolcert_domain::{Lang, Timestamp};

/// A span of time. "One month after notification" is a calendar month (31 January + 1 month is
/// the last day of February), so months and days cannot be plain durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offset {
    #[serde(default)]
    pub months: u32,
    #[serde(default)]
    pub days: u32,
    #[serde(default)]
    pub hours: u32,
    #[serde(default)]
    pub minutes: u32,
}

impl Offset {
    pub fn hours(h: u32) -> Self {
        Offset {
            hours: h,
            ..Offset::default()
        }
    }

    pub fn days(d: u32) -> Self {
        Offset {
            days: d,
            ..Offset::default()
        }
    }

    pub fn months(m: u32) -> Self {
        Offset {
            months: m,
            ..Offset::default()
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Offset::default()
    }

    fn exact(&self) -> Duration {
        Duration::hours(i64::from(self.hours)) + Duration::minutes(i64::from(self.minutes))
    }

    /// `t` moved forward by this offset; `None` only beyond the calendar's range.
    pub fn after(&self, t: Timestamp) -> Option<Timestamp> {
        let local = t.with_timezone(&Amsterdam).naive_local();
        let shifted = local
            .checked_add_months(Months::new(self.months))?
            .checked_add_days(Days::new(u64::from(self.days)))?;
        from_local(shifted, t)?.checked_add_signed(self.exact())
    }

    /// `t` moved back by this offset (for "remind 24 hours before").
    pub fn before(&self, t: Timestamp) -> Option<Timestamp> {
        let t = t.checked_sub_signed(self.exact())?;
        let local = t.with_timezone(&Amsterdam).naive_local();
        let shifted = local
            .checked_sub_months(Months::new(self.months))?
            .checked_sub_days(Days::new(u64::from(self.days)))?;
        from_local(shifted, t)
    }

    /// "72 uur", "1 maand", "7 dagen en 12 uur".
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        let unit = |n: u32, nl1: &str, nln: &str, en1: &str, enn: &str| {
            let word = match (lang, n == 1) {
                (Lang::Nl, true) => nl1,
                (Lang::Nl, false) => nln,
                (Lang::En, true) => en1,
                (Lang::En, false) => enn,
            };
            format!("{n} {word}")
        };
        if self.months > 0 {
            parts.push(unit(self.months, "maand", "maanden", "month", "months"));
        }
        if self.days > 0 {
            parts.push(unit(self.days, "dag", "dagen", "day", "days"));
        }
        if self.hours > 0 {
            parts.push(unit(self.hours, "uur", "uur", "hour", "hours"));
        }
        if self.minutes > 0 {
            parts.push(unit(self.minutes, "minuut", "minuten", "minute", "minutes"));
        }
        match parts.len() {
            0 => lang.pick("direct", "immediately").to_owned(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} {} {last}", parts.join(", "), lang.pick("en", "and"))
            }
        }
    }
}

/// Back from Dutch wall-clock time to UTC. In the autumn hour that happens twice the earlier
/// instant wins (a deadline never moves later by accident); in the spring gap the wall-clock
/// time does not exist, so the instant an hour later is used.
fn from_local(local: NaiveDateTime, fallback: Timestamp) -> Option<Timestamp> {
    let resolved = Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Amsterdam
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc));
    resolved.or(Some(fallback))
}

/// Shows a signed number of seconds left as people read it: "nog 2 d 3 u", "5 u 10 min te laat".
pub fn format_remaining(seconds: i64, lang: Lang) -> String {
    let late = seconds < 0;
    let total_min = seconds.unsigned_abs() / 60;
    let (d, h, m) = (total_min / 1440, (total_min % 1440) / 60, total_min % 60);
    let span = if d > 0 {
        match lang {
            Lang::Nl => format!("{d} d {h} u"),
            Lang::En => format!("{d} d {h} h"),
        }
    } else if h > 0 {
        match lang {
            Lang::Nl => format!("{h} u {m} min"),
            Lang::En => format!("{h} h {m} min"),
        }
    } else {
        format!("{m} min")
    };
    match (lang, late) {
        (Lang::Nl, false) => format!("nog {span}"),
        (Lang::Nl, true) => format!("{span} te laat"),
        (Lang::En, false) => format!("{span} left"),
        (Lang::En, true) => format!("{span} overdue"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::{format_utc, parse_rfc3339};

    fn t(s: &str) -> Timestamp {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn hours_are_exact_even_across_the_clock_change() {
        // The night of 29 March 2026 has 23 hours in Amsterdam; 72 hours stay 72 hours.
        let start = t("2026-03-28T10:00:00Z");
        assert_eq!(
            format_utc(Offset::hours(72).after(start).unwrap()),
            "2026-03-31T10:00:00Z"
        );
    }

    #[test]
    fn a_month_is_a_calendar_month_in_dutch_time() {
        assert_eq!(
            format_utc(Offset::months(1).after(t("2026-01-31T09:00:00Z")).unwrap()),
            "2026-02-28T09:00:00Z"
        );
        // 10:00 local in March (UTC+1) is 10:00 local in April (UTC+2).
        assert_eq!(
            format_utc(Offset::months(1).after(t("2026-03-15T09:00:00Z")).unwrap()),
            "2026-04-15T08:00:00Z"
        );
    }

    #[test]
    fn before_inverts_after_for_plain_hours() {
        let due = t("2026-05-01T12:00:00Z");
        assert_eq!(
            format_utc(Offset::hours(24).before(due).unwrap()),
            "2026-04-30T12:00:00Z"
        );
        assert_eq!(
            format_utc(Offset::days(7).before(due).unwrap()),
            "2026-04-24T12:00:00Z"
        );
    }

    #[test]
    fn descriptions_and_remaining_time_read_naturally() {
        assert_eq!(Offset::hours(72).describe(Lang::Nl), "72 uur");
        let o = Offset {
            days: 7,
            hours: 12,
            ..Offset::default()
        };
        assert_eq!(o.describe(Lang::Nl), "7 dagen en 12 uur");
        assert_eq!(
            format_remaining(2 * 86_400 + 3 * 3600 + 59, Lang::Nl),
            "nog 2 d 3 u"
        );
        assert_eq!(
            format_remaining(-(5 * 3600 + 600), Lang::Nl),
            "5 u 10 min te laat"
        );
        assert_eq!(
            format_remaining(-(5 * 3600 + 600), Lang::En),
            "5 h 10 min overdue"
        );
    }
}
