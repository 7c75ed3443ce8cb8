//! The request context of a page: who is logged in (resolved once per request from the
//! session cookie), the language, the CSRF token, and extractors that demand a complete login
//! or a CERT role.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use schoolcert_app::auth::sessions::{self, PendingStep, SessionInfo};
use schoolcert_app::{App, AppError};
use schoolcert_domain::Lang;
use schoolcert_domain::access::Actor;

use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::layout::Page;

pub const SESSION_COOKIE: &str = "sc_session";
pub const LANG_COOKIE: &str = "sc_lang";

/// Resolves the session and language once and stores them for the extractors.
pub async fn load(
    State(app): State<App>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    let session = match jar.get(SESSION_COOKIE) {
        Some(c) => sessions::resolve(&app, c.value())
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "resolving a session failed");
                None
            }),
        None => None,
    };
    let lang = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| session.as_ref().map(|s| s.user.lang))
        .or_else(|| accept_language(req.headers()))
        .unwrap_or_default();
    req.extensions_mut().insert(RequestInfo { session, lang });
    next.run(req).await
}

fn accept_language(h: &HeaderMap) -> Option<Lang> {
    let v = h.get(axum::http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    v.split(',')
        .filter_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
        .next()
}

/// What `load` found.
#[derive(Clone)]
pub struct RequestInfo {
    pub session: Option<SessionInfo>,
    pub lang: Lang,
}

/// Any page's context; never fails.
pub struct Ctx {
    pub app: App,
    pub lang: Lang,
    pub session: Option<SessionInfo>,
    pub csrf: String,
    pub path: String,
    pub query: String,
    pub client_ip: String,
}

impl FromRequestParts<App> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<RequestInfo>()
            .cloned()
            .unwrap_or(RequestInfo {
                session: None,
                lang: Lang::Nl,
            });
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let forwarded = app
            .config
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
                    .map(|s| s.trim().to_owned())
            })
            .flatten();
        Ok(Ctx {
            app: app.clone(),
            lang: info.lang,
            session: info.session,
            csrf,
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().unwrap_or("").to_owned(),
            client_ip: forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
        })
    }
}

impl Ctx {
    /// The layout data of a page with this title.
    pub fn page(&self, title_nl: &str, title_en: &str) -> Page {
        Page::new(self, self.lang.pick(title_nl, title_en))
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.session
            .as_ref()
            .filter(|s| s.is_complete())
            .map(|s| &s.actor)
    }

    /// A message code passed through a redirect (`?msg=saved`).
    pub fn msg(&self) -> Option<&str> {
        self.query.split('&').find_map(|kv| kv.strip_prefix("msg="))
    }
}

/// A page that needs a complete login (second factor given, or set up where required).
pub struct UserCtx {
    pub ctx: Ctx,
    pub info: SessionInfo,
}

impl UserCtx {
    pub fn actor(&self) -> &Actor {
        &self.info.actor
    }
}

/// Where to send someone who is not (fully) logged in.
pub struct LoginRedirect(Response);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<App> for UserCtx {
    type Rejection = LoginRedirect;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Ok(ctx) = Ctx::from_request_parts(parts, app).await;
        let Some(info) = ctx.session.clone() else {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next));
            return Err(LoginRedirect(Redirect::to(&target).into_response()));
        };
        match info.pending_step() {
            Some(PendingStep::Totp) => {
                Err(LoginRedirect(Redirect::to("/login/code").into_response()))
            }
            Some(PendingStep::EnrollTotp) if ctx.path != "/account/tweede-factor" => Err(
                LoginRedirect(Redirect::to("/account/tweede-factor").into_response()),
            ),
            _ => Ok(UserCtx { ctx, info }),
        }
    }
}

/// A page for CERT staff only.
pub struct CertCtx(pub UserCtx);

impl FromRequestParts<App> for CertCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let u = UserCtx::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        if u.info.actor.is_cert() {
            Ok(CertCtx(u))
        } else {
            Err(WebError(AppError::Forbidden).into_response())
        }
    }
}

impl std::ops::Deref for CertCtx {
    type Target = UserCtx;
    fn deref(&self) -> &UserCtx {
        &self.0
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// Only same-site relative paths are followed after login, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}
