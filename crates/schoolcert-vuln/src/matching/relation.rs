//! The version relation of one statement to one board's use of a product: affected, not
//! affected, fixed, or version not stated. "Affected" is only ever the result of a decided
//! comparison (or an explicit "all versions").

use serde::{Deserialize, Serialize};

use crate::catalogue::IndexedProduct;
use crate::cve::CveStatus;
use crate::statement::{Applicability, ProductStatus, Statement};
use crate::version::{Containment, VersionSpec};

/// What a match says about the board's versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionRelation {
    /// Decided: a recorded version lies in an affected range (or all versions are affected).
    Affected,
    /// The advisory names the product but the version cannot be decided: "check".
    VersionNotStated,
    /// Decided: the recorded version is a fixed one (or a SaaS vendor fixed it centrally).
    Fixed,
    /// Decided: the recorded version is not affected.
    NotAffected,
}

impl VersionRelation {
    /// Whether a board should be told (and asked to act).
    pub fn is_notifiable(self) -> bool {
        matches!(
            self,
            VersionRelation::Affected | VersionRelation::VersionNotStated
        )
    }

    /// Combines what several statements say: a decided "affected" wins, then decided
    /// "fixed", then decided "not affected"; "version not stated" only when nothing decided.
    pub fn combine(self, other: VersionRelation) -> VersionRelation {
        use VersionRelation::*;
        let rank = |r: VersionRelation| match r {
            Affected => 0,
            Fixed => 1,
            NotAffected => 2,
            VersionNotStated => 3,
        };
        if rank(other) < rank(self) {
            other
        } else {
            self
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            VersionRelation::Affected => "affected",
            VersionRelation::VersionNotStated => "version_not_stated",
            VersionRelation::Fixed => "fixed",
            VersionRelation::NotAffected => "not_affected",
        }
    }
}

/// Whether the relation was decided per version or for the product as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchLevel {
    /// Compared against the versions the board recorded.
    Version,
    /// SaaS, or no version recorded: the product itself matched.
    Product,
}

/// The relation of `statement` to a board holding `product` at `versions`, with the board
/// versions that are affected. `None`: the statement says nothing about this board.
pub(super) fn relate(
    statement: &Statement,
    product: &IndexedProduct,
    versions: &[String],
) -> Option<(VersionRelation, MatchLevel, Vec<String>)> {
    let product_level = !product.tracks_versions || versions.is_empty();
    let level = if product_level {
        MatchLevel::Product
    } else {
        MatchLevel::Version
    };
    match &statement.applicability {
        Applicability::Csaf {
            status,
            versions: spec,
        } => {
            let (containment, hits) = if product_level {
                let c = match spec {
                    VersionSpec::All => Containment::Inside,
                    VersionSpec::None => Containment::Outside,
                    _ => Containment::Undecided,
                };
                (c, Vec::new())
            } else {
                let mut hits = Vec::new();
                let mut undecided = false;
                for v in versions {
                    match spec.contains(v, product.scheme) {
                        Containment::Inside => hits.push(v.clone()),
                        Containment::Undecided => undecided = true,
                        Containment::Outside => {}
                    }
                }
                let c = if !hits.is_empty() {
                    Containment::Inside
                } else if undecided {
                    Containment::Undecided
                } else {
                    Containment::Outside
                };
                (c, hits)
            };
            use Containment::*;
            use ProductStatus as S;
            let relation = match (status, containment) {
                (S::Affected, Inside) => VersionRelation::Affected,
                (S::Affected | S::UnderInvestigation | S::Unknown, Undecided)
                | (S::UnderInvestigation | S::Unknown, Inside) => VersionRelation::VersionNotStated,
                (S::Fixed, Inside) => VersionRelation::Fixed,
                // A SaaS vendor's fix applies to every customer at once.
                (S::Fixed, Undecided) if !product.tracks_versions => VersionRelation::Fixed,
                (S::NotAffected, Inside) => VersionRelation::NotAffected,
                _ => return None,
            };
            let hits = if relation == VersionRelation::Affected {
                hits
            } else {
                Vec::new()
            };
            Some((relation, level, hits))
        }
        Applicability::Cve { versions: cve } => {
            if product_level {
                return match cve.status_without_version() {
                    CveStatus::Affected => Some((VersionRelation::Affected, level, Vec::new())),
                    CveStatus::Unknown => {
                        Some((VersionRelation::VersionNotStated, level, Vec::new()))
                    }
                    CveStatus::Unaffected => None,
                };
            }
            let mut hits = Vec::new();
            let mut unknown = false;
            for v in versions {
                match cve.status_of(v, product.scheme) {
                    CveStatus::Affected => hits.push(v.clone()),
                    CveStatus::Unknown => unknown = true,
                    CveStatus::Unaffected => {}
                }
            }
            let relation = if !hits.is_empty() {
                VersionRelation::Affected
            } else if unknown {
                VersionRelation::VersionNotStated
            } else {
                VersionRelation::NotAffected
            };
            Some((relation, level, hits))
        }
    }
}
