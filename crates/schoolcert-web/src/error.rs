//! Errors of page handlers become pages: a handler returns `WebError` (any `AppError` converts),
//! which marks the response; `render_errors` then renders the error page in the visitor's
//! language with the usual layout.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use schoolcert_app::{App, AppError};

use crate::csrf::CsrfToken;
use crate::ctx::{Ctx, RequestInfo};
use crate::layout::Page;

pub struct WebError(pub AppError);

pub type WebResult<T = Response> = Result<T, WebError>;

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}

impl From<schoolcert_store::StoreError> for WebError {
    fn from(e: schoolcert_store::StoreError) -> Self {
        WebError(e.into())
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

struct Marked(Arc<AppError>);

impl WebError {
    pub fn into_response_with(self, status: StatusCode) -> Response {
        let mut r = status.into_response();
        r.extensions_mut().insert(Marked(Arc::new(self.0)));
        r
    }
}

impl Clone for Marked {
    fn clone(&self) -> Self {
        Marked(self.0.clone())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self.0, "request failed");
        }
        self.into_response_with(status)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    p: Page,
    status: u16,
    message: String,
}

/// Renders marked error responses as pages.
pub async fn render_errors(State(app): State<App>, req: Request, next: Next) -> Response {
    let info = req.extensions().get::<RequestInfo>().cloned();
    // The CSRF layer runs inside this one; the error page's logout form needs the same token.
    let csrf = info
        .as_ref()
        .and_then(|i| i.session.as_ref())
        .map(|s| CsrfToken(s.csrf_token.clone()));
    let path = req.uri().path().to_owned();
    let resp = next.run(req).await;
    let Some(Marked(err)) = resp.extensions().get::<Marked>().cloned() else {
        return resp;
    };
    let status = resp.status();
    let info = info.unwrap_or(RequestInfo {
        session: None,
        lang: schoolcert_domain::Lang::Nl,
    });
    let ctx = Ctx {
        app,
        lang: info.lang,
        session: info.session,
        csrf: csrf.map(|c| c.0).unwrap_or_default(),
        path,
        query: String::new(),
        client_ip: String::new(),
    };
    let title = match status {
        StatusCode::NOT_FOUND => ctx.lang.pick("Niet gevonden", "Not found"),
        StatusCode::FORBIDDEN => ctx.lang.pick("Geen toegang", "No access"),
        StatusCode::TOO_MANY_REQUESTS => ctx.lang.pick("Even geduld", "Please wait"),
        s if s.is_server_error() => ctx.lang.pick("Er ging iets mis", "Something went wrong"),
        _ => ctx.lang.pick("Dat lukte niet", "That did not work"),
    };
    let page = ErrorPage {
        p: Page::new(&ctx, title),
        status: status.as_u16(),
        message: err.message(ctx.lang),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, err.message(ctx.lang)).into_response(),
    }
}

/// Renders a template, or a plain 500 when the template itself fails.
pub fn html<T: Template>(t: T) -> Response {
    match t.render() {
        Ok(s) => Html(s).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}
