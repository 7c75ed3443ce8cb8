//! Reads a CSAF 2.0 or 2.1 JSON value into our model. Works on the JSON itself rather than
//! on generated types so that both versions and draft changes are read by one tolerant
//! path; the schema and the mandatory tests are run separately by `csaf-rs`.

use std::collections::HashMap;

use schoolcert_domain::time::parse_rfc3339;
use serde_json::Value;

use super::model::*;
use crate::ids::DocumentKey;
use crate::statement::{ProductStatus, RemediationCategory};
use crate::version::{VersionSpec, range_spec};

/// A field the model cannot do without is missing or has the wrong type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ExtractError {
    pub path: String,
    pub reason: String,
}

fn missing(path: &str) -> ExtractError {
    ExtractError {
        path: path.into(),
        reason: "missing or not a string".into(),
    }
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn owned(v: &Value, key: &str) -> Option<String> {
    s(v, key)
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    arr(v, key)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

pub(super) fn extract(root: &Value, version: CsafVersion) -> Result<CsafDocument, ExtractError> {
    let doc = root.get("document").ok_or_else(|| missing("/document"))?;
    let publisher = doc
        .get("publisher")
        .ok_or_else(|| missing("/document/publisher"))?;
    let tracking = doc
        .get("tracking")
        .ok_or_else(|| missing("/document/tracking"))?;
    let namespace =
        owned(publisher, "namespace").ok_or_else(|| missing("/document/publisher/namespace"))?;
    let tracking_id = owned(tracking, "id").ok_or_else(|| missing("/document/tracking/id"))?;
    let tracking_version =
        owned(tracking, "version").ok_or_else(|| missing("/document/tracking/version"))?;
    let status = match s(tracking, "status") {
        Some("final") => TrackingStatus::Final,
        Some("interim") => TrackingStatus::Interim,
        Some("draft") => TrackingStatus::Draft,
        _ => return Err(missing("/document/tracking/status")),
    };
    let tlp = doc
        .get("distribution")
        .and_then(|d| d.get("tlp"))
        .and_then(|t| s(t, "label"))
        .and_then(|l| l.parse().ok());
    let products = flatten_products(root.get("product_tree"));
    let groups = product_groups(root.get("product_tree"));
    let vulnerabilities = arr(root, "vulnerabilities")
        .iter()
        .map(|v| vulnerability(v, &groups))
        .collect();
    Ok(CsafDocument {
        csaf_version: version,
        key: DocumentKey {
            publisher_namespace: namespace.clone(),
            tracking_id: tracking_id.clone(),
        },
        category: owned(doc, "category").unwrap_or_default(),
        title: owned(doc, "title").unwrap_or_default(),
        publisher: Publisher {
            name: owned(publisher, "name").unwrap_or_default(),
            namespace,
            category: owned(publisher, "category").unwrap_or_default(),
        },
        tlp,
        lang: owned(doc, "lang"),
        tracking: Tracking {
            id: tracking_id,
            status,
            version: tracking_version,
            initial_release_date: s(tracking, "initial_release_date").and_then(parse_rfc3339),
            current_release_date: s(tracking, "current_release_date").and_then(parse_rfc3339),
            revisions: arr(tracking, "revision_history")
                .iter()
                .map(|r| Revision {
                    number: owned(r, "number").unwrap_or_default(),
                    date: s(r, "date").and_then(parse_rfc3339),
                    summary: owned(r, "summary").unwrap_or_default(),
                })
                .collect(),
            aliases: strings(tracking, "aliases"),
        },
        notes: notes(doc),
        references: arr(doc, "references")
            .iter()
            .filter_map(|r| {
                Some(Reference {
                    url: owned(r, "url")?,
                    summary: owned(r, "summary").unwrap_or_default(),
                    category: owned(r, "category").unwrap_or_else(|| "external".into()),
                })
            })
            .collect(),
        aggregate_severity: doc.get("aggregate_severity").and_then(|a| owned(a, "text")),
        products,
        vulnerabilities,
    })
}

fn notes(v: &Value) -> Vec<Note> {
    arr(v, "notes")
        .iter()
        .filter_map(|n| {
            Some(Note {
                category: owned(n, "category").unwrap_or_default(),
                title: owned(n, "title"),
                text: s(n, "text")?.to_owned(),
            })
        })
        .collect()
}

/// What the branches above a leaf say about it.
#[derive(Clone, Default)]
struct Context {
    vendor: Option<String>,
    product_name: Option<String>,
    family: Option<String>,
    versions: Option<VersionSpec>,
}

fn flatten_products(tree: Option<&Value>) -> Vec<CsafProduct> {
    let Some(tree) = tree else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for b in arr(tree, "branches") {
        walk(b, Context::default(), &mut out);
    }
    for fpn in arr(tree, "full_product_names") {
        if let Some(p) = leaf(fpn, &Context::default()) {
            out.push(p);
        }
    }
    // Relationships (2.0) and product paths (2.1) define new product ids that carry the
    // identity of the component they start from ("FortiClient installed on Windows" is
    // vulnerable because FortiClient is).
    let mut derived = Vec::new();
    for r in arr(tree, "relationships") {
        if let (Some(base), Some(fpn)) = (s(r, "product_reference"), r.get("full_product_name")) {
            let category = owned(r, "category").unwrap_or_default();
            derived.push((base.to_owned(), category, fpn));
        }
    }
    for p in arr(tree, "product_paths") {
        if let (Some(base), Some(fpn)) = (
            s(p, "beginning_product_reference"),
            p.get("full_product_name"),
        ) {
            derived.push((base.to_owned(), "product_path".into(), fpn));
        }
    }
    for (base, category, fpn) in derived {
        let Some(id) = owned(fpn, "product_id") else {
            continue;
        };
        let Some(component) = out.iter().find(|p| p.product_id == base).cloned() else {
            continue;
        };
        out.push(CsafProduct {
            product_id: id,
            name: owned(fpn, "name").unwrap_or_else(|| component.name.clone()),
            relationship: Some((category, base)),
            ..component
        });
    }
    out
}

fn walk(branch: &Value, mut ctx: Context, out: &mut Vec<CsafProduct>) {
    let name = owned(branch, "name");
    match s(branch, "category") {
        Some("vendor") => ctx.vendor = name,
        Some("product_name") => ctx.product_name = name,
        Some("product_family") => ctx.family = name,
        Some("product_version") => {
            ctx.versions = name.map(|version| VersionSpec::Exact { version });
        }
        Some("product_version_range") => ctx.versions = name.as_deref().map(range_spec),
        _ => {}
    }
    if let Some(product) = branch.get("product")
        && let Some(p) = leaf(product, &ctx)
    {
        out.push(p);
    }
    for b in arr(branch, "branches") {
        walk(b, ctx.clone(), out);
    }
}

fn leaf(fpn: &Value, ctx: &Context) -> Option<CsafProduct> {
    let product_id = owned(fpn, "product_id")?;
    let helper = fpn.get("product_identification_helper");
    let mut purls = Vec::new();
    if let Some(h) = helper {
        purls.extend(owned(h, "purl"));
        purls.extend(strings(h, "purls"));
    }
    Some(CsafProduct {
        product_id,
        name: owned(fpn, "name").unwrap_or_default(),
        vendor: ctx.vendor.clone(),
        product_name: ctx.product_name.clone().or_else(|| ctx.family.clone()),
        versions: ctx.versions.clone().unwrap_or(VersionSpec::Unspecified),
        cpe: helper.and_then(|h| owned(h, "cpe")),
        purls,
        relationship: None,
    })
}

fn product_groups(tree: Option<&Value>) -> HashMap<String, Vec<String>> {
    let mut groups = HashMap::new();
    if let Some(tree) = tree {
        for g in arr(tree, "product_groups") {
            if let Some(id) = owned(g, "group_id") {
                groups.insert(id, strings(g, "product_ids"));
            }
        }
    }
    groups
}

/// `product_ids` plus the members of `group_ids`, each once.
fn product_refs(v: &Value, groups: &HashMap<String, Vec<String>>, key: &str) -> Vec<String> {
    let mut ids = strings(v, key);
    for g in strings(v, "group_ids") {
        if let Some(members) = groups.get(&g) {
            ids.extend(members.iter().cloned());
        }
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(i.clone()));
    ids
}

const STATUS_SETS: [(&str, ProductStatus); 9] = [
    ("first_affected", ProductStatus::Affected),
    ("known_affected", ProductStatus::Affected),
    ("last_affected", ProductStatus::Affected),
    ("known_not_affected", ProductStatus::NotAffected),
    ("first_fixed", ProductStatus::Fixed),
    ("fixed", ProductStatus::Fixed),
    ("under_investigation", ProductStatus::UnderInvestigation),
    ("recommended", ProductStatus::Recommended),
    ("unknown", ProductStatus::Unknown),
];

fn vulnerability(v: &Value, groups: &HashMap<String, Vec<String>>) -> CsafVulnerability {
    let mut product_status = Vec::new();
    if let Some(ps) = v.get("product_status") {
        for (set, status) in STATUS_SETS {
            for id in strings(ps, set) {
                product_status.push((id, status));
            }
        }
    }
    let mut cwes = Vec::new();
    if let Some(c) = v.get("cwe").and_then(|c| owned(c, "id")) {
        cwes.push(c);
    }
    cwes.extend(arr(v, "cwes").iter().filter_map(|c| owned(c, "id")));
    let mut scores = Vec::new();
    for sc in arr(v, "scores") {
        let products = strings(sc, "products");
        scores.extend(cvss_scores(sc, &products));
    }
    let mut epss = None;
    for m in arr(v, "metrics") {
        let products = strings(m, "products");
        if let Some(content) = m.get("content") {
            scores.extend(cvss_scores(content, &products));
            if let Some(p) = content.get("epss").and_then(|e| e.get("probability")) {
                epss = p
                    .as_f64()
                    .or_else(|| p.as_str().and_then(|x| x.parse().ok()));
            }
        }
    }
    CsafVulnerability {
        cve: s(v, "cve").and_then(|c| c.parse().ok()),
        ids: arr(v, "ids")
            .iter()
            .filter_map(|i| Some((owned(i, "system_name")?, owned(i, "text")?)))
            .collect(),
        title: owned(v, "title"),
        cwes,
        notes: notes(v),
        product_status,
        remediations: arr(v, "remediations")
            .iter()
            .map(|r| CsafRemediation {
                category: RemediationCategory::parse(s(r, "category").unwrap_or_default()),
                details: owned(r, "details").unwrap_or_default(),
                url: owned(r, "url"),
                product_ids: product_refs(r, groups, "product_ids"),
            })
            .collect(),
        scores,
        threats: arr(v, "threats")
            .iter()
            .map(|t| Threat {
                category: owned(t, "category").unwrap_or_default(),
                details: owned(t, "details").unwrap_or_default(),
                product_ids: product_refs(t, groups, "product_ids"),
            })
            .collect(),
        epss,
    }
}

fn cvss_scores(holder: &Value, products: &[String]) -> Vec<CsafScore> {
    let mut out = Vec::new();
    for key in ["cvss_v4", "cvss_v3", "cvss_v2"] {
        let Some(c) = holder.get(key) else { continue };
        let Some(base_score) = c.get("baseScore").and_then(Value::as_f64) else {
            continue;
        };
        out.push(CsafScore {
            product_ids: products.to_vec(),
            cvss_version: owned(c, "version")
                .unwrap_or_else(|| key.trim_start_matches("cvss_v").into()),
            base_score,
            base_severity: owned(c, "baseSeverity"),
            vector: owned(c, "vectorString"),
        });
    }
    out
}
