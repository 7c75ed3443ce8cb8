//! The CERT's pages: dashboard, boards, applications, network assets and conflicts, lookups,
//! the audit log and administration (users, the mailbox, terms).

mod admin;
mod applications;
mod audit;
mod boards;
mod network;

use askama::Template;
use axum::Router;
use axum::routing::get;
use schoolcert_app::App;
use schoolcert_app::registry::boards::{self as board_cases, Dashboard};

use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert", get(dashboard))
        .merge(boards::routes())
        .merge(applications::routes())
        .merge(network::routes())
        .merge(audit::routes())
        .merge(admin::routes())
}

#[derive(Template)]
#[template(path = "cert/dashboard.html")]
struct DashboardPage {
    p: Page,
    d: Dashboard,
}

async fn dashboard(c: CertCtx) -> WebResult {
    let d = board_cases::dashboard(&c.ctx.app, c.actor()).await?;
    Ok(html(DashboardPage {
        p: c.ctx.page("Overzicht", "Overview"),
        d,
    }))
}

/// Previous/next links of a list that keep its filters.
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn of<T>(
        page: &schoolcert_store::Page<T>,
        path: &str,
        filters: &[(&str, String)],
    ) -> Pager {
        let link = |n: u32| {
            let mut q: Vec<(&str, String)> = filters
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect();
            q.push(("page", n.to_string()));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(&q).unwrap_or_default()
            )
        };
        Pager {
            page: page.page,
            pages: page.pages(),
            total: page.total,
            prev: (page.page > 1).then(|| link(page.page - 1)),
            next: page.has_next().then(|| link(page.page + 1)),
        }
    }
}
