//! Boards: the overview a board contact and the CERT see (with what is missing), lists, status
//! changes by the CERT, and the CERT's dashboard figures.

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Actor;
use schoolcert_domain::audit::change;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::registry::contact::{activation_blockers, is_stale};
use schoolcert_domain::registry::{BoardStatus, Email};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::applications::{self, Application};
use schoolcert_store::registry::assets::{self, Asset};
use schoolcert_store::registry::boards::{self, Board, BoardFilter, BoardSummary};
use schoolcert_store::registry::contacts::{self, Contact};
use schoolcert_store::registry::schools::{self, School};
use schoolcert_store::registry::terms::{self, Acceptance, TermsVersion};
use schoolcert_store::{Cx, Page, PageRequest, changes};
use serde::Serialize;

use super::in_scope;
use crate::{App, AppError, AppResult, Msg, require_cert};

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    #[serde(flatten)]
    pub contact: Contact,
    /// Not confirmed for more than 180 days.
    pub stale: bool,
}

/// Everything about one board on one page.
#[derive(Debug, Clone, Serialize)]
pub struct BoardOverview {
    pub board: Board,
    pub schools: Vec<School>,
    pub contacts: Vec<ContactView>,
    pub assets: Vec<Asset>,
    pub application: Option<Application>,
    pub acceptances: Vec<Acceptance>,
    pub current_terms: Option<TermsVersion>,
    pub terms_accepted: bool,
    /// What stands between the board and activation (empty once it could be activated).
    pub blockers: Vec<Msg>,
    /// Things to look at: stale contacts, no assets, pending claims.
    pub attention: Vec<Msg>,
}

pub async fn overview(app: &App, actor: &Actor, id: BoardId) -> AppResult<BoardOverview> {
    in_scope(actor, id)?;
    let mut cx = app.db.read().await?;
    overview_in(&mut cx, app, actor, id).await
}

pub(crate) async fn overview_in(
    cx: &mut Cx,
    app: &App,
    actor: &Actor,
    id: BoardId,
) -> AppResult<BoardOverview> {
    let scope = actor.scope();
    let board = boards::get(cx, scope, id).await?;
    let schools = schools::of_board(cx, scope, id).await?;
    let contact_list = contacts::of_board(cx, scope, id).await?;
    let assets = assets::of_board(cx, scope, id).await?;
    let application = applications::latest_of_board(cx, scope, id).await?;
    let acceptances = terms::acceptances(cx, id).await?;
    let current_terms = terms::current(cx).await?;
    let terms_accepted = match &current_terms {
        Some(t) => terms::has_accepted(cx, id, t.id).await?,
        None => true,
    };
    let now = app.now();
    let contacts: Vec<ContactView> = contact_list
        .into_iter()
        .map(|c| ContactView {
            stale: is_stale(c.created_at, c.confirmed_at, now),
            contact: c,
        })
        .collect();
    let emails: Vec<Email> = contacts
        .iter()
        .filter_map(|c| c.contact.email.parse().ok())
        .collect();
    let mut blockers: Vec<Msg> = activation_blockers(emails.iter(), terms_accepted)
        .iter()
        .map(Msg::of)
        .collect();
    if assets
        .iter()
        .all(|a| a.status == schoolcert_domain::asset::AssetStatus::Rejected)
    {
        blockers.push(Msg::new(
            "Er is nog geen IP-adres of domeinnaam opgegeven.",
            "No IP address or domain name has been entered yet.",
        ));
    }
    let mut attention = Vec::new();
    let stale = contacts.iter().filter(|c| c.stale).count();
    if stale > 0 {
        attention.push(Msg::new(
            format!("{stale} contactperso(o)n(en) zijn langer dan 180 dagen niet bevestigd; controleer of de gegevens nog kloppen."),
            format!("{stale} contact(s) have not been confirmed for more than 180 days; please check their details."),
        ));
    }
    let pending = assets
        .iter()
        .filter(|a| a.status == schoolcert_domain::asset::AssetStatus::Pending)
        .count();
    if pending > 0 {
        attention.push(Msg::new(
            format!("{pending} adres(sen) of domein(en) wachten op verificatie of goedkeuring."),
            format!("{pending} address(es) or domain(s) await verification or approval."),
        ));
    }
    if !terms_accepted && board.status == BoardStatus::Active {
        attention.push(Msg::new(
            "Er is een nieuwe versie van de gebruiksvoorwaarden; accepteer die namens het bestuur.",
            "There is a new version of the terms of use; please accept it on behalf of the board.",
        ));
    }
    Ok(BoardOverview {
        board,
        schools,
        contacts,
        assets,
        application,
        acceptances,
        current_terms,
        terms_accepted,
        blockers,
        attention,
    })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &BoardFilter,
    page: PageRequest,
) -> AppResult<Page<BoardSummary>> {
    let mut cx = app.db.read().await?;
    Ok(boards::list(&mut cx, actor.scope(), filter, page).await?)
}

pub async fn get(app: &App, actor: &Actor, id: BoardId) -> AppResult<Board> {
    let mut cx = app.db.read().await?;
    Ok(boards::get(&mut cx, actor.scope(), id).await?)
}

/// A CERT analyst changes a board's status; activation needs the activation rule to hold.
pub async fn set_status(
    app: &App,
    actor: &Actor,
    id: BoardId,
    to: BoardStatus,
    reason: &str,
) -> AppResult<()> {
    require_cert(actor)?;
    let mut cx = app.db.write().await?;
    let board = boards::get(&mut cx, actor.scope(), id).await?;
    if !board.status.can_become(to) {
        return Err(AppError::conflict(
            format!(
                "Een bestuur met status '{}' kan niet naar '{}'.",
                board.status.name(schoolcert_domain::Lang::Nl),
                to.name(schoolcert_domain::Lang::Nl)
            ),
            format!(
                "A board that is '{}' cannot become '{}'.",
                board.status.name(schoolcert_domain::Lang::En),
                to.name(schoolcert_domain::Lang::En)
            ),
        ));
    }
    if to == BoardStatus::Active {
        let ov = overview_in(&mut cx, app, actor, id).await?;
        if !ov.blockers.is_empty() {
            let join = |l: schoolcert_domain::Lang| {
                ov.blockers
                    .iter()
                    .map(|m| m.get(l).to_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            return Err(AppError::Conflict(Msg::new(
                join(schoolcert_domain::Lang::Nl),
                join(schoolcert_domain::Lang::En),
            )));
        }
    }
    let now = app.now();
    let reason = reason.trim();
    boards::set_status(&mut cx, id, to, (!reason.is_empty()).then_some(reason), now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(id),
            object_type: "board",
            object_id: id.0,
            action: "status",
            changes: vec![
                change("status", board.status.code(), to.code()),
                change("status_reason", &board.status_reason, reason),
            ],
        },
        now,
    )
    .await?;
    // Suspended or departed boards drop out of lookups.
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    cx.commit().await?;
    Ok(())
}

/// The CERT's front page figures.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub boards_by_status: Vec<(String, i64)>,
    pub assets_by_status: Vec<(String, i64)>,
    pub applications_waiting: i64,
    pub open_conflicts: usize,
    pub lookup_entries: usize,
}

pub async fn dashboard(app: &App, actor: &Actor) -> AppResult<Dashboard> {
    require_cert(actor)?;
    let open_conflicts = super::assets::conflicts(app, actor)
        .await?
        .iter()
        .filter(|c| !c.accepted)
        .count();
    let lookup_entries = app.index.fresh(&app.db).await?.len();
    let mut cx = app.db.read().await?;
    let waiting = applications::list(
        &mut cx,
        Some(schoolcert_domain::registry::application::ApplicationState::Submitted),
        PageRequest::new(Some(1), Some(1)),
    )
    .await?
    .total;
    Ok(Dashboard {
        boards_by_status: boards::count_by_status(&mut cx).await?,
        assets_by_status: assets::count_by_status(&mut cx).await?,
        applications_waiting: waiting,
        open_conflicts,
        lookup_entries,
    })
}

/// A status's name in both languages.
pub fn status_msg(s: BoardStatus) -> Msg {
    Msg::new(
        s.name(schoolcert_domain::Lang::Nl),
        s.name(schoolcert_domain::Lang::En),
    )
}

impl Localized for Msg {
    fn message(&self, lang: schoolcert_domain::Lang) -> String {
        self.get(lang).to_owned()
    }
}

/// The latest audit entries about a board (CERT only).
pub async fn audit_of_board(
    app: &App,
    actor: &Actor,
    id: BoardId,
) -> AppResult<Vec<schoolcert_store::audit::AuditEntry>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    let filter = schoolcert_store::audit::AuditFilter {
        board_id: Some(id),
        ..Default::default()
    };
    Ok(
        schoolcert_store::audit::list(&mut cx, &filter, PageRequest::new(Some(1), Some(100)))
            .await?
            .items,
    )
}

/// The audit log with filters (CERT only).
pub async fn audit_log(
    app: &App,
    actor: &Actor,
    filter: &schoolcert_store::audit::AuditFilter,
    page: PageRequest,
) -> AppResult<Page<schoolcert_store::audit::AuditEntry>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(schoolcert_store::audit::list(&mut cx, filter, page).await?)
}
