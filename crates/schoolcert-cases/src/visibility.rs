//! Who may see which case and which item in it. CERT staff see everything; a board contact sees
//! the cases of their own board and only items marked shared with the board whose TLP allows
//! it; a reporter (through the status token) sees only their own CVD case's reporter-facing
//! items; a chain partner sees only what was shared with it. TLP:RED goes to named recipients
//! only, in the portal and in e-mail.
//!
//! Callers that find a case not visible should answer "not found", never "forbidden".

use serde::{Deserialize, Serialize};

use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::lang::Localized;
use schoolcert_domain::{BoardId, Lang, Tlp, UserId};

use crate::cvd::CvdState;
use crate::ids::{CaseId, PartyId};
use crate::reference::CaseKind;

/// Who is looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Viewer {
    /// CERT staff (analyst or administrator).
    Cert,
    BoardContact {
        board_id: BoardId,
        user_id: UserId,
    },
    /// Someone holding the status token of this CVD case (the app resolved the token's hash).
    Reporter {
        case_id: CaseId,
    },
    /// A chain partner reading what was sent to it.
    Party {
        party_id: PartyId,
    },
    /// Sees nothing (for instance a board contact account without a board).
    Nobody,
}

impl Viewer {
    /// The viewer behind a logged-in account.
    pub fn from_actor(actor: &Actor) -> Viewer {
        match actor.scope() {
            Scope::All => Viewer::Cert,
            Scope::Board(board_id) => Viewer::BoardContact {
                board_id,
                user_id: actor.user_id,
            },
            Scope::Nothing => Viewer::Nobody,
        }
    }
}

/// A recipient named on a TLP:RED item, or the target of an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recipient {
    /// Every contact of this board.
    Board {
        board_id: BoardId,
    },
    /// One contact of a board.
    BoardUser {
        board_id: BoardId,
        user_id: UserId,
    },
    Reporter,
    Party {
        party_id: PartyId,
    },
}

/// With whom beyond the CERT an item is shared. The default is nobody: internal.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sharing {
    /// Shared with the contacts of the case's boards.
    #[serde(default)]
    pub board: bool,
    /// Shared with the CVD reporter.
    #[serde(default)]
    pub reporter: bool,
    /// Shared with these chain partners.
    #[serde(default)]
    pub parties: Vec<PartyId>,
    /// For TLP:RED: the only recipients allowed; the flags above are not enough.
    #[serde(default)]
    pub named: Vec<Recipient>,
}

impl Sharing {
    pub fn internal() -> Self {
        Sharing::default()
    }

    pub fn with_board() -> Self {
        Sharing {
            board: true,
            ..Sharing::default()
        }
    }

    pub fn with_reporter() -> Self {
        Sharing {
            reporter: true,
            ..Sharing::default()
        }
    }

    pub fn is_internal(&self) -> bool {
        !self.board && !self.reporter && self.parties.is_empty()
    }

    fn names(&self, r: impl Fn(&Recipient) -> bool) -> bool {
        self.named.iter().any(r)
    }
}

/// What visibility needs to know about a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseScope {
    pub case_id: CaseId,
    pub kind: CaseKind,
    pub board_ids: Vec<BoardId>,
    /// Chain partners involved in the case.
    pub parties: Vec<PartyId>,
    /// For CVD cases: boards see the case only once notified, not while the CERT still checks
    /// whether the report holds.
    pub cvd_state: Option<CvdState>,
}

/// What visibility needs to know about an item (message, note, attachment, observable, task,
/// timeline entry).
#[derive(Debug, Clone, Copy)]
pub struct ItemScope<'a> {
    pub case_id: CaseId,
    pub tlp: Tlp,
    pub sharing: &'a Sharing,
}

/// Implemented by case items so lists can be filtered in one call.
pub trait CaseItem {
    fn scope(&self) -> ItemScope<'_>;
}

/// Whether a CVD case in this state is shown to the board.
pub fn cvd_visible_to_board(state: CvdState) -> bool {
    matches!(
        state,
        CvdState::BoardNotified
            | CvdState::Remediation
            | CvdState::Resolved
            | CvdState::Disclosed
            | CvdState::Closed
    )
}

/// Whether the viewer may know the case exists.
pub fn may_see_case(viewer: &Viewer, case: &CaseScope) -> bool {
    match viewer {
        Viewer::Cert => true,
        Viewer::Nobody => false,
        Viewer::BoardContact { board_id, .. } => {
            case.board_ids.contains(board_id)
                && match case.kind {
                    CaseKind::Incident => true,
                    CaseKind::Cvd => case.cvd_state.is_some_and(cvd_visible_to_board),
                }
        }
        Viewer::Reporter { case_id } => case.kind == CaseKind::Cvd && *case_id == case.case_id,
        Viewer::Party { party_id } => case.parties.contains(party_id),
    }
}

/// Whether the viewer may see one item of a case.
pub fn may_see_item(viewer: &Viewer, case: &CaseScope, item: &ItemScope<'_>) -> bool {
    if item.case_id != case.case_id || !may_see_case(viewer, case) {
        return false;
    }
    let red = item.tlp == Tlp::Red;
    let s = item.sharing;
    match viewer {
        Viewer::Cert => true,
        Viewer::Nobody => false,
        Viewer::BoardContact { board_id, user_id } => {
            board_item_ok(*board_id, Some(*user_id), item)
        }
        Viewer::Reporter { .. } => s.reporter && (!red || s.names(|r| *r == Recipient::Reporter)),
        Viewer::Party { party_id } => {
            s.parties.contains(party_id)
                && (!red
                    || s.names(|r| {
                        *r == Recipient::Party {
                            party_id: *party_id,
                        }
                    }))
        }
    }
}

/// The item rule for a board: shared with the board, and for TLP:RED named (the whole board,
/// or this one contact when `user` is given).
fn board_item_ok(board_id: BoardId, user: Option<UserId>, item: &ItemScope<'_>) -> bool {
    let s = item.sharing;
    if !s.board {
        return false;
    }
    if item.tlp != Tlp::Red {
        return item.tlp.shareable_with_concerned_org();
    }
    s.names(|r| match *r {
        Recipient::Board { board_id: b } => b == board_id,
        Recipient::BoardUser {
            board_id: b,
            user_id: u,
        } => b == board_id && Some(u) == user,
        _ => false,
    })
}

/// The items of a list the viewer may see, in their order.
pub fn visible_items<'a, T: CaseItem>(
    viewer: &Viewer,
    case: &CaseScope,
    items: &'a [T],
) -> Vec<&'a T> {
    items
        .iter()
        .filter(|i| may_see_item(viewer, case, &i.scope()))
        .collect()
}

/// Whether a typed recipient may be sent this item (the outbox checks every recipient).
pub fn may_receive(recipient: &Recipient, case: &CaseScope, item: &ItemScope<'_>) -> bool {
    match *recipient {
        Recipient::Board { board_id } => {
            // Mail to a whole board's contact list: the board must see the case, and a RED
            // item must name the whole board, not just one of its contacts.
            item.case_id == case.case_id
                && may_see_case(
                    &Viewer::BoardContact {
                        board_id,
                        user_id: UserId(i64::MIN),
                    },
                    case,
                )
                && board_item_ok(board_id, None, item)
        }
        Recipient::BoardUser { board_id, user_id } => {
            may_see_item(&Viewer::BoardContact { board_id, user_id }, case, item)
        }
        Recipient::Reporter => may_see_item(
            &Viewer::Reporter {
                case_id: case.case_id,
            },
            case,
            item,
        ),
        Recipient::Party { party_id } => may_see_item(&Viewer::Party { party_id }, case, item),
    }
}

/// The strictest label of several (a message and its attachments go out under the strictest).
pub fn strictest(labels: impl IntoIterator<Item = Tlp>) -> Tlp {
    labels.into_iter().max().unwrap_or(Tlp::Clear)
}

/// A refused e-mail: TLP:RED to someone not named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{tlp} may only go to named recipients; not named: {}", not_named.join(", "))]
pub struct TlpRefusal {
    pub tlp: Tlp,
    pub not_named: Vec<String>,
}

impl Localized for TlpRefusal {
    fn message(&self, lang: Lang) -> String {
        let list = self.not_named.join(", ");
        match lang {
            Lang::Nl => format!(
                "Dit bericht is {} en mag alleen naar de genoemde ontvangers. Niet genoemd: {list}.",
                self.tlp
            ),
            Lang::En => format!(
                "This message is {} and may only go to the named recipients. Not named: {list}.",
                self.tlp
            ),
        }
    }
}

fn address_key(a: &str) -> String {
    a.trim()
        .trim_matches(|c| c == '<' || c == '>')
        .to_lowercase()
}

/// Checks the addresses of an outgoing e-mail against an item's label: TLP:RED may only go to
/// addresses named on the item (compared case-insensitively); looser labels pass here (who may
/// see them at all is `may_receive`'s question).
pub fn email_recipients_allowed(
    item_tlp: Tlp,
    named: &[&str],
    recipients: &[&str],
) -> Result<(), TlpRefusal> {
    if item_tlp != Tlp::Red {
        return Ok(());
    }
    let named: Vec<String> = named.iter().map(|n| address_key(n)).collect();
    let not_named: Vec<String> = recipients
        .iter()
        .filter(|r| !named.contains(&address_key(r)))
        .map(|r| r.trim().to_owned())
        .collect();
    if not_named.is_empty() {
        Ok(())
    } else {
        Err(TlpRefusal {
            tlp: item_tlp,
            not_named,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(boards: &[i64]) -> CaseScope {
        CaseScope {
            case_id: CaseId(1),
            kind: CaseKind::Incident,
            board_ids: boards.iter().copied().map(BoardId).collect(),
            parties: vec![PartyId(9)],
            cvd_state: None,
        }
    }

    fn contact(b: i64) -> Viewer {
        Viewer::BoardContact {
            board_id: BoardId(b),
            user_id: UserId(100 + b),
        }
    }

    #[test]
    fn boards_see_their_own_cases_only() {
        let case = incident(&[7]);
        assert!(may_see_case(&contact(7), &case));
        assert!(!may_see_case(&contact(8), &case));
        assert!(may_see_case(&Viewer::Cert, &case));
        assert!(!may_see_case(&Viewer::Nobody, &case));
        assert!(!may_see_case(
            &Viewer::Reporter { case_id: CaseId(1) },
            &case
        ));
    }

    #[test]
    fn internal_notes_and_red_items_stay_hidden_from_unnamed_boards() {
        let case = incident(&[7, 8]);
        let internal = Sharing::internal();
        let shared = Sharing::with_board();
        let item = |tlp, sharing| ItemScope {
            case_id: CaseId(1),
            tlp,
            sharing,
        };
        assert!(!may_see_item(
            &contact(7),
            &case,
            &item(Tlp::Clear, &internal)
        ));
        assert!(may_see_item(
            &contact(7),
            &case,
            &item(Tlp::AmberStrict, &shared)
        ));
        assert!(!may_see_item(&contact(7), &case, &item(Tlp::Red, &shared)));
        let red_for_7 = Sharing {
            board: true,
            named: vec![Recipient::Board {
                board_id: BoardId(7),
            }],
            ..Sharing::default()
        };
        assert!(may_see_item(
            &contact(7),
            &case,
            &item(Tlp::Red, &red_for_7)
        ));
        assert!(!may_see_item(
            &contact(8),
            &case,
            &item(Tlp::Red, &red_for_7)
        ));
        assert!(may_see_item(
            &Viewer::Cert,
            &case,
            &item(Tlp::Red, &internal)
        ));
        // An item of another case never shows, whatever its sharing.
        let other = ItemScope {
            case_id: CaseId(2),
            tlp: Tlp::Clear,
            sharing: &shared,
        };
        assert!(!may_see_item(&contact(7), &case, &other));
    }

    #[test]
    fn red_mail_goes_only_to_named_addresses() {
        assert!(email_recipients_allowed(Tlp::Amber, &[], &["x@y.nl"]).is_ok());
        assert!(
            email_recipients_allowed(Tlp::Red, &["ICT@Klimop.nl"], &["<ict@klimop.nl>"]).is_ok()
        );
        let err = email_recipients_allowed(
            Tlp::Red,
            &["ict@klimop.nl"],
            &["ict@klimop.nl", "cc@leverancier.nl"],
        )
        .unwrap_err();
        assert_eq!(err.not_named, ["cc@leverancier.nl"]);
        assert!(err.message(Lang::Nl).contains("TLP:RED"));
        assert_eq!(strictest([Tlp::Green, Tlp::Red, Tlp::Amber]), Tlp::Red);
    }
}
