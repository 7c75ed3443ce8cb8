//! Reading a catalogue from TOML (the embedded seed or an override): each product is checked
//! on its own, so one bad entry is reported by position and id and the rest still loads.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Catalogue, Product};
use crate::cpe::CpePrefix;
use crate::purl;

/// Why a whole catalogue file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the catalogue is not valid TOML: {0}")]
    Toml(String),
    #[error("the catalogue has no [[product]] entries")]
    NoProducts,
}

/// One refused catalogue entry: its position (1-based `[[product]]` number), its id when it
/// could be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductError {
    pub position: usize,
    pub id: Option<String>,
    pub reason: String,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    product: Vec<toml::Value>,
}

impl Catalogue {
    /// Parses a catalogue file of `[[product]]` tables. Returns the good products and the
    /// refused ones; duplicate ids keep the first.
    pub fn from_toml(text: &str) -> Result<(Catalogue, Vec<ProductError>), CatalogueError> {
        let file: File = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        if file.product.is_empty() {
            return Err(CatalogueError::NoProducts);
        }
        let mut seen = HashSet::new();
        let mut products = Vec::new();
        let mut errors = Vec::new();
        for (i, value) in file.product.into_iter().enumerate() {
            let id = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
            let fail = |reason: String| ProductError {
                position: i + 1,
                id: id.clone(),
                reason,
            };
            let product = match Product::deserialize(value.clone()) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(fail(e.to_string()));
                    continue;
                }
            };
            if let Err(reason) = check(&product) {
                errors.push(fail(reason));
                continue;
            }
            if !seen.insert(product.id.clone()) {
                errors.push(fail(format!("duplicate product id '{}'", product.id)));
                continue;
            }
            products.push(product);
        }
        Ok((Catalogue { products }, errors))
    }

    /// Writes the catalogue back as TOML (for export and for editing the seed).
    pub fn to_toml(&self) -> Result<String, CatalogueError> {
        #[derive(Serialize)]
        struct Out<'a> {
            product: &'a [Product],
        }
        toml::to_string(&Out {
            product: &self.products,
        })
        .map_err(|e| CatalogueError::Toml(e.to_string()))
    }
}

/// Checks what serde cannot: identifiers parse, names are present.
pub(crate) fn check(p: &Product) -> Result<(), String> {
    if p.name.trim().is_empty() || p.vendor.trim().is_empty() {
        return Err("name and vendor must not be empty".into());
    }
    for c in &p.identifiers.cpe {
        CpePrefix::parse(c).map_err(|e| e.to_string())?;
    }
    for u in &p.identifiers.purl {
        purl::parse_prefix(u).map_err(|e| e.to_string())?;
    }
    for a in &p.identifiers.aliases {
        if crate::text::normalise_name(&a.vendor).is_empty()
            || crate::text::normalise_name(&a.product).is_empty()
        {
            return Err(format!(
                "alias '{}' / '{}' needs both a vendor and a product",
                a.vendor, a.product
            ));
        }
    }
    Ok(())
}
