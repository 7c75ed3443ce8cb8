//! What the pages and the API show: case lists (queue, mine, all with filters, search) and the
//! case page, with every item filtered for the viewer (a board sees only what is shared with
//! it and what its TLP allows; internal notes never).

use schoolcert_cases::CaseKind;
use schoolcert_cases::cvd::{BoardCvdView, CvdCase};
use schoolcert_cases::deadlines::ObligationView;
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::Viewer;
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::{Lang, Timestamp};
use schoolcert_store::cases::items::{self, AttachmentRow, MessageRow, ObservableRow, TaskRow};
use schoolcert_store::cases::parties::{self, CasePartyRow, ShareRow};
use schoolcert_store::cases::records::{self as cases, CaseFilter, CaseListItem, CaseRow};
use schoolcert_store::cases::reports::{self, ReportRow};
use schoolcert_store::cases::sector::{self, LinkRow};
use schoolcert_store::registry::boards;
use schoolcert_store::{Page, PageRequest};
use serde::Serialize;

use super::{cert_only, cvd_of, load, visible};
use crate::{App, AppResult};

/// Cases the actor may see, with filters.
pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &CaseFilter,
    page: PageRequest,
) -> AppResult<Page<CaseListItem>> {
    let mut cx = app.db.read().await?;
    Ok(cases::list(&mut cx, actor.scope(), filter, page).await?)
}

/// The CERT's queue: reports not yet in a case, and cases nobody has triaged.
#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub reports: Vec<ReportRow>,
    pub new_cases: Vec<CaseListItem>,
}

pub async fn queue(app: &App, actor: &Actor) -> AppResult<Queue> {
    cert_only(actor)?;
    let mut cx = app.db.read().await?;
    let reports = reports::list(&mut cx, actor.scope(), Some("new"), None).await?;
    let mut new_cases = Vec::new();
    for state in ["new", "received"] {
        let f = CaseFilter {
            state: Some(state.into()),
            ..CaseFilter::default()
        };
        new_cases.extend(
            cases::list(
                &mut cx,
                actor.scope(),
                &f,
                PageRequest::new(Some(1), Some(200)),
            )
            .await?
            .items,
        );
    }
    Ok(Queue { reports, new_cases })
}

/// One timeline entry as shown.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    pub at: Timestamp,
    pub actor: String,
    pub text: String,
    pub tlp: String,
}

/// The case page.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub boards: Vec<(i64, String)>,
    pub timeline: Vec<TimelineItem>,
    pub messages: Vec<MessageRow>,
    pub attachments: Vec<AttachmentRow>,
    pub tasks: Vec<TaskRow>,
    pub observables: Vec<ObservableRow>,
    pub clocks: Vec<ObligationView>,
    /// CERT only.
    pub parties: Vec<CasePartyRow>,
    /// CERT only.
    pub shares: Vec<ShareRow>,
    /// CERT only.
    pub reports: Vec<ReportRow>,
    /// CERT only: the whole CVD record, reporter included.
    pub cvd: Option<CvdCase>,
    /// Boards: the CVD case without the reporter's identity (unless the reporter agreed).
    pub cvd_board: Option<BoardCvdView>,
    pub sector: Option<LinkRow>,
    pub next_states: Vec<String>,
}

pub async fn detail(app: &App, actor: &Actor, case_id: i64, lang: Lang) -> AppResult<CaseDetail> {
    let mut cx = app.db.read().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let scope = l.scope()?;
    let viewer = Viewer::from_actor(actor);
    let s = actor.scope();
    let ok = |tlp: &str, sharing: &str| visible(&viewer, &scope, tlp, sharing);
    let timeline = items::timeline(&mut cx, s, case_id)
        .await?
        .into_iter()
        .filter(|t| ok(&t.tlp, &t.sharing))
        .map(|t| TimelineItem {
            at: t.at,
            actor: t.actor,
            text: serde_json::from_str::<TimelineEvent>(&t.event)
                .map(|e| e.describe(lang))
                .unwrap_or(t.event),
            tlp: t.tlp,
        })
        .collect();
    let messages = items::messages(&mut cx, s, case_id)
        .await?
        .into_iter()
        .filter(|m| ok(&m.tlp, &m.sharing))
        .collect();
    let attachments = items::attachments(&mut cx, s, case_id)
        .await?
        .into_iter()
        .filter(|a| ok(&a.tlp, &a.sharing))
        .collect();
    let tasks = items::tasks(&mut cx, s, case_id)
        .await?
        .into_iter()
        .filter(|t| ok(&t.tlp, &t.sharing))
        .collect();
    let observables = items::observables(&mut cx, s, case_id)
        .await?
        .into_iter()
        .filter(|o| ok(&o.tlp, &o.sharing))
        .collect();
    // A board sees its own legal obligations, not the CERT's service levels.
    let clocks = super::clocks::views(&mut cx, &l, app.now())
        .await?
        .into_iter()
        .filter(|v| {
            actor.is_cert()
                || v.responsible == schoolcert_cases::deadlines::rules::Responsible::Board
        })
        .collect();
    let mut board_names = Vec::new();
    for b in &l.boards {
        if let Ok(board) = boards::get(&mut cx, Scope::All, *b).await {
            board_names.push((b.0, board.name));
        }
    }
    let is_cert = actor.is_cert();
    let (parties, shares, reports) = if is_cert {
        (
            parties::of_case(&mut cx, case_id).await?,
            parties::shares(&mut cx, case_id).await?,
            reports::list(&mut cx, Scope::All, None, Some(case_id)).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let (cvd, cvd_board, next_states) = match l.kind()? {
        CaseKind::Cvd => {
            let c = cvd_of(&l.row)?;
            let next = c
                .state
                .next_states()
                .iter()
                .map(|s| s.code().to_owned())
                .collect();
            if is_cert {
                (Some(c), None, next)
            } else {
                (None, Some(c.board_view()), Vec::new())
            }
        }
        CaseKind::Incident => {
            let st: schoolcert_cases::incident::IncidentState =
                super::code(&l.row.state, "cases.state")?;
            (
                None,
                None,
                if is_cert {
                    st.next_states()
                        .iter()
                        .map(|s| s.code().to_owned())
                        .collect()
                } else {
                    Vec::new()
                },
            )
        }
    };
    let sector = sector::link_of_case(&mut cx, case_id).await?;
    let mut case = l.row;
    if !is_cert {
        // What a board may not learn: who at the CERT handles it is fine, the CVD record is not.
        case.cvd = None;
        case.status_token_hash = None;
    }
    Ok(CaseDetail {
        case,
        boards: board_names,
        timeline,
        messages,
        attachments,
        tasks,
        observables,
        clocks,
        parties,
        shares,
        reports,
        cvd,
        cvd_board,
        sector,
        next_states,
    })
}
