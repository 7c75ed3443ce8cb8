//! Joining applications for the CERT: the queue and each application with approve/return.

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::registry::boards::{self as board_cases, BoardOverview};
use schoolcert_app::registry::join;
use schoolcert_domain::registry::application::ApplicationState;
use schoolcert_store::PageRequest;
use schoolcert_store::registry::applications::Application;
use serde::Deserialize;

use super::Pager;
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;
use crate::pages::{FormErrors, see_other};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/aanmeldingen", get(list))
        .route("/cert/aanmeldingen/{id}", get(show))
        .route("/cert/aanmeldingen/{id}/goedkeuren", post(approve))
        .route("/cert/aanmeldingen/{id}/terugsturen", post(give_back))
}

#[derive(Deserialize)]
#[serde(default)]
struct ListQuery {
    state: String,
    page: Option<u32>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            state: "submitted".into(),
            page: None,
        }
    }
}

#[derive(Template)]
#[template(path = "cert/applications.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    rows: Vec<Application>,
    pager: Pager,
    states: [ApplicationState; 6],
}

async fn list(c: CertCtx, Query(q): Query<ListQuery>) -> WebResult {
    let page = join::list(
        &c.ctx.app,
        c.actor(),
        q.state.parse().ok(),
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let pager = Pager::of(&page, "/cert/aanmeldingen", &[("state", q.state.clone())]);
    Ok(html(ListPage {
        p: c.ctx.page("Aanmeldingen", "Applications"),
        q,
        rows: page.items,
        pager,
        states: ApplicationState::ALL,
    }))
}

#[derive(Template)]
#[template(path = "cert/application.html")]
struct ShowPage {
    p: Page,
    a: Application,
    ov: BoardOverview,
    errors: FormErrors,
}

async fn render(c: &CertCtx, id: i64, errors: FormErrors) -> WebResult {
    let a = join::get(&c.ctx.app, c.actor(), id).await?;
    let ov = board_cases::overview(&c.ctx.app, c.actor(), a.board_id).await?;
    Ok(html(ShowPage {
        p: c.ctx.page("Aanmelding beoordelen", "Review application"),
        a,
        ov,
        errors,
    }))
}

async fn show(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    render(&c, id, FormErrors::none(c.ctx.lang)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApproveInput {
    approve_assets: String,
}

async fn approve(c: CertCtx, Path(id): Path<i64>, Form(f): Form<ApproveInput>) -> WebResult {
    match join::approve(&c.ctx.app, c.actor(), id, f.approve_assets == "yes").await {
        Ok(()) => Ok(see_other("/cert/aanmeldingen", "approved")),
        Err(e) => render(&c, id, FormErrors::catch(e, c.ctx.lang)?).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReturnInput {
    reason: String,
}

async fn give_back(c: CertCtx, Path(id): Path<i64>, Form(f): Form<ReturnInput>) -> WebResult {
    match join::return_to_applicant(&c.ctx.app, c.actor(), id, &f.reason).await {
        Ok(()) => Ok(see_other("/cert/aanmeldingen", "returned")),
        Err(e) => render(&c, id, FormErrors::catch(e, c.ctx.lang)?).await,
    }
}
