//! Small text helpers shared by the parsers: name normalisation for alias matching and
//! trimming of optional strings.

/// Normalises a vendor or product name for alias comparison: lower case, every run of
/// characters that is not a letter or digit becomes one space, trimmed. Advisories write
/// "Palo Alto Networks", "palo-alto networks" and "Palo Alto Networks, Inc." differently;
/// the first two compare equal after this, the third needs a curated alias (on purpose:
/// no fuzzy matching, see the design notes in the reference).
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// `Some(trimmed)` when the string has content.
pub fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Like [`non_empty`] for an optional input.
pub fn non_empty_opt(s: Option<&str>) -> Option<String> {
    s.and_then(non_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_case_and_punctuation() {
        assert_eq!(normalise_name("Palo Alto Networks"), "palo alto networks");
        assert_eq!(
            normalise_name("  palo-alto  NETWORKS "),
            "palo alto networks"
        );
        assert_eq!(
            normalise_name("NetScaler ADC/Gateway"),
            "netscaler adc gateway"
        );
        assert_eq!(normalise_name("Backup & Replication"), "backup replication");
        assert_eq!(normalise_name("---"), "");
    }
}
