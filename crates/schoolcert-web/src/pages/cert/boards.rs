//! Boards for the CERT: searchable list, each board's page with everything about it, status
//! changes, and contacts or assets entered on a board's behalf.

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::registry::assets::{self as asset_cases, ClaimLine};
use schoolcert_app::registry::boards::{self as board_cases, BoardOverview};
use schoolcert_app::registry::contacts::{self as contact_cases, ContactInput};
use schoolcert_app::registry::schools as school_cases;
use schoolcert_domain::BoardId;
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_store::PageRequest;
use schoolcert_store::audit::AuditEntry;
use schoolcert_store::registry::boards::{BoardFilter, BoardSummary};
use schoolcert_store::registry::schools::{SchoolFilter, SchoolRow};
use serde::Deserialize;

use super::Pager;
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;
use crate::pages::portal::{ClaimInput, ROLES};
use crate::pages::{FormErrors, see_other};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/besturen", get(list))
        .route("/cert/besturen/{id}", get(show))
        .route("/cert/besturen/{id}/status", post(set_status))
        .route("/cert/besturen/{id}/contacten", post(add_contact))
        .route("/cert/besturen/{id}/netwerk", post(claim))
        .route("/cert/scholen", get(schools))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    status: String,
    sector: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "cert/boards.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    rows: Vec<BoardSummary>,
    pager: Pager,
    statuses: [BoardStatus; 5],
}

async fn list(c: CertCtx, Query(q): Query<ListQuery>) -> WebResult {
    let filter = BoardFilter {
        q: Some(q.q.clone()),
        status: q.status.parse().ok(),
        sector: Some(q.sector.clone()),
    };
    let page = board_cases::list(
        &c.ctx.app,
        c.actor(),
        &filter,
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let pager = Pager::of(
        &page,
        "/cert/besturen",
        &[
            ("q", q.q.clone()),
            ("status", q.status.clone()),
            ("sector", q.sector.clone()),
        ],
    );
    Ok(html(ListPage {
        p: c.ctx.page("Besturen", "Boards"),
        q,
        rows: page.items,
        pager,
        statuses: BoardStatus::ALL,
    }))
}

#[derive(Template)]
#[template(path = "cert/board.html")]
struct BoardPage {
    p: Page,
    ov: BoardOverview,
    audit: Vec<AuditEntry>,
    form: ContactInput,
    errors: FormErrors,
    roles: [ContactRole; 4],
    results: Vec<ClaimLine>,
    statuses: [BoardStatus; 5],
}

async fn render(
    c: &CertCtx,
    id: BoardId,
    form: ContactInput,
    errors: FormErrors,
    results: Vec<ClaimLine>,
) -> WebResult {
    let ov = board_cases::overview(&c.ctx.app, c.actor(), id).await?;
    let audit = schoolcert_app::registry::boards::audit_of_board(&c.ctx.app, c.actor(), id).await?;
    let title = ov.board.name.clone();
    Ok(html(BoardPage {
        p: c.ctx.page(&title, &title),
        ov,
        audit,
        form,
        errors,
        roles: ROLES,
        results,
        statuses: BoardStatus::ALL,
    }))
}

async fn show(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    render(
        &c,
        BoardId(id),
        ContactInput {
            role: "primary".into(),
            ..Default::default()
        },
        FormErrors::none(c.ctx.lang),
        vec![],
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusInput {
    status: String,
    reason: String,
}

async fn set_status(c: CertCtx, Path(id): Path<i64>, Form(f): Form<StatusInput>) -> WebResult {
    let Ok(to) = f.status.parse::<BoardStatus>() else {
        return Err(schoolcert_app::AppError::invalid(
            "status",
            schoolcert_app::Msg::new("Kies een status.", "Choose a status."),
        )
        .into());
    };
    match board_cases::set_status(&c.ctx.app, c.actor(), BoardId(id), to, &f.reason).await {
        Ok(()) => Ok(see_other(&format!("/cert/besturen/{id}"), "saved")),
        Err(e) => {
            render(
                &c,
                BoardId(id),
                ContactInput::default(),
                FormErrors::catch(e, c.ctx.lang)?,
                vec![],
            )
            .await
        }
    }
}

async fn add_contact(c: CertCtx, Path(id): Path<i64>, Form(f): Form<ContactInput>) -> WebResult {
    match contact_cases::add(&c.ctx.app, c.actor(), BoardId(id), &f).await {
        Ok(_) => Ok(see_other(&format!("/cert/besturen/{id}"), "saved")),
        Err(e) => {
            render(
                &c,
                BoardId(id),
                f,
                FormErrors::catch(e, c.ctx.lang)?,
                vec![],
            )
            .await
        }
    }
}

async fn claim(c: CertCtx, Path(id): Path<i64>, Form(f): Form<ClaimInput>) -> WebResult {
    let results = asset_cases::claim_list(&c.ctx.app, c.actor(), BoardId(id), &f.assets).await?;
    render(
        &c,
        BoardId(id),
        ContactInput::default(),
        FormErrors::none(c.ctx.lang),
        results,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SchoolQuery {
    q: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "cert/schools.html")]
struct SchoolsPage {
    p: Page,
    q: String,
    rows: Vec<SchoolRow>,
    pager: Pager,
}

async fn schools(c: CertCtx, Query(q): Query<SchoolQuery>) -> WebResult {
    let page = school_cases::list(
        &c.ctx.app,
        c.actor(),
        &SchoolFilter {
            q: Some(q.q.clone()),
            board_id: None,
        },
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let pager = Pager::of(&page, "/cert/scholen", &[("q", q.q.clone())]);
    Ok(html(SchoolsPage {
        p: c.ctx.page("Scholen", "Schools"),
        q: q.q,
        rows: page.items,
        pager,
    }))
}
