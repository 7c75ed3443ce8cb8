//! When to run matching again and over what (CSAF 9.1.13): a new document, a revision with
//! a major version change, a board's landscape change, a catalogue identifier change, or
//! an analyst's manual run. KEV/EPSS updates only recompute priorities.

use schoolcert_domain::BoardId;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Product, ProductId};
use crate::csaf::VersionChange;
use crate::ids::DocumentKey;
use crate::landscape::Landscape;

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    DocumentAdded {
        document: DocumentKey,
    },
    DocumentRevised {
        document: DocumentKey,
        change: VersionChange,
    },
    /// A CVE record arrived or changed (cvelistV5 delta).
    CveChanged {
        cve: crate::ids::CveId,
    },
    LandscapeChanged {
        board: BoardId,
        products: Vec<ProductId>,
    },
    CatalogueChanged {
        product: ProductId,
    },
    /// KEV or EPSS data changed: matches stay, priorities are recomputed.
    IntelChanged,
    /// An analyst asked for a run; manual runs are kept apart from automatic ones.
    Manual {
        scope: Scope,
    },
}

/// What to match: statements × landscapes restricted to this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// One document's statements against every landscape.
    Document {
        document: DocumentKey,
    },
    /// One CVE's statements against every landscape.
    Cve {
        cve: crate::ids::CveId,
    },
    /// All stored statements against one board's landscape, only for these products.
    Board {
        board: BoardId,
        products: Vec<ProductId>,
    },
    /// All stored statements that resolve to this product, against every landscape.
    Product {
        product: ProductId,
    },
    /// Recompute priorities of existing matches only.
    PrioritiesOnly,
    Nothing,
}

impl Trigger {
    /// The matching run this trigger requires.
    pub fn scope(&self) -> Scope {
        match self {
            Trigger::DocumentAdded { document } => Scope::Document {
                document: document.clone(),
            },
            Trigger::DocumentRevised { document, change } => {
                if change.requires_rematch() {
                    Scope::Document {
                        document: document.clone(),
                    }
                } else {
                    Scope::Nothing
                }
            }
            Trigger::CveChanged { cve } => Scope::Cve { cve: cve.clone() },
            Trigger::LandscapeChanged { board, products } if !products.is_empty() => Scope::Board {
                board: *board,
                products: products.clone(),
            },
            Trigger::LandscapeChanged { .. } => Scope::Nothing,
            Trigger::CatalogueChanged { product } => Scope::Product {
                product: product.clone(),
            },
            Trigger::IntelChanged => Scope::PrioritiesOnly,
            Trigger::Manual { scope } => scope.clone(),
        }
    }

    /// Whether this run is automatic (counted apart from manual runs in statistics).
    pub fn is_automatic(&self) -> bool {
        !matches!(self, Trigger::Manual { .. })
    }
}

/// The trigger for a landscape edit, or `None` when no product's use changed.
pub fn landscape_trigger(old: &Landscape, new: &Landscape) -> Option<Trigger> {
    let products = old.changed_products(new);
    (!products.is_empty()).then_some(Trigger::LandscapeChanged {
        board: new.board,
        products,
    })
}

/// The trigger for a catalogue edit, or `None` when nothing that matching uses changed.
pub fn catalogue_trigger(old: &Product, new: &Product) -> Option<Trigger> {
    old.matching_changed(new)
        .then(|| Trigger::CatalogueChanged {
            product: new.id.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::tests::landscape;

    fn key() -> DocumentKey {
        DocumentKey {
            publisher_namespace: "https://example.test".into(),
            tracking_id: "X-1".into(),
        }
    }

    #[test]
    fn minor_revisions_need_no_run_major_ones_do() {
        let minor = Trigger::DocumentRevised {
            document: key(),
            change: VersionChange::Minor,
        };
        assert_eq!(minor.scope(), Scope::Nothing);
        let major = Trigger::DocumentRevised {
            document: key(),
            change: VersionChange::Major,
        };
        assert_eq!(major.scope(), Scope::Document { document: key() });
        assert_eq!(Trigger::IntelChanged.scope(), Scope::PrioritiesOnly);
        assert!(
            !Trigger::Manual {
                scope: Scope::Nothing
            }
            .is_automatic()
        );
    }

    #[test]
    fn landscape_edits_rematch_only_changed_products() {
        let old = landscape(1, &[("fortinet-fortios", &["7.2.6"]), ("magister", &[])]);
        let same = landscape(1, &[("magister", &[]), ("fortinet-fortios", &["7.2.6"])]);
        assert_eq!(landscape_trigger(&old, &same), None);
        let upgraded = landscape(
            1,
            &[
                ("fortinet-fortios", &["7.2.7"]),
                ("magister", &[]),
                ("moodle", &[]),
            ],
        );
        let t = landscape_trigger(&old, &upgraded).unwrap();
        assert_eq!(
            t.scope(),
            Scope::Board {
                board: BoardId(1),
                products: vec![
                    "fortinet-fortios".parse().unwrap(),
                    "moodle".parse().unwrap()
                ]
            }
        );
    }
}
