//! Tests of CVE record parsing and the version evaluation.

use super::*;
use crate::version::VersionScheme;

const PANOS: &str = include_str!("../../tests/fixtures/cve/CVE-2024-3400.json");

#[test]
fn reads_cna_and_adp_containers() {
    let r = parse_record(PANOS.as_bytes()).unwrap();
    assert_eq!(r.id.as_str(), "CVE-2024-3400");
    assert_eq!(r.state, CveState::Published);
    assert_eq!(r.affected.len(), 3);
    assert_eq!(r.affected[2].container, "CISA-ADP");
    assert_eq!(r.affected[2].cpes.len(), 1);
    assert_eq!(r.cvss.as_ref().map(|c| c.version.as_str()), Some("4.0"));
    assert_eq!(r.cwes, ["CWE-77"]);
    assert_eq!(r.adp_kev_date_added, Some("2024-04-12".parse().unwrap()));
    assert_eq!(
        r.ssvc.as_ref().and_then(|s| s.exploitation.as_deref()),
        Some("active")
    );
    assert_eq!(r.statements().len(), 3);
    assert_eq!(
        &*r.statements()[0].fixed_versions,
        ["10.2.0-h3", "10.2.9-h1", "11.0.4-h1", "11.1.2-h3"]
    );
}

#[test]
fn default_status_and_changes_decide_per_version() {
    let r = parse_record(PANOS.as_bytes()).unwrap();
    let v = &r.affected[0].versions;
    let s = VersionScheme::Panos;
    use CveStatus::*;
    let table = [
        ("10.2.0", Affected),
        ("10.2.0-h2", Affected),
        // A hotfix listed in `changes` ends the affected range early.
        ("10.2.0-h3", Unaffected),
        ("10.2.5", Unaffected),
        ("10.2.9-h1", Unaffected),
        ("11.0.3", Affected),
        ("11.0.4-h1", Unaffected),
        ("11.1.2-h2", Affected),
        ("10.1.12", Unaffected),
        ("garbage", Unknown),
    ];
    for (version, want) in table {
        assert_eq!(v.status_of(version, s), want, "{version}");
    }
    // Without a vendor scheme the hotfix suffixes cannot be ordered: undecided.
    assert_eq!(v.status_of("10.2.9", VersionScheme::Dotted), Unknown);
    assert_eq!(v.status_without_version(), Unknown);
}

#[test]
fn whole_product_statements_decide_without_versions() {
    let all = CveVersions {
        entries: vec![],
        default_status: CveStatus::Affected,
    };
    assert_eq!(all.status_without_version(), CveStatus::Affected);
    let none = CveVersions {
        entries: vec![CveVersionEntry {
            version: "All".into(),
            status: CveStatus::Unaffected,
            version_type: None,
            less_than: None,
            less_than_or_equal: None,
            changes: vec![],
        }],
        default_status: CveStatus::Unaffected,
    };
    assert_eq!(none.status_without_version(), CveStatus::Unaffected);
}

#[test]
fn wildcard_and_inclusive_bounds() {
    let entry = |v: &str, lt: Option<&str>, le: Option<&str>| CveVersionEntry {
        version: v.into(),
        status: CveStatus::Affected,
        version_type: Some("custom".into()),
        less_than: lt.map(Into::into),
        less_than_or_equal: le.map(Into::into),
        changes: vec![],
    };
    let versions = CveVersions {
        entries: vec![
            entry("0", Some("4.1.*"), None),
            entry("5.0", None, Some("5.0.3")),
            entry("6.0", Some("*"), None),
        ],
        default_status: CveStatus::Unaffected,
    };
    let d = VersionScheme::Dotted;
    assert_eq!(versions.status_of("4.1.9", d), CveStatus::Affected);
    assert_eq!(versions.status_of("4.2.0", d), CveStatus::Unaffected);
    assert_eq!(versions.status_of("5.0.3", d), CveStatus::Affected);
    assert_eq!(versions.status_of("5.0.4", d), CveStatus::Unaffected);
    assert_eq!(versions.status_of("9.9", d), CveStatus::Affected);
    assert_eq!(
        versions.status_of("1.0", VersionScheme::None),
        CveStatus::Unknown
    );
}

#[test]
fn tolerant_of_versions_and_refuses_what_is_not_a_record() {
    let newer = PANOS.replace("\"dataVersion\": \"5.1\"", "\"dataVersion\": \"5.1.1\"");
    assert!(parse_record(newer.as_bytes()).is_ok());
    let v4 = PANOS.replace("\"dataVersion\": \"5.1\"", "\"dataVersion\": \"4.0\"");
    assert!(matches!(
        parse_record(v4.as_bytes()),
        Err(CveError::DataVersion(_))
    ));
    let batch = parse_records([
        ("good.json", PANOS.as_bytes()),
        ("bad.json", b"{\"cveMetadata\": {}}".as_slice()),
        ("worse.json", b"not json".as_slice()),
    ]);
    assert_eq!(batch.accepted.len(), 1);
    let names: Vec<_> = batch.refused.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(names, ["bad.json", "worse.json"]);
}

#[test]
fn rejected_records_make_no_statements() {
    let rejected = r#"{"dataType":"CVE_RECORD","dataVersion":"5.0",
      "cveMetadata":{"cveId":"CVE-2024-0001","state":"REJECTED"},
      "containers":{"cna":{"rejectedReasons":[{"lang":"en","value":"Duplicate of CVE-2024-0002."}]}}}"#;
    let r = parse_record(rejected.as_bytes()).unwrap();
    assert_eq!(r.state, CveState::Rejected);
    assert_eq!(
        r.description.as_deref(),
        Some("Duplicate of CVE-2024-0002.")
    );
    assert!(r.statements().is_empty());
}

#[test]
fn delta_files_list_what_to_fetch() {
    let delta = r#"{"fetchTime":"2024-04-12T08:00:00.000Z","numberOfChanges":2,
      "new":[{"cveId":"CVE-2024-3400","cveOrgLink":"https://www.cve.org/CVERecord?id=CVE-2024-3400",
              "githubLink":"https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2024/3xxx/CVE-2024-3400.json",
              "dateUpdated":"2024-04-12T07:15:00.000Z"}],
      "updated":[{"cveId":"CVE-2023-4966","dateUpdated":"2024-04-12T07:30:00.000Z"},{"cveId":"bogus"}],
      "error":[]}"#;
    let d = parse_delta(delta.as_bytes()).unwrap();
    assert_eq!(d.new.len(), 1);
    assert_eq!(d.updated.len(), 1);
    let older = CveDelta {
        fetch_time: parse_rfc3339("2024-04-12T07:00:00Z"),
        new: vec![],
        updated: vec![DeltaEntry {
            cve_id: "CVE-2023-4966".parse().unwrap(),
            github_link: None,
            cve_org_link: None,
            date_updated: parse_rfc3339("2024-04-12T06:00:00Z"),
        }],
    };
    let log = vec![d.clone(), older];
    let all = changed_since(&log, None);
    let ids: Vec<_> = all.iter().map(|e| e.cve_id.as_str()).collect();
    assert_eq!(ids, ["CVE-2023-4966", "CVE-2024-3400"]);
    assert_eq!(all[0].date_updated, parse_rfc3339("2024-04-12T07:30:00Z"));
    let recent = changed_since(&log, parse_rfc3339("2024-04-12T07:00:00Z"));
    assert_eq!(recent.len(), 2);
    assert!(changed_since(&log, parse_rfc3339("2024-04-12T08:00:00Z")).is_empty());
    let parsed_log = parse_delta_log(format!("[{delta}]").as_bytes()).unwrap();
    assert_eq!(parsed_log.len(), 1);
}

#[test]
fn delta_entries_resolve_to_the_checkout_layout() {
    let path = |id: &str| record_path(&id.parse().unwrap());
    assert_eq!(
        path("CVE-2024-3400").as_deref(),
        Some("cves/2024/3xxx/CVE-2024-3400.json")
    );
    assert_eq!(
        path("CVE-2024-21762").as_deref(),
        Some("cves/2024/21xxx/CVE-2024-21762.json")
    );
    assert_eq!(
        path("CVE-2023-0001").as_deref(),
        Some("cves/2023/0xxx/CVE-2023-0001.json")
    );
}
