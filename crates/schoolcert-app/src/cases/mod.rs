//! Incident and CVD case use cases: reports and triage, messages in and out (portal and
//! e-mail), attachments, tasks, observables, parties, legal clocks and their reminders, sector
//! incidents, the public CVD intake and the reporter's status page, security.txt and metrics.
//!
//! Every function checks who may do it first. Cases a viewer may not see are `NotFound`; inside
//! a case, items go through the store's scope filter and then the pure crate's visibility rules
//! (TLP:RED only to named recipients).

pub mod clocks;
pub mod cvd;
pub mod incidents;
pub mod messages;
pub mod metrics;
pub mod sector;
pub mod securitytxt;
pub mod view;

use std::str::FromStr;

use schoolcert_cases::cvd::CvdCase;
use schoolcert_cases::deadlines::RuleBook;
use schoolcert_cases::incident::{IncidentCase, IncidentState, PersonalData, Severity};
use schoolcert_cases::message::ReplyMailbox;
use schoolcert_cases::playbooks::Playbook;
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::{CaseScope, ItemScope, Sharing, Viewer, may_see_item};
use schoolcert_cases::{CaseId, CaseKind, CaseRef, PartyId};
use schoolcert_domain::access::Actor;
use schoolcert_domain::rsit::Classification;
use schoolcert_domain::{BoardId, SchoolId, Timestamp, Tlp};
use schoolcert_store::Cx;
use schoolcert_store::cases::items::{self, Label};
use schoolcert_store::cases::parties;
use schoolcert_store::cases::records::{self as cases, CaseRow};

use crate::{App, AppError, AppResult, Msg};

/// Reads a stored code back into its type; a failure means the database holds garbage.
pub(crate) fn code<T: FromStr>(value: &str, what: &str) -> AppResult<T> {
    value
        .parse()
        .map_err(|_| AppError::Internal(format!("{what} holds unknown value {value:?}")))
}

/// Parses a TLP label from a form, with a field error.
pub(crate) fn form_tlp(value: &str, field: &str, default: Tlp) -> AppResult<Tlp> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(default);
    }
    v.parse().map_err(|_| {
        AppError::invalid(
            field,
            Msg::new(
                "Kies een TLP-label: CLEAR, GREEN, AMBER, AMBER+STRICT of RED.",
                "Choose a TLP label: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.",
            ),
        )
    })
}

/// The stored label of an item.
pub(crate) fn label(tlp: Tlp, sharing: &Sharing) -> AppResult<Label> {
    Ok(Label {
        tlp: tlp.code().to_owned(),
        sharing: serde_json::to_string(sharing).map_err(|e| AppError::Internal(e.to_string()))?,
        shared_board: sharing.board,
        shared_reporter: sharing.reporter,
    })
}

/// A case as loaded for a use case: the row and its boards.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub row: CaseRow,
    pub boards: Vec<BoardId>,
    pub parties: Vec<PartyId>,
}

impl Loaded {
    pub fn kind(&self) -> AppResult<CaseKind> {
        kind_of(&self.row)
    }

    pub fn case_id(&self) -> CaseId {
        CaseId(self.row.id)
    }

    pub fn scope(&self) -> AppResult<CaseScope> {
        let kind = self.kind()?;
        Ok(CaseScope {
            case_id: self.case_id(),
            kind,
            board_ids: self.boards.clone(),
            parties: self.parties.clone(),
            cvd_state: match kind {
                CaseKind::Cvd => Some(code(&self.row.state, "cases.state")?),
                CaseKind::Incident => None,
            },
        })
    }

    pub fn tlp(&self) -> AppResult<Tlp> {
        code(&self.row.tlp, "cases.tlp")
    }

    pub fn reference(&self) -> AppResult<CaseRef> {
        code(&self.row.reference, "cases.reference")
    }
}

pub(crate) fn kind_of(row: &CaseRow) -> AppResult<CaseKind> {
    match row.kind.as_str() {
        "incident" => Ok(CaseKind::Incident),
        "cvd" => Ok(CaseKind::Cvd),
        other => Err(AppError::Internal(format!("case kind {other:?}"))),
    }
}

/// Loads a case the actor may see (else `NotFound`).
pub(crate) async fn load(cx: &mut Cx, actor: &Actor, id: i64) -> AppResult<Loaded> {
    let row = cases::get(cx, actor.scope(), id).await?;
    load_row(cx, row).await
}

pub(crate) async fn load_row(cx: &mut Cx, row: CaseRow) -> AppResult<Loaded> {
    let boards = cases::boards_of(cx, row.id).await?;
    let parties = parties::of_case(cx, row.id)
        .await?
        .into_iter()
        .map(|p| PartyId(p.party_id))
        .collect();
    Ok(Loaded {
        row,
        boards,
        parties,
    })
}

/// Whether the viewer may see an item with this stored label (after the store's scope filter,
/// this adds the TLP:RED naming rule).
pub(crate) fn visible(viewer: &Viewer, case: &CaseScope, tlp: &str, sharing: &str) -> bool {
    let (Ok(tlp), Ok(sharing)) = (tlp.parse::<Tlp>(), serde_json::from_str::<Sharing>(sharing))
    else {
        return matches!(viewer, Viewer::Cert);
    };
    may_see_item(
        viewer,
        case,
        &ItemScope {
            case_id: case.case_id,
            tlp,
            sharing: &sharing,
        },
    )
}

/// Adds a timeline entry.
pub(crate) async fn timeline(
    cx: &mut Cx,
    case_id: i64,
    at: Timestamp,
    actor: &str,
    event: &TimelineEvent,
    tlp: Tlp,
    sharing: &Sharing,
) -> AppResult<()> {
    let json = serde_json::to_string(event).map_err(|e| AppError::Internal(e.to_string()))?;
    items::add_timeline(cx, case_id, at, actor, &json, &label(tlp, sharing)?).await?;
    Ok(())
}

/// The incident case of a row, for the pure rules.
pub(crate) fn incident_of(l: &Loaded) -> AppResult<IncidentCase> {
    let r = &l.row;
    let classification = match (&r.taxonomy, &r.rsit_type) {
        (Some(t), Some(ty)) => Some(Classification {
            taxonomy: t.clone(),
            type_: ty.clone(),
        }),
        _ => None,
    };
    let school_ids: Vec<SchoolId> = serde_json::from_str(&r.school_ids).unwrap_or_default();
    Ok(IncidentCase {
        reference: l.reference()?,
        state: code::<IncidentState>(&r.state, "cases.state")?,
        board_ids: l.boards.clone(),
        school_ids,
        classification,
        severity: r
            .severity
            .and_then(|s| u8::try_from(s).ok())
            .and_then(Severity::from_level),
        tlp: l.tlp()?,
        personal_data: match r.personal_data.as_str() {
            "yes" => PersonalData::Yes,
            "no" => PersonalData::No,
            _ => PersonalData::Unknown,
        },
        became_aware_at: r.became_aware_at,
        role: match r.role.as_deref() {
            Some("advising") => Some(schoolcert_cases::incident::CertRole::Advising),
            Some("coordinating") => Some(schoolcert_cases::incident::CertRole::Coordinating),
            _ => None,
        },
        assignee: r.assignee_user_id.map(schoolcert_domain::UserId),
        summary: r.summary.clone(),
        outcome: r
            .outcome
            .as_deref()
            .map(|o| code(o, "cases.outcome"))
            .transpose()?,
        exercise: r.exercise,
        opened_at: r.opened_at,
        first_response_at: r.first_response_at,
        closed_at: r.closed_at,
    })
}

/// Writes the pure incident back into the row (boards are written separately).
pub(crate) fn write_incident(r: &mut CaseRow, c: &IncidentCase) {
    r.state = c.state.code().to_owned();
    r.taxonomy = c.classification.as_ref().map(|c| c.taxonomy.clone());
    r.rsit_type = c.classification.as_ref().map(|c| c.type_.clone());
    r.severity = c.severity.map(|s| i64::from(s.level()));
    r.tlp = c.tlp.code().to_owned();
    r.personal_data = match c.personal_data {
        PersonalData::Yes => "yes",
        PersonalData::No => "no",
        PersonalData::Unknown => "unknown",
    }
    .to_owned();
    r.became_aware_at = c.became_aware_at;
    r.role = c.role.map(|x| x.code().to_owned());
    r.assignee_user_id = c.assignee.map(|u| u.0);
    r.summary = c.summary.clone();
    r.outcome = c.outcome.map(|o| o.code().to_owned());
    r.exercise = c.exercise;
    r.school_ids = serde_json::to_string(&c.school_ids).unwrap_or_else(|_| "[]".into());
    r.first_response_at = c.first_response_at;
    r.closed_at = c.closed_at;
}

/// The CVD case kept in a row.
pub(crate) fn cvd_of(r: &CaseRow) -> AppResult<CvdCase> {
    let json = r
        .cvd
        .as_deref()
        .ok_or_else(|| AppError::Internal(format!("CVD case {} has no details", r.id)))?;
    serde_json::from_str(json).map_err(|e| AppError::Internal(format!("CVD case {}: {e}", r.id)))
}

pub(crate) fn write_cvd(r: &mut CaseRow, c: &CvdCase) -> AppResult<()> {
    r.state = c.state.code().to_owned();
    r.tlp = c.tlp.code().to_owned();
    r.severity = c.severity.map(|s| i64::from(s.level()));
    r.taxonomy = Some(c.classification.taxonomy.clone());
    r.rsit_type = Some(c.classification.type_.clone());
    r.exercise = c.exercise;
    r.disclosure_deadline = c.disclosure_deadline();
    r.closed_at = c.closed_at;
    r.cvd = Some(serde_json::to_string(c).map_err(|e| AppError::Internal(e.to_string()))?);
    Ok(())
}

/// The next reference for a kind, counted per year in Dutch time.
pub(crate) async fn next_reference(
    cx: &mut Cx,
    kind: CaseKind,
    now: Timestamp,
) -> AppResult<CaseRef> {
    let year = schoolcert_cases::reference::year_of(now);
    let seq = cases::next_seq(cx, kind.code(), year).await?;
    Ok(CaseRef::new(kind, year, seq))
}

/// The deadline rules (embedded data).
pub fn rulebook() -> AppResult<RuleBook> {
    RuleBook::embedded().map_err(|e| AppError::Internal(e.to_string()))
}

/// The shipped playbooks.
pub fn playbooks() -> AppResult<Vec<Playbook>> {
    schoolcert_cases::playbooks::embedded().map_err(|e| AppError::Internal(e.to_string()))
}

/// The case mailbox replies go to: the From address of outgoing mail.
pub(crate) fn mailbox(app: &App) -> Option<ReplyMailbox> {
    let from = &app.config.mail_from;
    let addr = from
        .rsplit('<')
        .next()
        .unwrap_or(from)
        .trim_end_matches('>')
        .trim();
    ReplyMailbox::parse(addr)
}

/// Fails unless the actor is CERT staff; board contacts get `NotFound` for CERT-only routes on
/// a case they may see, so they learn nothing from the difference.
pub(crate) fn cert_only(actor: &Actor) -> AppResult<()> {
    if actor.is_cert() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A short human label of the actor for timelines.
pub(crate) fn who(actor: &Actor) -> String {
    actor.label.clone()
}
