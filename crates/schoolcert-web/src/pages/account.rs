//! One's own account: password, language, second factor, API tokens, other sessions.

use askama::Template;
use axum::extract::Path;
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::auth::{sessions, tokens, users};
use schoolcert_domain::Lang;
use schoolcert_store::accounts::tokens::ApiToken;
use serde::Deserialize;

use super::{FormErrors, see_other};
use crate::ctx::UserCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/account", get(account))
        .route("/account/wachtwoord", post(change_password))
        .route("/account/taal", post(set_lang))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/intrekken", post(revoke_token))
        .route("/account/elders-uitloggen", post(logout_elsewhere))
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    p: Page,
    u: schoolcert_store::accounts::users::User,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    errors: FormErrors,
}

async fn page(u: &UserCtx, new_token: Option<String>, errors: FormErrors) -> WebResult {
    let tokens = tokens::list(&u.ctx.app, u.actor()).await?;
    Ok(html(AccountPage {
        p: u.ctx.page("Mijn account", "My account"),
        u: u.info.user.clone(),
        tokens,
        new_token,
        errors,
    }))
}

async fn account(u: UserCtx) -> WebResult {
    page(&u, None, FormErrors::none(u.ctx.lang)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordInput {
    current: String,
    password: String,
    password2: String,
}

async fn change_password(u: UserCtx, Form(f): Form<PasswordInput>) -> WebResult {
    let result = if f.password != f.password2 {
        Err(schoolcert_app::AppError::invalid(
            "password2",
            schoolcert_app::Msg::new(
                "De wachtwoorden zijn niet gelijk.",
                "The passwords do not match.",
            ),
        ))
    } else {
        users::change_password(&u.ctx.app, &u.info, &f.current, &f.password).await
    };
    match result {
        Ok(()) => Ok(see_other("/account", "password")),
        Err(e) => page(&u, None, FormErrors::catch(e, u.ctx.lang)?).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LangInput {
    lang: String,
}

async fn set_lang(u: UserCtx, Form(f): Form<LangInput>) -> WebResult {
    users::set_lang(
        &u.ctx.app,
        u.info.user.id,
        Lang::parse(&f.lang).unwrap_or_default(),
    )
    .await?;
    Ok(see_other("/account", "saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenInput {
    name: String,
}

async fn create_token(u: UserCtx, Form(f): Form<TokenInput>) -> WebResult {
    match tokens::create(&u.ctx.app, u.actor(), &f.name).await {
        Ok(t) => {
            page(
                &u,
                Some(t.expose().to_owned()),
                FormErrors::none(u.ctx.lang),
            )
            .await
        }
        Err(e) => page(&u, None, FormErrors::catch(e, u.ctx.lang)?).await,
    }
}

async fn revoke_token(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    tokens::revoke(&u.ctx.app, u.actor(), id).await?;
    Ok(see_other("/account", "deleted"))
}

async fn logout_elsewhere(u: UserCtx) -> WebResult {
    sessions::logout_elsewhere(&u.ctx.app, &u.info).await?;
    Ok(see_other("/account", "logged_out_elsewhere"))
}
