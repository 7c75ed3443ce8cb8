//! End-of-life data of a catalogue product: a date for the whole product and/or per release
//! branch (`6.4` of FortiOS, `13.0` of NetScaler), for end-of-life notices.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// When one release branch stops receiving security fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchEnd {
    /// The leading version parts that identify the branch, e.g. `7.0`.
    pub branch: String,
    pub end_of_life: NaiveDate,
}

/// Support lifecycle of a product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lifecycle {
    /// The whole product is no longer supported from this date.
    pub end_of_life: Option<NaiveDate>,
    pub branches: Vec<BranchEnd>,
    /// Where the facts come from, or what replaces the product.
    pub note: Option<String>,
}

impl Lifecycle {
    /// Whether `version` (if known) of the product is past its end of life on `today`.
    /// A version belongs to a branch when the branch's parts are its leading parts
    /// (`7.0.17` is in `7.0`, `7.01` is not).
    pub fn is_end_of_life(&self, version: Option<&str>, today: NaiveDate) -> bool {
        if self.end_of_life.is_some_and(|d| d <= today) {
            return true;
        }
        let Some(v) = version else {
            return false;
        };
        let v = v.trim().trim_start_matches(['v', 'V']);
        self.branches.iter().any(|b| {
            b.end_of_life <= today && {
                let branch = b.branch.trim();
                v == branch
                    || v.strip_prefix(branch)
                        .is_some_and(|rest| rest.starts_with(['.', '-', 'R', 'r', ' ']))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn product_and_branch_ends() {
        let l = Lifecycle {
            end_of_life: None,
            branches: vec![BranchEnd {
                branch: "13.0".into(),
                end_of_life: d("2023-12-15"),
            }],
            note: None,
        };
        assert!(l.is_end_of_life(Some("13.0-92.21"), d("2024-01-01")));
        assert!(!l.is_end_of_life(Some("13.0-92.21"), d("2023-12-14")));
        assert!(!l.is_end_of_life(Some("13.1-49.13"), d("2024-01-01")));
        assert!(!l.is_end_of_life(Some("13.01"), d("2024-01-01")));
        assert!(!l.is_end_of_life(None, d("2024-01-01")));
        let whole = Lifecycle {
            end_of_life: Some(d("2021-12-31")),
            ..Lifecycle::default()
        };
        assert!(whole.is_end_of_life(None, d("2022-01-01")));
    }
}
