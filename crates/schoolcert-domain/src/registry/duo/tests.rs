//! The DUO reader against the real 2017 primary-education file and hand-made quirky files.

use super::*;

const REAL_PO_2017: &[u8] =
    include_bytes!("../../../../../testdata/duo/po-alle-vestigingen-2017.csv");

#[test]
fn the_real_2017_po_file_reads_completely() {
    let parsed = parse_schools(
        REAL_PO_2017,
        Some(Sectors {
            po: true,
            vo: false,
        }),
    )
    .unwrap();
    assert_eq!(parsed.rows, 6804);
    assert_eq!(parsed.records.len() + parsed.errors.len(), 6804);
    assert!(
        parsed.errors.is_empty(),
        "{:?}",
        &parsed.errors[..parsed.errors.len().min(5)]
    );
    let first = &parsed.records[0];
    assert_eq!(first.code.to_string(), "16AH00");
    assert_eq!(first.name, "OBS 't Eenspan");
    assert_eq!(first.board.as_str(), "10249");
    assert_eq!(first.postcode, "7822 HG");
    assert_eq!(first.website.as_deref(), Some("www.obs-eenspan.nl"));
    assert!(first.sectors.po && !first.sectors.vo);
    let boards: std::collections::HashSet<_> = parsed.records.iter().map(|s| &s.board).collect();
    assert_eq!(boards.len(), 1010);
}

#[test]
fn new_portal_board_files_with_bom_quotes_and_lost_kvk_zero() {
    let file = "\u{feff}\"BEVOEGD GEZAG NUMMER\",\"BEVOEGD GEZAG NAAM\",\"PLAATSNAAM\",\"KVK-NUMMER\"\r\n\"10249\",\"Stichting Openbaar Onderwijs Emmen\",\"EMMEN\",\"1234567\"\r\n\"4x\",\"Kapot\",\"X\",\"\"\r\n\"10249\",\"Dubbel\",\"EMMEN\",\"\"\r\n";
    let parsed = parse_boards(file.as_bytes()).unwrap();
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].kvk_number.as_deref(), Some("01234567"));
    assert_eq!(parsed.records[0].city, "EMMEN");
    assert_eq!(parsed.errors.len(), 2);
    assert_eq!(parsed.errors[0].line, 3);
    assert!(parsed.errors[0].reason.contains("4x"));
    assert!(parsed.errors[1].reason.contains("line 2"));
}

#[test]
fn legacy_windows_1252_files_with_padding_and_renamed_columns() {
    let mut bytes = b"INSTELLINGSCODE;VESTIGINGSCODE;INSTELLINGSNAAM;BEVOEGD GEZAG NUMMER;PLAATSNAAM;ONDERWIJSSTRUCTUUR;INTERNETADRES \r\n".to_vec();
    bytes.extend_from_slice(
        b"20AB;20AB01;Coll\xe8ge Noord   ;41234;GRONINGEN;HAVO/VWO;                    \r\n",
    );
    bytes.extend_from_slice(b"20AB;20AB02;;41234;GRONINGEN;HAVO/VWO;\r\n");
    let parsed = parse_schools(&bytes, None).unwrap();
    assert_eq!(parsed.encoding, "Windows-1252");
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].name, "Collège Noord");
    assert_eq!(parsed.records[0].code.to_string(), "20AB01");
    assert!(parsed.records[0].sectors.vo);
    assert_eq!(parsed.records[0].website, None);
    assert_eq!(
        parsed.errors,
        vec![RowError {
            line: 3,
            reason: "school 20AB02 has no name".into()
        }]
    );
}

#[test]
fn a_file_without_the_board_column_is_refused_as_a_whole() {
    let err = parse_schools(b"BRIN NUMMER;NAAM\n16AH;X\n", None).unwrap_err();
    assert!(matches!(
        err,
        FileError::MissingColumn {
            wanted: "BEVOEGD GEZAG NUMMER",
            ..
        }
    ));
    assert_eq!(parse_boards(b"").unwrap_err(), FileError::Empty);
}
