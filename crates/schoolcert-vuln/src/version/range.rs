//! What an advisory says about versions (one version, a `vers` range, all, none, or
//! something we keep but cannot evaluate) and the three-valued containment check.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::{VersionKey, VersionScheme};

/// A `vers` comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// One `vers` constraint: comparator and (percent-decoded) version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Constraint {
    pub op: Op,
    pub version: String,
}

/// The version part of a vulnerability statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VersionSpec {
    /// The statement names the product without any version: about the product as a whole.
    Unspecified,
    /// One version (CSAF `product_version`, a CPE or PURL version).
    Exact { version: String },
    /// A `vers` range with a type we may be able to evaluate.
    Vers {
        vers_type: String,
        constraints: Vec<Constraint>,
        raw: String,
    },
    /// `vers:all/*`.
    All,
    /// `vers:none/*`.
    None,
    /// A range we keep for people but cannot evaluate: `vers:unknown/*`, a vls such as
    /// `<4.2`, an unsupported or malformed `vers`.
    Unevaluable { raw: String, reason: String },
}

/// Whether a version lies in a [`VersionSpec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Containment {
    Inside,
    Outside,
    /// Cannot be decided: unknown range, unparseable version, SaaS, no version recorded.
    Undecided,
}

impl Containment {
    fn from_bool(b: Option<bool>) -> Containment {
        match b {
            Some(true) => Containment::Inside,
            Some(false) => Containment::Outside,
            None => Containment::Undecided,
        }
    }
}

impl VersionSpec {
    /// A short text for people (the raw range, or the version).
    pub fn display(&self) -> String {
        match self {
            VersionSpec::Unspecified => String::new(),
            VersionSpec::Exact { version } => version.clone(),
            VersionSpec::Vers { raw, .. } | VersionSpec::Unevaluable { raw, .. } => raw.clone(),
            VersionSpec::All => "vers:all/*".into(),
            VersionSpec::None => "vers:none/*".into(),
        }
    }

    /// Decides whether `version` (as the board recorded it) lies in this spec, comparing with
    /// the product's `scheme`. Vendor schemes override the `vers` type because `intdot` and
    /// friends cannot order hotfix suffixes; the registered ecosystem types the `vers-rs`
    /// crate supports (npm, semver, deb, cargo) are evaluated by it otherwise.
    pub fn contains(&self, version: &str, scheme: VersionScheme) -> Containment {
        match self {
            VersionSpec::All => Containment::Inside,
            VersionSpec::None => Containment::Outside,
            VersionSpec::Unspecified | VersionSpec::Unevaluable { .. } => Containment::Undecided,
            _ if scheme == VersionScheme::None => Containment::Undecided,
            VersionSpec::Exact { version: v } => exact(v, version, scheme),
            VersionSpec::Vers {
                vers_type,
                constraints,
                raw,
            } => match evaluation_scheme(scheme, vers_type) {
                Evaluator::Own(s) => {
                    Containment::from_bool(contains_with(constraints, version, |v| s.key(v)))
                }
                Evaluator::VersRs => {
                    Containment::from_bool(super::vers::vers_rs_contains(raw, version))
                }
                Evaluator::Cannot => Containment::Undecided,
            },
        }
    }
}

fn exact(advisory: &str, board: &str, scheme: VersionScheme) -> Containment {
    match scheme.compare(advisory, board) {
        Some(Ordering::Equal) => Containment::Inside,
        Some(_) => Containment::Outside,
        // Identical text is equal under any scheme, even one that cannot parse it.
        None if advisory.trim().eq_ignore_ascii_case(board.trim()) => Containment::Inside,
        None => Containment::Undecided,
    }
}

enum Evaluator {
    Own(VersionScheme),
    VersRs,
    Cannot,
}

fn evaluation_scheme(product: VersionScheme, vers_type: &str) -> Evaluator {
    let generic_type = matches!(vers_type, "intdot" | "generic" | "semver");
    if product.is_vendor_specific() && generic_type {
        return Evaluator::Own(product);
    }
    match vers_type {
        "npm" | "semver" | "deb" | "cargo" => Evaluator::VersRs,
        "intdot" => Evaluator::Own(VersionScheme::Intdot),
        // `generic` has no agreed algorithm yet; dotted integers are the safe subset of it.
        "generic" => Evaluator::Own(VersionScheme::Dotted),
        _ => Evaluator::Cannot,
    }
}

/// The `vers` containment algorithm (vers specification, "checking if a version is
/// contained within a range") over keys made by `key`. `None` when any version does not
/// parse: a partial answer could be wrong.
pub(super) fn contains_with(
    constraints: &[Constraint],
    version: &str,
    key: impl Fn(&str) -> Option<VersionKey>,
) -> Option<bool> {
    let tested = key(version)?;
    let mut keyed = Vec::with_capacity(constraints.len());
    for c in constraints {
        keyed.push((c.op, key(&c.version)?));
    }
    for (op, k) in &keyed {
        if *k == tested && matches!(op, Op::Eq | Op::Le | Op::Ge) {
            return Some(true);
        }
        if *k == tested && *op == Op::Ne {
            return Some(false);
        }
    }
    let mut ordered: Vec<&(Op, VersionKey)> = keyed
        .iter()
        .filter(|(op, _)| !matches!(op, Op::Eq | Op::Ne))
        .collect();
    ordered.sort_by(|a, b| a.1.cmp(&b.1));
    let is_lower = |op: Op| matches!(op, Op::Lt | Op::Le);
    let is_upper = |op: Op| matches!(op, Op::Gt | Op::Ge);
    if let Some((op, k)) = ordered.first()
        && is_lower(*op)
        && tested < *k
    {
        return Some(true);
    }
    if let Some((op, k)) = ordered.last()
        && is_upper(*op)
        && tested > *k
    {
        return Some(true);
    }
    for pair in ordered.windows(2) {
        if let [(cur_op, cur), (next_op, next)] = pair
            && is_upper(*cur_op)
            && is_lower(*next_op)
            && tested > *cur
            && tested < *next
        {
            return Some(true);
        }
    }
    Some(false)
}
