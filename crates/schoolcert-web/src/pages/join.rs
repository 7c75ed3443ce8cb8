//! The public joining pages: search DUO's registry, start an application, confirm the e-mail
//! address by choosing a password.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use schoolcert_app::auth::sessions;
use schoolcert_app::registry::join;
use schoolcert_app::{App, AppError};
use schoolcert_domain::BoardId;
use schoolcert_store::registry::applications::Application;
use schoolcert_store::registry::boards::{Board, PublicBoard};
use serde::Deserialize;

use super::FormErrors;
use crate::ctx::Ctx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/aanmelden", get(search))
        .route("/aanmelden/bestuur/{id}", get(start_form).post(start))
        .route(
            "/aanmelden/bevestig/{token}",
            get(confirm_form).post(confirm),
        )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "join/search.html")]
struct SearchPage {
    p: Page,
    q: String,
    results: Vec<PublicBoard>,
}

async fn search(ctx: Ctx, Query(q): Query<SearchQuery>) -> WebResult {
    let results = join::search(&ctx.app, &q.q).await?;
    Ok(html(SearchPage {
        p: ctx.page("Bestuur aanmelden", "Register a board"),
        q: q.q,
        results,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartInput {
    name: String,
    email: String,
    website: String,
}

#[derive(Template)]
#[template(path = "join/start.html")]
struct StartPage {
    p: Page,
    board: Board,
    form: StartInput,
    errors: FormErrors,
    sent: bool,
}

async fn start_form(ctx: Ctx, Path(id): Path<i64>) -> WebResult {
    let board = join::public_board(&ctx.app, BoardId(id)).await?;
    Ok(html(StartPage {
        p: ctx.page("Aanmelding starten", "Start the application"),
        board,
        form: StartInput::default(),
        errors: FormErrors::none(ctx.lang),
        sent: false,
    }))
}

async fn start(ctx: Ctx, Path(id): Path<i64>, Form(f): Form<StartInput>) -> WebResult {
    let board = join::public_board(&ctx.app, BoardId(id)).await?;
    // A filled honeypot field means a bot; it gets the same answer as a person.
    let result = if f.website.is_empty() {
        join::start(&ctx.app, BoardId(id), &f.name, &f.email, &ctx.client_ip).await
    } else {
        Ok(())
    };
    match result {
        Ok(()) => Ok(html(StartPage {
            p: ctx.page("Controleer uw e-mail", "Check your e-mail"),
            board,
            form: f,
            errors: FormErrors::none(ctx.lang),
            sent: true,
        })),
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            Ok(html(StartPage {
                p: ctx.page("Aanmelding starten", "Start the application"),
                board,
                form: f,
                errors,
                sent: false,
            }))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmInput {
    password: String,
    password2: String,
}

#[derive(Template)]
#[template(path = "join/confirm.html")]
struct ConfirmPage {
    p: Page,
    token: String,
    application: Application,
    errors: FormErrors,
}

async fn confirm_form(ctx: Ctx, Path(token): Path<String>) -> WebResult {
    let application = join::by_link(&ctx.app, &token).await?;
    Ok(html(ConfirmPage {
        p: ctx.page("E-mailadres bevestigen", "Confirm your e-mail address"),
        token,
        application,
        errors: FormErrors::none(ctx.lang),
    }))
}

async fn confirm(
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<ConfirmInput>,
) -> WebResult<Response> {
    let application = join::by_link(&ctx.app, &token).await?;
    let result = if f.password == f.password2 {
        join::confirm(&ctx.app, &token, &f.password, ctx.lang).await
    } else {
        Err(AppError::invalid(
            "password2",
            schoolcert_app::Msg::new(
                "De wachtwoorden zijn niet gelijk.",
                "The passwords do not match.",
            ),
        ))
    };
    match result {
        Ok(user) => {
            let l = sessions::open_for(&ctx.app, &user).await?;
            Ok(super::auth::enter(&l, "/portaal?msg=welcome"))
        }
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            Ok(html(ConfirmPage {
                p: ctx.page("E-mailadres bevestigen", "Confirm your e-mail address"),
                token,
                application,
                errors,
            }))
        }
    }
}
