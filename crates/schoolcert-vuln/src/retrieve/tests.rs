//! Retrieval tests against an in-memory provider built by our own publisher.

use std::collections::HashMap;

use schoolcert_domain::Tlp;
use schoolcert_domain::time::parse_rfc3339;
use url::Url;

use super::*;
use crate::openpgp::{Signer, TrustedKeys, test_key};
use crate::publish::{self, ProviderConfig, PublishedDocument, PublisherInfo};

const HOST: &str = "https://www.schoolcert.test/";
const BASE: &str = "https://www.schoolcert.test/.well-known/csaf/";

struct Memory {
    files: HashMap<String, Vec<u8>>,
    log: Vec<String>,
}

impl Fetch for Memory {
    fn fetch(&mut self, request: &Request) -> Response {
        self.log.push(request.url.to_string());
        match self.files.get(request.url.as_str()) {
            Some(b) => Response::Body(b.clone()),
            None => Response::NotFound,
        }
    }
}

fn doc(id: &str, day: &str) -> PublishedDocument {
    let mut a = crate::advisory::tests::sample(Tlp::Clear);
    a.tracking_id = id.into();
    a.revisions[0].date = parse_rfc3339(&format!("2026-11-{day}T10:00:00Z")).unwrap();
    let publisher = PublisherInfo {
        name: "School-CERT".into(),
        namespace: "https://www.schoolcert.test".into(),
        contact_details: None,
        issuing_authority: None,
    };
    let json = publish::to_csaf(
        &a,
        &crate::catalogue::Catalogue::seed(),
        &publisher,
        BASE,
        "t",
    )
    .unwrap();
    PublishedDocument::from_json(&json).unwrap()
}

fn provider() -> (Memory, Signer) {
    let signer = Signer::from_armored(&test_key(3), "").unwrap();
    let config = ProviderConfig {
        base_url: BASE.into(),
        publisher: PublisherInfo {
            name: "School-CERT".into(),
            namespace: "https://www.schoolcert.test".into(),
            contact_details: None,
            issuing_authority: None,
        },
        list_on_aggregators: true,
        mirror_on_aggregators: false,
        advertise_protected_feeds: false,
    };
    let docs = vec![
        doc("SC-2026-0001", "20"),
        doc("SC-2026-0002", "21"),
        doc("SC-2026-0003", "22"),
    ];
    let files = publish::build(
        &config,
        &docs,
        &signer,
        parse_rfc3339("2026-11-23T00:00:00Z").unwrap(),
    )
    .unwrap();
    let files = files
        .into_iter()
        .map(|f| (format!("{HOST}{}", f.path), f.bytes))
        .collect();
    (Memory { files, log: vec![] }, signer)
}

fn metadata_url() -> Url {
    Url::parse(&format!("{BASE}provider-metadata.json")).unwrap()
}

#[test]
fn a_trusted_provider_is_retrieved_verified_and_in_order() {
    let (mut mem, signer) = provider();
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.fatal, None);
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    let provider = report.provider.as_ref().unwrap();
    assert_eq!(provider.role, Role::TrustedProvider);
    let ids: Vec<_> = report
        .documents
        .iter()
        .map(|d| d.url.path().to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            "/.well-known/csaf/white/2026/sc-2026-0001.json",
            "/.well-known/csaf/white/2026/sc-2026-0002.json",
            "/.well-known/csaf/white/2026/sc-2026-0003.json"
        ]
    );
    for d in &report.documents {
        assert_eq!(d.hash, HashCheck::Sha512);
        assert_eq!(d.signature, SignatureCheck::Verified(signer.fingerprint()));
        assert!(crate::csaf::load(&d.bytes).is_ok());
    }
    assert_eq!(report.cursor, parse_rfc3339("2026-11-22T10:00:00Z"));
    // ROLIE was preferred: changes.csv was not needed.
    assert!(
        mem.log
            .iter()
            .any(|u| u.ends_with("csaf-feed-tlp-white.json"))
    );
    assert!(!mem.log.iter().any(|u| u.ends_with("changes.csv")));
    assert_eq!(mem.log[0], metadata_url().to_string());
}

#[test]
fn a_wrong_hash_is_refused() {
    let (mut mem, _) = provider();
    let sha = format!("{BASE}white/2026/sc-2026-0002.json.sha512");
    mem.files.insert(
        sha,
        format!("{}  sc-2026-0002.json\n", "ab".repeat(64)).into_bytes(),
    );
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.documents.len(), 2);
    assert_eq!(report.refused.len(), 1);
    assert!(report.refused[0].source.ends_with("sc-2026-0002.json"));
    assert!(
        report.refused[0].reason.contains("SHA-512 mismatch"),
        "{}",
        report.refused[0].reason
    );
}

#[test]
fn a_tampered_document_or_a_foreign_signature_is_refused() {
    let (mut mem, _) = provider();
    // Tampered document with matching (recomputed) hashes: only the signature catches it.
    let url = format!("{BASE}white/2026/sc-2026-0001.json");
    let mut body = mem.files[&url].clone();
    body.extend_from_slice(b" ");
    use sha2::Digest;
    mem.files.insert(
        format!("{url}.sha512"),
        publish::hash_file(
            &hex::encode(sha2::Sha512::digest(&body)),
            "sc-2026-0001.json",
        ),
    );
    mem.files.insert(url.clone(), body);
    // Another document signed by someone else.
    let other = Signer::from_armored(&test_key(9), "").unwrap();
    let url3 = format!("{BASE}white/2026/sc-2026-0003.json");
    let asc = other
        .sign(
            &mem.files[&url3],
            parse_rfc3339("2026-11-22T10:00:00Z").unwrap(),
        )
        .unwrap();
    mem.files.insert(format!("{url3}.asc"), asc.into_bytes());
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.documents.len(), 1);
    let reasons: Vec<_> = report.refused.iter().map(|r| r.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("signature does not verify")),
        "{reasons:?}"
    );
}

#[test]
fn incremental_runs_start_after_the_cursor_and_respect_the_cap() {
    let (mut mem, _) = provider();
    let config = SyncConfig {
        since: parse_rfc3339("2026-11-20T10:00:00Z"),
        max_documents: 1,
        ..SyncConfig::default()
    };
    let report = run(
        ProviderSync::new(metadata_url(), config, TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.documents.len(), 1);
    assert!(
        report.documents[0]
            .url
            .path()
            .ends_with("sc-2026-0002.json")
    );
    assert!(report.more_remaining);
    assert_eq!(report.cursor, parse_rfc3339("2026-11-21T10:00:00Z"));
}

#[test]
fn directory_providers_use_changes_csv_or_fall_back_to_index_txt() {
    let (mut mem, _) = provider();
    // Turn the provider into an NCSC-style directory provider (no ROLIE, role provider).
    let meta = format!(
        r#"{{"canonical_url":"{BASE}provider-metadata.json","distributions":[{{"directory_url":"{BASE}white"}}],
           "last_updated":"2026-11-23T00:00:00Z","list_on_CSAF_aggregators":true,"metadata_version":"2.0",
           "mirror_on_CSAF_aggregators":false,"publisher":{{"category":"coordinator","name":"X","namespace":"https://x.test"}},
           "role":"csaf_provider"}}"#
    );
    mem.files
        .insert(metadata_url().to_string(), meta.into_bytes());
    mem.files.insert(
        format!("{BASE}white/changes.csv"),
        b"\"2026/sc-2026-0003.json\",\"2026-11-22T10:00:00.175708+00:00\"\n\"../../evil.json\",\"2026-11-22T10:00:00Z\"\n2026/sc-2026-0002.json,2026-11-21T10:00:00Z\n".to_vec(),
    );
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.documents.len(), 2);
    // No keys announced: hashes are checked, signatures cannot be.
    assert_eq!(report.documents[0].signature, SignatureCheck::NoKeys);
    assert!(
        report.problems.iter().any(|p| p.contains("line 2")),
        "{:?}",
        report.problems
    );
    mem.files.remove(&format!("{BASE}white/changes.csv"));
    mem.log.clear();
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut mem,
    );
    assert_eq!(report.documents.len(), 3);
    assert!(mem.log.iter().any(|u| u.ends_with("white/index.txt")));
    // index.txt has no times: the cursor cannot move.
    assert_eq!(report.cursor, None);
}

#[test]
fn pinned_keys_that_cannot_verify_refuse_everything() {
    let (mut mem, _) = provider();
    let mut pinned = TrustedKeys::new();
    let other = Signer::from_armored(&test_key(11), "").unwrap();
    pinned
        .add_armored(&other.public_key_armored().unwrap(), None)
        .unwrap();
    // Remove the published key: only the pinned (wrong) key remains.
    mem.files.retain(|k, _| !k.contains("/openpgp/"));
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), pinned),
        &mut mem,
    );
    assert!(report.documents.is_empty());
    assert_eq!(report.refused.len(), 3);
    assert!(report.problems.iter().any(|p| p.contains("public key")));
}

#[test]
fn missing_metadata_is_fatal_and_discovery_follows_the_rules() {
    let mut empty = Memory {
        files: HashMap::new(),
        log: vec![],
    };
    let report = run(
        ProviderSync::new(metadata_url(), SyncConfig::default(), TrustedKeys::new()),
        &mut empty,
    );
    assert!(report.fatal.unwrap().contains("does not exist"));
    assert_eq!(empty.log.len(), 1);
    let urls: Vec<String> = discovery_urls("Example.NL")
        .unwrap()
        .iter()
        .map(|u| u.to_string())
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.nl/.well-known/csaf/provider-metadata.json",
            "https://example.nl/.well-known/security.txt",
            "https://example.nl/security.txt",
            "https://csaf.data.security.example.nl/"
        ]
    );
    assert!(discovery_urls("https://x/").is_err());
    let sec = "Contact: mailto:cert@example.nl\nCSAF: https://example.nl/.well-known/csaf/provider-metadata.json\ncsaf: http://insecure.example/p.json\n";
    assert_eq!(security_txt_csaf_urls(sec).len(), 1);
    assert_eq!(parse_hash_file(b"abc"), None);
}
