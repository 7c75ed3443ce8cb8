//! Lookup index over the catalogue's identifiers: resolves how an advisory names a product to
//! catalogue products, by CPE first, then PURL, then curated aliases, with hash maps so a
//! year of CVE records resolves in milliseconds.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{Catalogue, Deployment, Exposure, ProductId};
use crate::cpe::{Attr, CpeName, CpePrefix};
use crate::purl::{self, PurlKey};
use crate::statement::AdvisoryProduct;
use crate::text::normalise_name;
use crate::version::VersionScheme;

/// How an advisory product was tied to a catalogue product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// CPE vendor and product per NISTIR 7696 (certain).
    Cpe,
    /// PURL type, namespace and name (certain).
    Purl,
    /// A curated vendor/product spelling (probable: names are not identifiers).
    Alias,
}

impl MatchMethod {
    /// Alias matches are shown as "probable" (CSAF 9.1.13 allows a match probability).
    pub fn is_probable(self) -> bool {
        self == MatchMethod::Alias
    }
}

/// Position of a product in the index (and in the catalogue it was built from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductIdx(pub u32);

/// The facts matching needs about a product.
#[derive(Debug, Clone)]
pub struct IndexedProduct {
    pub id: ProductId,
    pub scheme: VersionScheme,
    pub deployment: Deployment,
    pub exposure: Exposure,
    pub tracks_versions: bool,
}

/// One catalogue product an advisory product resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedProduct {
    pub product: ProductIdx,
    pub method: MatchMethod,
}

/// The index. Build it once per catalogue version; it is read-only afterwards.
#[derive(Debug, Clone, Default)]
pub struct CatalogueIndex {
    products: Vec<IndexedProduct>,
    by_id: FxHashMap<ProductId, ProductIdx>,
    /// (vendor, product) of catalogue CPE prefixes with a plain product value.
    cpe_exact: FxHashMap<(String, String), Vec<(ProductIdx, CpeName)>>,
    /// Catalogue CPE prefixes whose product is a pattern (`windows_11*`).
    cpe_patterns: Vec<(ProductIdx, CpeName)>,
    purl: FxHashMap<PurlKey, Vec<ProductIdx>>,
    /// `normalised vendor \u{1f} normalised product` → products.
    alias: FxHashMap<String, Vec<ProductIdx>>,
}

fn alias_key(vendor: &str, product: &str) -> String {
    let mut k = normalise_name(vendor);
    k.push('\u{1f}');
    k.push_str(&normalise_name(product));
    k
}

fn push_unique(v: &mut Vec<ProductIdx>, p: ProductIdx) {
    if !v.contains(&p) {
        v.push(p);
    }
}

impl CatalogueIndex {
    pub fn build(catalogue: &Catalogue) -> CatalogueIndex {
        let mut ix = CatalogueIndex::default();
        for (i, p) in catalogue.products().iter().enumerate() {
            let idx = ProductIdx(u32::try_from(i).unwrap_or(u32::MAX));
            ix.products.push(IndexedProduct {
                id: p.id.clone(),
                scheme: p.version_scheme,
                deployment: p.deployment,
                exposure: p.exposure,
                tracks_versions: p.tracks_versions(),
            });
            ix.by_id.insert(p.id.clone(), idx);
            // Identifiers that do not parse were refused when the catalogue was loaded;
            // skipping them here keeps a hand-built catalogue from breaking the index.
            for c in &p.identifiers.cpe {
                let Ok(prefix) = CpePrefix::parse(c) else {
                    continue;
                };
                match (&prefix.name.vendor, &prefix.name.product) {
                    (Attr::Value(v), Attr::Value(pr)) => ix
                        .cpe_exact
                        .entry((v.clone(), pr.clone()))
                        .or_default()
                        .push((idx, prefix.name)),
                    _ => ix.cpe_patterns.push((idx, prefix.name)),
                }
            }
            for u in &p.identifiers.purl {
                if let Ok(key) = purl::parse_prefix(u) {
                    push_unique(ix.purl.entry(key).or_default(), idx);
                }
            }
            push_unique(
                ix.alias.entry(alias_key(&p.vendor, &p.name)).or_default(),
                idx,
            );
            for a in &p.identifiers.aliases {
                push_unique(
                    ix.alias
                        .entry(alias_key(&a.vendor, &a.product))
                        .or_default(),
                    idx,
                );
            }
        }
        ix
    }

    pub fn product(&self, idx: ProductIdx) -> Option<&IndexedProduct> {
        self.products.get(idx.0 as usize)
    }

    pub fn idx_of(&self, id: &ProductId) -> Option<ProductIdx> {
        self.by_id.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Resolves an advisory product: CPE, else PURL, else alias. Several catalogue products
    /// may result (a CPE pattern, two entries sharing an alias); each once.
    pub fn resolve(&self, product: &AdvisoryProduct) -> Vec<ResolvedProduct> {
        let mut out = Vec::new();
        for cpe in &product.cpes {
            self.resolve_cpe(cpe, &mut out);
        }
        if !out.is_empty() {
            return tag(out, MatchMethod::Cpe);
        }
        for p in &product.purls {
            if let Some(hits) = self.purl.get(&p.key) {
                for h in hits {
                    push_unique(&mut out, *h);
                }
            }
        }
        if !out.is_empty() {
            return tag(out, MatchMethod::Purl);
        }
        if let (Some(v), Some(n)) = (&product.vendor, &product.name)
            && let Some(hits) = self.alias.get(&alias_key(v, n))
        {
            for h in hits {
                push_unique(&mut out, *h);
            }
        }
        tag(out, MatchMethod::Alias)
    }

    fn resolve_cpe(&self, cpe: &CpeName, out: &mut Vec<ProductIdx>) {
        if let (Attr::Value(v), Attr::Value(p)) = (&cpe.vendor, &cpe.product) {
            if let Some(hits) = self.cpe_exact.get(&(v.clone(), p.clone())) {
                for (idx, target) in hits {
                    if cpe.names_product(target) {
                        push_unique(out, *idx);
                    }
                }
            }
            for (idx, target) in &self.cpe_patterns {
                if target.vendor.as_value() == Some(v.as_str()) && cpe.names_product(target) {
                    push_unique(out, *idx);
                }
            }
            return;
        }
        // An advisory CPE with a pattern in vendor or product is rare: scan everything.
        for (idx, target) in self.cpe_exact.values().flatten().chain(&self.cpe_patterns) {
            if cpe.names_product(target) {
                push_unique(out, *idx);
            }
        }
        out.sort();
    }
}

fn tag(products: Vec<ProductIdx>, method: MatchMethod) -> Vec<ResolvedProduct> {
    products
        .into_iter()
        .map(|product| ResolvedProduct { product, method })
        .collect()
}
