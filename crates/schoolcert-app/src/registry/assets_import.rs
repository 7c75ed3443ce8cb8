//! Bulk-loading a CERT's existing constituency data: `duo_number,asset` rows, each validated
//! like the web form, registered as approved by the CERT, in one transaction. Bad rows are
//! reported by line; they do not stop the good ones.

use schoolcert_domain::Lang;
use schoolcert_domain::registry::{RowError, assets_csv};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::changes;
use schoolcert_store::registry::assets::{self, NewAsset};
use schoolcert_store::registry::boards;
use serde::Serialize;

use crate::{App, AppError, AppResult, Msg};

#[derive(Debug, Clone, Serialize)]
pub struct AssetImportReport {
    pub rows: usize,
    pub added: usize,
    pub already_registered: usize,
    pub rejected: Vec<RowError>,
    /// Added rows that overlap another board's claim: (line, explanation).
    pub overlaps: Vec<RowError>,
}

pub async fn import(
    app: &App,
    by: By<'_>,
    bytes: &[u8],
    lang: Lang,
) -> AppResult<AssetImportReport> {
    let (rows, mut rejected) = assets_csv::parse(bytes, lang).map_err(|e| {
        AppError::invalid(
            "file",
            Msg::new(
                format!("Het bestand is onbruikbaar: {e}"),
                format!("The file is unusable: {e}"),
            ),
        )
    })?;
    let now = app.now();
    let mut report = AssetImportReport {
        rows: rows.len() + rejected.len(),
        added: 0,
        already_registered: 0,
        rejected: Vec::new(),
        overlaps: Vec::new(),
    };
    let claimed_by = match &by {
        By::Actor(a) => Some(a.user_id),
        By::System(_) => None,
    };
    let mut cx = app.db.write().await?;
    for row in rows {
        let Some(board) = boards::find_by_duo(&mut cx, row.duo_number.as_str()).await? else {
            rejected.push(RowError {
                line: row.line,
                reason: lang
                    .pick("onbekend bevoegd-gezagnummer", "unknown board number")
                    .to_owned()
                    + format!(" {}", row.duo_number).as_str(),
            });
            continue;
        };
        if assets::find(&mut cx, board.id, &row.asset).await?.is_some() {
            report.already_registered += 1;
            continue;
        }
        let id = assets::insert(
            &mut cx,
            &NewAsset {
                board_id: board.id,
                value: &row.asset,
                status: schoolcert_domain::asset::AssetStatus::Approved,
                claimed_by,
                evidence: "bulkimport door het CERT",
                challenge_token: None,
            },
            claimed_by,
            now,
        )
        .await?;
        audit::record(
            &mut cx,
            Record {
                by: by.clone(),
                board_id: Some(board.id),
                object_type: "asset",
                object_id: id.0,
                action: "import",
                changes: vec![schoolcert_domain::audit::change(
                    "value",
                    serde_json::Value::Null,
                    row.asset.to_string(),
                )],
            },
            now,
        )
        .await?;
        for other in assets::overlapping_claims(&mut cx, board.id, &row.asset).await? {
            report.overlaps.push(RowError {
                line: row.line,
                reason: format!("{} ↔ {} ({})", row.asset, other.value, other.board_name),
            });
        }
        report.added += 1;
    }
    if report.added > 0 {
        changes::bump(&mut cx, changes::ASSETS, now).await?;
    }
    cx.commit().await?;
    rejected.sort_by_key(|e| e.line);
    report.rejected = rejected;
    Ok(report)
}
