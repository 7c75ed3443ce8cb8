//! The board contact's portal: the board's overview with the joining steps, contacts, network
//! assets (claim, verify by DNS, withdraw), the terms of use and the board's schools.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::registry::assets::{self as asset_cases, ClaimLine};
use schoolcert_app::registry::boards::{self as board_cases, BoardOverview};
use schoolcert_app::registry::contacts::{self as contact_cases, ContactInput};
use schoolcert_app::registry::{join, terms};
use schoolcert_app::{App, AppError};
use schoolcert_domain::registry::ContactRole;
use schoolcert_domain::registry::application::ApplicationState;
use schoolcert_domain::{AssetId, BoardId, ContactId};

use schoolcert_store::registry::contacts::Contact;
use serde::Deserialize;

use super::{FormErrors, see_other};
use crate::ctx::UserCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/portaal", get(dashboard))
        .route("/portaal/contacten", get(contacts).post(add_contact))
        .route(
            "/portaal/contacten/{id}",
            get(edit_contact_form).post(edit_contact),
        )
        .route("/portaal/contacten/{id}/verwijderen", post(delete_contact))
        .route("/portaal/contacten/{id}/bevestigen", post(confirm_contact))
        .route("/portaal/netwerk", get(network).post(claim))
        .route("/portaal/netwerk/{id}/verifieren", post(verify))
        .route("/portaal/netwerk/{id}/intrekken", post(withdraw))
        .route("/portaal/voorwaarden", get(terms_page).post(accept_terms))
        .route("/portaal/aanmelding/indienen", post(submit))
        .route("/portaal/scholen", get(schools))
}

/// The board of a board contact; CERT staff are sent to their own pages.
macro_rules! board_or_redirect {
    ($u:expr) => {
        match $u.actor().board_id {
            Some(b) => b,
            None => return Ok(Redirect::to("/cert").into_response()),
        }
    };
}

pub const ROLES: [ContactRole; 4] = ContactRole::ALL;

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
struct Dashboard {
    p: Page,
    ov: BoardOverview,
    applying: bool,
    editable: bool,
    submitted: bool,
    errors: FormErrors,
}

async fn dashboard(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(render_dashboard(&u, ov, FormErrors::none(u.ctx.lang)))
}

fn render_dashboard(u: &UserCtx, ov: BoardOverview, errors: FormErrors) -> Response {
    let state = ov.application.as_ref().map(|a| a.state);
    let applying = ov.board.status == schoolcert_domain::registry::BoardStatus::Applying;
    let editable = state.is_some_and(ApplicationState::is_editable);
    let submitted = state == Some(ApplicationState::Submitted);
    html(Dashboard {
        p: u.ctx.page("Mijn bestuur", "My board"),
        ov,
        applying,
        editable,
        submitted,
        errors,
    })
}

async fn submit(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    match join::submit(&u.ctx.app, u.actor()).await {
        Ok(()) => Ok(see_other("/portaal", "submitted")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
            Ok(render_dashboard(&u, ov, errors))
        }
    }
}

#[derive(Template)]
#[template(path = "portal/contacts.html")]
struct ContactsPage {
    p: Page,
    ov: BoardOverview,
    form: ContactInput,
    errors: FormErrors,
    roles: [ContactRole; 4],
    action: String,
}

async fn contacts(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    let form = ContactInput {
        role: if ov.contacts.is_empty() {
            "primary".into()
        } else {
            "secondary".into()
        },
        ..ContactInput::default()
    };
    Ok(html(ContactsPage {
        p: u.ctx.page("Contactpersonen", "Contacts"),
        ov,
        form,
        errors: FormErrors::none(u.ctx.lang),
        roles: ROLES,
        action: "/portaal/contacten".into(),
    }))
}

async fn add_contact(u: UserCtx, Form(f): Form<ContactInput>) -> WebResult {
    let board = board_or_redirect!(u);
    match contact_cases::add(&u.ctx.app, u.actor(), board, &f).await {
        Ok(_) => Ok(see_other("/portaal/contacten", "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
            Ok(html(ContactsPage {
                p: u.ctx.page("Contactpersonen", "Contacts"),
                ov,
                form: f,
                errors,
                roles: ROLES,
                action: "/portaal/contacten".into(),
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "portal/contact_edit.html")]
struct ContactEdit {
    p: Page,
    contact: Contact,
    form: ContactInput,
    errors: FormErrors,
    roles: [ContactRole; 4],
    back: String,
}

fn input_of(c: &Contact) -> ContactInput {
    ContactInput {
        name: c.name.clone(),
        function: c.function.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        role: c.role.code().into(),
        pgp_key: c.pgp_key.clone().unwrap_or_default(),
    }
}

async fn edit_contact_form(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let contact = contact_cases::get(&u.ctx.app, u.actor(), ContactId(id)).await?;
    let form = input_of(&contact);
    Ok(html(ContactEdit {
        p: u.ctx.page("Contactpersoon wijzigen", "Edit contact"),
        contact,
        form,
        errors: FormErrors::none(u.ctx.lang),
        roles: ROLES,
        back: back_to_contacts(&u, None),
    }))
}

/// Board contacts return to their portal, CERT staff to the board's page.
pub fn back_to_contacts(u: &UserCtx, board: Option<BoardId>) -> String {
    match (u.actor().is_cert(), board) {
        (true, Some(b)) => format!("/cert/besturen/{b}"),
        _ => "/portaal/contacten".into(),
    }
}

async fn edit_contact(u: UserCtx, Path(id): Path<i64>, Form(f): Form<ContactInput>) -> WebResult {
    let contact = contact_cases::get(&u.ctx.app, u.actor(), ContactId(id)).await?;
    let back = back_to_contacts(&u, Some(contact.board_id));
    match contact_cases::update(&u.ctx.app, u.actor(), ContactId(id), &f).await {
        Ok(()) => Ok(see_other(&back, "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            Ok(html(ContactEdit {
                p: u.ctx.page("Contactpersoon wijzigen", "Edit contact"),
                contact,
                form: f,
                errors,
                roles: ROLES,
                back,
            }))
        }
    }
}

async fn delete_contact(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let contact = contact_cases::get(&u.ctx.app, u.actor(), ContactId(id)).await?;
    contact_cases::delete(&u.ctx.app, u.actor(), ContactId(id)).await?;
    Ok(see_other(
        &back_to_contacts(&u, Some(contact.board_id)),
        "deleted",
    ))
}

async fn confirm_contact(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let contact = contact_cases::get(&u.ctx.app, u.actor(), ContactId(id)).await?;
    contact_cases::confirm(&u.ctx.app, u.actor(), ContactId(id)).await?;
    Ok(see_other(
        &back_to_contacts(&u, Some(contact.board_id)),
        "confirmed",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClaimInput {
    pub assets: String,
}

#[derive(Template)]
#[template(path = "portal/network.html")]
struct NetworkPage {
    p: Page,
    ov: BoardOverview,
    results: Vec<ClaimLine>,
    text: String,
    verify: Option<schoolcert_app::registry::assets::VerifyOutcome>,
}

async fn network(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(html(NetworkPage {
        p: u.ctx.page(
            "IP-adressen en domeinnamen",
            "IP addresses and domain names",
        ),
        ov,
        results: vec![],
        text: String::new(),
        verify: None,
    }))
}

async fn claim(u: UserCtx, Form(f): Form<ClaimInput>) -> WebResult {
    let board = board_or_redirect!(u);
    let results = asset_cases::claim_list(&u.ctx.app, u.actor(), board, &f.assets).await?;
    // Keep only the refused lines in the box, so they can be corrected and sent again.
    let text = results
        .iter()
        .filter(|r| r.is_refused())
        .map(|r| r.input.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(html(NetworkPage {
        p: u.ctx.page(
            "IP-adressen en domeinnamen",
            "IP addresses and domain names",
        ),
        ov,
        results,
        text,
        verify: None,
    }))
}

async fn verify(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let board = board_or_redirect!(u);
    let outcome = asset_cases::verify_domain(&u.ctx.app, u.actor(), AssetId(id)).await?;
    if outcome.verified {
        return Ok(see_other("/portaal/netwerk", "verified"));
    }
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(html(NetworkPage {
        p: u.ctx.page(
            "IP-adressen en domeinnamen",
            "IP addresses and domain names",
        ),
        ov,
        results: vec![],
        text: String::new(),
        verify: Some(outcome),
    }))
}

async fn withdraw(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let asset = asset_cases::get(&u.ctx.app, u.actor(), AssetId(id)).await?;
    asset_cases::withdraw(&u.ctx.app, u.actor(), AssetId(id)).await?;
    let back = if u.actor().is_cert() {
        format!("/cert/besturen/{}", asset.board_id)
    } else {
        "/portaal/netwerk".into()
    };
    Ok(see_other(&back, "deleted"))
}

#[derive(Template)]
#[template(path = "portal/terms.html")]
struct TermsPage {
    p: Page,
    ov: BoardOverview,
}

async fn terms_page(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(html(TermsPage {
        p: u.ctx.page("Gebruiksvoorwaarden", "Terms of use"),
        ov,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcceptInput {
    terms_version_id: i64,
    agree: String,
}

async fn accept_terms(u: UserCtx, Form(f): Form<AcceptInput>) -> WebResult {
    let _ = board_or_redirect!(u);
    if f.agree != "yes" {
        return Err(AppError::invalid(
            "agree",
            schoolcert_app::Msg::new("Vink aan dat u akkoord gaat.", "Tick the box to agree."),
        )
        .into());
    }
    terms::accept(&u.ctx.app, u.actor(), f.terms_version_id).await?;
    Ok(see_other("/portaal", "accepted"))
}

#[derive(Template)]
#[template(path = "portal/schools.html")]
struct SchoolsPage {
    p: Page,
    ov: BoardOverview,
}

async fn schools(u: UserCtx) -> WebResult {
    let board = board_or_redirect!(u);
    let ov = board_cases::overview(&u.ctx.app, u.actor(), board).await?;
    Ok(html(SchoolsPage {
        p: u.ctx.page("Scholen", "Schools"),
        ov,
    }))
}
