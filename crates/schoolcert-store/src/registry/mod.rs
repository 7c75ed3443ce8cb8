//! Registry storage: boards, schools, contacts, network assets, terms and applications.

pub mod applications;
pub mod assets;
pub mod boards;
pub mod contacts;
pub mod schools;
pub mod terms;

use std::str::FromStr;

use crate::error::{StoreError, StoreResult};

/// Reads a stored enum code, reporting the column when the database holds something unknown.
pub(crate) fn parse_col<T: FromStr>(value: &str, column: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} holds unknown value {value:?}")))
}

/// A `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\` in the needle escaped.
/// Use with `LIKE $n ESCAPE '\'` on a search-key column.
pub(crate) fn contains_pattern(needle: &str) -> String {
    let key = schoolcert_domain::registry::board::search_key(needle);
    let escaped = key
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
