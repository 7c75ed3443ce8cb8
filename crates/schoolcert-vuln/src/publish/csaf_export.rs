//! A sector advisory as a CSAF 2.0 document: `csaf_security_advisory` when it names CVEs,
//! `csaf_informational_advisory` otherwise. Publisher category `coordinator`, language
//! `nl`, TLP 2.0 mapped to CSAF 2.0's TLP 1.0 labels, canonical `self` reference.

use std::collections::BTreeMap;

use schoolcert_domain::Tlp;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::advisory::{AdvisoryStatus, SectorAdvisory};
use crate::catalogue::{Catalogue, Product};
use crate::cpe::{Attr, CpePrefix};
use crate::csaf::file_name;
use crate::statement::RemediationCategory;

/// Who publishes, as `document.publisher` and `provider-metadata.json` say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublisherInfo {
    pub name: String,
    /// A stable URL of the CERT, e.g. `https://www.schoolcert.nl`.
    pub namespace: String,
    pub contact_details: Option<String>,
    pub issuing_authority: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("the advisory has no revision history")]
    NoRevisions,
    #[error("product '{0}' is not in the catalogue")]
    UnknownProduct(String),
}

/// CSAF 2.0 knows TLP 1.0 labels: CLEAR is WHITE; AMBER+STRICT is AMBER with a text.
pub fn csaf_tlp_label(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "WHITE",
        Tlp::Green => "GREEN",
        Tlp::Amber | Tlp::AmberStrict => "AMBER",
        Tlp::Red => "RED",
    }
}

/// The folder of a TLP in the provider layout (`white`, `green`, `amber`, `red`).
pub fn tlp_folder(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "white",
        Tlp::Green => "green",
        Tlp::Amber | Tlp::AmberStrict => "amber",
        Tlp::Red => "red",
    }
}

/// Where a document lives: `<base>/<tlp>/<year>/<file>`, base being the URL of
/// `/.well-known/csaf/` (with trailing slash).
pub fn document_path(tlp: Tlp, year: i32, tracking_id: &str) -> String {
    format!("{}/{year}/{}", tlp_folder(tlp), file_name(tracking_id))
}

fn date(t: schoolcert_domain::Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A full CPE name from a catalogue prefix, when the prefix names one product exactly.
fn full_cpe(prefix: &str) -> Option<String> {
    let p = CpePrefix::parse(prefix).ok()?;
    match (&p.name.part, &p.name.vendor, &p.name.product) {
        (Attr::Value(part), Attr::Value(v), Attr::Value(pr)) => {
            let esc = |s: &str| s.replace('&', "\\&");
            Some(format!(
                "cpe:2.3:{part}:{}:{}:*:*:*:*:*:*:*:*",
                esc(v),
                esc(pr)
            ))
        }
        _ => None,
    }
}

fn helper(product: &Product) -> Option<Value> {
    let mut h = serde_json::Map::new();
    if let Some(cpe) = product.identifiers.cpe.iter().find_map(|c| full_cpe(c)) {
        h.insert("cpe".into(), json!(cpe));
    }
    if let Some(purl) = product.identifiers.purl.first() {
        h.insert("purl".into(), json!(purl));
    }
    (!h.is_empty()).then_some(Value::Object(h))
}

fn leaf(name: String, id: String, helper: Option<Value>) -> Value {
    let mut p = json!({ "name": name, "product_id": id });
    if let (Some(h), Some(obj)) = (helper, p.as_object_mut()) {
        obj.insert("product_identification_helper".into(), h);
    }
    p
}

/// Builds the CSAF JSON. `base_url` is the URL of `/.well-known/csaf/` with a trailing slash;
/// the document's canonical URL is `base_url` + [`document_path`].
pub fn to_csaf(
    advisory: &SectorAdvisory,
    catalogue: &Catalogue,
    publisher: &PublisherInfo,
    base_url: &str,
    generator_version: &str,
) -> Result<Value, ExportError> {
    let (Some(first), Some(last)) = (advisory.revisions.first(), advisory.revisions.last()) else {
        return Err(ExportError::NoRevisions);
    };
    let year = chrono::Datelike::year(&first.date);
    let canonical = format!(
        "{}{}",
        base_url,
        document_path(advisory.tlp, year, &advisory.tracking_id)
    );
    // Product tree: vendor → product_name → (product_version_range → affected leaf) plus
    // product_version leaves for fixed versions.
    let mut by_vendor: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut affected_ids = Vec::new();
    let mut fixed_ids = Vec::new();
    let mut vendor_fixes: Vec<(String, String)> = Vec::new();
    for ap in &advisory.products {
        let product = catalogue
            .get(&ap.product)
            .ok_or_else(|| ExportError::UnknownProduct(ap.product.to_string()))?;
        let pid = format!("SCPID-{}", ap.product);
        let full_name = format!("{} {}", product.vendor, product.name);
        // A branch holds either a product or further branches, never both: an advisory
        // about all versions puts its leaf on the product name and names fixed versions only
        // in the remediation; one with a range gets range and fixed-version leaves.
        let mut product_branch = json!({ "category": "product_name", "name": product.name });
        let mut branches = Vec::new();
        match &ap.versions {
            Some(range) => {
                branches.push(json!({
                    "category": "product_version_range",
                    "name": range,
                    "product": leaf(format!("{full_name} {range}"), pid.clone(), helper(product)),
                }));
                for (i, v) in ap.fixed_in.iter().enumerate() {
                    let fid = format!("{pid}-FIXED-{}", i + 1);
                    branches.push(json!({
                        "category": "product_version",
                        "name": v,
                        "product": leaf(format!("{full_name} {v}"), fid.clone(), helper(product)),
                    }));
                    fixed_ids.push(fid);
                }
            }
            None => {
                if let Some(obj) = product_branch.as_object_mut() {
                    obj.insert(
                        "product".into(),
                        leaf(full_name.clone(), pid.clone(), helper(product)),
                    );
                }
            }
        }
        if !ap.fixed_in.is_empty() {
            vendor_fixes.push((
                pid.clone(),
                format!(
                    "Werk {} bij naar versie {} of hoger.",
                    product.name,
                    ap.fixed_in.join(", ")
                ),
            ));
        }
        if !branches.is_empty()
            && let Some(obj) = product_branch.as_object_mut()
        {
            obj.insert("branches".into(), Value::Array(branches));
        }
        by_vendor
            .entry(&product.vendor)
            .or_default()
            .push(product_branch);
        affected_ids.push(pid);
    }
    let tree_branches: Vec<Value> = by_vendor
        .into_iter()
        .map(|(vendor, branches)| json!({ "category": "vendor", "name": vendor, "branches": branches }))
        .collect();

    let mut distribution = json!({ "tlp": { "label": csaf_tlp_label(advisory.tlp), "url": "https://www.first.org/tlp/" } });
    if let Some(obj) = distribution.as_object_mut() {
        obj.insert(
            "text".into(),
            json!(format!(
                "{} (FIRST TLP 2.0). {}",
                advisory.tlp.label(),
                advisory.tlp.explanation(schoolcert_domain::Lang::Nl)
            )),
        );
    }
    let mut references = vec![
        json!({ "category": "self", "summary": "Canonieke URL van dit advies", "url": canonical }),
    ];
    references.extend(advisory.sources.iter().map(|s| {
        json!({ "category": "external", "summary": if s.title.trim().is_empty() { s.url.as_str() } else { s.title.as_str() }, "url": s.url })
    }));
    let mut publisher_json = json!({ "category": "coordinator", "name": publisher.name, "namespace": publisher.namespace });
    if let Some(obj) = publisher_json.as_object_mut() {
        if let Some(c) = &publisher.contact_details {
            obj.insert("contact_details".into(), json!(c));
        }
        if let Some(a) = &publisher.issuing_authority {
            obj.insert("issuing_authority".into(), json!(a));
        }
    }
    let status = match advisory.status {
        AdvisoryStatus::Draft => "draft",
        AdvisoryStatus::Final => "final",
    };
    let notes = json!([
        { "category": "summary", "title": "Samenvatting", "text": advisory.summary },
        { "category": "general", "title": "Wat moeten scholen doen", "text": advisory.actions },
        { "category": "general", "title": "Urgentie", "text": advisory.urgency.label(schoolcert_domain::Lang::Nl) },
        { "category": "legal_disclaimer", "title": "Disclaimer", "text": "Dit advies is met zorg samengesteld door School-CERT voor het funderend onderwijs. School-CERT is niet aansprakelijk voor schade door het gebruik ervan; het schoolbestuur blijft verantwoordelijk voor zijn systemen." }
    ]);
    let mut document = json!({
        "category": if advisory.cves.is_empty() { "csaf_informational_advisory" } else { "csaf_security_advisory" },
        "csaf_version": "2.0",
        "distribution": distribution,
        "lang": "nl",
        "notes": notes,
        "publisher": publisher_json,
        "references": references,
        "title": advisory.title,
        "tracking": {
            "current_release_date": date(last.date),
            "generator": { "engine": { "name": "schoolcert", "version": generator_version } },
            "id": advisory.tracking_id,
            "initial_release_date": date(first.date),
            "revision_history": advisory.revisions.iter().map(|r| json!({
                "date": date(r.date), "number": r.number, "summary": r.summary
            })).collect::<Vec<_>>(),
            "status": status,
            "version": last.number,
        }
    });
    if advisory.urgency == crate::advisory::Urgency::Urgent
        && let Some(obj) = document.as_object_mut()
    {
        obj.insert("aggregate_severity".into(), json!({ "text": "Urgent" }));
    }
    let mut root = json!({
        "document": document,
        "product_tree": { "branches": tree_branches },
    });
    if !advisory.cves.is_empty() {
        let vulnerabilities: Vec<Value> = advisory
            .cves
            .iter()
            .map(|cve| {
                let mut remediations = vec![json!({
                    "category": RemediationCategory::Mitigation.code(),
                    "details": advisory.actions,
                    "product_ids": affected_ids,
                })];
                for (pid, text) in &vendor_fixes {
                    remediations.push(json!({
                        "category": RemediationCategory::VendorFix.code(),
                        "details": text,
                        "product_ids": [pid],
                    }));
                }
                let mut status = json!({ "known_affected": affected_ids });
                if !fixed_ids.is_empty()
                    && let Some(obj) = status.as_object_mut()
                {
                    obj.insert("fixed".into(), json!(fixed_ids));
                }
                json!({
                    "cve": cve.as_str(),
                    "notes": [{ "category": "description", "title": "Beschrijving", "text": advisory.summary }],
                    "product_status": status,
                    "remediations": remediations,
                })
            })
            .collect();
        if let Some(obj) = root.as_object_mut() {
            obj.insert("vulnerabilities".into(), Value::Array(vulnerabilities));
        }
    }
    Ok(root)
}
