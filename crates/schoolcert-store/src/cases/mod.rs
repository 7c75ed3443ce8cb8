//! Case storage: reports, incident and CVD cases with their boards, the items inside a case
//! (timeline, messages, attachments, tasks, observables), chain partners, legal clock rows,
//! sector incidents and the CVD intake's replay protection. Codes are stored as text; the
//! application maps them to the pure crate's types.
//!
//! Board scoping: a board contact sees a case only when the case is linked to the board and,
//! for a CVD case, once the board has been notified; inside a case only items marked shared with
//! the board. Both rules are in the SQL of every scoped query (`CASE_VISIBLE`, `ITEM_VISIBLE`).

pub mod items;
pub mod obligations;
pub mod parties;
pub mod records;
pub mod reports;
pub mod sector;
pub mod settings;

/// The CVD states in which the affected board sees its case (mirrors
/// `schoolcert_cases::visibility::cvd_visible_to_board`).
pub const CVD_BOARD_STATES: &str = "'board_notified','remediation','resolved','disclosed','closed'";

/// SQL: case `c` is visible to the board filter bound at `$p` (NULL: everything).
pub(crate) fn case_visible(alias: &str, p: u8) -> String {
    format!(
        "(${p} IS NULL OR (EXISTS (SELECT 1 FROM case_boards cbv WHERE cbv.case_id = {alias}.id AND cbv.board_id = ${p}) AND ({alias}.kind = 'incident' OR {alias}.state IN ({CVD_BOARD_STATES}))))"
    )
}

/// SQL: item `i` of case `c` is visible to the board filter at `$p`.
pub(crate) fn item_visible(item: &str, case: &str, p: u8) -> String {
    format!(
        "(${p} IS NULL OR ({item}.shared_board AND EXISTS (SELECT 1 FROM case_boards cbv WHERE cbv.case_id = {case}.id AND cbv.board_id = ${p}) AND ({case}.kind = 'incident' OR {case}.state IN ({CVD_BOARD_STATES}))))"
    )
}
