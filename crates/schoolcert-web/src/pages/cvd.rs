//! The public, account-free CVD pages: the report form (proof of work solved by a small script,
//! a honeypot field, a rate limit per address), the reporter's status page behind the secret
//! link, the public thanks page, and the CERT's own `/.well-known/security.txt`.

use std::net::IpAddr;

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::cases::cvd::{self, IntakeInput, ReporterStatusPage};
use schoolcert_cases::cvd::ThanksEntry;
use serde::Deserialize;

use super::FormErrors;
use crate::ctx::Ctx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/kwetsbaarheid-melden", get(form).post(submit))
        .route(
            "/kwetsbaarheid-melden/status/{token}",
            get(status).post(reply),
        )
        .route("/kwetsbaarheid-melden/bedankt", get(thanks))
        .route("/.well-known/security.txt", get(security_txt))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CvdForm {
    what: String,
    location: String,
    reproduce: String,
    impact: String,
    reporter_name: String,
    contact_email: String,
    credit_consent: String,
    share_identity_with_board: String,
    /// The honeypot: hidden from people, filled in by bots.
    website: String,
    pow_challenge: String,
    pow_counter: String,
}

#[derive(Template)]
#[template(path = "cases/cvd_form.html")]
struct FormPage {
    p: Page,
    form: CvdForm,
    challenge: String,
    difficulty: u8,
    errors: FormErrors,
}

async fn render_form(ctx: &Ctx, form: CvdForm, errors: FormErrors) -> WebResult {
    let ch = cvd::challenge(&ctx.app).await?;
    Ok(html(FormPage {
        p: ctx.page("Kwetsbaarheid melden", "Report a vulnerability"),
        form,
        challenge: ch.text,
        difficulty: ch.difficulty,
        errors,
    }))
}

async fn form(ctx: Ctx) -> WebResult {
    render_form(&ctx, CvdForm::default(), FormErrors::none(ctx.lang)).await
}

#[derive(Template)]
#[template(path = "cases/cvd_sent.html")]
struct SentPage {
    p: Page,
    reference: String,
    status_url: String,
}

async fn submit(ctx: Ctx, Form(f): Form<CvdForm>) -> WebResult {
    let ip: IpAddr = ctx.client_ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let input = IntakeInput {
        what: f.what.clone(),
        location: f.location.clone(),
        reproduce: f.reproduce.clone(),
        impact: f.impact.clone(),
        reporter_name: f.reporter_name.clone(),
        contact_email: f.contact_email.clone(),
        credit_consent: f.credit_consent == "1",
        share_identity_with_board: f.share_identity_with_board == "1",
        honeypot: f.website.clone(),
        pow_challenge: f.pow_challenge.clone(),
        pow_counter: f.pow_counter.clone(),
        lang: ctx.lang,
        files: Vec::new(),
    };
    match cvd::submit(&ctx.app, ip, &input).await {
        Ok(s) => Ok(html(SentPage {
            p: ctx.page("Melding ontvangen", "Report received"),
            reference: s.reference,
            status_url: s.status_url,
        })),
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            render_form(&ctx, f, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "cases/cvd_status.html")]
struct StatusPage {
    p: Page,
    s: ReporterStatusPage,
    token: String,
    errors: FormErrors,
}

async fn status(ctx: Ctx, Path(token): Path<String>) -> WebResult {
    let s = cvd::status(&ctx.app, &token, ctx.lang).await?;
    Ok(html(StatusPage {
        p: ctx.page("Status van uw melding", "Status of your report"),
        s,
        token,
        errors: FormErrors::none(ctx.lang),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReplyForm {
    body: String,
}

async fn reply(ctx: Ctx, Path(token): Path<String>, Form(f): Form<ReplyForm>) -> WebResult {
    let errors = match cvd::reporter_message(&ctx.app, &token, &f.body).await {
        Ok(_) => FormErrors::none(ctx.lang),
        Err(e) => FormErrors::catch(e, ctx.lang)?,
    };
    let s = cvd::status(&ctx.app, &token, ctx.lang).await?;
    Ok(html(StatusPage {
        p: ctx.page("Status van uw melding", "Status of your report"),
        s,
        token,
        errors,
    }))
}

#[derive(Template)]
#[template(path = "cases/cvd_thanks.html")]
struct ThanksPage {
    p: Page,
    rows: Vec<ThanksEntry>,
}

async fn thanks(ctx: Ctx) -> WebResult {
    let rows = cvd::thanks(&ctx.app).await?;
    Ok(html(ThanksPage {
        p: ctx.page("Met dank aan", "With thanks to"),
        rows,
    }))
}

async fn security_txt(ctx: Ctx) -> Result<Response, crate::error::WebError> {
    let text = schoolcert_app::cases::securitytxt::for_cert(&ctx.app)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}
