//! The life of a match (board × product × vulnerability): new → notified → the board's own
//! status (not remediated, in progress, done, not applicable), and the CSAF 9.1.13 rule that
//! a newer revision is not a new alert unless what is affected or what to do changed.

use std::fmt;
use std::str::FromStr;

use schoolcert_domain::Lang;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::matching::Match;
use crate::text::normalise_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchState {
    /// Found, not yet sent to the board.
    New,
    /// Sent; the board has not set a status.
    Notified,
    NotRemediated,
    InProgress,
    Done,
    /// The board (or the analyst) says it does not apply (false positive, not in use).
    NotApplicable,
}

impl MatchState {
    pub const ALL: [MatchState; 6] = [
        MatchState::New,
        MatchState::Notified,
        MatchState::NotRemediated,
        MatchState::InProgress,
        MatchState::Done,
        MatchState::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MatchState::New => "new",
            MatchState::Notified => "notified",
            MatchState::NotRemediated => "not_remediated",
            MatchState::InProgress => "in_progress",
            MatchState::Done => "done",
            MatchState::NotApplicable => "not_applicable",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            MatchState::New => lang.pick("Nieuw", "New"),
            MatchState::Notified => lang.pick("Gemeld", "Notified"),
            MatchState::NotRemediated => lang.pick("Niet opgelost", "Not remediated"),
            MatchState::InProgress => lang.pick("Oplossing loopt", "Remediation in progress"),
            MatchState::Done => lang.pick("Opgelost", "Remediation done"),
            MatchState::NotApplicable => lang.pick("Niet van toepassing", "Not applicable"),
        }
    }

    /// The statuses a board sets itself (bulk changes allowed).
    pub fn is_board_status(self) -> bool {
        matches!(
            self,
            MatchState::NotRemediated
                | MatchState::InProgress
                | MatchState::Done
                | MatchState::NotApplicable
        )
    }

    /// Whether the match still needs the board's attention (statistics, reminders).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            MatchState::New
                | MatchState::Notified
                | MatchState::NotRemediated
                | MatchState::InProgress
        )
    }
}

impl fmt::Display for MatchState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown match state '{0}'")]
pub struct UnknownState(pub String);

impl FromStr for MatchState {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatchState::ALL
            .into_iter()
            .find(|m| m.code() == s.trim())
            .ok_or_else(|| UnknownState(s.to_owned()))
    }
}

/// Who changes a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Changer {
    /// The platform (sending a notification, processing a revision).
    System,
    /// A CERT analyst.
    Cert,
    /// A contact of the board the match belongs to.
    Board,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a match cannot go from '{from}' to '{to}' by {by:?}")]
pub struct BadTransition {
    pub from: MatchState,
    pub to: MatchState,
    pub by: Changer,
}

/// Checks a state change. Boards move only between their own statuses once notified; the
/// platform notifies and re-opens; analysts may also dismiss a new match as not applicable
/// before it is sent.
pub fn transition(
    from: MatchState,
    to: MatchState,
    by: Changer,
) -> Result<MatchState, BadTransition> {
    use MatchState::*;
    let ok = match (by, from, to) {
        (Changer::System | Changer::Cert, New, Notified) => true,
        (Changer::Cert, New, NotApplicable) => true,
        // A revision that changed what to do re-opens the match for a new notice.
        (Changer::System, _, New) => from != New,
        (Changer::Board | Changer::Cert, f, t) => f != New && t.is_board_status() && f != t,
        _ => false,
    };
    if ok {
        Ok(to)
    } else {
        Err(BadTransition { from, to, by })
    }
}

/// A digest of what a board is told about a match: the relation, the affected versions and
/// the remediation (categories, normalised texts, URLs, fixed versions). Two revisions with
/// the same fingerprint need no second notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(pub String);

impl Fingerprint {
    pub fn of(m: &Match) -> Fingerprint {
        let mut h = Sha256::new();
        let mut field = |label: &str, value: &str| {
            h.update(label.as_bytes());
            h.update([0x1f]);
            h.update(value.as_bytes());
            h.update([0x1e]);
        };
        field("relation", m.relation.code());
        for v in &m.affected_versions {
            field("affected", v);
        }
        let mut remediations: Vec<(String, String, String)> = m
            .remediations
            .iter()
            .map(|r| {
                (
                    r.category.code().to_owned(),
                    normalise_name(&r.details),
                    r.url.clone().unwrap_or_default(),
                )
            })
            .collect();
        remediations.sort();
        remediations.dedup();
        for (c, d, u) in &remediations {
            field("remediation", &format!("{c}\u{1f}{d}\u{1f}{u}"));
        }
        for f in m.fixed_versions.iter() {
            field("fixed", f);
        }
        Fingerprint(hex::encode(h.finalize()))
    }
}

/// What the store holds about a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMatch {
    pub state: MatchState,
    pub fingerprint: Fingerprint,
}

/// What to do with a stored match after (re-)matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Reconcile {
    /// A new match to store in state `new` (to be notified).
    Create { fingerprint: Fingerprint },
    /// Nothing the board needs to hear: keep the state, store the (possibly new) fingerprint.
    Keep { fingerprint: Fingerprint },
    /// The affected set or the remediation changed: back to `new` for a fresh notice.
    Renotify { fingerprint: Fingerprint },
    /// The match is gone (not affected any more, product removed): keep it for history but
    /// take it out of the open lists.
    Withdraw,
    /// Nothing stored and nothing to store.
    Ignore,
}

/// Decides between the stored match (if any) and the new matching result (if any). Only
/// notifiable relations (affected, version not stated) create or re-open matches.
pub fn reconcile(old: Option<&StoredMatch>, new: Option<&Match>) -> Reconcile {
    match (old, new) {
        (None, None) => Reconcile::Ignore,
        (Some(_), None) => Reconcile::Withdraw,
        (None, Some(m)) if m.relation.is_notifiable() => Reconcile::Create {
            fingerprint: Fingerprint::of(m),
        },
        (None, Some(_)) => Reconcile::Ignore,
        (Some(o), Some(m)) => {
            let fingerprint = Fingerprint::of(m);
            if fingerprint == o.fingerprint || !m.relation.is_notifiable() {
                Reconcile::Keep { fingerprint }
            } else if o.state == MatchState::New {
                // Not yet sent: the coming notice will carry the new facts anyway.
                Reconcile::Keep { fingerprint }
            } else {
                Reconcile::Renotify { fingerprint }
            }
        }
    }
}

/// CSAF 9.1.13 statistics for one document (or any set of matches): how many boards
/// matched, and how many matches per relation and per state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MatchStatistics {
    pub matches: usize,
    pub boards: usize,
    pub by_relation: std::collections::BTreeMap<&'static str, usize>,
    pub by_state: std::collections::BTreeMap<&'static str, usize>,
}

/// Counts (board, relation, state) triples as the store returns them.
pub fn statistics(
    items: impl IntoIterator<
        Item = (
            schoolcert_domain::BoardId,
            crate::matching::VersionRelation,
            MatchState,
        ),
    >,
) -> MatchStatistics {
    let mut s = MatchStatistics::default();
    let mut boards = std::collections::BTreeSet::new();
    for (board, relation, state) in items {
        s.matches += 1;
        boards.insert(board);
        *s.by_relation.entry(relation.code()).or_default() += 1;
        *s.by_state.entry(state.code()).or_default() += 1;
    }
    s.boards = boards.len();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use MatchState::*;

    #[test]
    fn statistics_count_boards_relations_and_states() {
        use crate::matching::VersionRelation as R;
        use schoolcert_domain::BoardId;
        let s = statistics([
            (BoardId(1), R::Affected, Done),
            (BoardId(1), R::VersionNotStated, Notified),
            (BoardId(2), R::Affected, InProgress),
        ]);
        assert_eq!(s.matches, 3);
        assert_eq!(s.boards, 2);
        assert_eq!(s.by_relation["affected"], 2);
        assert_eq!(s.by_state["done"], 1);
    }

    #[test]
    fn transitions() {
        assert_eq!(transition(New, Notified, Changer::System), Ok(Notified));
        assert!(transition(New, Done, Changer::Board).is_err());
        assert_eq!(
            transition(Notified, InProgress, Changer::Board),
            Ok(InProgress)
        );
        assert_eq!(transition(InProgress, Done, Changer::Board), Ok(Done));
        assert_eq!(
            transition(Done, NotRemediated, Changer::Board),
            Ok(NotRemediated)
        );
        assert!(transition(Done, Notified, Changer::Board).is_err());
        assert!(transition(Done, Done, Changer::Board).is_err());
        assert_eq!(transition(Done, New, Changer::System), Ok(New));
        assert!(transition(Done, New, Changer::Board).is_err());
        assert_eq!(
            transition(New, NotApplicable, Changer::Cert),
            Ok(NotApplicable)
        );
        for s in MatchState::ALL {
            assert_eq!(s.code().parse(), Ok(s));
        }
    }
}
