//! A board's application landscape: adding, changing and removing lines (catalogue products
//! or proposals), CSV import (replaces the landscape; bad rows reported by line, the rest
//! kept) and export. Every change re-matches that board.

use schoolcert_domain::access::Actor;
use schoolcert_domain::registry::RowError;
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::vuln::landscape::{self as store, EntryFields, EntryRow};
use schoolcert_vuln::catalogue::ProductId;
use schoolcert_vuln::landscape::{LandscapeProduct, ManagedBy};
use serde::{Deserialize, Serialize};

use super::catalogue::{self, Loaded};
use super::matching::{self, Target};
use super::to_json;
use crate::error::Check;
use crate::{App, AppError, AppResult, Msg};

/// A landscape line as a form gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EntryInput {
    /// A catalogue slug; empty for a proposal.
    #[serde(default)]
    pub product: String,
    /// For a proposal: the vendor and product name.
    #[serde(default)]
    pub proposed_vendor: String,
    #[serde(default)]
    pub proposed_name: String,
    /// Versions separated by commas.
    #[serde(default)]
    pub versions: String,
    /// School codes (`16AH00`) separated by commas; empty: the whole board.
    #[serde(default)]
    pub schools: String,
    /// Empty: the board itself; otherwise the supplier's name.
    #[serde(default)]
    pub managed_by: String,
    #[serde(default)]
    pub notes: String,
}

fn list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split([',', '|', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect();
    v.dedup();
    v
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn fields(input: &EntryInput, loaded: &Loaded) -> AppResult<EntryFields> {
    let mut check = Check::new();
    let product_id = match non_empty(&input.product) {
        Some(slug) => {
            let id = slug
                .parse::<ProductId>()
                .ok()
                .and_then(|p| loaded.id_of(&p));
            if id.is_none() {
                check.fail(
                    "product",
                    Msg::new(
                        format!("'{slug}' staat niet in de catalogus; stel het product voor met leverancier en naam."),
                        format!("'{slug}' is not in the catalogue; propose it with vendor and name."),
                    ),
                );
            }
            id
        }
        None => None,
    };
    let vendor = non_empty(&input.proposed_vendor);
    let name = non_empty(&input.proposed_name);
    if product_id.is_none()
        && non_empty(&input.product).is_none()
        && (vendor.is_none() || name.is_none())
    {
        check.fail(
            "product",
            Msg::new(
                "Kies een product uit de catalogus, of geef leverancier en naam voor een voorstel.",
                "Pick a catalogue product, or give vendor and name to propose one.",
            ),
        );
    }
    let versions = list(&input.versions);
    if versions.iter().any(|v| v.len() > 64) {
        check.fail(
            "versions",
            Msg::new(
                "Een versie is te lang (max. 64 tekens).",
                "A version is too long (max. 64 characters).",
            ),
        );
    }
    let mut schools = Vec::new();
    for s in list(&input.schools) {
        match schoolcert_domain::registry::SchoolCode::parse(&s, "") {
            Ok(c) => schools.push(c.to_string()),
            Err(e) => check.fail(
                "schools",
                Msg::new(format!("School '{s}': {e}"), format!("School '{s}': {e}")),
            ),
        }
    }
    if input.notes.len() > 1000 {
        check.fail(
            "notes",
            Msg::new(
                "De notitie is te lang (max. 1000 tekens).",
                "The note is too long (max. 1000 characters).",
            ),
        );
    }
    check.finish()?;
    Ok(EntryFields {
        product_id,
        proposed_vendor: if product_id.is_some() { None } else { vendor },
        proposed_name: if product_id.is_some() { None } else { name },
        versions: to_json(&versions)?,
        schools: to_json(&schools)?,
        managed_by: non_empty(&input.managed_by),
        notes: non_empty(&input.notes),
    })
}

fn may(actor: &Actor, board: BoardId) -> AppResult<()> {
    if actor.may_access_board(board) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The board's landscape lines.
pub async fn entries(app: &App, actor: &Actor, board: BoardId) -> AppResult<Vec<EntryRow>> {
    may(actor, board)?;
    let mut cx = app.db.read().await?;
    Ok(store::of_board(&mut cx, actor.scope(), board).await?)
}

#[allow(clippy::too_many_arguments)] // one audit entry, every field it records
async fn audit_entry(
    cx: &mut schoolcert_store::Cx,
    actor: &Actor,
    board: BoardId,
    id: i64,
    action: &str,
    before: Option<&EntryRow>,
    after: Option<&EntryFields>,
    now: schoolcert_domain::Timestamp,
) -> AppResult<()> {
    let b = before.map(|e| {
        (
            e.product_slug.clone(),
            e.proposed_name.clone(),
            e.versions.clone(),
            e.managed_by.clone(),
        )
    });
    let a = after.map(|f| {
        (
            f.product_id,
            f.proposed_name.clone(),
            f.versions.clone(),
            f.managed_by.clone(),
        )
    });
    audit::record(
        cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "vuln_landscape_entry",
            object_id: id,
            action,
            changes: vec![schoolcert_domain::audit::change("entry", b, a)],
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn add(app: &App, actor: &Actor, board: BoardId, input: &EntryInput) -> AppResult<i64> {
    may(actor, board)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let f = fields(input, &loaded)?;
    let id = store::insert(&mut cx, board, &f, now).await?;
    audit_entry(&mut cx, actor, board, id, "create", None, Some(&f), now).await?;
    cx.commit().await?;
    matching::rematch(app, Target::board(board)).await?;
    Ok(id)
}

pub async fn update(app: &App, actor: &Actor, id: i64, input: &EntryInput) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let old = store::get(&mut cx, actor.scope(), id).await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let f = fields(input, &loaded)?;
    store::update(&mut cx, actor.scope(), id, &f, now).await?;
    let board = BoardId(old.board_id);
    audit_entry(
        &mut cx,
        actor,
        board,
        id,
        "update",
        Some(&old),
        Some(&f),
        now,
    )
    .await?;
    cx.commit().await?;
    matching::rematch(app, Target::board(board)).await?;
    Ok(())
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let old = store::get(&mut cx, actor.scope(), id).await?;
    store::delete(&mut cx, actor.scope(), id).await?;
    let board = BoardId(old.board_id);
    audit_entry(&mut cx, actor, board, id, "delete", Some(&old), None, now).await?;
    cx.commit().await?;
    matching::rematch(app, Target::board(board)).await?;
    Ok(())
}

/// What a CSV import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CsvReport {
    pub imported: usize,
    pub proposals: usize,
    pub errors: Vec<RowError>,
}

/// Replaces the board's landscape with the CSV's good rows; bad rows are reported by line.
pub async fn import_csv(
    app: &App,
    actor: &Actor,
    board: BoardId,
    bytes: &[u8],
    lang: Lang,
) -> AppResult<CsvReport> {
    may(actor, board)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let (landscape, errors) =
        schoolcert_vuln::landscape::csv::parse(bytes, board, &loaded.catalogue, lang).map_err(
            |e| {
                AppError::invalid(
                    "file",
                    Msg::new(
                        format!("Het bestand is niet te lezen: {e}"),
                        format!("The file cannot be read: {e}"),
                    ),
                )
            },
        )?;
    let removed = store::delete_board(&mut cx, actor.scope(), board).await?;
    let mut report = CsvReport {
        errors,
        ..CsvReport::default()
    };
    for e in &landscape.entries {
        let (product_id, vendor, name) = match &e.product {
            LandscapeProduct::Catalogue { id } => (loaded.id_of(id), None, None),
            LandscapeProduct::Proposed { vendor, name } => {
                report.proposals += 1;
                (None, Some(vendor.clone()), Some(name.clone()))
            }
        };
        if product_id.is_none() && (vendor.is_none() || name.is_none()) {
            continue;
        }
        let f = EntryFields {
            product_id,
            proposed_vendor: vendor,
            proposed_name: name,
            versions: to_json(&e.versions)?,
            schools: to_json(&e.schools.iter().map(|s| s.to_string()).collect::<Vec<_>>())?,
            managed_by: match &e.managed_by {
                ManagedBy::SelfManaged => None,
                ManagedBy::Supplier(s) => Some(s.clone()),
            },
            notes: e.notes.clone(),
        };
        store::insert(&mut cx, board, &f, now).await?;
        report.imported += 1;
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "vuln_landscape",
            object_id: board.0,
            action: "import_csv",
            changes: vec![schoolcert_domain::audit::change(
                "entries",
                removed,
                report.imported,
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    matching::rematch(app, Target::board(board)).await?;
    Ok(report)
}

/// The board's landscape as CSV (Dutch headers).
pub async fn export_csv(app: &App, actor: &Actor, board: BoardId) -> AppResult<String> {
    let rows = entries(app, actor, board).await?;
    let lands = matching::landscapes(&rows);
    let land = lands
        .into_iter()
        .next()
        .unwrap_or_else(|| schoolcert_vuln::landscape::Landscape::new(board));
    schoolcert_vuln::landscape::csv::export(&land).map_err(AppError::Internal)
}

/// Products boards proposed that are not in the catalogue yet (CERT).
pub async fn proposals(app: &App, actor: &Actor) -> AppResult<Vec<EntryRow>> {
    crate::require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(store::proposals(&mut cx, actor.scope()).await?)
}
