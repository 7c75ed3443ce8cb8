//! Boards, reporters and parties see only what is theirs; internal notes never reach a board;
//! TLP:RED never goes to anyone not named.

use schoolcert_cases::cvd::CvdState;
use schoolcert_cases::message::{CaseMessage, Direction, MessageKind, thread_order};
use schoolcert_cases::visibility::{
    CaseScope, ItemScope, Recipient, Sharing, Viewer, email_recipients_allowed, may_receive,
    may_see_case, may_see_item, visible_items,
};
use schoolcert_cases::{CaseId, CaseKind, MessageId, PartyId};
use schoolcert_domain::access::{Actor, Role};
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{BoardId, Tlp, UserId};

fn msg(id: i64, tlp: Tlp, sharing: Sharing) -> CaseMessage {
    CaseMessage {
        id: MessageId(id),
        case_id: CaseId(1),
        parent: None,
        kind: MessageKind::Email,
        direction: Direction::Outbound,
        author: "analist".into(),
        at: parse_rfc3339("2026-03-02T09:00:00Z").unwrap() + chrono::Duration::minutes(id),
        subject: format!("bericht {id}"),
        body: String::new(),
        tlp,
        sharing,
        attachments: vec![],
        email_message_id: None,
    }
}

fn incident() -> CaseScope {
    CaseScope {
        case_id: CaseId(1),
        kind: CaseKind::Incident,
        board_ids: vec![BoardId(7)],
        parties: vec![PartyId(3)],
        cvd_state: None,
    }
}

fn contact_of(board: i64) -> Viewer {
    Viewer::from_actor(&Actor {
        user_id: UserId(70 + board),
        role: Role::BoardContact,
        board_id: Some(BoardId(board)),
        label: "contact".into(),
    })
}

#[test]
fn internal_messages_never_reach_the_board() {
    let case = incident();
    let party3 = Sharing {
        parties: vec![PartyId(3)],
        ..Sharing::default()
    };
    let messages = vec![
        msg(1, Tlp::Amber, Sharing::with_board()),
        msg(2, Tlp::Clear, Sharing::internal()), // internal note, even if CLEAR
        msg(3, Tlp::Red, Sharing::with_board()), // RED without naming the board
        msg(4, Tlp::AmberStrict, party3.clone()),
        msg(5, Tlp::Green, Sharing::with_board()),
    ];
    let board: Vec<i64> = visible_items(&contact_of(7), &case, &messages)
        .iter()
        .map(|m| m.id.0)
        .collect();
    assert_eq!(board, [1, 5]);
    let cert: Vec<i64> = visible_items(&Viewer::Cert, &case, &messages)
        .iter()
        .map(|m| m.id.0)
        .collect();
    assert_eq!(cert, [1, 2, 3, 4, 5]);
    let party: Vec<i64> = visible_items(
        &Viewer::Party {
            party_id: PartyId(3),
        },
        &case,
        &messages,
    )
    .iter()
    .map(|m| m.id.0)
    .collect();
    assert_eq!(party, [4]);
    // Threading what the board may see keeps only those.
    let visible = visible_items(&contact_of(7), &case, &messages);
    assert_eq!(thread_order(&visible).len(), 2);
}

#[test]
fn other_boards_reporters_and_unrelated_parties_see_nothing() {
    let case = incident();
    let messages = vec![msg(
        1,
        Tlp::Clear,
        Sharing {
            board: true,
            reporter: true,
            parties: vec![PartyId(3)],
            named: vec![],
        },
    )];
    for viewer in [
        contact_of(8),
        Viewer::Reporter { case_id: CaseId(1) },
        Viewer::Party {
            party_id: PartyId(4),
        },
        Viewer::Nobody,
        Viewer::from_actor(&Actor {
            user_id: UserId(1),
            role: Role::BoardContact,
            board_id: None,
            label: "x".into(),
        }),
    ] {
        assert!(
            visible_items(&viewer, &case, &messages).is_empty(),
            "{viewer:?}"
        );
    }
    assert!(!may_see_case(&contact_of(8), &case));
}

#[test]
fn cvd_cases_reach_the_board_only_once_notified_and_reporters_only_their_own() {
    let mut case = CaseScope {
        case_id: CaseId(2),
        kind: CaseKind::Cvd,
        board_ids: vec![BoardId(7)],
        parties: vec![],
        cvd_state: Some(CvdState::Triage),
    };
    assert!(
        !may_see_case(&contact_of(7), &case),
        "not while the CERT is still checking"
    );
    case.cvd_state = Some(CvdState::BoardNotified);
    assert!(may_see_case(&contact_of(7), &case));
    assert!(may_see_case(
        &Viewer::Reporter { case_id: CaseId(2) },
        &case
    ));
    assert!(!may_see_case(
        &Viewer::Reporter { case_id: CaseId(3) },
        &case
    ));
    let for_reporter = Sharing::with_reporter();
    let item = ItemScope {
        case_id: CaseId(2),
        tlp: Tlp::Amber,
        sharing: &for_reporter,
    };
    assert!(may_see_item(
        &Viewer::Reporter { case_id: CaseId(2) },
        &case,
        &item
    ));
    assert!(
        !may_see_item(&contact_of(7), &case, &item),
        "reporter-facing is not board-facing"
    );
}

#[test]
fn red_goes_only_to_named_recipients_by_address_and_by_type() {
    assert!(
        email_recipients_allowed(
            Tlp::Red,
            &["fg@klimop.nl"],
            &["fg@klimop.nl", "politie@example.nl"]
        )
        .is_err()
    );
    assert!(email_recipients_allowed(Tlp::Red, &["fg@klimop.nl"], &["FG@klimop.nl"]).is_ok());

    let case = incident();
    let named = Sharing {
        board: true,
        parties: vec![PartyId(3)],
        named: vec![Recipient::BoardUser {
            board_id: BoardId(7),
            user_id: UserId(77),
        }],
        ..Sharing::default()
    };
    let red = ItemScope {
        case_id: CaseId(1),
        tlp: Tlp::Red,
        sharing: &named,
    };
    assert!(may_receive(
        &Recipient::BoardUser {
            board_id: BoardId(7),
            user_id: UserId(77)
        },
        &case,
        &red
    ));
    assert!(!may_receive(
        &Recipient::BoardUser {
            board_id: BoardId(7),
            user_id: UserId(78)
        },
        &case,
        &red
    ));
    assert!(!may_receive(
        &Recipient::Board {
            board_id: BoardId(7)
        },
        &case,
        &red
    ));
    assert!(
        !may_receive(
            &Recipient::Party {
                party_id: PartyId(3)
            },
            &case,
            &red
        ),
        "shared but not named"
    );
    let amber = ItemScope {
        tlp: Tlp::Amber,
        ..red
    };
    assert!(may_receive(
        &Recipient::Board {
            board_id: BoardId(7)
        },
        &case,
        &amber
    ));
    assert!(may_receive(
        &Recipient::Party {
            party_id: PartyId(3)
        },
        &case,
        &amber
    ));
}
