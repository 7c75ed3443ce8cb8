//! Table tests for the version schemes and the containment check.

use std::cmp::Ordering::{self, *};

use super::*;

fn check(scheme: VersionScheme, table: &[(&str, &str, Option<Ordering>)]) {
    for (a, b, want) in table {
        assert_eq!(scheme.compare(a, b), *want, "{scheme}: {a} vs {b}");
        let reverse = want.map(Ordering::reverse);
        assert_eq!(scheme.compare(b, a), reverse, "{scheme}: {b} vs {a}");
    }
}

#[test]
fn dotted_and_intdot() {
    let table = [
        ("131.0.6778.85", "131.0.6778.108", Some(Less)),
        ("7.2", "7.2.0", Some(Equal)),
        ("v4.3.2", "4.3.10", Some(Less)),
        ("10.2.9-h1", "10.2.9", None),
        ("4.2-beta", "4.2", None),
        ("", "1", None),
        ("1..2", "1.2", None),
    ];
    check(VersionScheme::Dotted, &table);
    check(VersionScheme::Intdot, &table);
}

#[test]
fn semver_pads_short_versions_and_orders_prereleases_first() {
    check(
        VersionScheme::Semver,
        &[
            ("7.2", "7.2.0", Some(Equal)),
            ("1.0.0-rc.1", "1.0.0", Some(Less)),
            ("2.10.0", "2.9.9", Some(Greater)),
            ("7.2-beta", "7.2.0", None),
        ],
    );
}

#[test]
fn fortinet() {
    check(
        VersionScheme::Fortinet,
        &[
            ("7.2.10", "7.2.11", Some(Less)),
            ("v7.2.10 build1706", "7.2.10", Some(Equal)),
            ("7.2.10,build1706", "7.4.0", Some(Less)),
            ("7.0.17", "7.0.9", Some(Greater)),
            ("7.2.10 build", "7.2.10", None),
            ("7.2.10.1.1", "7.2.10", None),
        ],
    );
}

#[test]
fn netscaler_release_build() {
    check(
        VersionScheme::Netscaler,
        &[
            ("13.1-49.13", "13.1-49.15", Some(Less)),
            ("13.1-49.13", "13.1.49.13", Some(Equal)),
            ("14.1-8.50", "13.1-58.32", Some(Greater)),
            ("13.1-9.60", "13.1-49.13", Some(Less)),
            ("12.1-55.297", "13.0-1.1", Some(Less)),
            ("13.1-FIPS", "13.1-49.13", None),
        ],
    );
}

#[test]
fn ivanti_revisions() {
    check(
        VersionScheme::Ivanti,
        &[
            ("22.7R2.5", "22.7R2.6", Some(Less)),
            ("22.7R2", "22.7R2.0", Some(Equal)),
            ("9.1R18.2", "22.7R1", Some(Less)),
            ("22.7R1.2 build 1485", "22.7R1.2", Some(Equal)),
            ("22.7r2.3", "22.7R2.10", Some(Less)),
            ("22.7", "22.7R1", None),
        ],
    );
}

#[test]
fn panos_hotfixes_sort_after_their_base() {
    check(
        VersionScheme::Panos,
        &[
            ("10.2.9", "10.2.9-h1", Some(Less)),
            ("10.2.9-h1", "10.2.9-h12", Some(Less)),
            ("10.2.9-h12", "10.2.10", Some(Less)),
            ("11.1.2-h3", "11.1.2-h3", Some(Equal)),
            ("10.2", "10.2.0", Some(Equal)),
            ("10.2.9-hx", "10.2.9", None),
        ],
    );
}

#[test]
fn microsoft_builds() {
    check(
        VersionScheme::MsftBuild,
        &[
            ("10.0.22631.4037", "10.0.22631.4169", Some(Less)),
            ("10.0.19045.4780", "10.0.22631.0", Some(Less)),
            ("15.2.1544.14", "15.02.1544.014", Some(Equal)),
            ("15.1.2507.39", "15.2.1118.7", Some(Less)),
            ("CU14", "15.2.1544.14", None),
            ("10.0.22631.4037.1", "10.0.22631.4037", None),
        ],
    );
}

#[test]
fn cisco_letters() {
    check(
        VersionScheme::Cisco,
        &[
            ("17.9.4", "17.9.4a", Some(Less)),
            ("17.9.4a", "17.9.4b", Some(Less)),
            ("17.9.4a", "17.9.5", Some(Less)),
            ("17.9.4a", "17.9.4A", Some(Equal)),
        ],
    );
}

#[test]
fn none_scheme_never_decides() {
    check(VersionScheme::None, &[("1", "1", None)]);
}

#[test]
fn schemes_round_trip_their_codes() {
    for s in VersionScheme::ALL {
        assert_eq!(s.code().parse::<VersionScheme>(), Ok(s));
    }
    assert!("fortios".parse::<VersionScheme>().is_err());
}

fn contains(range: &str, version: &str, scheme: VersionScheme) -> Containment {
    range_spec(range).contains(version, scheme)
}

#[test]
fn vers_ranges_are_three_valued() {
    use Containment::*;
    use VersionScheme as S;
    let table = [
        ("vers:intdot/>=7.0.0|<7.2.11", "7.2.10", S::Dotted, Inside),
        ("vers:intdot/>=7.0.0|<7.2.11", "7.2.11", S::Dotted, Outside),
        ("vers:intdot/>=7.0.0|<7.2.11", "6.4.15", S::Dotted, Outside),
        (
            "vers:intdot/>=7.0.0|<7.2.11",
            "7.2.10-h1",
            S::Dotted,
            Undecided,
        ),
        // The vendor scheme replaces intdot, which would read 10.2.9-h1 as 10.2.9.
        (
            "vers:intdot/>=10.2.0|<10.2.9-h1",
            "10.2.9",
            S::Panos,
            Inside,
        ),
        (
            "vers:intdot/>=10.2.0|<10.2.9-h1",
            "10.2.9-h1",
            S::Panos,
            Outside,
        ),
        (
            "vers:intdot/>=10.2.0|<10.2.9-h1",
            "10.2.9-h3",
            S::Panos,
            Outside,
        ),
        ("vers:all/*", "1.0", S::Dotted, Inside),
        ("vers:all/*", "anything", S::None, Inside),
        ("vers:none/*", "1.0", S::Dotted, Outside),
        ("vers:unknown/*", "1.0", S::Dotted, Undecided),
        ("<4.2", "4.1", S::Dotted, Undecided),
        ("vers:generic/>=1.0|<2.0", "1.5", S::Dotted, Inside),
        ("vers:maven/>=1.0|<2.0", "1.5", S::Dotted, Undecided),
        ("vers:npm/>=1.0.0|<2.0.0", "1.5.0", S::Semver, Inside),
        ("vers:semver/>=7.0.0|<7.2.3", "7.2.3", S::Semver, Outside),
        ("vers:deb/>=1.0|<2.0", "1.5-1", S::Dotted, Inside),
        ("vers:intdot/>=1.0|<2.0", "1.5", S::None, Undecided),
        // Two intervals; the gap between them is outside.
        (
            "vers:intdot/>=1.0|<2.0|>=3.0|<4.0",
            "2.5",
            S::Dotted,
            Outside,
        ),
        (
            "vers:intdot/>=1.0|<2.0|>=3.0|<4.0",
            "3.5",
            S::Dotted,
            Inside,
        ),
        ("vers:intdot/<=2.0", "2.0", S::Dotted, Inside),
        ("vers:intdot/>3.0", "3.0.1", S::Dotted, Inside),
        ("vers:intdot/1.2|1.4", "1.4", S::Dotted, Inside),
        ("vers:intdot/1.2|1.4", "1.3", S::Dotted, Outside),
        ("vers:intdot/>=1.0|!=1.5|<2.0", "1.5", S::Dotted, Outside),
        ("vers:fortinet/>=7.0.0", "7.2.0", S::Fortinet, Undecided),
        ("vers:intdot/", "7.2.0", S::Dotted, Undecided),
    ];
    for (range, version, scheme, want) in table {
        assert_eq!(
            contains(range, version, scheme),
            want,
            "{range} ∋ {version} ({scheme})"
        );
    }
}

#[test]
fn exact_versions_compare_under_the_scheme_or_as_identical_text() {
    let spec = VersionSpec::Exact {
        version: "7.2.10".into(),
    };
    assert_eq!(
        spec.contains("v7.2.10", VersionScheme::Fortinet),
        Containment::Inside
    );
    assert_eq!(
        spec.contains("7.2.11", VersionScheme::Fortinet),
        Containment::Outside
    );
    let odd = VersionSpec::Exact {
        version: "2019 CU14".into(),
    };
    assert_eq!(
        odd.contains("2019 cu14", VersionScheme::MsftBuild),
        Containment::Inside
    );
    assert_eq!(
        odd.contains("2019 CU13", VersionScheme::MsftBuild),
        Containment::Undecided
    );
}

#[test]
fn malformed_vers_is_kept_with_a_reason() {
    match range_spec("vers:intdot/>=1.0||<2") {
        VersionSpec::Unevaluable { raw, reason } => {
            assert_eq!(raw, "vers:intdot/>=1.0||<2");
            assert!(reason.contains("empty constraint"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(parse_vers("intdot/1").is_err());
    assert_eq!(
        parse_vers("vers:intdot/%3E1"),
        Ok(VersionSpec::Vers {
            vers_type: "intdot".into(),
            constraints: vec![Constraint {
                op: Op::Eq,
                version: ">1".into()
            }],
            raw: "vers:intdot/%3E1".into()
        })
    );
}

mod properties {
    use proptest::prelude::*;

    use super::super::*;

    proptest! {
        #[test]
        fn comparison_is_antisymmetric(
            a in "[0-9]{1,3}(\\.[0-9]{1,3}){0,3}(-h[0-9])?",
            b in "[0-9]{1,3}(\\.[0-9]{1,3}){0,3}(-h[0-9])?",
        ) {
            for scheme in VersionScheme::ALL {
                prop_assert_eq!(
                    scheme.compare(&a, &b),
                    scheme.compare(&b, &a).map(std::cmp::Ordering::reverse)
                );
            }
        }

        #[test]
        fn parsers_never_panic_on_any_text(s in "\\PC{0,40}", v in "\\PC{0,12}") {
            for scheme in VersionScheme::ALL {
                let _ = scheme.key(&s);
                let _ = range_spec(&s).contains(&v, scheme);
                let _ = range_spec(&format!("vers:intdot/{s}")).contains(&v, scheme);
            }
        }
    }
}
