//! Lookup correctness: most specific prefix, IPv6, overlaps, subdomains, IDN.

use super::*;

fn index(entries: &[(i64, i64, &str)]) -> LookupIndex {
    LookupIndex::build(entries.iter().filter_map(|(a, b, v)| entry(*a, *b, v)), [])
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn the_most_specific_prefix_wins() {
    let idx = index(&[
        (1, 10, "145.97.0.0/16"),
        (2, 20, "145.97.16.0/24"),
        (3, 30, "145.97.16.128/25"),
    ]);
    assert_eq!(idx.lookup_ip(ip("145.97.1.1")).board(), Some(BoardId(10)));
    assert_eq!(idx.lookup_ip(ip("145.97.16.1")).board(), Some(BoardId(20)));
    assert_eq!(
        idx.lookup_ip(ip("145.97.16.200")).board(),
        Some(BoardId(30))
    );
    assert_eq!(
        idx.owners_of_ip(ip("145.97.16.200")).unwrap()[0].board_id,
        BoardId(30)
    );
    assert!(idx.lookup_ip(ip("145.98.0.1")).owners.is_empty());
    assert!(idx.owners_of_ip(ip("8.8.8.8")).is_none());
}

#[test]
fn nested_claims_of_other_boards_are_reported_as_conflicts() {
    let idx = index(&[(1, 10, "145.97.0.0/16"), (2, 20, "145.97.16.0/24")]);
    let l = idx.lookup_ip(ip("145.97.16.1"));
    assert_eq!(l.board(), Some(BoardId(20)));
    assert_eq!(l.also_covered_by.len(), 1);
    assert_eq!(l.also_covered_by[0].matched, "145.97.0.0/16");
    assert!(l.conflict);
    assert_eq!(idx.overlapping_pairs().len(), 1);
}

#[test]
fn an_accepted_overlap_is_no_longer_a_conflict() {
    let idx = LookupIndex::build(
        [
            entry(1, 10, "145.97.0.0/16"),
            entry(2, 20, "145.97.16.0/24"),
        ]
        .into_iter()
        .flatten(),
        [(AssetId(2), AssetId(1))],
    );
    let l = idx.lookup_ip(ip("145.97.16.1"));
    assert_eq!(l.board(), Some(BoardId(20)));
    assert!(!l.conflict);
}

#[test]
fn the_same_prefix_claimed_by_two_boards_is_ambiguous() {
    let idx = index(&[(1, 10, "145.97.16.0/24"), (2, 20, "145.97.16.0/24")]);
    let l = idx.lookup_ip(ip("145.97.16.9"));
    assert_eq!(l.owners.len(), 2);
    assert_eq!(l.board(), None);
    assert!(l.conflict);
}

#[test]
fn one_board_with_nested_prefixes_is_not_a_conflict() {
    let idx = index(&[(1, 10, "145.97.0.0/16"), (2, 10, "145.97.16.0/24")]);
    let l = idx.lookup_ip(ip("145.97.16.1"));
    assert!(!l.conflict);
    assert!(l.also_covered_by.is_empty());
}

#[test]
fn ipv6_and_ipv4_mapped_addresses() {
    let idx = index(&[
        (1, 10, "2001:610::/32"),
        (2, 20, "2001:610:1::/48"),
        (3, 30, "145.97.16.0/24"),
    ]);
    assert_eq!(
        idx.lookup_ip(ip("2001:610:1::5")).board(),
        Some(BoardId(20))
    );
    assert_eq!(
        idx.lookup_ip(ip("2001:610:2::5")).board(),
        Some(BoardId(10))
    );
    assert_eq!(
        idx.lookup_ip(ip("::ffff:145.97.16.3")).board(),
        Some(BoardId(30))
    );
    assert!(idx.lookup_ip(ip("2001:611::1")).owners.is_empty());
}

#[test]
fn hosts_match_the_longest_registered_domain_at_label_boundaries() {
    let idx = index(&[
        (1, 10, "scholengroep.nl"),
        (2, 20, "obs-west.scholengroep.nl"),
    ]);
    assert_eq!(
        idx.lookup_host("scholengroep.nl").board(),
        Some(BoardId(10))
    );
    assert_eq!(
        idx.lookup_host("mail.scholengroep.nl").board(),
        Some(BoardId(10))
    );
    assert_eq!(
        idx.lookup_host("www.obs-west.scholengroep.nl").board(),
        Some(BoardId(20))
    );
    assert!(idx.lookup_host("notscholengroep.nl").owners.is_empty());
    assert!(idx.lookup_host("www.obs-west.scholengroep.nl").conflict);
    assert_eq!(
        idx.owners_of_normalised_host("a.b.scholengroep.nl")
            .unwrap()
            .0,
        "scholengroep.nl"
    );
}

#[test]
fn hosts_are_normalised_before_lookup() {
    let idx = index(&[(1, 10, "bücherschule.de")]);
    assert_eq!(
        idx.lookup_host("WWW.Bücherschule.DE.").board(),
        Some(BoardId(10))
    );
    assert_eq!(
        idx.lookup_host("www.xn--bcherschule-thb.de").board(),
        Some(BoardId(10))
    );
    assert!(idx.lookup_host("").owners.is_empty());
}
