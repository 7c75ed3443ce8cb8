//! The board's vulnerability pages: its application landscape (lines from the catalogue or
//! proposals, CSV import by pasting and export as a download) and the advisories it was sent,
//! where it records its remediation state. Everything is the board's own data only.

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::vuln::advisories::{self, AdvisoryView};
use schoolcert_app::vuln::catalogue;
use schoolcert_app::vuln::landscape::{self as landscape_cases, CsvReport, EntryInput};
use schoolcert_store::vuln::advisories::NoticeRow;
use schoolcert_store::vuln::landscape::EntryRow;
use schoolcert_vuln::catalogue::Product;
use serde::Deserialize;

use super::super::{FormErrors, see_other};
use super::json_list;
use crate::ctx::UserCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/portaal/applicaties", get(landscape).post(add))
        .route("/portaal/applicaties/import", post(import))
        .route("/portaal/applicaties/export.csv", get(export))
        .route("/portaal/applicaties/{id}/verwijderen", post(delete))
        .route("/portaal/adviezen", get(advisory_list))
        .route("/portaal/adviezen/{id}", get(advisory))
        .route("/portaal/meldingen/{id}/status", post(set_state))
}

macro_rules! board_or_redirect {
    ($u:expr) => {
        match $u.actor().board_id {
            Some(b) => b,
            None => return Ok(Redirect::to("/cert").into_response()),
        }
    };
}

#[derive(Template)]
#[template(path = "vuln/landscape.html")]
struct LandscapePage {
    p: Page,
    entries: Vec<EntryRow>,
    products: Vec<Product>,
    form: EntryInput,
    errors: FormErrors,
    csv: String,
    csv_report: Option<CsvReport>,
}

impl LandscapePage {
    fn list(&self, s: &str) -> String {
        json_list(s)
    }
}

async fn render(
    u: &UserCtx,
    form: EntryInput,
    errors: FormErrors,
    csv: String,
    csv_report: Option<CsvReport>,
) -> WebResult {
    let board = board_or_redirect!(u);
    let entries = landscape_cases::entries(&u.ctx.app, u.actor(), board).await?;
    let products = catalogue::list(&u.ctx.app).await?;
    Ok(html(LandscapePage {
        p: u.ctx.page("Applicaties", "Applications"),
        entries,
        products,
        form,
        errors,
        csv,
        csv_report,
    }))
}

async fn landscape(u: UserCtx) -> WebResult {
    render(
        &u,
        EntryInput::default(),
        FormErrors::none(u.ctx.lang),
        String::new(),
        None,
    )
    .await
}

async fn add(u: UserCtx, Form(f): Form<EntryInput>) -> WebResult {
    let board = board_or_redirect!(u);
    match landscape_cases::add(&u.ctx.app, u.actor(), board, &f).await {
        Ok(_) => Ok(see_other("/portaal/applicaties", "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            render(&u, f, errors, String::new(), None).await
        }
    }
}

async fn delete(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    landscape_cases::delete(&u.ctx.app, u.actor(), id).await?;
    Ok(see_other("/portaal/applicaties", "deleted"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsvForm {
    csv: String,
}

async fn import(u: UserCtx, Form(f): Form<CsvForm>) -> WebResult {
    let board = board_or_redirect!(u);
    match landscape_cases::import_csv(&u.ctx.app, u.actor(), board, f.csv.as_bytes(), u.ctx.lang)
        .await
    {
        Ok(r) => {
            render(
                &u,
                EntryInput::default(),
                FormErrors::none(u.ctx.lang),
                String::new(),
                Some(r),
            )
            .await
        }
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            render(&u, EntryInput::default(), errors, f.csv, None).await
        }
    }
}

async fn export(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let csv = landscape_cases::export_csv(&u.ctx.app, u.actor(), board).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"applicaties.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "vuln/portal_advisories.html")]
struct NoticeList {
    p: Page,
    rows: Vec<NoticeRow>,
}

impl NoticeList {
    /// The remediation state in the reader's language.
    fn state(&self, code: &str) -> String {
        code.parse::<schoolcert_vuln::match_state::MatchState>()
            .map(|m| m.name(self.p.lang).to_owned())
            .unwrap_or_else(|_| code.to_owned())
    }
}

async fn advisory_list(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let rows = advisories::notices_of_board(&u.ctx.app, u.actor(), board).await?;
    Ok(html(NoticeList {
        p: u.ctx.page("Beveiligingsadviezen", "Security advisories"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "vuln/portal_advisory.html")]
struct NoticePage {
    p: Page,
    view: AdvisoryView,
    summary_html: String,
    actions_html: String,
    told: Vec<schoolcert_app::vuln::advisories::ToldProduct>,
    states: Vec<(&'static str, &'static str)>,
}

async fn advisory(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let view = advisories::get(&u.ctx.app, u.actor(), id).await?;
    let told = view
        .notices
        .first()
        .and_then(|n| serde_json::from_str(&n.products).ok())
        .unwrap_or_default();
    let lang = u.ctx.lang;
    let states = ["not_remediated", "in_progress", "done", "not_applicable"]
        .into_iter()
        .map(|s| {
            let name = s
                .parse::<schoolcert_vuln::match_state::MatchState>()
                .map(|m| m.name(lang))
                .unwrap_or(s);
            (s, name)
        })
        .collect();
    Ok(html(NoticePage {
        p: u.ctx.page("Beveiligingsadvies", "Security advisory"),
        summary_html: schoolcert_vuln::feed::markdown_to_safe_html(&view.advisory.summary),
        actions_html: schoolcert_vuln::feed::markdown_to_safe_html(&view.advisory.actions),
        view,
        told,
        states,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StateForm {
    state: String,
}

async fn set_state(u: UserCtx, Path(id): Path<i64>, Form(f): Form<StateForm>) -> WebResult {
    let advisory_id = advisories::set_notice_state(&u.ctx.app, u.actor(), id, &f.state).await?;
    let back = if u.actor().is_cert() {
        format!("/cert/adviezen/{advisory_id}")
    } else {
        format!("/portaal/adviezen/{advisory_id}")
    };
    Ok(see_other(&back, "saved"))
}
