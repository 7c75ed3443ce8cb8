//! Public pages: home, language switch, health check.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use schoolcert_app::App;
use schoolcert_domain::Lang;
use serde::Deserialize;

use crate::ctx::{Ctx, LANG_COOKIE, safe_next};
use crate::error::html;
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/taal/{lang}", get(set_lang))
        .route("/healthz", get(health))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    p: Page,
}

async fn home(ctx: Ctx) -> Response {
    if let Some(actor) = ctx.actor() {
        return Redirect::to(if actor.is_cert() { "/cert" } else { "/portaal" }).into_response();
    }
    html(Home {
        p: ctx.page(
            "Het CERT voor het primair en voortgezet onderwijs",
            "The CERT for primary and secondary education",
        ),
    })
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

async fn set_lang(
    Path(lang): Path<String>,
    Query(q): Query<Next>,
    jar: CookieJar,
) -> (CookieJar, Redirect) {
    let lang = Lang::parse(&lang).unwrap_or_default();
    let c = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    (jar.add(c), Redirect::to(&safe_next(q.next.as_deref())))
}

/// For load balancers: the process runs and reaches its database.
async fn health(ctx: Ctx) -> Response {
    let ok = ctx.app.db.read().await.is_ok();
    let status = if ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))],
        if ok { "ok" } else { "database unavailable" },
    )
        .into_response()
}
