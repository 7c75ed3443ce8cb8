//! Network assets for the CERT: the claims queue with approve/reject, overlap conflicts, and
//! the lookup of an address or host name.

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::registry::assets::{self as asset_cases, Conflict, LookupAnswer};
use schoolcert_app::{App, AppError};
use schoolcert_domain::AssetId;
use schoolcert_domain::asset::AssetStatus;
use schoolcert_store::PageRequest;
use schoolcert_store::registry::assets::{Asset, AssetFilter};
use serde::Deserialize;

use super::Pager;
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;
use crate::pages::see_other;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/netwerk", get(list))
        .route("/cert/netwerk/{id}/besluit", post(decide))
        .route("/cert/conflicten", get(conflicts).post(accept))
        .route("/cert/opzoeken", get(lookup))
}

#[derive(Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    kind: String,
    q: String,
    page: Option<u32>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            status: "pending".into(),
            kind: String::new(),
            q: String::new(),
            page: None,
        }
    }
}

#[derive(Template)]
#[template(path = "cert/network.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    rows: Vec<Asset>,
    pager: Pager,
    statuses: [AssetStatus; 4],
}

async fn list(c: CertCtx, Query(q): Query<ListQuery>) -> WebResult {
    let filter = AssetFilter {
        board_id: None,
        status: q.status.parse().ok(),
        kind: q.kind.parse().ok(),
        q: Some(q.q.clone()),
    };
    let page = asset_cases::list(
        &c.ctx.app,
        c.actor(),
        &filter,
        PageRequest::new(q.page, Some(100)),
    )
    .await?;
    let pager = Pager::of(
        &page,
        "/cert/netwerk",
        &[
            ("status", q.status.clone()),
            ("kind", q.kind.clone()),
            ("q", q.q.clone()),
        ],
    );
    Ok(html(ListPage {
        p: c.ctx
            .page("IP-adressen en domeinen", "IP addresses and domains"),
        q,
        rows: page.items,
        pager,
        statuses: AssetStatus::ALL,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DecideInput {
    decision: String,
    reason: String,
    back: String,
}

async fn decide(c: CertCtx, Path(id): Path<i64>, Form(f): Form<DecideInput>) -> WebResult {
    let approve = match f.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(AppError::invalid(
                "decision",
                schoolcert_app::Msg::new(
                    "Kies goedkeuren of afwijzen.",
                    "Choose approve or reject.",
                ),
            )
            .into());
        }
    };
    asset_cases::decide(&c.ctx.app, c.actor(), AssetId(id), approve, &f.reason).await?;
    Ok(see_other(
        &crate::ctx::safe_next(Some(&f.back)).replace("/?", "/cert/netwerk?"),
        "saved",
    ))
}

#[derive(Template)]
#[template(path = "cert/conflicts.html")]
struct ConflictsPage {
    p: Page,
    rows: Vec<Conflict>,
}

async fn conflicts(c: CertCtx) -> WebResult {
    let rows = asset_cases::conflicts(&c.ctx.app, c.actor()).await?;
    Ok(html(ConflictsPage {
        p: c.ctx
            .page("Overlappende registraties", "Overlapping claims"),
        rows,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcceptInput {
    a: i64,
    b: i64,
    note: String,
}

async fn accept(c: CertCtx, Form(f): Form<AcceptInput>) -> WebResult {
    asset_cases::accept_overlap(&c.ctx.app, c.actor(), AssetId(f.a), AssetId(f.b), &f.note).await?;
    Ok(see_other("/cert/conflicten", "accepted"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LookupQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "cert/lookup.html")]
struct LookupPage {
    p: Page,
    q: String,
    answer: Option<LookupAnswer>,
    error: Option<String>,
}

async fn lookup(c: CertCtx, Query(q): Query<LookupQuery>) -> WebResult {
    let (answer, error) = if q.q.trim().is_empty() {
        (None, None)
    } else {
        match asset_cases::lookup(&c.ctx.app, Some(c.actor()), &q.q).await {
            Ok(a) => (Some(a), None),
            Err(e @ AppError::Invalid(_)) => (None, Some(e.message(c.ctx.lang))),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(html(LookupPage {
        p: c.ctx.page("Opzoeken", "Lookup"),
        q: q.q,
        answer,
        error,
    }))
}
