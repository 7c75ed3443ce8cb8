//! Publishing tests: exported advisories pass the CSAF tests; the provider directory is
//! complete, signed, and never exposes non-CLEAR documents.

use schoolcert_domain::Tlp;
use schoolcert_domain::time::parse_rfc3339;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::*;
use crate::advisory::tests::sample;
use crate::catalogue::Catalogue;
use crate::csaf::{self, CsafVersion, PUBLISH_EXTRA_TESTS};
use crate::openpgp::{Signer, TrustedKeys, test_key};

const BASE: &str = "https://www.schoolcert.test/.well-known/csaf/";

fn publisher() -> PublisherInfo {
    PublisherInfo {
        name: "School-CERT".into(),
        namespace: "https://www.schoolcert.test".into(),
        contact_details: Some("cert@schoolcert.test".into()),
        issuing_authority: None,
    }
}

fn config() -> ProviderConfig {
    ProviderConfig {
        base_url: BASE.into(),
        publisher: publisher(),
        list_on_aggregators: true,
        mirror_on_aggregators: true,
        advertise_protected_feeds: false,
    }
}

fn export(tlp: Tlp, id: &str) -> Value {
    let mut a = sample(tlp);
    a.tracking_id = id.into();
    to_csaf(&a, &Catalogue::seed(), &publisher(), BASE, "test").unwrap()
}

#[test]
fn exported_advisories_pass_schema_mandatory_and_publication_tests() {
    for tlp in Tlp::ALL {
        let json = export(tlp, "SC-2026-0001");
        let report = csaf::validate(&json, CsafVersion::V2_0, &PUBLISH_EXTRA_TESTS);
        assert!(report.is_valid(), "{tlp}: {}", report.summary());
    }
    // Without CVEs it is an informational advisory, which must pass too.
    let mut info = sample(Tlp::Clear);
    info.cves.clear();
    let json = to_csaf(&info, &Catalogue::seed(), &publisher(), BASE, "test").unwrap();
    assert_eq!(json["document"]["category"], "csaf_informational_advisory");
    let report = csaf::validate(&json, CsafVersion::V2_0, &PUBLISH_EXTRA_TESTS);
    assert!(report.is_valid(), "{}", report.summary());
    // The automatic P1 advisory too.
    let cat = Catalogue::seed();
    let (kev, _) = crate::kev::parse(crate::kev::tests::SAMPLE.as_bytes()).unwrap();
    let p1 = crate::advisory::automatic_p1(
        "SC-2024-0042",
        &"CVE-2024-3400".parse().unwrap(),
        cat.get(&"paloalto-panos".parse().unwrap()).unwrap(),
        &kev.entries[0],
        &["10.2.9-h1".into()],
        parse_rfc3339("2024-04-12T12:00:00Z").unwrap(),
    );
    let json = to_csaf(&p1, &cat, &publisher(), BASE, "test").unwrap();
    let report = csaf::validate(&json, CsafVersion::V2_0, &PUBLISH_EXTRA_TESTS);
    assert!(report.is_valid(), "{}", report.summary());
}

#[test]
fn an_exported_advisory_reads_back_and_matches_the_right_boards() {
    let json = export(Tlp::Clear, "SC-2026-0001");
    let bytes = canonical_json(&json);
    let loaded = csaf::load(&bytes).unwrap();
    let d = loaded.document;
    assert_eq!(d.tlp, Some(Tlp::Clear));
    assert_eq!(d.lang.as_deref(), Some("nl"));
    assert_eq!(
        d.canonical_url(),
        Some("https://www.schoolcert.test/.well-known/csaf/white/2026/sc-2026-0001.json")
    );
    let boards = [
        crate::matching::tests::landscape(1, &[("fortinet-fortios", &["7.2.5"])]),
        crate::matching::tests::landscape(2, &[("fortinet-fortios", &["7.2.7"])]),
        crate::matching::tests::landscape(3, &[("magister", &[])]),
    ];
    let m = crate::matching::Matcher::new(&Catalogue::seed(), &boards);
    let got: Vec<_> = m
        .match_statements(&d.statements())
        .into_iter()
        .map(|m| (m.board.0, m.relation))
        .collect();
    use crate::matching::VersionRelation::*;
    assert_eq!(got, [(1, Affected), (2, Fixed), (3, VersionNotStated)]);
}

fn published(tlp: Tlp, id: &str) -> PublishedDocument {
    PublishedDocument::from_json(&export(tlp, id)).unwrap()
}

#[test]
fn the_provider_directory_is_complete_and_signed() {
    let signer = Signer::from_armored(&test_key(7), "").unwrap();
    let now = parse_rfc3339("2026-11-23T12:00:00Z").unwrap();
    let mut second = export(Tlp::Clear, "SC-2026-0002");
    second["document"]["tracking"]["current_release_date"] = "2026-11-24T09:00:00.000Z".into();
    second["document"]["tracking"]["revision_history"][0]["date"] =
        "2026-11-24T09:00:00.000Z".into();
    second["document"]["tracking"]["initial_release_date"] = "2026-11-24T09:00:00.000Z".into();
    let docs = vec![
        published(Tlp::Clear, "SC-2026-0001"),
        PublishedDocument::from_json(&second).unwrap(),
    ];
    let files = build(&config(), &docs, &signer, now).unwrap();
    let get = |p: &str| {
        files
            .iter()
            .find(|f| f.path == format!(".well-known/csaf/{p}"))
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    let meta: Value = serde_json::from_slice(&get("provider-metadata.json").bytes).unwrap();
    assert_eq!(meta["role"], "csaf_trusted_provider");
    assert_eq!(meta["metadata_version"], "2.0");
    assert_eq!(
        meta["canonical_url"],
        format!("{BASE}provider-metadata.json")
    );
    assert_eq!(
        meta["distributions"][0]["directory_url"],
        format!("{BASE}white/")
    );
    assert_eq!(
        meta["distributions"][0]["rolie"]["feeds"][0]["tlp_label"],
        "WHITE"
    );
    assert_eq!(
        meta["public_openpgp_keys"][0]["fingerprint"],
        signer.fingerprint()
    );
    assert_eq!(
        String::from_utf8(get("white/index.txt").bytes.clone()).unwrap(),
        "2026/sc-2026-0001.json\n2026/sc-2026-0002.json\n"
    );
    // Newest first, quoted.
    assert_eq!(
        String::from_utf8(get("white/changes.csv").bytes.clone()).unwrap(),
        "\"2026/sc-2026-0002.json\",\"2026-11-24T09:00:00.000Z\"\n\"2026/sc-2026-0001.json\",\"2026-11-23T10:00:00.000Z\"\n"
    );
    let doc = &get("white/2026/sc-2026-0001.json").bytes;
    let sha = String::from_utf8(get("white/2026/sc-2026-0001.json.sha256").bytes.clone()).unwrap();
    assert_eq!(
        sha,
        format!("{}  sc-2026-0001.json\n", hex::encode(Sha256::digest(doc)))
    );
    assert!(get("white/2026/sc-2026-0001.json.sha512").bytes.len() > 128);
    let mut keys = TrustedKeys::new();
    let key_file = format!("openpgp/{}.asc", signer.fingerprint());
    keys.add_armored(std::str::from_utf8(&get(&key_file).bytes).unwrap(), None)
        .unwrap();
    keys.verify(doc, &get("white/2026/sc-2026-0001.json.asc").bytes)
        .unwrap();
    let feed: Value = serde_json::from_slice(&get("white/csaf-feed-tlp-white.json").bytes).unwrap();
    assert_eq!(feed["feed"]["entry"].as_array().unwrap().len(), 2);
    assert_eq!(feed["feed"]["entry"][0]["id"], "SC-2026-0002");
    assert_eq!(feed["feed"]["entry"][0]["link"][3]["rel"], "signature");
    // Every published document passes the CSAF tests as written.
    for f in files
        .iter()
        .filter(|f| f.path.ends_with(".json") && f.path.contains("/2026/"))
    {
        let v: Value = serde_json::from_slice(&f.bytes).unwrap();
        let report = csaf::validate(&v, CsafVersion::V2_0, &PUBLISH_EXTRA_TESTS);
        assert!(report.is_valid(), "{}: {}", f.path, report.summary());
    }
    assert!(files.iter().all(|f| f.access == Access::Public));
    assert_eq!(
        security_txt_line(&config()),
        "CSAF: https://www.schoolcert.test/.well-known/csaf/provider-metadata.json"
    );
}

#[test]
fn an_amber_advisory_is_never_public() {
    let signer = Signer::from_armored(&test_key(7), "").unwrap();
    let now = parse_rfc3339("2026-11-23T12:00:00Z").unwrap();
    let docs = vec![
        published(Tlp::Clear, "SC-2026-0001"),
        published(Tlp::Amber, "SC-2026-0077"),
        published(Tlp::AmberStrict, "SC-2026-0078"),
        published(Tlp::Red, "SC-2026-0079"),
    ];
    assert_eq!(docs[2].tlp, Tlp::AmberStrict);
    let files = build(&config(), &docs, &signer, now).unwrap();
    for f in &files {
        let text = String::from_utf8_lossy(&f.bytes).to_lowercase();
        let secret = [
            "sc-2026-0077",
            "sc-2026-0078",
            "sc-2026-0079",
            "amber",
            "red/",
        ]
        .iter()
        .any(|s| text.contains(s) || f.path.contains(s));
        if f.access == Access::Public {
            assert!(
                !secret,
                "public file {} mentions a protected document",
                f.path
            );
            assert!(
                !f.path.contains("/amber/") && !f.path.contains("/red/"),
                "{}",
                f.path
            );
        }
        if f.path.contains("/amber/") {
            assert!(
                matches!(f.access, Access::Restricted(Tlp::Amber | Tlp::AmberStrict)),
                "{}",
                f.path
            );
        }
    }
    assert!(
        files
            .iter()
            .any(|f| f.path == ".well-known/csaf/amber/2026/sc-2026-0077.json")
    );
    assert!(
        files
            .iter()
            .any(|f| f.path == ".well-known/csaf/red/2026/sc-2026-0079.json.asc")
    );
}

#[test]
fn an_invalid_document_stops_the_whole_publication() {
    let signer = Signer::from_armored(&test_key(7), "").unwrap();
    let mut bad = export(Tlp::Clear, "SC-2026-0003");
    // Contradicting status: the same product both affected and not affected (6.1.6).
    bad["vulnerabilities"][0]["product_status"]["known_not_affected"] =
        serde_json::json!(["SCPID-magister"]);
    let docs = vec![
        published(Tlp::Clear, "SC-2026-0001"),
        PublishedDocument::from_json(&bad).unwrap(),
    ];
    let err = build(
        &config(),
        &docs,
        &signer,
        parse_rfc3339("2026-11-23T12:00:00Z").unwrap(),
    )
    .unwrap_err();
    let PublishError::Invalid {
        tracking_id,
        report,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(tracking_id, "SC-2026-0003");
    assert_eq!(report.failed_tests(), ["6.1.6"]);
    let mut unlabelled = export(Tlp::Clear, "SC-2026-0004");
    unlabelled["document"]
        .as_object_mut()
        .unwrap()
        .remove("distribution");
    assert_eq!(
        PublishedDocument::from_json(&unlabelled),
        Err(PublishError::NoTlp)
    );
}
