//! Tests of the catalogue: the seed loads cleanly, bad entries are reported, the index
//! resolves CPE, PURL and aliases.

use super::*;
use crate::cpe::CpeName;
use crate::purl::Purl;
use crate::statement::AdvisoryProduct;

#[test]
fn the_seed_catalogue_loads_without_problems() {
    let (cat, errors) = Catalogue::from_toml(SEED_TOML).unwrap();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(cat.len() >= 50, "only {} products", cat.len());
    assert_eq!(Catalogue::seed(), cat);
    let fortios = cat.get(&"fortinet-fortios".parse().unwrap()).unwrap();
    assert_eq!(fortios.version_scheme, VersionScheme::Fortinet);
    assert!(fortios.tracks_versions());
    let magister = cat.get(&"magister".parse().unwrap()).unwrap();
    assert!(!magister.tracks_versions());
    // The export reads back to the same catalogue.
    let again = Catalogue::from_toml(&cat.to_toml().unwrap()).unwrap();
    assert_eq!(again.0, cat);
    assert!(again.1.is_empty());
}

#[test]
fn bad_entries_are_reported_by_position_and_the_rest_loads() {
    let text = r#"
[[product]]
id = "good-one"
name = "Good"
vendor = "V"
category = "other"
deployment = "saas"
exposure = "internal"

[[product]]
id = "bad-cpe"
name = "Bad"
vendor = "V"
category = "other"
deployment = "saas"
exposure = "internal"
identifiers.cpe = ["cpe:2.3:o:fortinet"]

[[product]]
id = "Bad Id"
name = "Bad"
vendor = "V"
category = "other"
deployment = "saas"
exposure = "internal"

[[product]]
id = "good-one"
name = "Twice"
vendor = "V"
category = "other"
deployment = "saas"
exposure = "internal"

[[product]]
id = "typo"
name = "T"
vendor = "V"
category = "firewal"
deployment = "saas"
exposure = "internal"
"#;
    let (cat, errors) = Catalogue::from_toml(text).unwrap();
    assert_eq!(cat.len(), 1);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.position, e.id.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (2, Some("bad-cpe")),
            (3, Some("Bad Id")),
            (4, Some("good-one")),
            (5, Some("typo"))
        ]
    );
    assert!(
        errors[0].reason.contains("part, vendor and product"),
        "{}",
        errors[0].reason
    );
    assert!(errors[3].reason.contains("firewal"), "{}", errors[3].reason);
    assert!(matches!(
        Catalogue::from_toml("x = ["),
        Err(CatalogueError::Toml(_))
    ));
    assert_eq!(
        Catalogue::from_toml("a = 1"),
        Err(CatalogueError::NoProducts)
    );
}

fn resolve(ix: &CatalogueIndex, p: AdvisoryProduct) -> Vec<(String, MatchMethod)> {
    ix.resolve(&p)
        .into_iter()
        .map(|r| (ix.product(r.product).unwrap().id.to_string(), r.method))
        .collect()
}

#[test]
fn the_index_resolves_by_cpe_then_purl_then_alias() {
    let ix = Catalogue::seed().index();
    let by_cpe = AdvisoryProduct {
        vendor: Some("Some Vendor Name".into()),
        name: Some("Whatever".into()),
        cpes: vec![
            CpeName::parse("cpe:2.3:o:paloaltonetworks:pan-os:10.2.0:*:*:*:*:*:*:*").unwrap(),
        ],
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, by_cpe),
        [("paloalto-panos".into(), MatchMethod::Cpe)]
    );
    let windows = AdvisoryProduct {
        cpes: vec![
            CpeName::parse("cpe:2.3:o:microsoft:windows_11_23h2:*:*:*:*:*:*:x64:*").unwrap(),
        ],
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, windows),
        [("microsoft-windows".into(), MatchMethod::Cpe)]
    );
    let veeam = AdvisoryProduct {
        cpes: vec![
            CpeName::parse(r"cpe:2.3:a:veeam:veeam_backup_\&_replication:12.1:*:*:*:*:*:*:*")
                .unwrap(),
        ],
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, veeam),
        [("veeam-backup-replication".into(), MatchMethod::Cpe)]
    );
    let by_purl = AdvisoryProduct {
        purls: vec![Purl::parse("pkg:composer/moodle/moodle@4.3.2").unwrap()],
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, by_purl),
        [("moodle".into(), MatchMethod::Purl)]
    );
    let by_alias = AdvisoryProduct {
        vendor: Some("Pulse Secure".into()),
        name: Some("Pulse  connect-secure".into()),
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, by_alias),
        [("ivanti-connect-secure".into(), MatchMethod::Alias)]
    );
    let saas = AdvisoryProduct {
        vendor: Some("Iddink Group".into()),
        name: Some("Magister".into()),
        ..AdvisoryProduct::default()
    };
    assert_eq!(
        resolve(&ix, saas),
        [("magister".into(), MatchMethod::Alias)]
    );
    let nothing = AdvisoryProduct {
        vendor: Some("Acme".into()),
        name: Some("FortiOS".into()),
        ..AdvisoryProduct::default()
    };
    assert!(resolve(&ix, nothing).is_empty());
}

#[test]
fn only_identifier_changes_require_rematching() {
    let cat = Catalogue::seed();
    let old = cat
        .get(&"fortinet-fortios".parse().unwrap())
        .unwrap()
        .clone();
    let mut renamed = old.clone();
    renamed.name = "FortiGate".into();
    renamed.sector.model_agreement = AgreementStatus::Unknown;
    assert!(!old.matching_changed(&renamed));
    let mut alias = old.clone();
    alias.identifiers.aliases.push(Alias {
        vendor: "Fortinet Inc.".into(),
        product: "FortiOS".into(),
    });
    assert!(old.matching_changed(&alias));
}
