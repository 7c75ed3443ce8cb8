//! Reader for DUO's public registry files of boards and school locations, both generations:
//! the legacy `;`-separated files (Windows-1252 or UTF-8, padded values, renamed columns) and
//! the newer `,`-separated, quoted UTF-8 files with a byte-order mark.

use std::collections::HashMap;

use serde::Serialize;

use super::board::{DuoNumber, SchoolCode, Sectors, normalise_postcode};
use super::{LineIndex, RowError};

/// A board as DUO lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuoBoard {
    pub line: usize,
    pub duo_number: DuoNumber,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub kvk_number: Option<String>,
    /// DUO's RIO id (`ONDERWIJSBESTUURID`), when the file carries it.
    pub rio_id: Option<String>,
    /// A candidate domain only: never registered as an asset without the board's confirmation.
    pub website: Option<String>,
}

/// A school location as DUO lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuoSchool {
    pub line: usize,
    pub code: SchoolCode,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub board: DuoNumber,
    pub sectors: Sectors,
    pub website: Option<String>,
}

/// The good records of a file, the refused rows, and how the file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed<T> {
    pub records: Vec<T>,
    pub errors: Vec<RowError>,
    pub encoding: &'static str,
    pub rows: usize,
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("column {wanted} is missing; the header has: {found}")]
    MissingColumn { wanted: &'static str, found: String },
    #[error("the file could not be read as CSV: {0}")]
    Csv(String),
}

const BOARD_NUMBER: &[&str] = &["BEVOEGD GEZAG NUMMER", "BEVOEGD_GEZAG_NUMMER", "BG NUMMER"];
const BOARD_NAME: &[&str] = &[
    "BEVOEGD GEZAG NAAM",
    "NAAM BEVOEGD GEZAG",
    "BEVOEGD_GEZAG_NAAM",
];
const BRIN: &[&str] = &["BRIN NUMMER", "INSTELLINGSCODE", "BRINNUMMER", "BRIN"];
const LOCATION: &[&str] = &["VESTIGINGSNUMMER", "VESTIGINGSCODE"];
const SCHOOL_NAME: &[&str] = &["VESTIGINGSNAAM", "INSTELLINGSNAAM", "NAAM"];
const STREET: &[&str] = &["STRAATNAAM"];
const HOUSE_NUMBER: &[&str] = &["HUISNUMMER-TOEVOEGING", "HUISNUMMER"];
const POSTCODE: &[&str] = &["POSTCODE"];
const CITY: &[&str] = &["PLAATSNAAM"];
const WEBSITE: &[&str] = &["INTERNETADRES", "WEBSITE"];
const KVK: &[&str] = &["KVK-NUMMER", "KVK NUMMER", "KVKNUMMER"];
const RIO: &[&str] = &["ONDERWIJSBESTUURID"];
const STRUCTURE: &[&str] = &["ONDERWIJSSTRUCTUUR"];

/// Decodes bytes: BOM-marked UTF-8, plain UTF-8, or Windows-1252 as the fallback.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8"),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (s.into_owned(), "Windows-1252")
        }
    }
}

/// A CSV table: the trimmed, upper-cased header and each row with its line number.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV text with a sniffed delimiter. Shared by every registry importer.
pub fn read_table(text: &str) -> Result<Table, FileError> {
    let first = text.lines().next().ok_or(FileError::Empty)?;
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| FileError::Csv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_uppercase())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(FileError::Empty);
    }
    let lines = LineIndex::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| lines.line_of(p.byte()));
                rows.push((line, r.iter().map(|v| v.trim().to_owned()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                rows.push((line, vec![format!("\u{0}{e}")]));
            }
        }
    }
    Ok(Table { header, rows })
}

struct Columns(HashMap<&'static str, usize>, String);

impl Columns {
    fn new(header: &[String]) -> Self {
        let mut map = HashMap::new();
        let all = [
            BOARD_NUMBER,
            BOARD_NAME,
            BRIN,
            LOCATION,
            SCHOOL_NAME,
            STREET,
            HOUSE_NUMBER,
            POSTCODE,
            CITY,
            WEBSITE,
            KVK,
            RIO,
            STRUCTURE,
        ];
        for aliases in all {
            if let Some(i) = header.iter().position(|h| aliases.contains(&h.as_str())) {
                map.insert(aliases[0], i);
            }
        }
        Columns(map, header.join(", "))
    }

    fn require(&self, aliases: &'static [&'static str]) -> Result<usize, FileError> {
        self.0
            .get(aliases[0])
            .copied()
            .ok_or_else(|| FileError::MissingColumn {
                wanted: aliases[0],
                found: self.1.clone(),
            })
    }

    fn get<'r>(&self, row: &'r [String], aliases: &'static [&'static str]) -> &'r str {
        self.0
            .get(aliases[0])
            .and_then(|&i| row.get(i))
            .map_or("", String::as_str)
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn street(cols: &Columns, row: &[String]) -> String {
    let s = format!("{} {}", cols.get(row, STREET), cols.get(row, HOUSE_NUMBER));
    s.trim().to_owned()
}

/// A bad CSV record (wrong quoting) is reported like any other refused row.
fn csv_error(line: usize, row: &[String]) -> Option<RowError> {
    row.first()
        .and_then(|f| f.strip_prefix('\u{0}'))
        .map(|e| RowError {
            line,
            reason: format!("unreadable CSV record: {e}"),
        })
}

/// Restores the leading zero that spreadsheets drop from 8-digit KvK numbers.
fn kvk(s: &str) -> Option<String> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    match d.len() {
        0 => None,
        1..=7 => Some(format!("{d:0>8}")),
        _ => Some(d),
    }
}

/// Reads a board file ("schoolbesturen", "instellingenbo").
pub fn parse_boards(bytes: &[u8]) -> Result<Parsed<DuoBoard>, FileError> {
    let (text, encoding) = decode(bytes);
    let Table { header, rows } = read_table(&text)?;
    let cols = Columns::new(&header);
    cols.require(BOARD_NUMBER)?;
    let mut out = Parsed {
        records: Vec::new(),
        errors: Vec::new(),
        encoding,
        rows: rows.len(),
    };
    let mut seen: HashMap<DuoNumber, usize> = HashMap::new();
    for (line, row) in rows {
        if let Some(e) = csv_error(line, &row) {
            out.errors.push(e);
            continue;
        }
        let number = match cols.get(&row, BOARD_NUMBER).parse::<DuoNumber>() {
            Ok(n) => n,
            Err(e) => {
                out.errors.push(RowError { line, reason: e });
                continue;
            }
        };
        if let Some(first) = seen.insert(number.clone(), line) {
            out.errors.push(RowError {
                line,
                reason: format!("board {number} already appears on line {first}"),
            });
            continue;
        }
        let name = cols.get(&row, BOARD_NAME).to_owned();
        if name.is_empty() {
            out.errors.push(RowError {
                line,
                reason: format!("board {number} has no name"),
            });
            continue;
        }
        out.records.push(DuoBoard {
            line,
            duo_number: number,
            name,
            street: street(&cols, &row),
            postcode: normalise_postcode(cols.get(&row, POSTCODE)),
            city: cols.get(&row, CITY).to_owned(),
            kvk_number: kvk(cols.get(&row, KVK)),
            rio_id: non_empty(cols.get(&row, RIO)),
            website: non_empty(cols.get(&row, WEBSITE)),
        });
    }
    Ok(out)
}

/// Reads a school-location file ("alle vestigingen", "vestigingenbo/vo"). The sector comes from
/// the file (`ONDERWIJSSTRUCTUUR` means secondary) or from `sector_hint`.
pub fn parse_schools(
    bytes: &[u8],
    sector_hint: Option<Sectors>,
) -> Result<Parsed<DuoSchool>, FileError> {
    let (text, encoding) = decode(bytes);
    let Table { header, rows } = read_table(&text)?;
    let cols = Columns::new(&header);
    cols.require(BOARD_NUMBER)?;
    cols.require(BRIN)?;
    let sectors = if cols.0.contains_key(STRUCTURE[0]) {
        Sectors {
            po: false,
            vo: true,
        }
    } else {
        sector_hint.unwrap_or_default()
    };
    let mut out = Parsed {
        records: Vec::new(),
        errors: Vec::new(),
        encoding,
        rows: rows.len(),
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        if let Some(e) = csv_error(line, &row) {
            out.errors.push(e);
            continue;
        }
        let board = match cols.get(&row, BOARD_NUMBER).parse::<DuoNumber>() {
            Ok(n) => n,
            Err(e) => {
                out.errors.push(RowError { line, reason: e });
                continue;
            }
        };
        let code = match SchoolCode::parse(cols.get(&row, BRIN), cols.get(&row, LOCATION)) {
            Ok(c) => c,
            Err(e) => {
                out.errors.push(RowError { line, reason: e });
                continue;
            }
        };
        if let Some(first) = seen.insert(code.to_string(), line) {
            out.errors.push(RowError {
                line,
                reason: format!("school {code} already appears on line {first}"),
            });
            continue;
        }
        let name = cols.get(&row, SCHOOL_NAME).to_owned();
        if name.is_empty() {
            out.errors.push(RowError {
                line,
                reason: format!("school {code} has no name"),
            });
            continue;
        }
        out.records.push(DuoSchool {
            line,
            code,
            name,
            street: street(&cols, &row),
            postcode: normalise_postcode(cols.get(&row, POSTCODE)),
            city: cols.get(&row, CITY).to_owned(),
            board,
            sectors,
            website: non_empty(cols.get(&row, WEBSITE)),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
