//! Registry use cases: boards, schools, contacts, assets and lookups, the joining flow, terms,
//! and the importers of DUO's registry and of existing asset lists.

pub mod assets;
pub mod assets_import;
pub mod boards;
pub mod contacts;
pub mod duo_import;
pub mod join;
pub mod reminders;

pub mod schools;
pub mod terms;

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Actor;

use crate::{AppError, AppResult};

/// Out-of-scope objects are "not found", never "forbidden": a board contact learns nothing
/// about whether another board's object exists.
pub(crate) fn in_scope(actor: &Actor, board: BoardId) -> AppResult<()> {
    if actor.may_access_board(board) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
