//! Landscape CSV import and export. Columns: `product, leverancier, versies, scholen, beheer,
//! notities` (English headers `product, vendor, versions, schools, managed_by, notes` work
//! too; without a header this order is assumed). Lists inside a cell are separated by `|`.
//! A product is a catalogue id or a catalogue name; anything else with a vendor is a
//! proposal. Bad rows are reported by line; good rows are kept.

use schoolcert_domain::registry::duo::{FileError, decode};
use schoolcert_domain::registry::{LineIndex, RowError, SchoolCode};
use schoolcert_domain::{BoardId, Lang};

use super::{Landscape, LandscapeEntry, LandscapeProduct, ManagedBy};
use crate::catalogue::{Catalogue, ProductId};
use crate::text::normalise_name;

const MAX_VERSION_LEN: usize = 64;
const MAX_NOTES_LEN: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Product,
    Vendor,
    Versions,
    Schools,
    ManagedBy,
    Notes,
}

const DEFAULT_ORDER: [Col; 6] = [
    Col::Product,
    Col::Vendor,
    Col::Versions,
    Col::Schools,
    Col::ManagedBy,
    Col::Notes,
];

fn column(header: &str) -> Option<Col> {
    match header.trim().to_ascii_lowercase().as_str() {
        "product" | "applicatie" | "product_id" | "toepassing" => Some(Col::Product),
        "vendor" | "leverancier" => Some(Col::Vendor),
        "versions" | "versies" | "versie" | "version" => Some(Col::Versions),
        "schools" | "scholen" | "school" | "vestigingen" => Some(Col::Schools),
        "managed_by" | "beheer" | "beheerder" | "beheerd_door" => Some(Col::ManagedBy),
        "notes" | "notities" | "opmerkingen" | "notitie" => Some(Col::Notes),
        _ => None,
    }
}

/// Reads a landscape CSV for `board`. Reasons are in `lang`.
pub fn parse(
    bytes: &[u8],
    board: BoardId,
    catalogue: &Catalogue,
    lang: Lang,
) -> Result<(Landscape, Vec<RowError>), FileError> {
    let (text, _) = decode(bytes);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .trim(::csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let lines = LineIndex::new(&text);
    let mut order: Vec<Col> = DEFAULT_ORDER.to_vec();
    let mut landscape = Landscape::new(board);
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i + 1, |p| lines.line_of(p.byte()));
                errors.push(RowError {
                    line,
                    reason: format!(
                        "{}: {e}",
                        lang.pick("onleesbare CSV-regel", "unreadable CSV record")
                    ),
                });
                continue;
            }
        };
        let line = record.position().map_or(i + 1, |p| lines.line_of(p.byte()));
        let fields: Vec<&str> = record.iter().collect();
        // A header is a first row whose first cell is a column name (in any order).
        if i == 0 && fields.first().and_then(|f| column(f)).is_some() {
            let mut header = Vec::new();
            for f in &fields {
                match column(f) {
                    Some(c) => header.push(c),
                    None => {
                        return Err(FileError::MissingColumn {
                            wanted: "product, leverancier, versies, scholen, beheer, notities",
                            found: fields.join(", "),
                        });
                    }
                }
            }
            if !header.contains(&Col::Product) {
                return Err(FileError::MissingColumn {
                    wanted: "product",
                    found: fields.join(", "),
                });
            }
            order = header;
            continue;
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if fields.len() > order.len() {
            errors.push(RowError {
                line,
                reason: format!(
                    "{} {}, {} {}",
                    lang.pick("verwacht hoogstens", "expected at most"),
                    order.len(),
                    lang.pick("kolommen; gevonden", "columns; found"),
                    fields.len()
                ),
            });
            continue;
        }
        let get = |col: Col| -> &str {
            order
                .iter()
                .position(|c| *c == col)
                .and_then(|i| fields.get(i).copied())
                .unwrap_or("")
        };
        match row(&get, catalogue, lang) {
            Ok(entry) => landscape.entries.push(entry),
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    Ok((landscape, errors))
}

fn row<'a>(
    get: &dyn Fn(Col) -> &'a str,
    catalogue: &Catalogue,
    lang: Lang,
) -> Result<LandscapeEntry, String> {
    let product_cell = get(Col::Product);
    if product_cell.is_empty() {
        return Err(lang
            .pick("de kolom product is leeg", "the product column is empty")
            .into());
    }
    let vendor = get(Col::Vendor);
    let product = resolve_product(product_cell, vendor, catalogue).ok_or_else(|| {
        format!(
            "{} '{product_cell}' {}",
            lang.pick("product", "product"),
            lang.pick(
                "staat niet in de catalogus; vul de leverancier in om het voor te stellen",
                "is not in the catalogue; give the vendor to propose it"
            )
        )
    })?;
    let mut versions = Vec::new();
    for v in split_list(get(Col::Versions), &['|']) {
        if v.chars().count() > MAX_VERSION_LEN {
            return Err(format!(
                "{} '{v}' {} {MAX_VERSION_LEN} {}",
                lang.pick("versie", "version"),
                lang.pick("is langer dan", "is longer than"),
                lang.pick("tekens", "characters")
            ));
        }
        if !versions.contains(&v) {
            versions.push(v);
        }
    }
    let mut schools = Vec::new();
    for s in split_list(get(Col::Schools), &['|', ',', ' ']) {
        let code = SchoolCode::parse(&s, "").map_err(|e| {
            format!(
                "{} '{s}': {e}",
                lang.pick(
                    "ongeldige schoolcode (BRIN + vestiging, zoals 16AH00)",
                    "invalid school code (BRIN + location, like 16AH00)"
                )
            )
        })?;
        if !schools.contains(&code) {
            schools.push(code);
        }
    }
    let managed = get(Col::ManagedBy);
    let managed_by = match managed.to_ascii_lowercase().as_str() {
        "" | "zelf" | "self" | "eigen beheer" | "school" | "bestuur" => ManagedBy::SelfManaged,
        _ => ManagedBy::Supplier(managed.to_owned()),
    };
    let notes = get(Col::Notes);
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(format!(
            "{} {MAX_NOTES_LEN} {}",
            lang.pick("de notitie is langer dan", "the note is longer than"),
            lang.pick("tekens", "characters")
        ));
    }
    Ok(LandscapeEntry {
        product,
        versions,
        schools,
        managed_by,
        notes: crate::text::non_empty(notes),
    })
}

fn resolve_product(cell: &str, vendor: &str, catalogue: &Catalogue) -> Option<LandscapeProduct> {
    if let Ok(id) = cell.parse::<ProductId>()
        && catalogue.get(&id).is_some()
    {
        return Some(LandscapeProduct::Catalogue { id });
    }
    let wanted = normalise_name(cell);
    if let Some(p) = catalogue.products().iter().find(|p| {
        normalise_name(&p.name) == wanted
            && (vendor.is_empty() || normalise_name(&p.vendor) == normalise_name(vendor))
    }) {
        return Some(LandscapeProduct::Catalogue { id: p.id.clone() });
    }
    (!vendor.is_empty()).then(|| LandscapeProduct::Proposed {
        vendor: vendor.to_owned(),
        name: cell.to_owned(),
    })
}

fn split_list(cell: &str, seps: &[char]) -> Vec<String> {
    cell.split(|c| seps.contains(&c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Writes a landscape as CSV with Dutch headers, readable by [`parse`].
pub fn export(landscape: &Landscape) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "product",
        "leverancier",
        "versies",
        "scholen",
        "beheer",
        "notities",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for e in &landscape.entries {
        let (product, vendor) = match &e.product {
            LandscapeProduct::Catalogue { id } => (id.to_string(), String::new()),
            LandscapeProduct::Proposed { vendor, name } => (name.clone(), vendor.clone()),
        };
        let schools: Vec<String> = e.schools.iter().map(ToString::to_string).collect();
        let managed = match &e.managed_by {
            ManagedBy::SelfManaged => "zelf".to_owned(),
            ManagedBy::Supplier(s) => s.clone(),
        };
        w.write_record([
            product,
            vendor,
            e.versions.join("|"),
            schools.join("|"),
            managed,
            e.notes.clone().unwrap_or_default(),
        ])
        .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalogue {
        Catalogue::seed()
    }

    #[test]
    fn good_rows_are_kept_and_bad_rows_reported_by_line() {
        let csv = "product;leverancier;versies;scholen;beheer;notities\n\
                   fortinet-fortios;;7.2.10|7.4.4;16AH00|16AH01;ICT Partner BV;twee clusters\n\
                   Magister;;;;;\n\
                   \n\
                   unknown-thing;;;;;\n\
                   Schoolkassa;Schoolkassa BV;;;zelf;\n\
                   paloalto-panos;;10.2.9-h1;16AH;;\n\
                   microsoft-windows;;;XYZ;;\n\
                   moodle;;4.3.2;;;;extra\n";
        let (l, errors) = parse(csv.as_bytes(), BoardId(7), &cat(), Lang::Nl).unwrap();
        assert_eq!(l.board, BoardId(7));
        assert_eq!(l.entries.len(), 4);
        let fortios = &l.entries[0];
        assert_eq!(fortios.versions, ["7.2.10", "7.4.4"]);
        assert_eq!(fortios.schools.len(), 2);
        assert_eq!(
            fortios.managed_by,
            ManagedBy::Supplier("ICT Partner BV".into())
        );
        assert_eq!(
            l.entries[1].product,
            LandscapeProduct::Catalogue {
                id: "magister".parse().unwrap()
            }
        );
        assert_eq!(
            l.entries[2].product,
            LandscapeProduct::Proposed {
                vendor: "Schoolkassa BV".into(),
                name: "Schoolkassa".into()
            }
        );
        assert_eq!(l.entries[3].schools[0].to_string(), "16AH00");
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 8, 9]);
        assert!(
            errors[0].reason.contains("niet in de catalogus"),
            "{}",
            errors[0].reason
        );
        assert!(
            errors[1].reason.contains("schoolcode"),
            "{}",
            errors[1].reason
        );
    }

    #[test]
    fn export_reads_back_the_same() {
        let csv = "fortinet-fortios,,7.2.10|7.4.4,16AH00,ICT Partner BV,\"notes, with comma\"\n\
                   Schoolkassa,Schoolkassa BV,,,,\n";
        let (l, errors) = parse(csv.as_bytes(), BoardId(1), &cat(), Lang::En).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        let out = export(&l).unwrap();
        assert!(out.starts_with("product,leverancier,versies"));
        let (again, errors) = parse(out.as_bytes(), BoardId(1), &cat(), Lang::En).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(again, l);
    }

    #[test]
    fn unknown_headers_and_empty_files_are_file_errors() {
        assert!(matches!(
            parse(
                b"product,colour\nmoodle,red\n",
                BoardId(1),
                &cat(),
                Lang::En
            ),
            Err(FileError::MissingColumn { .. })
        ));
        assert!(matches!(
            parse(b"  \n", BoardId(1), &cat(), Lang::En),
            Err(FileError::Empty)
        ));
        assert!(matches!(
            parse(
                b"versies,scholen\n1.0,16AH00\n",
                BoardId(1),
                &cat(),
                Lang::En
            ),
            Err(FileError::MissingColumn {
                wanted: "product",
                ..
            })
        ));
        // Columns in another order are fine.
        let (l, errors) = parse(
            b"versies;product\n7.2.10;fortinet-fortios\n",
            BoardId(1),
            &cat(),
            Lang::En,
        )
        .unwrap();
        assert!(errors.is_empty());
        assert_eq!(l.entries[0].versions, ["7.2.10"]);
    }
}
