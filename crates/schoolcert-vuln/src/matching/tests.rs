//! Matching tests on real-shaped CSAF documents and CVE records: boards are matched exactly
//! by their landscape, with the right version relation.

use super::*;
use crate::catalogue::Catalogue;
use crate::csaf;
use crate::cve;
use crate::landscape::{LandscapeEntry, ManagedBy};

const FORTIOS: &str = include_str!("../../tests/fixtures/csaf/fortios-product-versions.json");
const NCSC: &str = include_str!("../../tests/fixtures/csaf/ncsc-version-ranges.json");
const PANOS_CVE: &str = include_str!("../../tests/fixtures/cve/CVE-2024-3400.json");

pub(crate) fn landscape(board: i64, items: &[(&str, &[&str])]) -> Landscape {
    Landscape {
        board: BoardId(board),
        entries: items
            .iter()
            .map(|(id, versions)| LandscapeEntry {
                product: LandscapeProduct::Catalogue {
                    id: id.parse().unwrap(),
                },
                versions: versions.iter().map(|v| v.to_string()).collect(),
                schools: vec![],
                managed_by: ManagedBy::SelfManaged,
                notes: None,
            })
            .collect(),
    }
}

fn summary(ms: &[Match]) -> Vec<(i64, String, VersionRelation, MatchLevel, Vec<String>)> {
    ms.iter()
        .map(|m| {
            (
                m.board.0,
                m.product.to_string(),
                m.relation,
                m.level,
                m.affected_versions.clone(),
            )
        })
        .collect()
}

#[test]
fn csaf_product_version_leaves_match_boards_exactly() {
    let doc = csaf::load(FORTIOS.as_bytes()).unwrap().document;
    let boards = [
        landscape(1, &[("fortinet-fortios", &["7.2.6"]), ("magister", &[])]),
        landscape(2, &[("fortinet-fortios", &["7.2.7"])]),
        landscape(3, &[("fortinet-fortios", &[])]),
        landscape(4, &[("fortinet-fortios", &["7.2.5"])]),
        landscape(5, &[("paloalto-panos", &["10.2.5"])]),
        landscape(6, &[("fortinet-fortios", &["7.2.7", "7.4.2"])]),
    ];
    let m = Matcher::new(&Catalogue::seed(), &boards);
    let got = m.match_statements(&doc.statements());
    use MatchLevel::*;
    use VersionRelation::*;
    let p = "fortinet-fortios".to_string();
    assert_eq!(
        summary(&got),
        [
            (1, p.clone(), Affected, Version, vec!["7.2.6".to_string()]),
            (2, p.clone(), Fixed, Version, vec![]),
            (3, p.clone(), VersionNotStated, Product, vec![]),
            (6, p.clone(), Affected, Version, vec!["7.4.2".to_string()]),
        ]
    );
    assert!(got.iter().all(|m| m.method == MatchMethod::Cpe));
    assert_eq!(&*got[0].fixed_versions, ["7.2.7", "7.4.3"]);
    assert_eq!(got[0].remediations.len(), 2);
    assert_eq!(got[0].vulnerability.to_string(), "CVE-2024-21762");
    assert_eq!(got[0].sources.len(), 1);
}

#[test]
fn vers_ranges_all_and_unknown_give_three_valued_answers() {
    let doc = csaf::load(NCSC.as_bytes()).unwrap().document;
    let boards = [
        landscape(1, &[("paloalto-panos", &["10.2.5"])]),
        landscape(2, &[("paloalto-panos", &["10.2.9-h1"])]),
        landscape(3, &[("magister", &[]), ("somtoday", &[])]),
        landscape(4, &[("paloalto-panos", &[])]),
    ];
    let m = Matcher::new(&Catalogue::seed(), &boards);
    let got = m.match_statements(&doc.statements());
    use MatchLevel::*;
    use VersionRelation::*;
    assert_eq!(
        summary(&got),
        [
            (
                1,
                "paloalto-panos".into(),
                Affected,
                Version,
                vec!["10.2.5".to_string()]
            ),
            // Outside the vers range, but the second range is vers:unknown/*: check.
            (
                2,
                "paloalto-panos".into(),
                VersionNotStated,
                Version,
                vec![]
            ),
            (
                4,
                "paloalto-panos".into(),
                VersionNotStated,
                Product,
                vec![]
            ),
            // vers:all/* on a SaaS product: affected, product level.
            (3, "magister".into(), Affected, Product, vec![]),
        ]
    );
    assert_eq!(got[0].method, MatchMethod::Alias);
    assert!(got[0].is_probable());
}

#[test]
fn cve_records_use_the_cna_and_fall_back_to_adp_cpes() {
    let record = cve::parse_record(PANOS_CVE.as_bytes()).unwrap();
    let boards = [
        landscape(1, &[("paloalto-panos", &["10.2.0-h2"])]),
        landscape(2, &[("paloalto-panos", &["10.2.0-h3"])]),
        landscape(3, &[("paloalto-panos", &["11.1.2-h3"])]),
        landscape(4, &[("paloalto-panos", &[])]),
        landscape(5, &[("fortinet-fortios", &["7.2.6"])]),
    ];
    let m = Matcher::new(&Catalogue::seed(), &boards);
    let got = m.match_statements(&record.statements());
    use MatchLevel::*;
    use VersionRelation::*;
    assert_eq!(
        summary(&got),
        [
            (
                1,
                "paloalto-panos".into(),
                Affected,
                Version,
                vec!["10.2.0-h2".to_string()]
            ),
            // The CNA's `changes` say 10.2.0-h3 is fixed; the ADP copy of the range lacks
            // them and must not overrule the CNA.
            (2, "paloalto-panos".into(), NotAffected, Version, vec![]),
            (3, "paloalto-panos".into(), NotAffected, Version, vec![]),
            (
                4,
                "paloalto-panos".into(),
                VersionNotStated,
                Product,
                vec![]
            ),
        ]
    );
    // Both containers resolved; the ADP's CPE makes the match certain.
    assert_eq!(got[0].method, MatchMethod::Cpe);
    assert_eq!(got[0].sources.len(), 2);
    assert_eq!(
        &*got[0].fixed_versions,
        ["10.2.0-h3", "10.2.9-h1", "11.0.4-h1", "11.1.2-h3"]
    );
}

#[test]
fn proposals_and_unknown_products_never_match_and_names_are_reported() {
    let record = cve::parse_record(PANOS_CVE.as_bytes()).unwrap();
    let mut l = landscape(1, &[]);
    l.entries.push(LandscapeEntry {
        product: LandscapeProduct::Proposed {
            vendor: "Palo Alto Networks".into(),
            name: "PAN-OS".into(),
        },
        versions: vec![],
        schools: vec![],
        managed_by: ManagedBy::SelfManaged,
        notes: None,
    });
    let m = Matcher::new(&Catalogue::seed(), &[l]);
    assert!(m.match_statements(&record.statements()).is_empty());
    let unresolved = m.unresolved_names(&record.statements());
    assert_eq!(
        unresolved,
        [(
            "Palo Alto Networks".to_string(),
            "Cloud NGFW".to_string(),
            1
        )]
    );
}

#[test]
fn one_board_with_two_lines_for_a_product_gets_one_match() {
    let doc = csaf::load(FORTIOS.as_bytes()).unwrap().document;
    let mut l = landscape(1, &[("fortinet-fortios", &["7.2.7"])]);
    l.entries
        .extend(landscape(1, &[("fortinet-fortios", &["7.2.6"])]).entries);
    let m = Matcher::new(&Catalogue::seed(), &[l]);
    let got = m.match_statements(&doc.statements());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].relation, VersionRelation::Affected);
    assert_eq!(got[0].affected_versions, ["7.2.6"]);
}
