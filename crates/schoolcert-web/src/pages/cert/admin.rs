//! Administration for CERT administrators: users, the mailbox (every queued and sent message;
//! without SMTP it is the dev mailbox), and versions of the terms of use.

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::auth::users;
use schoolcert_app::registry::terms;
use schoolcert_app::{App, AppError, require_admin};
use schoolcert_domain::access::Role;
use schoolcert_domain::{BoardId, UserId};
use schoolcert_store::PageRequest;
use schoolcert_store::accounts::users::User;
use schoolcert_store::audit::By;
use schoolcert_store::outbox::{self, Mail, MailFilter};
use schoolcert_store::registry::terms::TermsVersion;
use serde::Deserialize;

use super::Pager;
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;
use crate::pages::{FormErrors, see_other};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/beheer", get(admin))
        .route("/cert/beheer/gebruikers", post(create_user))
        .route("/cert/beheer/gebruikers/{id}/status", post(user_status))
        .route("/cert/beheer/post", get(mailbox))
        .route("/cert/beheer/post/{id}", get(mail))
        .route("/cert/beheer/post/{id}/opnieuw", post(requeue))
        .route("/cert/beheer/voorwaarden", post(publish_terms))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserInput {
    email: String,
    name: String,
    role: String,
    board_id: String,
}

#[derive(Template)]
#[template(path = "cert/admin.html")]
struct AdminPage {
    p: Page,
    users: Vec<User>,
    terms: Vec<TermsVersion>,
    form: UserInput,
    errors: FormErrors,
    roles: [Role; 3],
    dev_mailbox: bool,
}

async fn render(c: &CertCtx, form: UserInput, errors: FormErrors) -> WebResult {
    require_admin(c.actor())?;
    let list = users::list(
        &c.ctx.app,
        c.actor(),
        None,
        PageRequest::new(Some(1), Some(500)),
    )
    .await?;
    let terms = terms::all(&c.ctx.app).await?;
    Ok(html(AdminPage {
        p: c.ctx.page("Beheer", "Administration"),
        users: list.items,
        terms,
        form,
        errors,
        roles: Role::ALL,
        dev_mailbox: c.ctx.app.mailer.is_dev_mailbox(),
    }))
}

async fn admin(c: CertCtx) -> WebResult {
    render(
        &c,
        UserInput {
            role: "cert_analyst".into(),
            ..Default::default()
        },
        FormErrors::none(c.ctx.lang),
    )
    .await
}

async fn create_user(c: CertCtx, Form(f): Form<UserInput>) -> WebResult {
    let role: Result<Role, _> = f.role.parse();
    let result = match role {
        Ok(role) => {
            let board = f.board_id.trim().parse().ok().map(BoardId);
            users::create(
                &c.ctx.app,
                By::Actor(c.actor()),
                users::NewAccount {
                    email: &f.email,
                    name: &f.name,
                    role,
                    board,
                    password: None,
                    lang: schoolcert_domain::Lang::Nl,
                },
            )
            .await
            .map(|_| ())
        }
        Err(_) => Err(AppError::invalid(
            "role",
            schoolcert_app::Msg::new("Kies een rol.", "Choose a role."),
        )),
    };
    match result {
        Ok(()) => Ok(see_other("/cert/beheer", "saved")),
        Err(e) => render(&c, f, FormErrors::catch(e, c.ctx.lang)?).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusInput {
    disabled: String,
}

async fn user_status(c: CertCtx, Path(id): Path<i64>, Form(f): Form<StatusInput>) -> WebResult {
    users::set_disabled(&c.ctx.app, c.actor(), UserId(id), f.disabled == "yes").await?;
    Ok(see_other("/cert/beheer", "saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MailQuery {
    status: String,
    to: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "cert/mailbox.html")]
struct MailboxPage {
    p: Page,
    q: MailQuery,
    rows: Vec<Mail>,
    pager: Pager,
    dev_mailbox: bool,
}

async fn mailbox(c: CertCtx, Query(q): Query<MailQuery>) -> WebResult {
    require_admin(c.actor())?;
    let filter = MailFilter {
        status: Some(q.status.clone()).filter(|s| !s.is_empty()),
        kind: None,
        to: Some(q.to.clone()),
        board_id: None,
    };
    let mut cx = c.ctx.app.db.read().await.map_err(AppError::from)?;
    let page = outbox::list(&mut cx, &filter, PageRequest::new(q.page, Some(50))).await?;
    drop(cx);
    let pager = Pager::of(
        &page,
        "/cert/beheer/post",
        &[("status", q.status.clone()), ("to", q.to.clone())],
    );
    Ok(html(MailboxPage {
        p: c.ctx.page("Post", "Mail"),
        q,
        rows: page.items,
        pager,
        dev_mailbox: c.ctx.app.mailer.is_dev_mailbox(),
    }))
}

#[derive(Template)]
#[template(path = "cert/mail.html")]
struct MailPage {
    p: Page,
    m: Mail,
    attachments: Vec<outbox::Attachment>,
}

async fn mail(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    require_admin(c.actor())?;
    let mut cx = c.ctx.app.db.read().await.map_err(AppError::from)?;
    let m = outbox::get(&mut cx, id).await?;
    let attachments = outbox::attachments(&mut cx, id).await?;
    Ok(html(MailPage {
        p: c.ctx.page("Bericht", "Message"),
        m,
        attachments,
    }))
}

async fn requeue(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    require_admin(c.actor())?;
    let mut cx = c.ctx.app.db.write().await.map_err(AppError::from)?;
    outbox::requeue(&mut cx, id, c.ctx.app.now()).await?;
    cx.commit().await.map_err(AppError::from)?;
    Ok(see_other(&format!("/cert/beheer/post/{id}"), "requeued"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TermsInput {
    version: String,
    body_nl: String,
    body_en: String,
}

async fn publish_terms(c: CertCtx, Form(f): Form<TermsInput>) -> WebResult {
    match terms::publish(&c.ctx.app, c.actor(), &f.version, &f.body_nl, &f.body_en).await {
        Ok(_) => Ok(see_other("/cert/beheer", "saved")),
        Err(e) => render(&c, UserInput::default(), FormErrors::catch(e, c.ctx.lang)?).await,
    }
}
