//! Reader for a CERT's existing constituency data: CSV rows of `duo_number,asset`, each asset
//! validated exactly as the web form validates it.

use serde::Serialize;

use super::board::DuoNumber;
use super::duo::{FileError, decode};
use super::{LineIndex, RowError};
use crate::Lang;
use crate::asset::{AssetValue, parse_asset};
use crate::lang::Localized;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetRow {
    pub line: usize,
    pub duo_number: DuoNumber,
    pub asset: AssetValue,
}

/// Reads the file; a header row (`duo_number,asset`) is optional. Reasons are in `lang`.
pub fn parse(bytes: &[u8], lang: Lang) -> Result<(Vec<AssetRow>, Vec<RowError>), FileError> {
    let (text, _) = decode(bytes);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let lines = LineIndex::new(&text);
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i + 1, |p| lines.line_of(p.byte()));
                errors.push(RowError {
                    line,
                    reason: format!("unreadable CSV record: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(i + 1, |p| lines.line_of(p.byte()));
        let fields: Vec<&str> = record.iter().collect();
        if i == 0
            && fields
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("duo_number"))
        {
            continue;
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let [duo, asset] = fields.as_slice() else {
            errors.push(RowError {
                line,
                reason: format!(
                    "expected 2 columns (duo_number,asset), found {}",
                    fields.len()
                ),
            });
            continue;
        };
        let duo_number = match duo.parse::<DuoNumber>() {
            Ok(d) => d,
            Err(e) => {
                errors.push(RowError { line, reason: e });
                continue;
            }
        };
        match parse_asset(asset) {
            Ok(asset) => rows.push(AssetRow {
                line,
                duo_number,
                asset,
            }),
            Err(e) => errors.push(RowError {
                line,
                reason: e.message(lang),
            }),
        }
    }
    Ok((rows, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rows_are_kept_and_bad_rows_reported_by_line() {
        let csv = "duo_number,asset\n10249,145.97.16.0/24\n10249,obs-eenspan.nl\n\n41234,192.168.0.0/16\nabc,school.nl\n41234\n41234,2001:610:1::/48\n";
        let (rows, errors) = parse(csv.as_bytes(), Lang::En).unwrap();
        let good: Vec<_> = rows.iter().map(|r| (r.line, r.asset.to_string())).collect();
        assert_eq!(
            good,
            [
                (2, "145.97.16.0/24".into()),
                (3, "obs-eenspan.nl".into()),
                (8, "2001:610:1::/48".into())
            ]
        );
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6, 7]);
        assert!(
            errors[0].reason.contains("private address space"),
            "{}",
            errors[0].reason
        );
    }
}
