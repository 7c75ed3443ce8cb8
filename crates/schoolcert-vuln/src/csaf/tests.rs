//! Tests of CSAF loading, validation, the flattened model and statements.

use super::*;
use crate::statement::{Applicability, ProductStatus};
use crate::version::VersionSpec;

pub(crate) const FORTIOS: &str =
    include_str!("../../tests/fixtures/csaf/fortios-product-versions.json");
const NCSC: &str = include_str!("../../tests/fixtures/csaf/ncsc-version-ranges.json");
const INVALID: &str = include_str!("../../tests/fixtures/csaf/invalid-contradicting-status.json");
const DRAFT21: &str = include_str!("../../tests/fixtures/csaf/csaf21-draft-moodle.json");
const REV2: &str = include_str!("../../tests/fixtures/csaf/fortios-product-versions-rev2.json");
const REV3: &str = include_str!("../../tests/fixtures/csaf/fortios-product-versions-rev3.json");

#[test]
fn a_valid_vendor_document_loads_into_the_model() {
    let loaded = load(FORTIOS.as_bytes()).unwrap();
    assert!(loaded.report.is_valid(), "{}", loaded.report.summary());
    assert!(loaded.report.passed.iter().any(|t| t == "6.1.6"));
    let d = &loaded.document;
    assert_eq!(d.key.tracking_id, "FG-IR-24-015");
    assert_eq!(d.key.publisher_namespace, "https://psirt.example.test");
    assert_eq!(d.tlp, Some(schoolcert_domain::Tlp::Clear));
    assert_eq!(d.products.len(), 4);
    let p = d.product("CSAFPID-0001").unwrap();
    assert_eq!(p.vendor.as_deref(), Some("Fortinet"));
    assert_eq!(p.product_name.as_deref(), Some("FortiOS"));
    assert_eq!(
        p.versions,
        VersionSpec::Exact {
            version: "7.2.6".into()
        }
    );
    assert!(p.cpe.is_some());
    let v = &d.vulnerabilities[0];
    assert_eq!(v.cve.as_ref().map(|c| c.as_str()), Some("CVE-2024-21762"));
    // The group reference of the vendor fix is resolved to its products.
    assert_eq!(
        v.remediations[0].product_ids,
        ["CSAFPID-0001", "CSAFPID-0002"]
    );
    assert_eq!(v.scores[0].base_score, 9.8);
    assert_eq!(loaded.sha256.len(), 64);
}

#[test]
fn statements_carry_status_versions_remediations_and_fixes() {
    let d = load(FORTIOS.as_bytes()).unwrap().document;
    let st = d.statements();
    assert_eq!(st.len(), 4);
    let first = &st[0];
    assert_eq!(first.vulnerability.to_string(), "CVE-2024-21762");
    assert_eq!(
        first.applicability,
        Applicability::Csaf {
            status: ProductStatus::Affected,
            versions: VersionSpec::Exact {
                version: "7.2.6".into()
            }
        }
    );
    assert_eq!(first.remediations.len(), 2);
    assert_eq!(&*first.fixed_versions, ["7.2.7", "7.4.3"]);
    assert_eq!(first.product.cpes.len(), 1);
}

#[test]
fn version_ranges_and_vers_unknown_are_read() {
    let loaded = load(NCSC.as_bytes()).unwrap();
    assert!(loaded.report.is_valid(), "{}", loaded.report.summary());
    let d = loaded.document;
    assert_eq!(d.lang.as_deref(), Some("nl"));
    let ranges: Vec<_> = d.products.iter().map(|p| p.versions.clone()).collect();
    assert!(matches!(&ranges[0], VersionSpec::Vers { vers_type, .. } if vers_type == "intdot"));
    assert!(matches!(&ranges[1], VersionSpec::Unevaluable { raw, .. } if raw == "vers:unknown/*"));
    assert_eq!(ranges[2], VersionSpec::All);
    // The second vulnerability has no CVE: keyed by its own id.
    assert_eq!(
        d.vuln_key(1).unwrap().to_string(),
        "Example NCSC:NCSC-2024-0155-MAG"
    );
    assert_eq!(d.statements().len(), 3);
}

#[test]
fn contradicting_status_is_refused_with_a_report() {
    let err = load(INVALID.as_bytes()).unwrap_err();
    let CsafLoadError::Invalid {
        tracking_id,
        report,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(tracking_id.as_deref(), Some("FG-IR-24-999"));
    assert_eq!(report.failed_tests(), ["6.1.6"]);
    let nl = err.message(Lang::Nl);
    assert!(nl.contains("FG-IR-24-999") && nl.contains("6.1.6"), "{nl}");
}

#[test]
fn csaf_21_drafts_are_accepted_tolerantly() {
    let loaded = load(DRAFT21.as_bytes()).unwrap();
    let d = loaded.document;
    assert_eq!(d.csaf_version, CsafVersion::V2_1);
    assert_eq!(d.tlp, Some(schoolcert_domain::Tlp::Clear));
    assert_eq!(d.products[0].purls, ["pkg:composer/moodle/moodle"]);
    let v = &d.vulnerabilities[0];
    assert_eq!(v.scores[0].base_score, 5.4);
    assert_eq!(v.epss, Some(0.001));
    assert_eq!(d.statements().len(), 2);
}

#[test]
fn revisions_of_the_same_document_are_recognised() {
    let v1 = load(FORTIOS.as_bytes()).unwrap().document;
    let v2 = load(REV2.as_bytes()).unwrap().document;
    let v3 = load(REV3.as_bytes()).unwrap().document;
    assert_eq!(v1.revision_change(&v2), Some(VersionChange::Minor));
    assert!(!VersionChange::Minor.requires_rematch());
    assert_eq!(v2.revision_change(&v3), Some(VersionChange::Major));
    assert!(VersionChange::Major.requires_rematch());
    assert_eq!(v3.revision_change(&v1), Some(VersionChange::Older));
    let other = load(NCSC.as_bytes()).unwrap().document;
    assert_eq!(v1.revision_change(&other), None);
    assert_eq!(version_change("1", "2"), VersionChange::IntegerIncrease);
    assert_eq!(version_change("1", "1.0.0"), VersionChange::Incomparable);
    assert_eq!(version_change("1.0.0", "1.0.1"), VersionChange::Patch);
}

#[test]
fn bad_input_is_refused_by_name_and_the_rest_kept() {
    let mut seq = Vec::new();
    seq.push(0x1E);
    seq.extend_from_slice(FORTIOS.as_bytes());
    seq.push(0x1E);
    seq.extend_from_slice(b"{\"document\": {}}");
    let batch = load_many(
        [
            ("a.json", FORTIOS.as_bytes()),
            ("broken.json", b"{not json".as_slice()),
            (
                "old.json",
                b"{\"document\":{\"csaf_version\":\"1.2\"}}".as_slice(),
            ),
            ("stream.json-seq", seq.as_slice()),
            ("invalid.json", INVALID.as_bytes()),
        ],
        Lang::Nl,
    );
    assert_eq!(batch.accepted.len(), 2);
    let refused: Vec<_> = batch.refused.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(
        refused,
        [
            "broken.json",
            "old.json",
            "stream.json-seq #2",
            "invalid.json"
        ]
    );
    assert!(
        batch.refused[1].reason.contains("1.2"),
        "{}",
        batch.refused[1].reason
    );
    let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(load(&big), Err(CsafLoadError::TooLarge { .. })));
}

#[test]
fn file_names_follow_section_5_1() {
    assert_eq!(file_name("BSI-2022-0001"), "bsi-2022-0001.json");
    assert_eq!(
        file_name("Example Company - 2019-YH3234"),
        "example_company_-_2019-yh3234.json"
    );
    assert_eq!(file_name("SC-2026-0001"), "sc-2026-0001.json");
}
