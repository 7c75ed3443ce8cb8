//! Turns a CSAF document into matching statements: one per (vulnerability, product id,
//! status), with the product's identifiers, versions, remediations and fixed versions.

use std::collections::HashMap;
use std::sync::Arc;

use super::model::{CsafDocument, CsafProduct, CsafVulnerability};
use crate::cpe::CpeName;
use crate::ids::VulnKey;
use crate::purl::Purl;
use crate::statement::{
    AdvisoryProduct, Applicability, ProductStatus, Remediation, SourceRef, Statement,
};
use crate::version::VersionSpec;

impl CsafDocument {
    /// The key of vulnerability `index`: its CVE, else its first `ids[]` entry, else the
    /// document and position (stable across revisions that do not reorder).
    pub fn vuln_key(&self, index: usize) -> Option<VulnKey> {
        let v = self.vulnerabilities.get(index)?;
        Some(match (&v.cve, v.ids.first()) {
            (Some(cve), _) => VulnKey::Cve { id: cve.clone() },
            (None, Some((system, text))) => VulnKey::Other {
                system: Arc::from(system.as_str()),
                id: Arc::from(text.as_str()),
            },
            (None, None) => VulnKey::Other {
                system: Arc::from(format!(
                    "{} {}",
                    self.key.publisher_namespace, self.key.tracking_id
                )),
                id: Arc::from(format!("#{}", index + 1)),
            },
        })
    }

    /// All statements of the document. `recommended` entries are not statements about
    /// being affected and are left out.
    pub fn statements(&self) -> Vec<Statement> {
        let source = Arc::new(SourceRef::Csaf {
            document: self.key.clone(),
            version: self.tracking.version.clone(),
        });
        let mut products: HashMap<&str, Arc<AdvisoryProduct>> = HashMap::new();
        for p in &self.products {
            products.insert(&p.product_id, Arc::new(advisory_product(p)));
        }
        let mut out = Vec::new();
        for (i, v) in self.vulnerabilities.iter().enumerate() {
            let Some(key) = self.vuln_key(i) else {
                continue;
            };
            for (product_id, status) in &v.product_status {
                if *status == ProductStatus::Recommended {
                    continue;
                }
                let (Some(p), Some(ap)) =
                    (self.product(product_id), products.get(product_id.as_str()))
                else {
                    // An undefined product id fails test 6.1.1; nothing to match on.
                    continue;
                };
                out.push(Statement {
                    vulnerability: key.clone(),
                    source: source.clone(),
                    product: ap.clone(),
                    applicability: Applicability::Csaf {
                        status: *status,
                        versions: p.versions.clone(),
                    },
                    remediations: Arc::from(remediations_for(v, product_id)),
                    fixed_versions: Arc::from(fixed_versions(self, v, p)),
                });
            }
        }
        out
    }
}

fn advisory_product(p: &CsafProduct) -> AdvisoryProduct {
    let mut cpes: Vec<CpeName> = p
        .cpe
        .iter()
        .filter_map(|c| CpeName::parse(c).ok())
        .collect();
    let mut purls: Vec<Purl> = p.purls.iter().filter_map(|u| Purl::parse(u).ok()).collect();
    cpes.dedup();
    purls.dedup();
    AdvisoryProduct {
        vendor: p.vendor.clone(),
        name: p.product_name.clone(),
        full_name: Some(p.name.clone()),
        cpes,
        purls,
    }
}

fn remediations_for(v: &CsafVulnerability, product_id: &str) -> Vec<Remediation> {
    let mut out: Vec<Remediation> = v
        .remediations
        .iter()
        .filter(|r| r.product_ids.iter().any(|p| p == product_id))
        .map(|r| Remediation {
            category: r.category,
            details: r.details.clone(),
            url: r.url.clone(),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Versions of the same vendor and product that the vulnerability lists as fixed.
fn fixed_versions(doc: &CsafDocument, v: &CsafVulnerability, p: &CsafProduct) -> Vec<String> {
    let mut out: Vec<String> = v
        .product_status
        .iter()
        .filter(|(_, s)| *s == ProductStatus::Fixed)
        .filter_map(|(id, _)| doc.product(id))
        .filter(|f| f.vendor == p.vendor && f.product_name == p.product_name)
        .filter_map(|f| match &f.versions {
            VersionSpec::Exact { version } => Some(version.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
