//! Sector incidents: one incident (a breached supplier, say) with a case per affected board,
//! members and, when the CERT chooses, boards that have not joined; one message to all of them
//! (each board sees it only in its own case); per-board confirmation of measures.

use schoolcert_cases::incident::IncidentCase;
use schoolcert_cases::sector::{AffectedBoard, SectorIncident, SectorMessage};
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::Sharing;
use schoolcert_cases::{CaseId, CaseKind, SectorIncidentId};
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::registry::BoardStatus;
use schoolcert_domain::rsit::{self, Classification};
use schoolcert_domain::{BoardId, Tlp};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::cases::items::{self, NewMessage};
use schoolcert_store::cases::records as cases;
use schoolcert_store::cases::sector::{self, LinkRow, SectorRow};
use schoolcert_store::registry::boards;
use serde::{Deserialize, Serialize};

use super::{cert_only, form_tlp, label, load_row, timeline, who, write_incident};
use crate::{App, AppError, AppResult, Msg};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SectorInput {
    pub title: String,
    pub description: String,
    pub board_ids: Vec<i64>,
    /// Also open cases for boards that have not (yet) joined.
    pub include_non_members: bool,
    /// `taxonomy/type`.
    pub classification: String,
    pub tlp: String,
    pub exercise: bool,
}

/// Opens a sector incident with a case per affected board.
pub async fn create(app: &App, actor: &Actor, input: &SectorInput) -> AppResult<i64> {
    cert_only(actor)?;
    let now = app.now();
    if input.title.trim().is_empty() {
        return Err(AppError::invalid(
            "title",
            Msg::new("Geef het incident een titel.", "Give the incident a title."),
        ));
    }
    let classification = match input.classification.trim().split_once('/') {
        Some((t, ty)) if rsit::is_valid_pair(t, ty) => Some(Classification {
            taxonomy: t.into(),
            type_: ty.into(),
        }),
        None if input.classification.trim().is_empty() => None,
        _ => {
            return Err(AppError::invalid(
                "classification",
                Msg::new(
                    "Kies een RSIT-klasse en -type.",
                    "Choose an RSIT class and type.",
                ),
            ));
        }
    };
    let tlp = form_tlp(&input.tlp, "tlp", Tlp::Amber)?;
    let mut cx = app.db.write().await?;
    let id = sector::insert(
        &mut cx,
        input.title.trim(),
        input.description.trim(),
        input.include_non_members,
        input.exercise,
        now,
    )
    .await?;
    let mut inc = SectorIncident::new(SectorIncidentId(id), &input.title, now);
    inc.include_non_members = input.include_non_members;
    add_boards_in(
        &mut cx,
        app,
        actor,
        &mut inc,
        &input.board_ids,
        classification.as_ref(),
        tlp,
        input.exercise,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "sector_incident",
            object_id: id,
            action: "create",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn add_boards_in(
    cx: &mut Cx,
    app: &App,
    actor: &Actor,
    inc: &mut SectorIncident,
    board_ids: &[i64],
    classification: Option<&Classification>,
    tlp: Tlp,
    exercise: bool,
) -> AppResult<()> {
    let now = app.now();
    let mut affected = Vec::new();
    for b in board_ids {
        let board = boards::get(cx, Scope::All, BoardId(*b))
            .await
            .map_err(|_| {
                AppError::invalid(
                    "board_ids",
                    Msg::new(
                        format!("Onbekend bestuur {b}."),
                        format!("Unknown board {b}."),
                    ),
                )
            })?;
        affected.push(AffectedBoard {
            board_id: board.id,
            member: board.status == BoardStatus::Active,
        });
    }
    let plan = inc.plan_cases(&affected);
    for a in affected
        .iter()
        .filter(|a| plan.create_for.contains(&a.board_id))
    {
        let reference = super::next_reference(cx, CaseKind::Incident, now).await?;
        let mut case = IncidentCase::open(reference, vec![a.board_id], now);
        case.classification = classification.cloned();
        case.tlp = tlp;
        case.exercise = exercise;
        case.state = schoolcert_cases::incident::IncidentState::Triage;
        case.summary = inc.title.clone();
        let mut row =
            super::incidents::blank_row("incident", &reference.to_string(), &inc.title, now);
        write_incident(&mut row, &case);
        let case_id = cases::insert(cx, &row, &[a.board_id]).await?;
        sector::link(cx, inc.id.0, a.board_id, case_id, a.member).await?;
        inc.link(*a, CaseId(case_id))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        timeline(
            cx,
            case_id,
            now,
            &who(actor),
            &TimelineEvent::CaseOpened,
            Tlp::Amber,
            &Sharing::with_board(),
        )
        .await?;
    }
    Ok(())
}

async fn load_incident(cx: &mut Cx, id: i64) -> AppResult<(SectorRow, SectorIncident)> {
    let row = sector::get(cx, Scope::All, id).await?;
    let links = sector::links(cx, Scope::All, id).await?;
    let mut inc = SectorIncident::new(SectorIncidentId(id), &row.title, row.opened_at);
    inc.include_non_members = row.include_non_members;
    for l in &links {
        inc.link(
            AffectedBoard {
                board_id: BoardId(l.board_id),
                member: l.member,
            },
            CaseId(l.case_id),
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(at) = l.measures_confirmed_at {
            inc.confirm_measures(
                BoardId(l.board_id),
                at,
                l.confirmed_by.as_deref().unwrap_or(""),
            )
            .map_err(|e| AppError::Internal(e.to_string()))?;
        }
    }
    Ok((row, inc))
}

/// Adds boards to an existing sector incident.
pub async fn add_boards(app: &App, actor: &Actor, id: i64, board_ids: &[i64]) -> AppResult<()> {
    cert_only(actor)?;
    let mut cx = app.db.write().await?;
    let (row, mut inc) = load_incident(&mut cx, id).await?;
    add_boards_in(
        &mut cx,
        app,
        actor,
        &mut inc,
        board_ids,
        None,
        Tlp::Amber,
        row.exercise,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// One message to every linked board: a copy in each board's own case, mailed to its contacts.
pub async fn message_all(
    app: &App,
    actor: &Actor,
    id: i64,
    subject: &str,
    body: &str,
    tlp: &str,
) -> AppResult<usize> {
    cert_only(actor)?;
    let now = app.now();
    let tlp = form_tlp(tlp, "tlp", Tlp::Amber)?;
    let mut cx = app.db.write().await?;
    let (_, inc) = load_incident(&mut cx, id).await?;
    let subject = if subject.trim().is_empty() {
        inc.title.clone()
    } else {
        subject.trim().to_owned()
    };
    let items = inc
        .fan_out(&SectorMessage {
            subject: subject.clone(),
            body: body.to_owned(),
            tlp,
        })
        .map_err(|e| {
            AppError::invalid(if tlp == Tlp::Red { "tlp" } else { "body" }, Msg::of(&e))
        })?;
    let sector_message_id =
        sector::add_message(&mut cx, id, &subject, body, tlp.code(), &who(actor), now).await?;
    for it in &items {
        let row = cases::get(&mut cx, Scope::All, it.case_id.0).await?;
        let l = load_row(&mut cx, row).await?;
        items::add_message(
            &mut cx,
            &NewMessage {
                case_id: it.case_id.0,
                parent_id: None,
                kind: "email",
                direction: "outbound",
                author: &who(actor),
                author_user_id: Some(actor.user_id.0),
                subject: &it.subject,
                body: &it.body,
                label: label(it.tlp, &it.sharing)?,
                email_message_id: None,
                sector_message_id: Some(sector_message_id),
            },
            now,
        )
        .await?;
        super::messages::send_case_mail(
            &mut cx,
            app,
            &l,
            &it.subject,
            &it.body,
            it.tlp,
            &it.sharing,
        )
        .await?;
        timeline(
            &mut cx,
            it.case_id.0,
            now,
            &who(actor),
            &TimelineEvent::MessageSent {
                subject: it.subject.clone(),
            },
            it.tlp,
            &it.sharing,
        )
        .await?;
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "sector_incident",
            object_id: id,
            action: "message",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(items.len())
}

/// A board confirms it took the measures.
pub async fn confirm(app: &App, actor: &Actor, id: i64) -> AppResult<()> {
    let now = app.now();
    let board = actor.board_id.ok_or(AppError::NotFound)?;
    let mut cx = app.db.write().await?;
    sector::get(&mut cx, actor.scope(), id).await?;
    let link = sector::links(&mut cx, actor.scope(), id)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    if link.measures_confirmed_at.is_none() {
        sector::confirm(&mut cx, id, board, &who(actor), now).await?;
        timeline(
            &mut cx,
            link.case_id,
            now,
            &who(actor),
            &TimelineEvent::TaskDone {
                title: "Maatregelen genomen".into(),
            },
            Tlp::Amber,
            &Sharing::with_board(),
        )
        .await?;
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "sector_incident",
            object_id: id,
            action: "confirm",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// A sector incident as the viewer may see it: a board gets only its own link.
#[derive(Debug, Clone, Serialize)]
pub struct SectorView {
    pub incident: SectorRow,
    pub links: Vec<LinkRow>,
    pub confirmed: usize,
    pub total: usize,
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> AppResult<SectorView> {
    let mut cx = app.db.read().await?;
    let incident = sector::get(&mut cx, actor.scope(), id).await?;
    let links = sector::links(&mut cx, actor.scope(), id).await?;
    let confirmed = links
        .iter()
        .filter(|l| l.measures_confirmed_at.is_some())
        .count();
    Ok(SectorView {
        total: links.len(),
        confirmed,
        incident,
        links,
    })
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<SectorRow>> {
    let mut cx = app.db.read().await?;
    Ok(sector::list(&mut cx, actor.scope()).await?)
}
