//! Importing DUO's registry: boards and school locations upserted by DUO number and BRIN code
//! in one transaction, idempotent, with counts and refused rows by line. Nothing is ever
//! deleted; boards missing from a complete board file are only marked as such.

use std::collections::HashMap;

use schoolcert_domain::audit::diff;
use schoolcert_domain::registry::duo::{self, DuoBoard, DuoSchool, FileError};
use schoolcert_domain::registry::{BoardStatus, RowError, Sectors};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::boards::{self, Board, BoardFields};
use schoolcert_store::registry::schools::{self, SchoolFields};
use serde::Serialize;

use crate::{App, AppError, AppResult, Msg};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRowError {
    pub file: &'static str,
    #[serde(flatten)]
    pub error: RowError,
}

#[derive(Debug, Clone, Serialize)]
pub struct DuoReport {
    pub boards: Counts,
    pub schools: Counts,
    pub rejected: Vec<FileRowError>,
    /// Boards not in a complete board file any more (kept, marked).
    pub marked_missing: u64,
}

fn file_error(which: &'static str, e: FileError) -> AppError {
    AppError::invalid(
        which,
        Msg::new(
            format!(
                "Het bestand met {} is onbruikbaar: {e}",
                if which == "boards" {
                    "besturen"
                } else {
                    "vestigingen"
                }
            ),
            format!("The {which} file is unusable: {e}"),
        ),
    )
}

/// Imports either file or both; `sector` is a hint for location files that do not say.
pub async fn import(
    app: &App,
    by: By<'_>,
    boards_file: Option<&[u8]>,
    schools_file: Option<&[u8]>,
    sector: Option<Sectors>,
) -> AppResult<DuoReport> {
    let parsed_boards = boards_file
        .map(duo::parse_boards)
        .transpose()
        .map_err(|e| file_error("boards", e))?;
    let parsed_schools = schools_file
        .map(|f| duo::parse_schools(f, sector))
        .transpose()
        .map_err(|e| file_error("schools", e))?;
    let now = app.now();
    let mut report = DuoReport {
        boards: Counts::default(),
        schools: Counts::default(),
        rejected: Vec::new(),
        marked_missing: 0,
    };
    let mut cx = app.db.write().await?;
    let mut by_duo: HashMap<String, Board> = boards::all(&mut cx)
        .await?
        .into_iter()
        .map(|b| (b.duo_number.clone(), b))
        .collect();

    // Sectors a board serves follow from its schools.
    let mut sectors_of: HashMap<String, Sectors> = HashMap::new();
    if let Some(p) = &parsed_schools {
        for s in &p.records {
            let e = sectors_of.entry(s.board.as_str().to_owned()).or_default();
            *e = e.union(s.sectors);
        }
    }

    if let Some(p) = parsed_boards {
        report
            .rejected
            .extend(p.errors.into_iter().map(|error| FileRowError {
                file: "boards",
                error,
            }));
        report.boards.rejected = report.rejected.len();
        let present: Vec<String> = p
            .records
            .iter()
            .map(|b| b.duo_number.as_str().to_owned())
            .collect();
        for rec in &p.records {
            let existing = by_duo.get(rec.duo_number.as_str()).cloned();
            let sectors = existing
                .as_ref()
                .map(|b| b.sectors)
                .unwrap_or_default()
                .union(
                    sectors_of
                        .get(rec.duo_number.as_str())
                        .copied()
                        .unwrap_or_default(),
                );
            let fields = board_fields(rec, sectors);
            upsert_board(
                &mut cx,
                &by,
                existing.as_ref(),
                &fields,
                &mut report.boards,
                &mut by_duo,
                now,
            )
            .await?;
        }
        report.marked_missing = boards::mark_missing_from_duo(&mut cx, &present, now).await?;
    }

    if let Some(p) = parsed_schools {
        let before = report.rejected.len();
        report
            .rejected
            .extend(p.errors.into_iter().map(|error| FileRowError {
                file: "schools",
                error,
            }));
        report.schools.rejected = report.rejected.len() - before;
        let mut by_code: HashMap<String, schoolcert_store::registry::schools::School> =
            schools::all(&mut cx)
                .await?
                .into_iter()
                .map(|s| (s.code.clone(), s))
                .collect();
        for rec in &p.records {
            // A location file without a board file still creates its boards, by number.
            let duo_nr = rec.board.as_str();
            let board_id = match by_duo.get(duo_nr).cloned() {
                Some(b) => {
                    let sectors = b
                        .sectors
                        .union(sectors_of.get(duo_nr).copied().unwrap_or_default());
                    if sectors != b.sectors {
                        let mut f = b.fields();
                        f.sectors = sectors.code().to_owned();
                        upsert_board(
                            &mut cx,
                            &by,
                            Some(&b),
                            &f,
                            &mut Counts::default(),
                            &mut by_duo,
                            now,
                        )
                        .await?;
                    }
                    b.id
                }
                None => {
                    let f = BoardFields {
                        duo_number: duo_nr.to_owned(),
                        name: format!("Bevoegd gezag {duo_nr}"),
                        sectors: sectors_of
                            .get(duo_nr)
                            .copied()
                            .unwrap_or_default()
                            .code()
                            .to_owned(),
                        street: String::new(),
                        postcode: String::new(),
                        city: rec.city.clone(),
                        kvk_number: None,
                        rio_id: None,
                        website: None,
                    };
                    upsert_board(&mut cx, &by, None, &f, &mut report.boards, &mut by_duo, now)
                        .await?;
                    by_duo
                        .get(duo_nr)
                        .map(|b| b.id)
                        .ok_or_else(|| AppError::Internal("board vanished".into()))?
                }
            };
            let fields = school_fields(rec, board_id.0);
            match by_code.get(&fields.code) {
                Some(existing) if existing.fields() == fields && existing.in_duo => {
                    report.schools.unchanged += 1
                }
                Some(existing) => {
                    let id = schoolcert_domain::SchoolId(existing.id);
                    schools::update(&mut cx, id, &fields, now).await?;
                    audit::record(
                        &mut cx,
                        Record {
                            by: by.clone(),
                            board_id: Some(board_id),
                            object_type: "school",
                            object_id: existing.id,
                            action: "duo_update",
                            changes: diff(Some(&existing.fields()), Some(&fields)),
                        },
                        now,
                    )
                    .await?;
                    report.schools.changed += 1;
                }
                None => {
                    let id = schools::insert(&mut cx, &fields, now).await?;
                    audit::record(
                        &mut cx,
                        Record {
                            by: by.clone(),
                            board_id: Some(board_id),
                            object_type: "school",
                            object_id: id.0,
                            action: "duo_create",
                            changes: diff(None, Some(&fields)),
                        },
                        now,
                    )
                    .await?;
                    by_code.insert(
                        fields.code.clone(),
                        schools::get(&mut cx, schoolcert_domain::access::Scope::All, id).await?,
                    );
                    report.schools.new += 1;
                }
            }
        }
    }
    cx.commit().await?;
    Ok(report)
}

fn board_fields(rec: &DuoBoard, sectors: Sectors) -> BoardFields {
    BoardFields {
        duo_number: rec.duo_number.as_str().to_owned(),
        name: rec.name.clone(),
        sectors: sectors.code().to_owned(),
        street: rec.street.clone(),
        postcode: rec.postcode.clone(),
        city: rec.city.clone(),
        kvk_number: rec.kvk_number.clone(),
        rio_id: rec.rio_id.clone(),
        website: rec.website.clone(),
    }
}

fn school_fields(rec: &DuoSchool, board_id: i64) -> SchoolFields {
    SchoolFields {
        board_id,
        code: rec.code.to_string(),
        brin: rec.code.brin.as_str().to_owned(),
        name: rec.name.clone(),
        street: rec.street.clone(),
        postcode: rec.postcode.clone(),
        city: rec.city.clone(),
        sectors: rec.sectors.code().to_owned(),
        website: rec.website.clone(),
    }
}

async fn upsert_board(
    cx: &mut schoolcert_store::Cx,
    by: &By<'_>,
    existing: Option<&Board>,
    fields: &BoardFields,
    counts: &mut Counts,
    by_duo: &mut HashMap<String, Board>,
    now: schoolcert_domain::Timestamp,
) -> AppResult<()> {
    let id = match existing {
        Some(b) if b.fields() == *fields && b.in_duo => {
            counts.unchanged += 1;
            return Ok(());
        }
        Some(b) => {
            boards::update_fields(cx, b.id, fields, now).await?;
            audit::record(
                cx,
                Record {
                    by: by.clone(),
                    board_id: Some(b.id),
                    object_type: "board",
                    object_id: b.id.0,
                    action: "duo_update",
                    changes: diff(Some(&b.fields()), Some(fields)),
                },
                now,
            )
            .await?;
            counts.changed += 1;
            b.id
        }
        None => {
            let id = boards::insert(cx, fields, BoardStatus::Registered, now).await?;
            audit::record(
                cx,
                Record {
                    by: by.clone(),
                    board_id: Some(id),
                    object_type: "board",
                    object_id: id.0,
                    action: "duo_create",
                    changes: diff(None, Some(fields)),
                },
                now,
            )
            .await?;
            counts.new += 1;
            id
        }
    };
    let b = boards::get(cx, schoolcert_domain::access::Scope::All, id).await?;
    by_duo.insert(b.duo_number.clone(), b);
    Ok(())
}
