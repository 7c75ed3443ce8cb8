//! Who is acting and what they may see: roles, the actor of a request, and the board scope that
//! every query returning board data is filtered by.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{BoardId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CertAdmin,
    CertAnalyst,
    BoardContact,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::CertAdmin, Role::CertAnalyst, Role::BoardContact];

    pub fn code(self) -> &'static str {
        match self {
            Role::CertAdmin => "cert_admin",
            Role::CertAnalyst => "cert_analyst",
            Role::BoardContact => "board_contact",
        }
    }

    pub fn is_cert(self) -> bool {
        matches!(self, Role::CertAdmin | Role::CertAnalyst)
    }

    /// CERT roles must use a second factor; board contacts may.
    pub fn requires_totp(self) -> bool {
        self.is_cert()
    }

    pub fn name(self, lang: crate::Lang) -> &'static str {
        match self {
            Role::CertAdmin => lang.pick("CERT-beheerder", "CERT administrator"),
            Role::CertAnalyst => lang.pick("CERT-analist", "CERT analyst"),
            Role::BoardContact => lang.pick("Contactpersoon schoolbestuur", "Board contact"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected cert_admin, cert_analyst or board_contact)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// The authenticated person (or token) behind a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    /// Set exactly when the role is `BoardContact`.
    pub board_id: Option<BoardId>,
    /// Shown in the audit log ("analist@cert.nl", "token 'siem'").
    pub label: String,
}

impl Actor {
    pub fn scope(&self) -> Scope {
        match (self.role, self.board_id) {
            (Role::CertAdmin | Role::CertAnalyst, _) => Scope::All,
            (Role::BoardContact, Some(b)) => Scope::Board(b),
            // A board contact without a board sees nothing rather than everything.
            (Role::BoardContact, None) => Scope::Nothing,
        }
    }

    pub fn is_cert(&self) -> bool {
        self.role.is_cert()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::CertAdmin
    }

    /// Whether this actor may see or change data of `board`.
    pub fn may_access_board(&self, board: BoardId) -> bool {
        self.scope().includes(board)
    }
}

/// Which boards' data a query may return. Store functions take this and put it in the `WHERE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Board(BoardId),
    Nothing,
}

impl Scope {
    pub fn includes(self, board: BoardId) -> bool {
        match self {
            Scope::All => true,
            Scope::Board(b) => b == board,
            Scope::Nothing => false,
        }
    }

    /// The board filter to bind into SQL: `None` means all boards. `Nothing` binds an id no
    /// board has, so the query returns no rows instead of every row.
    pub fn board_filter(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Board(b) => Some(b.0),
            Scope::Nothing => Some(-1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, board: Option<i64>) -> Actor {
        Actor {
            user_id: UserId(1),
            role,
            board_id: board.map(BoardId),
            label: "x".into(),
        }
    }

    #[test]
    fn board_contacts_are_scoped_to_their_board_and_cert_sees_all() {
        let contact = actor(Role::BoardContact, Some(7));
        assert!(contact.may_access_board(BoardId(7)));
        assert!(!contact.may_access_board(BoardId(8)));
        assert_eq!(contact.scope().board_filter(), Some(7));
        assert!(actor(Role::CertAnalyst, None).may_access_board(BoardId(8)));
        assert_eq!(actor(Role::CertAdmin, None).scope().board_filter(), None);
    }

    #[test]
    fn a_board_contact_without_board_sees_nothing() {
        let orphan = actor(Role::BoardContact, None);
        assert!(!orphan.may_access_board(BoardId(1)));
        assert_eq!(orphan.scope().board_filter(), Some(-1));
    }

    #[test]
    fn roles_round_trip_and_cert_roles_need_totp() {
        for r in Role::ALL {
            assert_eq!(r.code().parse(), Ok(r));
        }
        assert!(Role::CertAnalyst.requires_totp());
        assert!(!Role::BoardContact.requires_totp());
        assert!("root".parse::<Role>().is_err());
    }
}
