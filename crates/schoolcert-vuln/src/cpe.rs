//! CPE names (2.3 formatted strings and 2.2 URIs, parsed with `cpe-rs-fork`) and the NISTIR
//! 7696 attribute relations used to decide whether an advisory's CPE names a catalogue
//! product.

use std::fmt;

use cpe_rs_fork::component::Component;
use cpe_rs_fork::cpe::CpeType;
use cpe_rs_fork::fsb::Fsb;
use cpe_rs_fork::uri::Uri;
use serde::{Deserialize, Serialize};

/// One attribute value of a CPE name, lower-cased and with escapes removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Attr {
    /// `*`: any value.
    Any,
    /// `-`: not applicable.
    Na,
    Value(String),
    /// A value with an unescaped `*` or `?` at its start or end.
    Pattern(String),
}

impl Attr {
    /// Reads a raw formatted-string value: `*`, `-`, a value or a pattern.
    pub fn parse(raw: &str) -> Attr {
        match raw {
            "" | "*" | "ANY" => Attr::Any,
            "-" | "NA" => Attr::Na,
            _ => {
                let (value, wildcard) = unescape(raw);
                if wildcard {
                    Attr::Pattern(value)
                } else {
                    Attr::Value(value)
                }
            }
        }
    }

    fn from_component(c: &Component<'_>) -> Attr {
        match c {
            Component::Any => Attr::Any,
            Component::NotApplicable => Attr::Na,
            Component::Value(v) => Attr::parse(v),
        }
    }

    pub fn as_value(&self) -> Option<&str> {
        match self {
            Attr::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Attr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attr::Any => f.write_str("*"),
            Attr::Na => f.write_str("-"),
            Attr::Value(v) | Attr::Pattern(v) => f.write_str(v),
        }
    }
}

/// Lower-cases, drops backslash escapes, and reports whether an unescaped wildcard (`*`,
/// `?`) sits at the start or the end: NISTIR 7695 allows them only there.
fn unescape(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut wildcard = false;
    let mut chars = raw.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let last = chars.peek().is_none();
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.extend(n.to_lowercase());
                }
            }
            '*' | '?' if first || last => {
                wildcard = true;
                out.push(c);
            }
            _ => out.extend(c.to_lowercase()),
        }
        first = false;
    }
    (out, wildcard)
}

/// The relation of a source (advisory) attribute to a target (inventory) attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Superset,
    Subset,
    Equal,
    Disjoint,
}

/// NISTIR 7696 table 6-2. Patterns on the target side (a catalogue prefix such as
/// `windows_1*`) are an extension: a source value inside the target pattern is a SUBSET.
pub fn attr_relation(source: &Attr, target: &Attr) -> Relation {
    use Attr::*;
    match (source, target) {
        (Any, Any) => Relation::Equal,
        (Any, _) => Relation::Superset,
        (Na, Any) => Relation::Subset,
        (Na, Na) => Relation::Equal,
        (Na, _) => Relation::Disjoint,
        (Value(_), Any) => Relation::Subset,
        (Value(_), Na) => Relation::Disjoint,
        (Value(s), Value(t)) if s == t => Relation::Equal,
        (Value(_), Value(_)) => Relation::Disjoint,
        (Value(s), Pattern(p)) if pattern_matches(p, s) => Relation::Subset,
        (Value(_), Pattern(_)) => Relation::Disjoint,
        (Pattern(_), Any) => Relation::Subset,
        (Pattern(_), Na) => Relation::Disjoint,
        (Pattern(p), Value(t)) if pattern_matches(p, t) => Relation::Superset,
        (Pattern(_), Value(_)) => Relation::Disjoint,
        (Pattern(s), Pattern(t)) if s == t => Relation::Equal,
        // Two patterns: undecidable in general; treat as unrelated rather than guess.
        (Pattern(_), Pattern(_)) => Relation::Disjoint,
    }
}

/// Matches a value against a pattern with `*` (any run) and `?` (one character) at its ends.
pub fn pattern_matches(pattern: &str, value: &str) -> bool {
    let lead_star = pattern.starts_with('*');
    let trail_star = pattern.len() > 1 && pattern.ends_with('*');
    let core = pattern.trim_start_matches('*').trim_end_matches('*');
    let lead_q = core.chars().take_while(|c| *c == '?').count();
    let trail_q = core.chars().rev().take_while(|c| *c == '?').count();
    if lead_q + trail_q > core.chars().count() {
        // Only question marks: match by length.
        let n = value.chars().count();
        return if lead_star || trail_star {
            n >= lead_q
        } else {
            n == lead_q
        };
    }
    let inner: String = core
        .chars()
        .skip(lead_q)
        .take(core.chars().count() - lead_q - trail_q)
        .collect();
    let chars: Vec<char> = value.chars().collect();
    let inner_len = inner.chars().count();
    // Try every placement of `inner` allowed by the wildcards.
    for start in 0..=chars.len() {
        if start < lead_q || (!lead_star && start != lead_q) {
            continue;
        }
        let end = start + inner_len;
        if end + trail_q > chars.len() {
            break;
        }
        let slice: String = chars[start..end].iter().collect();
        if slice != inner {
            continue;
        }
        let rest = chars.len() - end;
        if rest == trail_q || (trail_star && rest >= trail_q) {
            return true;
        }
    }
    false
}

/// A parsed CPE name: the eleven attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CpeName {
    pub part: Attr,
    pub vendor: Attr,
    pub product: Attr,
    pub version: Attr,
    pub update: Attr,
    pub edition: Attr,
    pub language: Attr,
    pub sw_edition: Attr,
    pub target_sw: Attr,
    pub target_hw: Attr,
    pub other: Attr,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a CPE name: {reason}")]
pub struct BadCpe {
    pub value: String,
    pub reason: String,
}

impl CpeName {
    /// Parses a CPE 2.3 formatted string (`cpe:2.3:o:fortinet:fortios:7.2.10:*:*:*:*:*:*:*`)
    /// or a CPE 2.2 URI (`cpe:/a:vendor:product:1.0`).
    pub fn parse(raw: &str) -> Result<CpeName, BadCpe> {
        let t = raw.trim();
        let bad = |reason: String| BadCpe {
            value: t.to_owned(),
            reason,
        };
        if t.starts_with("cpe:2.3:") {
            let fsb = Fsb::parse(t).map_err(|e| bad(e.to_string()))?;
            Ok(Self::from_cpe(&fsb))
        } else if t.starts_with("cpe:/") {
            let uri = Uri::parse(t).map_err(|e| bad(e.to_string()))?;
            Ok(Self::from_cpe(&uri))
        } else {
            Err(bad("expected 'cpe:2.3:' or 'cpe:/'".into()))
        }
    }

    fn from_cpe(c: &impl cpe_rs_fork::cpe::Cpe) -> CpeName {
        let part = match c.part() {
            CpeType::Application => Attr::Value("a".into()),
            CpeType::OperatingSystem => Attr::Value("o".into()),
            CpeType::Hardware => Attr::Value("h".into()),
            CpeType::Any | CpeType::Empty => Attr::Any,
        };
        let language = match c.language().to_string().as_str() {
            "ANY" | "*" | "" => Attr::Any,
            other => Attr::Value(other.to_ascii_lowercase()),
        };
        CpeName {
            part,
            vendor: Attr::from_component(&c.vendor()),
            product: Attr::from_component(&c.product()),
            version: Attr::from_component(&c.version()),
            update: Attr::from_component(&c.update()),
            edition: Attr::from_component(&c.edition()),
            language,
            sw_edition: Attr::from_component(&c.sw_edition()),
            target_sw: Attr::from_component(&c.target_sw()),
            target_hw: Attr::from_component(&c.target_hw()),
            other: Attr::from_component(&c.other()),
        }
    }

    /// A name with only part, vendor and product set (everything else ANY): the form a
    /// catalogue identifier takes.
    pub fn prefix(part: Attr, vendor: Attr, product: Attr) -> CpeName {
        CpeName {
            part,
            vendor,
            product,
            version: Attr::Any,
            update: Attr::Any,
            edition: Attr::Any,
            language: Attr::Any,
            sw_edition: Attr::Any,
            target_sw: Attr::Any,
            target_hw: Attr::Any,
            other: Attr::Any,
        }
    }

    fn attrs(&self) -> [&Attr; 11] {
        [
            &self.part,
            &self.vendor,
            &self.product,
            &self.version,
            &self.update,
            &self.edition,
            &self.language,
            &self.sw_edition,
            &self.target_sw,
            &self.target_hw,
            &self.other,
        ]
    }

    /// The relation of every attribute, source = `self` (advisory), target = inventory.
    pub fn relations(&self, target: &CpeName) -> [Relation; 11] {
        let s = self.attrs();
        let t = target.attrs();
        std::array::from_fn(|i| attr_relation(s[i], t[i]))
    }

    /// Whether this advisory CPE names the inventory product `target`, ignoring the version
    /// attribute (versions are compared separately, with the product's scheme). Rules, after
    /// Dependency-Track: no attribute may be DISJOINT; vendor and product must be named (an
    /// advisory CPE with ANY vendor or product is too broad to notify anyone on); and a
    /// vendor SUBSET with a product SUPERSET (or the reverse) is refused.
    pub fn names_product(&self, target: &CpeName) -> bool {
        if matches!(self.vendor, Attr::Any | Attr::Na)
            || matches!(self.product, Attr::Any | Attr::Na)
        {
            return false;
        }
        let r = self.relations(target);
        let (vendor, product) = (r[1], r[2]);
        let mixed = matches!(
            (vendor, product),
            (Relation::Subset, Relation::Superset) | (Relation::Superset, Relation::Subset)
        );
        !mixed
            && r.iter()
                .enumerate()
                .all(|(i, rel)| i == 3 || *rel != Relation::Disjoint)
    }
}

impl fmt::Display for CpeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cpe:2.3")?;
        for a in self.attrs() {
            write!(f, ":{a}")?;
        }
        Ok(())
    }
}

/// A catalogue CPE identifier: `cpe:2.3:<part>:<vendor>:<product>` with optional trailing
/// wildcards in the product (`cpe:2.3:o:microsoft:windows_11*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CpePrefix {
    pub name: CpeName,
}

impl CpePrefix {
    /// Reads `cpe:2.3:o:fortinet:fortios` (more attributes are allowed and kept).
    pub fn parse(raw: &str) -> Result<CpePrefix, BadCpe> {
        let t = raw.trim();
        let bad = |reason: &str| BadCpe {
            value: t.to_owned(),
            reason: reason.into(),
        };
        let rest = t
            .strip_prefix("cpe:2.3:")
            .ok_or_else(|| bad("a catalogue CPE starts with 'cpe:2.3:'"))?;
        let fields = split_unescaped(rest);
        if fields.len() < 3 {
            return Err(bad("needs at least part, vendor and product"));
        }
        if fields.len() > 3 {
            // A full name: let the parser check it.
            return Ok(CpePrefix {
                name: CpeName::parse(t)?,
            });
        }
        let part = Attr::parse(&fields[0]);
        if !matches!(&part, Attr::Any) && !matches!(part.as_value(), Some("a" | "o" | "h")) {
            return Err(bad("part must be a, o, h or *"));
        }
        let vendor = Attr::parse(&fields[1]);
        let product = Attr::parse(&fields[2]);
        if !matches!(vendor, Attr::Value(_)) {
            return Err(bad("the vendor must be a plain value"));
        }
        if matches!(product, Attr::Any | Attr::Na) {
            return Err(bad("the product must be a value or a pattern"));
        }
        Ok(CpePrefix {
            name: CpeName::prefix(part, vendor, product),
        })
    }

    pub fn vendor(&self) -> Option<&str> {
        self.name.vendor.as_value()
    }
}

fn split_unescaped(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            if let Some(last) = out.last_mut() {
                last.push('\\');
                last.push(c);
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ':' {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> CpeName {
        CpeName::parse(s).unwrap()
    }

    #[test]
    fn attribute_relations_follow_the_nistir_table() {
        use Attr::*;
        use Relation::*;
        let v = |s: &str| Value(s.into());
        let p = |s: &str| Pattern(s.into());
        let table = [
            (Any, Any, Equal),
            (Any, Na, Superset),
            (Any, v("x"), Superset),
            (Na, Any, Subset),
            (Na, Na, Equal),
            (Na, v("x"), Disjoint),
            (v("x"), Any, Subset),
            (v("x"), Na, Disjoint),
            (v("x"), v("x"), Equal),
            (v("x"), v("y"), Disjoint),
            (p("fort*"), Any, Subset),
            (p("fort*"), Na, Disjoint),
            (p("fort*"), v("fortios"), Superset),
            (p("fort*"), v("pan-os"), Disjoint),
            (v("windows_11_23h2"), p("windows_11*"), Subset),
        ];
        for (s, t, want) in table {
            assert_eq!(attr_relation(&s, &t), want, "{s} vs {t}");
        }
    }

    #[test]
    fn patterns_match_only_at_the_ends() {
        assert!(pattern_matches("windows_1*", "windows_11_23h2"));
        assert!(pattern_matches("*_firmware", "sma_100_firmware"));
        assert!(pattern_matches("sma_10?", "sma_100"));
        assert!(!pattern_matches("sma_10?", "sma_1000"));
        assert!(pattern_matches("??_100", "ab_100"));
        assert!(pattern_matches("*sma*", "x_sma_y"));
        assert!(!pattern_matches("windows_1*", "windows_server_2019"));
    }

    #[test]
    fn parses_formatted_strings_and_uris() {
        let n = name("cpe:2.3:o:fortinet:fortios:7.2.10:*:*:*:*:*:*:*");
        assert_eq!(n.part, Attr::Value("o".into()));
        assert_eq!(n.vendor, Attr::Value("fortinet".into()));
        assert_eq!(n.version, Attr::Value("7.2.10".into()));
        assert_eq!(n.update, Attr::Any);
        let u = name("cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha");
        assert_eq!(u.product, Attr::Value("cvrf-csaf-converter".into()));
        let e = name(r"cpe:2.3:a:veeam:veeam_backup_\&_replication:12.1:*:*:*:*:*:*:*");
        assert_eq!(e.product, Attr::Value("veeam_backup_&_replication".into()));
        assert!(CpeName::parse("cpe:2.3:o:fortinet").is_err());
        assert!(CpeName::parse("fortinet:fortios").is_err());
    }

    #[test]
    fn advisory_cpes_name_catalogue_products() {
        let fortios = CpePrefix::parse("cpe:2.3:o:fortinet:fortios").unwrap().name;
        assert!(name("cpe:2.3:o:fortinet:fortios:7.2.10:*:*:*:*:*:*:*").names_product(&fortios));
        assert!(name("cpe:2.3:o:FortiNet:FortiOS:-:*:*:*:*:*:*:*").names_product(&fortios));
        assert!(!name("cpe:2.3:a:fortinet:fortios:7.2.10:*:*:*:*:*:*:*").names_product(&fortios));
        assert!(
            !name("cpe:2.3:o:fortinet:fortiproxy:7.2.10:*:*:*:*:*:*:*").names_product(&fortios)
        );
        // Too broad: any vendor.
        assert!(!name("cpe:2.3:o:*:fortios:*:*:*:*:*:*:*:*").names_product(&fortios));
        let windows = CpePrefix::parse("cpe:2.3:o:microsoft:windows_11*")
            .unwrap()
            .name;
        assert!(
            name("cpe:2.3:o:microsoft:windows_11_23h2:10.0.22631.4037:*:*:*:*:*:x64:*")
                .names_product(&windows)
        );
        assert!(
            !name("cpe:2.3:o:microsoft:windows_server_2022:*:*:*:*:*:*:*:*")
                .names_product(&windows)
        );
        // Vendor pattern with exact product: SUPERSET + EQUAL is fine, SUPERSET + SUBSET is not.
        assert!(name("cpe:2.3:o:forti*:fortios:*:*:*:*:*:*:*:*").names_product(&fortios));
        assert!(!name("cpe:2.3:o:micro*:windows_11_23h2:*:*:*:*:*:*:*:*").names_product(&windows));
    }

    #[test]
    fn catalogue_prefixes_are_checked() {
        assert!(CpePrefix::parse("cpe:2.3:o:fortinet").is_err());
        assert!(CpePrefix::parse("cpe:2.3:x:fortinet:fortios").is_err());
        assert!(CpePrefix::parse("cpe:2.3:o:*:fortios").is_err());
        assert!(CpePrefix::parse("cpe:/o:fortinet:fortios").is_err());
        let p = CpePrefix::parse(r"cpe:2.3:a:veeam:veeam_backup_\&_replication").unwrap();
        assert_eq!(
            p.name.product,
            Attr::Value("veeam_backup_&_replication".into())
        );
    }
}
