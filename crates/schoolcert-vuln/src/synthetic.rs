//! Deterministic synthetic data for benchmarks and load tests: a year of CVE JSON 5.1
//! records (most about software no school runs, some about catalogue products, shaped like
//! real CNA and CISA-ADP containers) and board landscapes drawn from the catalogue. Used by
//! the benchmark and meant for a future `schoolcert bench advisories` command.

use schoolcert_domain::BoardId;
use serde_json::{Value, json};

use crate::catalogue::{Catalogue, Category, Deployment, Product};
use crate::landscape::{Landscape, LandscapeEntry, LandscapeProduct, ManagedBy};
use crate::version::VersionScheme;

/// Sizes and seed. The defaults are the benchmark's: a full year of CVE records against
/// every Dutch school board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticConfig {
    pub records: usize,
    pub boards: usize,
    pub products_per_board: usize,
    /// Per mille of records about a catalogue product (real data: a few percent).
    pub catalogue_share_per_mille: u64,
    pub seed: u64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            records: 40_000,
            boards: 1_300,
            products_per_board: 30,
            catalogue_share_per_mille: 60,
            seed: 2026,
        }
    }
}

/// SplitMix64: tiny, fast, and stable across platforms and crate versions.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0; 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// A plausible version string of a product's scheme.
pub fn version_for(scheme: VersionScheme, rng: &mut Rng) -> Option<String> {
    let n = |rng: &mut Rng, k: u64| rng.below(k);
    Some(match scheme {
        VersionScheme::Fortinet => format!("7.{}.{}", [0, 2, 4][n(rng, 3) as usize], n(rng, 16)),
        VersionScheme::Panos => {
            let base = format!(
                "{}.{}.{}",
                [10, 11][n(rng, 2) as usize],
                n(rng, 3),
                n(rng, 12)
            );
            if rng.chance(500) {
                format!("{base}-h{}", 1 + n(rng, 8))
            } else {
                base
            }
        }
        VersionScheme::Netscaler => format!(
            "{}-{}.{}",
            ["13.1", "14.1"][n(rng, 2) as usize],
            10 + n(rng, 50),
            n(rng, 60)
        ),
        VersionScheme::Ivanti => format!("22.{}R{}.{}", 5 + n(rng, 3), 1 + n(rng, 3), n(rng, 6)),
        VersionScheme::MsftBuild => format!(
            "10.0.{}.{}",
            [19045, 22631, 26100][n(rng, 3) as usize],
            1000 + n(rng, 4000)
        ),
        VersionScheme::Cisco => format!(
            "17.{}.{}{}",
            6 + n(rng, 6),
            n(rng, 6),
            ["", "a", "b"][n(rng, 3) as usize]
        ),
        VersionScheme::Semver | VersionScheme::Dotted | VersionScheme::Intdot => {
            format!("{}.{}.{}", 1 + n(rng, 12), n(rng, 10), n(rng, 20))
        }
        VersionScheme::None => return None,
    })
}

/// How likely a board runs a product (per mille), by what schools typically have.
fn popularity(p: &Product) -> u64 {
    match (p.category, p.deployment) {
        (Category::EndpointOs | Category::CloudSuite, _) => 800,
        (Category::IdentitySso, _) => 600,
        (Category::StudentInformationSystem | Category::LearningEnvironment, Deployment::Saas) => {
            450
        }
        (Category::FirewallVpn, _) => 250,
        (Category::RemoteSupport | Category::Print | Category::NasBackup, _) => 300,
        _ => 200,
    }
}

/// `boards` landscapes of about `products_per_board` catalogue products each; about two in
/// three versioned products have one or two versions recorded.
pub fn landscapes(catalogue: &Catalogue, cfg: &SyntheticConfig) -> Vec<Landscape> {
    let products = catalogue.products();
    (0..cfg.boards)
        .map(|b| {
            let mut rng = Rng::new(cfg.seed ^ 0xB0A2_D000 ^ (b as u64).wrapping_mul(0x9E37));
            let mut chosen: Vec<&Product> = Vec::new();
            // Weighted draws without replacement until the board has its share.
            let mut guard = 0;
            while chosen.len() < cfg.products_per_board.min(products.len()) && guard < 10_000 {
                guard += 1;
                let Some(p) = rng.pick(products) else { break };
                if !chosen.iter().any(|c| c.id == p.id) && rng.chance(popularity(p)) {
                    chosen.push(p);
                }
            }
            let entries = chosen
                .into_iter()
                .map(|p| {
                    let mut versions = Vec::new();
                    if p.tracks_versions() && rng.chance(660) {
                        for _ in 0..1 + rng.below(2) {
                            if let Some(v) = version_for(p.version_scheme, &mut rng)
                                && !versions.contains(&v)
                            {
                                versions.push(v);
                            }
                        }
                    }
                    LandscapeEntry {
                        product: LandscapeProduct::Catalogue { id: p.id.clone() },
                        versions,
                        schools: Vec::new(),
                        managed_by: if rng.chance(400) {
                            ManagedBy::Supplier(format!("ICT-partner {}", rng.below(40)))
                        } else {
                            ManagedBy::SelfManaged
                        },
                        notes: None,
                    }
                })
                .collect();
            Landscape {
                board: BoardId(100_000 + b as i64),
                entries,
            }
        })
        .collect()
}

const OTHER_VENDORS: [&str; 16] = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wayne",
    "stark",
    "tyrell",
    "cyberdyne",
    "soylent",
    "wonka",
    "oscorp",
    "aperture",
    "massive",
    "gringotts",
];
const OTHER_PRODUCTS: [&str; 12] = [
    "plugin",
    "router",
    "camera firmware",
    "cms",
    "library",
    "gateway",
    "webapp",
    "driver",
    "agent",
    "portal",
    "sdk",
    "server",
];

/// The year of records, generated one at a time from its index (deterministic, streamable).
#[derive(Debug, Clone)]
pub struct SyntheticYear {
    cfg: SyntheticConfig,
    /// Catalogue products with a CPE (vendor, product, part, scheme, display names).
    targets: Vec<Target>,
}

#[derive(Debug, Clone)]
struct Target {
    part: String,
    cpe_vendor: String,
    cpe_product: String,
    vendor: String,
    name: String,
    scheme: VersionScheme,
}

impl SyntheticYear {
    pub fn new(catalogue: &Catalogue, cfg: SyntheticConfig) -> SyntheticYear {
        let mut targets = Vec::new();
        for p in catalogue.products() {
            for c in &p.identifiers.cpe {
                let parts: Vec<&str> = c.split(':').collect();
                if let [_, _, part, vendor, product] = parts.as_slice() {
                    targets.push(Target {
                        part: (*part).to_owned(),
                        cpe_vendor: (*vendor).replace('\\', ""),
                        cpe_product: product
                            .trim_end_matches('*')
                            .trim_end_matches('_')
                            .replace('\\', "")
                            .to_owned()
                            + if product.ends_with('*') { "_23h2" } else { "" },
                        vendor: p.vendor.clone(),
                        name: p.name.clone(),
                        scheme: p.version_scheme,
                    });
                }
            }
        }
        SyntheticYear { cfg, targets }
    }

    pub fn len(&self) -> usize {
        self.cfg.records
    }

    pub fn is_empty(&self) -> bool {
        self.cfg.records == 0
    }

    /// Record number `i` as CVE JSON 5.1 bytes.
    pub fn record(&self, i: usize) -> Vec<u8> {
        serde_json::to_vec(&self.record_json(i)).unwrap_or_default()
    }

    pub fn record_json(&self, i: usize) -> Value {
        let mut rng = Rng::new(self.cfg.seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let id = format!("CVE-2026-{:05}", 10_000 + i);
        let day = 1 + (i * 365 / self.cfg.records.max(1)).min(364);
        let date = chrono::NaiveDate::from_yo_opt(2026, day as u32)
            .map(|d| format!("{d}T10:00:00.000Z"))
            .unwrap_or_default();
        let score = (10 + rng.below(91)) as f64 / 10.0;
        let severity = match score {
            s if s >= 9.0 => "CRITICAL",
            s if s >= 7.0 => "HIGH",
            s if s >= 4.0 => "MEDIUM",
            _ => "LOW",
        };
        let about_catalogue =
            !self.targets.is_empty() && rng.chance(self.cfg.catalogue_share_per_mille);
        let (cna_affected, adp_affected) = if about_catalogue {
            let t = rng.pick(&self.targets).cloned();
            match t {
                Some(t) => self.catalogue_affected(&t, &mut rng),
                None => (vec![], vec![]),
            }
        } else {
            let vendor = rng.pick(&OTHER_VENDORS).copied().unwrap_or("acme");
            let product = format!(
                "{} {}",
                vendor,
                rng.pick(&OTHER_PRODUCTS).copied().unwrap_or("server")
            );
            let fixed = format!("{}.{}.{}", 1 + rng.below(9), rng.below(10), rng.below(20));
            (
                vec![json!({
                    "vendor": vendor,
                    "product": product,
                    "defaultStatus": "unaffected",
                    "versions": [{ "version": "0", "lessThan": fixed, "status": "affected", "versionType": "semver" }]
                })],
                vec![],
            )
        };
        let mut containers = json!({
            "cna": {
                "providerMetadata": { "orgId": "00000000-0000-4000-8000-000000000000", "shortName": "synthetic" },
                "title": format!("Synthetic vulnerability {id}"),
                "descriptions": [{ "lang": "en", "value": format!("A synthetic flaw numbered {i} lets a remote attacker do something unpleasant.") }],
                "affected": cna_affected,
                "metrics": [{ "format": "CVSS", "cvssV3_1": { "version": "3.1", "baseScore": score, "baseSeverity": severity, "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" } }],
                "problemTypes": [{ "descriptions": [{ "lang": "en", "description": "CWE-787 Out-of-bounds Write", "cweId": "CWE-787", "type": "CWE" }] }],
                "references": [{ "url": format!("https://vendor.example/advisories/{id}") }],
            }
        });
        if !adp_affected.is_empty()
            && let Some(obj) = containers.as_object_mut()
        {
            obj.insert(
                "adp".into(),
                json!([{
                    "providerMetadata": { "orgId": "134c704f-9b21-4f2e-91b3-4a467353bcc0", "shortName": "CISA-ADP" },
                    "affected": adp_affected,
                }]),
            );
        }
        json!({
            "dataType": "CVE_RECORD",
            "dataVersion": "5.1",
            "cveMetadata": {
                "cveId": id,
                "assignerOrgId": "00000000-0000-4000-8000-000000000000",
                "assignerShortName": "synthetic",
                "state": "PUBLISHED",
                "datePublished": date,
                "dateUpdated": date,
            },
            "containers": containers,
        })
    }

    /// CNA entry by vendor/product name (like vendors write it) and, for half of them, a
    /// CISA-ADP entry with the NVD-style CPE.
    fn catalogue_affected(&self, t: &Target, rng: &mut Rng) -> (Vec<Value>, Vec<Value>) {
        let lower = version_for(t.scheme, rng);
        let upper = version_for(t.scheme, rng);
        let versions = match (lower, upper) {
            (Some(a), Some(b)) => {
                let (lo, hi) = match t.scheme.compare(&a, &b) {
                    Some(std::cmp::Ordering::Greater) => (b, a),
                    _ => (a, b),
                };
                json!([{ "version": lo, "lessThan": hi, "status": "affected", "versionType": "custom" }])
            }
            _ => json!([]),
        };
        let default = if versions.as_array().is_some_and(|v| v.is_empty()) {
            "affected"
        } else {
            "unaffected"
        };
        let cna = vec![json!({
            "vendor": t.vendor,
            "product": t.name,
            "defaultStatus": default,
            "versions": versions,
        })];
        let adp = if rng.chance(500) {
            vec![json!({
                "vendor": t.cpe_vendor,
                "product": t.cpe_product,
                "cpes": [format!("cpe:2.3:{}:{}:{}:*:*:*:*:*:*:*:*", t.part, t.cpe_vendor, t.cpe_product.replace('&', "\\&"))],
                "defaultStatus": "unknown",
                "versions": versions,
            })]
        } else {
            vec![]
        };
        (cna, adp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cve;
    use crate::matching::Matcher;

    #[test]
    fn generation_is_deterministic_parseable_and_matches_some_boards() {
        let cat = Catalogue::seed();
        let cfg = SyntheticConfig {
            records: 400,
            boards: 50,
            catalogue_share_per_mille: 200,
            ..SyntheticConfig::default()
        };
        let year = SyntheticYear::new(&cat, cfg);
        assert_eq!(year.record(7), year.record(7));
        assert_ne!(year.record(7), year.record(8));
        let ls = landscapes(&cat, &cfg);
        assert_eq!(ls, landscapes(&cat, &cfg));
        assert_eq!(ls.len(), 50);
        assert!(ls.iter().all(|l| l.entries.len() == 30));
        let mut statements = Vec::new();
        for i in 0..year.len() {
            let r = cve::parse_record(&year.record(i)).unwrap();
            statements.extend(r.statements());
        }
        let matches = Matcher::new(&cat, &ls).match_statements(&statements);
        assert!(!matches.is_empty());
        assert!(
            matches
                .iter()
                .any(|m| m.relation == crate::matching::VersionRelation::Affected)
        );
        assert!(
            matches
                .iter()
                .any(|m| m.method == crate::catalogue::MatchMethod::Cpe)
        );
    }
}
