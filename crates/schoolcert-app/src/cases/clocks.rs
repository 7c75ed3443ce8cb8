//! Legal clocks: which obligations a case has (GDPR, NIS2, sector duty) and when they are due,
//! written as rows whenever the facts change; the board's confirmation that one was met; the
//! periodic reminder job (each reminder once per due time); notification drafts for the board.

use std::collections::BTreeSet;

use schoolcert_cases::CaseKind;
use schoolcert_cases::deadlines::{ObligationRecord, ObligationView, confirm_met, waive};
use schoolcert_cases::drafts::{Contact, Draft, DraftCase, DraftKind, Organisation};
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::Sharing;
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::{Lang, Timestamp, Tlp, UserId};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::cases::obligations::{self, ObligationRow};
use schoolcert_store::cases::records as cases;
use schoolcert_store::registry::{boards, contacts};
use serde::Deserialize;

use super::{Loaded, incident_of, load, load_row, timeline, who};
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg};

fn records(rows: &[ObligationRow]) -> Vec<ObligationRecord> {
    rows.iter()
        .filter(|r| r.met_at.is_some() || r.waived_reason.is_some())
        .map(|r| ObligationRecord {
            code: r.code.clone(),
            met_at: r.met_at,
            reference: r.reference.clone(),
            late_reason: r.late_reason.clone(),
            waived_reason: r.waived_reason.clone(),
            recorded_by: r.recorded_by.clone(),
            recorded_at: r.recorded_at,
        })
        .collect()
}

/// The obligations of a case as they stand at `now`. CVD cases have none.
pub(crate) async fn views(
    cx: &mut Cx,
    l: &Loaded,
    now: Timestamp,
) -> AppResult<Vec<ObligationView>> {
    if l.kind()? != CaseKind::Incident {
        return Ok(Vec::new());
    }
    let rows = obligations::of_case(cx, l.row.id).await?;
    let recs = records(&rows);
    let case = incident_of(l)?;
    let book = super::rulebook()?;
    Ok(book.evaluate(&case.clock_case(l.row.nis2, false, &recs), now))
}

/// Writes the due moment of every applicable obligation (called whenever the facts change).
pub(crate) async fn sync(cx: &mut Cx, l: &mut Loaded, now: Timestamp) -> AppResult<()> {
    for v in views(cx, l, now).await? {
        obligations::upsert_due(cx, l.row.id, &v.code, v.due_at).await?;
    }
    Ok(())
}

/// The clocks of a case for the case page.
pub async fn of_case(app: &App, actor: &Actor, case_id: i64) -> AppResult<Vec<ObligationView>> {
    let mut cx = app.db.read().await?;
    let l = load(&mut cx, actor, case_id).await?;
    views(&mut cx, &l, app.now()).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmInput {
    /// When it was done; empty: now.
    pub met_at: String,
    /// The regulator's reference (meldnummer), if any.
    pub reference: String,
    /// Required when done after the deadline.
    pub late_reason: String,
    /// Set to mark the obligation as not needed, with this reason.
    pub waive_reason: String,
}

/// The board (or the CERT for it) records that an obligation was met, or not needed.
pub async fn confirm(
    app: &App,
    actor: &Actor,
    case_id: i64,
    code: &str,
    input: &ConfirmInput,
) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let view = views(&mut cx, &l, now)
        .await?
        .into_iter()
        .find(|v| v.code == code)
        .filter(|v| {
            actor.is_cert()
                || v.responsible == schoolcert_cases::deadlines::rules::Responsible::Board
        })
        .ok_or(AppError::NotFound)?;
    let by = who(actor);
    let rec = if input.waive_reason.trim().is_empty() {
        let met_at = match input.met_at.trim() {
            "" => now,
            s => super::incidents::parse_moment(s).ok_or_else(|| {
                AppError::invalid(
                    "met_at",
                    Msg::new(
                        "Vul een geldige datum en tijd in.",
                        "Enter a valid date and time.",
                    ),
                )
            })?,
        };
        confirm_met(
            &view,
            met_at,
            now,
            Some(&input.reference),
            Some(&input.late_reason),
            &by,
        )
    } else {
        waive(&view, &input.waive_reason, now, &by)
    }
    .map_err(|e| {
        AppError::invalid(
            if input.waive_reason.trim().is_empty() {
                "met_at"
            } else {
                "waive_reason"
            },
            Msg::of(&e),
        )
    })?;
    let row = ObligationRow {
        id: 0,
        case_id,
        code: rec.code.clone(),
        due_at: view.due_at,
        met_at: rec.met_at,
        reference: rec.reference.clone(),
        late_reason: rec.late_reason.clone(),
        waived_reason: rec.waived_reason.clone(),
        recorded_by: rec.recorded_by.clone(),
        recorded_at: rec.recorded_at,
    };
    obligations::record(&mut cx, &row).await?;
    let name = view.name.get(Lang::Nl).to_owned();
    let event = if rec.met_at.is_some() {
        TimelineEvent::ObligationMet { obligation: name }
    } else {
        TimelineEvent::ObligationWaived { obligation: name }
    };
    timeline(
        &mut cx,
        case_id,
        now,
        &by,
        &event,
        Tlp::Amber,
        &Sharing::with_board(),
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case_obligation",
            object_id: case_id,
            action: "confirm",
            changes: schoolcert_domain::audit::diff(None, Some(&row)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// What the reminder job did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReminderReport {
    pub sent: usize,
    pub skipped: usize,
}

/// Sends the reminders that are due for every case with running clocks, each once per due
/// moment (a moved "became aware" moves the due moment, and reminds again).
pub async fn send_reminders(app: &App) -> AppResult<ReminderReport> {
    let now = app.now();
    let book = super::rulebook()?;
    let mut report = ReminderReport::default();
    let rows = {
        let mut cx = app.db.read().await?;
        cases::with_running_clocks(&mut cx).await?
    };
    for row in rows {
        let mut cx = app.db.write().await?;
        let l = load_row(&mut cx, row).await?;
        let obl = obligations::of_case(&mut cx, l.row.id).await?;
        let recs = records(&obl);
        let case = incident_of(&l)?;
        let clock = case.clock_case(l.row.nis2, false, &recs);
        let views = book.evaluate(&clock, now);
        let due_of = |code: &str| views.iter().find(|v| v.code == code).and_then(|v| v.due_at);
        // Keys already handled for the current due moment of their obligation.
        let handled: BTreeSet<String> = obligations::reminders_sent(&mut cx, l.row.id)
            .await?
            .into_iter()
            .filter(|(o, _, _, due)| due_of(o).unwrap_or(l.row.opened_at) == *due)
            .map(|(o, r, a, _)| format!("{o}:{r}:{a}"))
            .collect();
        let plan = book.reminders_due(&clock, &handled, now);
        if plan.is_empty() {
            continue;
        }
        for key in &plan.skip {
            let due = due_of(&key.obligation).unwrap_or(l.row.opened_at);
            obligations::mark_reminder(
                &mut cx,
                l.row.id,
                &key.obligation,
                &key.reminder,
                key.audience.code(),
                due,
                now,
            )
            .await?;
            report.skipped += 1;
        }
        for r in &plan.send {
            let due = r.obligation.due_at.unwrap_or(l.row.opened_at);
            if !obligations::mark_reminder(
                &mut cx,
                l.row.id,
                &r.key.obligation,
                &r.key.reminder,
                r.key.audience.code(),
                due,
                now,
            )
            .await?
            {
                continue;
            }
            let to = audience_addresses(&mut cx, app, &l, r.key.audience).await?;
            if to.is_empty() {
                continue;
            }
            let for_board = r.key.audience == schoolcert_cases::deadlines::rules::Audience::Board;
            let link = if for_board {
                format!("/portaal/zaken/{}", l.row.id)
            } else {
                format!("/cert/zaken/{}", l.row.id)
            };
            mail::queue(app, &mut cx, Outgoing {
                kind: "case_reminder",
                board_id: if for_board { l.boards.first().copied() } else { None },
                to,
                template: "case_reminder",
                lang: Lang::Nl,
                context: serde_json::json!({
                    "reference": l.row.reference,
                    "exercise": l.row.exercise,
                    "title": l.row.title,
                    "obligation": r.obligation.name.get(Lang::Nl),
                    "recipient": r.obligation.recipient_name.get(Lang::Nl),
                    "due": r.obligation.due_at.map(|d| schoolcert_domain::time::format_local(d, Lang::Nl)).unwrap_or_default(),
                    "remaining": r.obligation.remaining_text(Lang::Nl).unwrap_or_default(),
                    "link": app.config.link(&link),
                }),
                attachments: Vec::new(),
            }).await?;
            timeline(
                &mut cx,
                l.row.id,
                now,
                "systeem",
                &TimelineEvent::ReminderSent {
                    obligation: r.obligation.name.get(Lang::Nl).to_owned(),
                },
                Tlp::Amber,
                &if for_board {
                    Sharing::with_board()
                } else {
                    Sharing::internal()
                },
            )
            .await?;
            report.sent += 1;
        }
        audit::record(
            &mut cx,
            Record {
                by: By::System("termijnen"),
                board_id: l.boards.first().copied(),
                object_type: "case",
                object_id: l.row.id,
                action: "remind",
                changes: Vec::new(),
            },
            now,
        )
        .await?;
        cx.commit().await?;
    }
    Ok(report)
}

async fn audience_addresses(
    cx: &mut Cx,
    app: &App,
    l: &Loaded,
    a: schoolcert_cases::deadlines::rules::Audience,
) -> AppResult<Vec<String>> {
    use schoolcert_cases::deadlines::rules::Audience;
    Ok(match a {
        Audience::Assignee => match l.row.assignee_user_id {
            Some(u) => vec![
                schoolcert_store::accounts::users::get(cx, UserId(u))
                    .await?
                    .email,
            ],
            None => vec![cert_address(app)],
        },
        Audience::Board => {
            let mut all = Vec::new();
            for b in &l.boards {
                all.extend(contacts::notification_addresses(cx, *b).await?);
            }
            all
        }
        Audience::DutyOfficer => vec![cert_address(app)],
    })
}

/// The CERT's own mailbox (the duty officer reads it).
pub(crate) fn cert_address(app: &App) -> String {
    let from = &app.config.mail_from;
    from.rsplit('<')
        .next()
        .unwrap_or(from)
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

/// A notification draft (AP data breach, NIS2 early warning, notification, final report)
/// pre-filled from the case, for the board to copy into the regulator's form.
pub async fn draft(
    app: &App,
    actor: &Actor,
    case_id: i64,
    kind: &str,
    lang: Lang,
) -> AppResult<Draft> {
    let kind = DraftKind::from_code(kind).ok_or(AppError::NotFound)?;
    let mut cx = app.db.read().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let case = incident_of(&l)?;
    let board_id = l.boards.first().copied().ok_or(AppError::NotFound)?;
    let board = boards::get(&mut cx, Scope::All, board_id).await?;
    let contact = contacts::of_board(&mut cx, Scope::All, board_id)
        .await?
        .into_iter()
        .next();
    let obs = schoolcert_store::cases::items::observables(&mut cx, actor.scope(), case_id).await?;
    let dc = DraftCase {
        reference: Some(case.reference),
        organisation: Organisation {
            name: board.name.clone(),
            kvk_number: board.kvk_number.clone(),
            duo_number: Some(board.duo_number.clone()),
            address: Some(format!(
                "{}, {} {}",
                board.street, board.postcode, board.city
            )),
        },
        contact: contact
            .map(|c| Contact {
                name: c.name,
                role: Some(c.function),
                email: Some(c.email),
                phone: Some(c.phone),
            })
            .unwrap_or_default(),
        summary: case.summary.clone(),
        classification: case.classification.clone(),
        severity: case.severity,
        became_aware_at: case.became_aware_at,
        indicators: obs
            .into_iter()
            .filter(|o| o.ioc)
            .map(|o| schoolcert_cases::drafts::input::Indicator {
                kind: o.kind,
                value: o.value,
                tlp: o.tlp.parse().unwrap_or(Tlp::Amber),
            })
            .collect(),
        ..DraftCase::default()
    };
    Ok(kind.build(&dc, lang))
}

/// The CERT-wide deadline view: every open obligation, soonest first.
pub async fn deadlines(app: &App, actor: &Actor) -> AppResult<Vec<obligations::DeadlineRow>> {
    super::cert_only(actor)?;
    let mut cx = app.db.read().await?;
    Ok(obligations::open_deadlines(&mut cx).await?)
}
