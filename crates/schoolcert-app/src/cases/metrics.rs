//! The quarterly analysis: counts per month by class, severity and sector, time to first
//! response and to close, CVD cases by state and deadline adherence. Exercises are left out.

use std::collections::HashMap;

use schoolcert_cases::CaseKind;
use schoolcert_cases::metrics::{CaseSummary, Period, QuarterlyMetrics, compute};
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::registry::Sectors;
use schoolcert_store::cases::records as cases;
use schoolcert_store::registry::boards;

use super::{cert_only, cvd_of, kind_of, load_row};
use crate::{App, AppError, AppResult, Msg};

pub async fn quarterly(
    app: &App,
    actor: &Actor,
    year: i32,
    quarter: u32,
) -> AppResult<QuarterlyMetrics> {
    cert_only(actor)?;
    let period = Period::quarter(year, quarter).ok_or_else(|| {
        AppError::invalid(
            "quarter",
            Msg::new("Kies kwartaal 1 tot 4.", "Choose quarter 1 to 4."),
        )
    })?;
    let now = app.now();
    let mut cx = app.db.read().await?;
    let sectors: HashMap<i64, Sectors> = boards::all(&mut cx)
        .await?
        .into_iter()
        .map(|b| (b.id.0, b.sectors))
        .collect();
    let rows = cases::all(&mut cx, Scope::All).await?;
    let mut summaries = Vec::with_capacity(rows.len());
    for row in rows {
        let kind = kind_of(&row)?;
        let l = load_row(&mut cx, row).await?;
        let sector = l
            .boards
            .iter()
            .filter_map(|b| sectors.get(&b.0).copied())
            .fold(Sectors::default(), Sectors::union);
        let (cvd_state, cvd_resolved_at) = match kind {
            CaseKind::Cvd => {
                let c = cvd_of(&l.row)?;
                (Some(c.state), c.resolved_at)
            }
            CaseKind::Incident => (None, None),
        };
        let obligations = super::clocks::views(&mut cx, &l, now)
            .await?
            .into_iter()
            .map(|v| v.status)
            .collect();
        summaries.push(CaseSummary {
            kind,
            opened_at: l.row.opened_at,
            first_response_at: l.row.first_response_at,
            closed_at: l.row.closed_at,
            classification: l.row.taxonomy.clone(),
            severity: l
                .row
                .severity
                .and_then(|s| u8::try_from(s).ok())
                .and_then(schoolcert_cases::incident::Severity::from_level),
            sectors: sector,
            exercise: l.row.exercise,
            cvd_state,
            cvd_resolved_at,
            cvd_deadline: l.row.disclosure_deadline,
            obligations,
        });
    }
    Ok(compute(&summaries, &period, now))
}
