//! A board's application landscape: which catalogue products it runs (or proposes for the
//! catalogue), which versions, at which schools, and who manages them. CSV import/export
//! lives in [`csv`].

pub mod csv;

use schoolcert_domain::BoardId;
use schoolcert_domain::registry::SchoolCode;
use serde::{Deserialize, Serialize};

use crate::catalogue::ProductId;

/// Which product an entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LandscapeProduct {
    Catalogue {
        id: ProductId,
    },
    /// Not in the catalogue yet: a proposal for the CERT. Never matched until the CERT adds
    /// the product and the entry is linked to it.
    Proposed {
        vendor: String,
        name: String,
    },
}

/// Who runs the product for the board.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ManagedBy {
    #[default]
    SelfManaged,
    /// A supplier or managed service provider, by name.
    Supplier(String),
}

/// One line of the landscape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandscapeEntry {
    pub product: LandscapeProduct,
    /// Versions in use (several devices may run different ones); empty when not recorded.
    pub versions: Vec<String>,
    /// Schools where it is used; empty means the whole board.
    pub schools: Vec<SchoolCode>,
    pub managed_by: ManagedBy,
    pub notes: Option<String>,
}

/// A board's landscape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landscape {
    pub board: BoardId,
    pub entries: Vec<LandscapeEntry>,
}

impl Landscape {
    pub fn new(board: BoardId) -> Landscape {
        Landscape {
            board,
            entries: Vec::new(),
        }
    }

    /// The catalogue products in the landscape, each once.
    pub fn products(&self) -> Vec<&ProductId> {
        let mut out: Vec<&ProductId> = self
            .entries
            .iter()
            .filter_map(|e| match &e.product {
                LandscapeProduct::Catalogue { id } => Some(id),
                LandscapeProduct::Proposed { .. } => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Products whose entries differ between `self` (old) and `new`: the products to
    /// re-match for this board after a landscape change (CSAF 9.1.13 "new asset").
    pub fn changed_products(&self, new: &Landscape) -> Vec<ProductId> {
        let mut ids: Vec<ProductId> = self
            .products()
            .into_iter()
            .chain(new.products())
            .cloned()
            .collect();
        ids.sort();
        ids.dedup();
        ids.retain(|id| {
            let pick = |l: &Landscape| -> Vec<(Vec<String>, Vec<SchoolCode>)> {
                let mut v: Vec<_> = l
                    .entries
                    .iter()
                    .filter(
                        |e| matches!(&e.product, LandscapeProduct::Catalogue { id: x } if x == id),
                    )
                    .map(|e| {
                        let mut versions = e.versions.clone();
                        versions.sort();
                        (versions, e.schools.clone())
                    })
                    .collect();
                v.sort();
                v
            };
            pick(self) != pick(new)
        });
        ids
    }
}
