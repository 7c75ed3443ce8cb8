//! The audit log for the CERT, filterable by object, board and actor.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use schoolcert_app::App;
use schoolcert_app::registry::boards as board_cases;
use schoolcert_domain::BoardId;
use schoolcert_store::PageRequest;
use schoolcert_store::audit::{AuditEntry, AuditFilter};
use serde::Deserialize;

use super::Pager;
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new().route("/cert/audit", get(list))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    object_type: String,
    object_id: String,
    board_id: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "cert/audit.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    rows: Vec<AuditEntry>,
    pager: Pager,
}

async fn list(c: CertCtx, Query(q): Query<ListQuery>) -> WebResult {
    let filter = AuditFilter {
        object_type: Some(q.object_type.clone()).filter(|s| !s.is_empty()),
        object_id: q.object_id.parse().ok(),
        board_id: q.board_id.parse().ok().map(BoardId),
        actor_user_id: None,
    };
    let page = board_cases::audit_log(
        &c.ctx.app,
        c.actor(),
        &filter,
        PageRequest::new(q.page, Some(100)),
    )
    .await?;
    let pager = Pager::of(
        &page,
        "/cert/audit",
        &[
            ("object_type", q.object_type.clone()),
            ("object_id", q.object_id.clone()),
            ("board_id", q.board_id.clone()),
        ],
    );
    Ok(html(ListPage {
        p: c.ctx.page("Logboek", "Audit log"),
        q,
        rows: page.items,
        pager,
    }))
}
