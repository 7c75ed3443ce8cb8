//! The constituency registry's rules: boards and their identifiers, schools, contacts, the
//! joining application, and the importers of DUO's registry and of asset lists.

pub mod application;
pub mod assets_csv;
pub mod board;
pub mod contact;
pub mod duo;

pub use board::{BoardStatus, Brin, DuoNumber, SchoolCode, Sectors};
pub use contact::{ContactRole, Email};

/// One refused input row: where and why. Parsers return these beside the good rows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub reason: String,
}

/// Line numbers from byte offsets. The `csv` crate's own line counter is unreliable (it is off
/// by one after a CRLF header and does not count blank lines), its byte offsets are exact.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t [u8],
    newlines: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        LineIndex {
            text: text.as_bytes(),
            newlines: memchr_newlines(text),
        }
    }

    /// The 1-based line of the record the `csv` crate says starts at byte `offset`. That offset
    /// is where the previous record's terminator ended, so blank lines and the `\n` of a
    /// `\r\n` pair may come first; they are skipped.
    pub fn line_of(&self, offset: u64) -> usize {
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX);
        while self
            .text
            .get(offset)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            offset += 1;
        }
        self.newlines.partition_point(|&nl| nl < offset) + 1
    }
}

fn memchr_newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}
