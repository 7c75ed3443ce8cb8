//! The whole pipeline on one exploited vulnerability: CVE record + KEV + EPSS → matches →
//! priorities → the automatic P1 advisory → published as CSAF → retrieved and matched again.

use std::collections::HashMap;

use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{BoardId, Tlp};
use schoolcert_vuln::advisory::automatic_p1;
use schoolcert_vuln::catalogue::Catalogue;
use schoolcert_vuln::intel::ThreatIntel;
use schoolcert_vuln::landscape::{Landscape, LandscapeEntry, LandscapeProduct, ManagedBy};
use schoolcert_vuln::matching::{Matcher, VersionRelation};
use schoolcert_vuln::openpgp::{Signer, TrustedKeys};
use schoolcert_vuln::priority::{Priority, PriorityConfig, PriorityInput};
use schoolcert_vuln::publish::{self, ProviderConfig, PublishedDocument, PublisherInfo};
use schoolcert_vuln::retrieve::{self, Fetch, ProviderSync, Request, Response, SyncConfig};
use schoolcert_vuln::{csaf, cve, epss, kev};

const CVE: &str = include_str!("../fixtures/cve/CVE-2024-3400.json");
const KEV: &str = r#"{"catalogVersion":"2024.04.12","dateReleased":"2024-04-12T17:00:00Z","count":1,"vulnerabilities":[
 {"cveID":"CVE-2024-3400","vendorProject":"Palo Alto Networks","product":"PAN-OS","vulnerabilityName":"Command Injection",
  "dateAdded":"2024-04-12","shortDescription":"x","requiredAction":"Apply mitigations.","dueDate":"2024-04-19",
  "knownRansomwareCampaignUse":"Unknown","notes":"","cwes":["CWE-77"]}]}"#;
const EPSS: &str = "#model_version:v2023.03.01,score_date:2024-04-13T00:00:00+0000\ncve,epss,percentile\nCVE-2024-3400,0.95803,0.99375\n";

fn board(id: i64, product: &str, versions: &[&str]) -> Landscape {
    Landscape {
        board: BoardId(id),
        entries: vec![LandscapeEntry {
            product: LandscapeProduct::Catalogue {
                id: product.parse().unwrap(),
            },
            versions: versions.iter().map(|v| v.to_string()).collect(),
            schools: vec![],
            managed_by: ManagedBy::SelfManaged,
            notes: None,
        }],
    }
}

struct Memory(HashMap<String, Vec<u8>>);

impl Fetch for Memory {
    fn fetch(&mut self, r: &Request) -> Response {
        self.0
            .get(r.url.as_str())
            .cloned()
            .map_or(Response::NotFound, Response::Body)
    }
}

fn key() -> String {
    use pgp::composed::{ArmorOptions, EncryptionCaps, KeyType, SecretKeyParamsBuilder};
    use rand_chacha::rand_core::SeedableRng;
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(true)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id("School-CERT <csaf@schoolcert.test>".into());
    let key = params
        .build()
        .unwrap()
        .generate(rand_chacha::ChaCha20Rng::seed_from_u64(42))
        .unwrap();
    key.to_armored_string(ArmorOptions::default()).unwrap()
}

#[test]
fn exploited_vulnerability_from_record_to_published_advisory() {
    let cat = Catalogue::seed();
    let record = cve::parse_record(CVE.as_bytes()).unwrap();
    let (kev, kev_errors) = kev::parse(KEV.as_bytes()).unwrap();
    assert!(kev_errors.is_empty());
    let (epss, epss_errors) = epss::parse(EPSS.as_bytes()).unwrap();
    assert!(epss_errors.is_empty());
    let intel = ThreatIntel::new(kev.entries, epss.scores);

    let boards = [
        board(1, "paloalto-panos", &["10.2.0-h1"]),
        board(2, "paloalto-panos", &["10.2.9-h1"]),
        board(3, "paloalto-panos", &[]),
        board(4, "microsoft-windows", &["10.0.22631.4037"]),
    ];
    let matcher = Matcher::new(&cat, &boards);
    let matches = matcher.match_statements(&record.statements());
    let config = PriorityConfig::default();
    let mut seen = Vec::new();
    for m in &matches {
        let (k, e) = intel.lookup(&m.vulnerability);
        let product = cat.get(&m.product).unwrap();
        let a = config.assess(&PriorityInput {
            kev: k,
            epss: e,
            cvss: record.cvss.as_ref().map(|c| c.base_score),
            exposure: product.exposure,
            relation: m.relation,
        });
        seen.push((m.board.0, m.relation, a.priority));
    }
    assert_eq!(
        seen,
        [
            (1, VersionRelation::Affected, Priority::P1),
            (2, VersionRelation::NotAffected, Priority::P3),
            (3, VersionRelation::VersionNotStated, Priority::P1),
        ]
    );

    // P1 automatic mode: a standard advisory, published at once.
    let now = parse_rfc3339("2024-04-12T18:00:00Z").unwrap();
    let (k, _) = intel.lookup(&matches[0].vulnerability);
    let advisory = automatic_p1(
        "SC-2024-0042",
        &record.id,
        cat.get(&matches[0].product).unwrap(),
        k.unwrap(),
        &matches[0].fixed_versions,
        now,
    );
    assert!(advisory.validate(&cat).is_empty());
    assert_eq!(advisory.tlp, Tlp::Clear);
    let publisher = PublisherInfo {
        name: "School-CERT".into(),
        namespace: "https://www.schoolcert.test".into(),
        contact_details: Some("cert@schoolcert.test".into()),
        issuing_authority: None,
    };
    let base = "https://www.schoolcert.test/.well-known/csaf/";
    let json =
        publish::to_csaf(&advisory, &cat, &publisher, base, env!("CARGO_PKG_VERSION")).unwrap();
    let signer = Signer::from_armored(&key(), "").unwrap();
    let config = ProviderConfig {
        base_url: base.into(),
        publisher,
        list_on_aggregators: true,
        mirror_on_aggregators: true,
        advertise_protected_feeds: false,
    };
    let files = publish::build(
        &config,
        &[PublishedDocument::from_json(&json).unwrap()],
        &signer,
        now,
    )
    .unwrap();

    // Another CERT retrieves it by the rules and matches it against its own boards.
    let mut web = Memory(
        files
            .into_iter()
            .map(|f| (format!("https://www.schoolcert.test/{}", f.path), f.bytes))
            .collect(),
    );
    let url = url::Url::parse(&format!("{base}provider-metadata.json")).unwrap();
    let report = retrieve::run(
        ProviderSync::new(url, SyncConfig::default(), TrustedKeys::new()),
        &mut web,
    );
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.documents.len(), 1);
    let loaded = csaf::load(&report.documents[0].bytes).unwrap();
    let again = matcher.match_statements(&loaded.document.statements());
    let boards_hit: Vec<_> = again.iter().map(|m| (m.board.0, m.relation)).collect();
    // The advisory covers all versions of PAN-OS (no range given): affected versions
    // cannot be decided from it, so every PAN-OS board is asked to check.
    assert_eq!(
        boards_hit,
        [
            (1, VersionRelation::VersionNotStated),
            (2, VersionRelation::VersionNotStated),
            (3, VersionRelation::VersionNotStated)
        ]
    );
}
