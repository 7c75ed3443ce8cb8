//! Sector incidents (a supplier used by hundreds of boards is breached): one case per affected
//! board linked together, one message fanned out into every case (each board sees only its own
//! case and the shared sector message, never the list of other boards), and per board whether
//! it confirmed its measures. Non-member boards are included when the CERT chooses.

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{BoardId, Lang, Timestamp, Tlp};

use crate::ids::{CaseId, SectorIncidentId};
use crate::visibility::{Sharing, Viewer};

/// A board the incident touches, and whether it joined the CERT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedBoard {
    pub board_id: BoardId,
    pub member: bool,
}

/// One board's case within the sector incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorLink {
    pub board_id: BoardId,
    pub case_id: CaseId,
    pub member: bool,
    pub measures_confirmed_at: Option<Timestamp>,
    pub confirmed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorIncident {
    pub id: SectorIncidentId,
    pub title: String,
    pub opened_at: Timestamp,
    /// In a large incident the CERT helps every board, member or not.
    pub include_non_members: bool,
    pub links: Vec<SectorLink>,
}

/// Which boards still need a case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CasePlan {
    pub create_for: Vec<BoardId>,
    pub already_linked: Vec<BoardId>,
    /// Non-members left out because the CERT did not choose to include them.
    pub skipped_non_members: Vec<BoardId>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectorError {
    #[error("this board already has a case in the sector incident")]
    AlreadyLinked,
    #[error("this board has no case in the sector incident")]
    NotLinked,
    #[error("a TLP:RED message cannot go to many boards; name recipients in a single case")]
    RedToMany,
    #[error("the message is empty")]
    Empty,
}

impl Localized for SectorError {
    fn message(&self, lang: Lang) -> String {
        match self {
            SectorError::AlreadyLinked => lang.pick(
                "Dit bestuur heeft al een zaak binnen dit sectorincident.",
                "This board already has a case in the sector incident.",
            ),
            SectorError::NotLinked => lang.pick(
                "Dit bestuur heeft geen zaak binnen dit sectorincident.",
                "This board has no case in the sector incident.",
            ),
            SectorError::RedToMany => lang.pick(
                "Een TLP:RED-bericht kan niet naar alle besturen; deel het per zaak met genoemde \
                 ontvangers.",
                "A TLP:RED message cannot go to all boards; share it per case with named \
                 recipients.",
            ),
            SectorError::Empty => lang.pick("Het bericht is leeg.", "The message is empty."),
        }
        .to_owned()
    }
}

/// Progress of confirmations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub total: usize,
    pub confirmed: usize,
    pub pending: Vec<BoardId>,
}

/// The sector message as the CERT writes it once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorMessage {
    pub subject: String,
    pub body: String,
    pub tlp: Tlp,
}

/// One copy of the sector message for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FanOutItem {
    pub case_id: CaseId,
    pub board_id: BoardId,
    pub subject: String,
    pub body: String,
    pub tlp: Tlp,
    /// Shared with that case's board only.
    pub sharing: Sharing,
}

impl SectorIncident {
    pub fn new(id: SectorIncidentId, title: &str, now: Timestamp) -> Self {
        SectorIncident {
            id,
            title: title.trim().to_owned(),
            opened_at: now,
            include_non_members: false,
            links: Vec::new(),
        }
    }

    fn link_of(&self, board: BoardId) -> Option<&SectorLink> {
        self.links.iter().find(|l| l.board_id == board)
    }

    /// Which boards still need a case of their own.
    pub fn plan_cases(&self, affected: &[AffectedBoard]) -> CasePlan {
        let mut plan = CasePlan::default();
        for a in affected {
            if self.link_of(a.board_id).is_some() {
                plan.already_linked.push(a.board_id);
            } else if a.member || self.include_non_members {
                if !plan.create_for.contains(&a.board_id) {
                    plan.create_for.push(a.board_id);
                }
            } else {
                plan.skipped_non_members.push(a.board_id);
            }
        }
        plan
    }

    /// Links a board's case (created by the app from the plan, or an existing one).
    pub fn link(&mut self, board: AffectedBoard, case_id: CaseId) -> Result<(), SectorError> {
        if self.link_of(board.board_id).is_some() {
            return Err(SectorError::AlreadyLinked);
        }
        self.links.push(SectorLink {
            board_id: board.board_id,
            case_id,
            member: board.member,
            measures_confirmed_at: None,
            confirmed_by: None,
        });
        Ok(())
    }

    /// A board confirms it took the advised measures. Confirming again keeps the first moment.
    pub fn confirm_measures(
        &mut self,
        board: BoardId,
        now: Timestamp,
        by: &str,
    ) -> Result<(), SectorError> {
        let link = self
            .links
            .iter_mut()
            .find(|l| l.board_id == board)
            .ok_or(SectorError::NotLinked)?;
        if link.measures_confirmed_at.is_none() {
            link.measures_confirmed_at = Some(now);
            link.confirmed_by = Some(by.to_owned());
        }
        Ok(())
    }

    pub fn progress(&self) -> Progress {
        let pending: Vec<BoardId> = self
            .links
            .iter()
            .filter(|l| l.measures_confirmed_at.is_none())
            .map(|l| l.board_id)
            .collect();
        Progress {
            total: self.links.len(),
            confirmed: self.links.len() - pending.len(),
            pending,
        }
    }

    /// One copy of the message per linked case, shared with that case's board only. The text
    /// is the same for everyone and names no board.
    pub fn fan_out(&self, message: &SectorMessage) -> Result<Vec<FanOutItem>, SectorError> {
        if message.tlp == Tlp::Red {
            return Err(SectorError::RedToMany);
        }
        if message.body.trim().is_empty() {
            return Err(SectorError::Empty);
        }
        Ok(self
            .links
            .iter()
            .map(|l| FanOutItem {
                case_id: l.case_id,
                board_id: l.board_id,
                subject: message.subject.trim().to_owned(),
                body: message.body.clone(),
                tlp: message.tlp,
                sharing: Sharing::with_board(),
            })
            .collect())
    }

    /// Who may read the sector incident's own page: the CERT sees everything; a board contact
    /// sees the shared sector message and its own link only (see `view_for_board`).
    pub fn may_view(&self, viewer: &Viewer) -> bool {
        match viewer {
            Viewer::Cert => true,
            Viewer::BoardContact { board_id, .. } => self.link_of(*board_id).is_some(),
            _ => false,
        }
    }

    /// The board's slice: the title and its own link, nothing about other boards.
    pub fn view_for_board(&self, board: BoardId) -> Option<BoardSectorView> {
        let link = self.link_of(board)?;
        Some(BoardSectorView {
            title: self.title.clone(),
            case_id: link.case_id,
            measures_confirmed_at: link.measures_confirmed_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardSectorView {
    pub title: String,
    pub case_id: CaseId,
    pub measures_confirmed_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::UserId;
    use schoolcert_domain::time::parse_rfc3339;

    fn board(id: i64, member: bool) -> AffectedBoard {
        AffectedBoard {
            board_id: BoardId(id),
            member,
        }
    }

    #[test]
    fn plans_links_fans_out_and_tracks_confirmations() {
        let now = parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let mut si = SectorIncident::new(SectorIncidentId(1), "Datalek bij leverancier X", now);
        let affected = [board(1, true), board(2, true), board(3, false)];
        let plan = si.plan_cases(&affected);
        assert_eq!(plan.create_for, [BoardId(1), BoardId(2)]);
        assert_eq!(plan.skipped_non_members, [BoardId(3)]);
        si.include_non_members = true;
        assert_eq!(si.plan_cases(&affected).create_for.len(), 3);
        for (i, b) in affected.iter().enumerate() {
            si.link(*b, CaseId(100 + i as i64)).unwrap();
        }
        assert_eq!(
            si.link(board(1, true), CaseId(9)),
            Err(SectorError::AlreadyLinked)
        );
        assert_eq!(si.plan_cases(&affected).already_linked.len(), 3);

        let msg = SectorMessage {
            subject: "Wachtwoorden resetten".into(),
            body: "Reset de wachtwoorden van alle beheerders van pakket X.".into(),
            tlp: Tlp::Amber,
        };
        let items = si.fan_out(&msg).unwrap();
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|i| i.sharing == Sharing::with_board()));
        assert_eq!(
            si.fan_out(&SectorMessage {
                tlp: Tlp::Red,
                ..msg.clone()
            }),
            Err(SectorError::RedToMany)
        );

        si.confirm_measures(BoardId(2), now, "ict@b2").unwrap();
        assert_eq!(
            si.confirm_measures(BoardId(9), now, "x"),
            Err(SectorError::NotLinked)
        );
        let p = si.progress();
        assert_eq!((p.total, p.confirmed), (3, 1));
        assert_eq!(p.pending, [BoardId(1), BoardId(3)]);

        let other = Viewer::BoardContact {
            board_id: BoardId(9),
            user_id: UserId(1),
        };
        assert!(!si.may_view(&other));
        let view = si.view_for_board(BoardId(2)).unwrap();
        assert_eq!(view.case_id, CaseId(101));
        assert!(si.view_for_board(BoardId(9)).is_none());
    }
}
