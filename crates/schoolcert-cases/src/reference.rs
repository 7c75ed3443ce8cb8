//! Human case numbers (`INC-2026-0042`, `CVD-2026-0007`): formatting, parsing, the subject tag
//! `[INC-2026-0042]` that routes e-mail replies, and which year a new case is numbered in.

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use schoolcert_domain::{Lang, Timestamp};

/// The two kinds of case the CERT works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Incident,
    Cvd,
}

impl CaseKind {
    pub const ALL: [CaseKind; 2] = [CaseKind::Incident, CaseKind::Cvd];

    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Incident => "incident",
            CaseKind::Cvd => "cvd",
        }
    }

    /// The prefix of the human case number.
    pub fn prefix(self) -> &'static str {
        match self {
            CaseKind::Incident => "INC",
            CaseKind::Cvd => "CVD",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            CaseKind::Incident => lang.pick("Incident", "Incident"),
            CaseKind::Cvd => lang.pick("Kwetsbaarheidsmelding (CVD)", "Vulnerability report (CVD)"),
        }
    }
}

/// A human case number: kind, year, and a sequence number per kind and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseRef {
    pub kind: CaseKind,
    pub year: i32,
    pub seq: u32,
}

impl CaseRef {
    pub fn new(kind: CaseKind, year: i32, seq: u32) -> Self {
        CaseRef { kind, year, seq }
    }

    /// The number for a case opened at `now`, given the highest sequence number the store has
    /// for this kind in that year (`None` when it is the first). Numbers restart each year,
    /// counted in Dutch time so a case opened at 00:30 on 1 January is in the new year.
    pub fn next(kind: CaseKind, now: Timestamp, last_seq_this_year: Option<u32>) -> Self {
        CaseRef {
            kind,
            year: year_of(now),
            seq: last_seq_this_year.map_or(1, |s| s.saturating_add(1)),
        }
    }

    /// `[INC-2026-0042]`, put in e-mail subjects so replies find their case.
    pub fn subject_tag(&self) -> String {
        format!("[{self}]")
    }

    /// Finds the first `[INC-…]` or `[CVD-…]` tag in a subject line.
    pub fn find_in_subject(subject: &str) -> Option<CaseRef> {
        let mut rest = subject;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let close = after.find(']')?;
            if let Ok(r) = after[..close].parse() {
                return Some(r);
            }
            rest = &after[close..];
        }
        None
    }
}

/// The calendar year of an instant in Europe/Amsterdam.
pub fn year_of(t: Timestamp) -> i32 {
    t.with_timezone(&Amsterdam).year()
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.kind.prefix(), self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a case number like INC-2026-0042 or CVD-2026-0007")]
pub struct BadCaseRef(pub String);

impl FromStr for CaseRef {
    type Err = BadCaseRef;

    /// Accepts any letter case and surrounding spaces; the sequence needs at least one digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadCaseRef(s.to_owned());
        let t = s.trim().to_ascii_uppercase();
        let mut parts = t.split('-');
        let (Some(prefix), Some(year), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let kind = CaseKind::ALL
            .into_iter()
            .find(|k| k.prefix() == prefix)
            .ok_or_else(bad)?;
        let digits = |x: &str, max: usize| {
            !x.is_empty() && x.len() <= max && x.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(year, 4) || year.len() != 4 || !digits(seq, 9) {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(CaseRef { kind, year, seq })
    }
}

impl TryFrom<String> for CaseRef {
    type Error = BadCaseRef;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CaseRef> for String {
    fn from(r: CaseRef) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn formats_and_parses_case_numbers() {
        let r = CaseRef::new(CaseKind::Incident, 2026, 42);
        assert_eq!(r.to_string(), "INC-2026-0042");
        assert_eq!("inc-2026-0042".parse(), Ok(r));
        assert_eq!(
            CaseRef::new(CaseKind::Cvd, 2026, 12345).to_string(),
            "CVD-2026-12345"
        );
        for bad in [
            "INC-2026",
            "INC-26-0001",
            "XYZ-2026-0001",
            "INC-2026-0000",
            "INC-2026-00a1",
        ] {
            assert!(bad.parse::<CaseRef>().is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_the_tag_in_a_reply_subject() {
        let s = "RE: [extern] Antw: [INC-2026-0042] Ransomware bij OBS De Klimop";
        assert_eq!(
            CaseRef::find_in_subject(s),
            Some(CaseRef::new(CaseKind::Incident, 2026, 42))
        );
        assert_eq!(CaseRef::find_in_subject("geen tag [ of wel"), None);
        assert_eq!(CaseRef::find_in_subject("Re: vraag"), None);
    }

    #[test]
    fn numbers_restart_in_the_dutch_new_year() {
        // 23:30 UTC on 31 December is already 1 January in Amsterdam.
        let t = parse_rfc3339("2025-12-31T23:30:00Z").unwrap();
        let r = CaseRef::next(CaseKind::Cvd, t, None);
        assert_eq!(r.to_string(), "CVD-2026-0001");
        assert_eq!(CaseRef::next(CaseKind::Cvd, t, Some(6)).seq, 7);
    }
}
