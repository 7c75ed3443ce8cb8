//! A newer revision of the same CSAF document updates matches and re-notifies only when the
//! affected set or the remediation changed (CSAF 9.1.13).

use std::collections::HashMap;

use schoolcert_domain::{BoardId, Lang};
use schoolcert_vuln::catalogue::Catalogue;
use schoolcert_vuln::csaf;
use schoolcert_vuln::landscape::{self, Landscape};
use schoolcert_vuln::match_state::{
    Changer, MatchState, Reconcile, StoredMatch, reconcile, transition,
};
use schoolcert_vuln::matching::{Match, Matcher};
use schoolcert_vuln::rematch::{Scope, Trigger};

const V1: &str = include_str!("../fixtures/csaf/fortios-product-versions.json");
const V2: &str = include_str!("../fixtures/csaf/fortios-product-versions-rev2.json");
const V3: &str = include_str!("../fixtures/csaf/fortios-product-versions-rev3.json");

fn boards(cat: &Catalogue) -> Vec<Landscape> {
    let rows = [
        (
            1,
            "fortinet-fortios;;7.2.6;;ICT Partner BV;\nmagister;;;;;\n",
        ),
        (2, "fortinet-fortios;;7.0.13;;;\n"),
        (3, "paloalto-panos;;10.2.5;;;\n"),
        (4, "FortiOS (FortiGate);Fortinet;;;;\n"),
    ];
    rows.iter()
        .map(|(b, csv)| {
            let (l, errors) =
                landscape::csv::parse(csv.as_bytes(), BoardId(*b), cat, Lang::Nl).unwrap();
            assert!(errors.is_empty(), "{errors:?}");
            l
        })
        .collect()
}

type Store = HashMap<(i64, String, String), StoredMatch>;

fn key(m: &Match) -> (i64, String, String) {
    (
        m.board.0,
        m.product.to_string(),
        m.vulnerability.to_string(),
    )
}

/// Applies a matching run to the store the way the app layer would; returns the actions.
fn apply(store: &mut Store, matches: &[Match]) -> Vec<(i64, &'static str)> {
    let mut actions = Vec::new();
    for m in matches {
        let k = key(m);
        let action = reconcile(store.get(&k), Some(m));
        let label = match &action {
            Reconcile::Create { fingerprint } => {
                store.insert(
                    k,
                    StoredMatch {
                        state: MatchState::New,
                        fingerprint: fingerprint.clone(),
                    },
                );
                "create"
            }
            Reconcile::Keep { fingerprint } => {
                if let Some(s) = store.get_mut(&k) {
                    s.fingerprint = fingerprint.clone();
                }
                "keep"
            }
            Reconcile::Renotify { fingerprint } => {
                if let Some(s) = store.get_mut(&k) {
                    s.state = transition(s.state, MatchState::New, Changer::System).unwrap();
                    s.fingerprint = fingerprint.clone();
                }
                "renotify"
            }
            Reconcile::Withdraw => "withdraw",
            Reconcile::Ignore => "ignore",
        };
        actions.push((m.board.0, label));
    }
    actions.sort();
    actions
}

#[test]
fn revisions_renotify_only_when_the_affected_set_or_remediation_changes() {
    let cat = Catalogue::seed();
    let matcher = Matcher::new(&cat, &boards(&cat));
    let v1 = csaf::load(V1.as_bytes()).unwrap().document;
    let v2 = csaf::load(V2.as_bytes()).unwrap().document;
    let v3 = csaf::load(V3.as_bytes()).unwrap().document;

    let mut store = Store::new();
    let first = matcher.match_statements(&v1.statements());
    // Board 1 runs 7.2.6 (affected); board 4 recorded no version (check); board 2 runs
    // 7.0.13, which revision 1 does not list; board 3 has no FortiOS.
    assert_eq!(apply(&mut store, &first), [(1, "create"), (4, "create")]);
    for s in store.values_mut() {
        s.state = transition(s.state, MatchState::Notified, Changer::System).unwrap();
    }
    let k1 = (
        1,
        "fortinet-fortios".to_string(),
        "CVE-2024-21762".to_string(),
    );
    store.get_mut(&k1).unwrap().state =
        transition(MatchState::Notified, MatchState::InProgress, Changer::Board).unwrap();

    // Revision 1.1.0: a note added. No run is required, and a manual run changes nothing.
    let change = v1.revision_change(&v2).unwrap();
    let trigger = Trigger::DocumentRevised {
        document: v2.key.clone(),
        change,
    };
    assert_eq!(trigger.scope(), Scope::Nothing);
    let second = matcher.match_statements(&v2.statements());
    assert_eq!(apply(&mut store, &second), [(1, "keep"), (4, "keep")]);
    assert_eq!(store[&k1].state, MatchState::InProgress);

    // Revision 2.0.0: 7.0 branch added and the remediation text changed.
    let change = v2.revision_change(&v3).unwrap();
    assert!(change.requires_rematch());
    let third = matcher.match_statements(&v3.statements());
    assert_eq!(
        apply(&mut store, &third),
        [(1, "renotify"), (2, "create"), (4, "renotify")]
    );
    assert_eq!(store[&k1].state, MatchState::New);
}
