//! Cross-site request forgery protection for every page form: each unsafe request must carry
//! the session's token (or, before login, the token of the `sc_csrf` cookie) in a form field,
//! query parameter or header, and browsers' `Sec-Fetch-Site`/`Origin` must not say cross-site.
//! The JSON API is exempt: it accepts bearer tokens only, never cookies.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use schoolcert_app::{App, AppError};
use schoolcert_domain::token::SecretToken;

use crate::ctx::RequestInfo;
use crate::error::WebError;

pub const CSRF_COOKIE: &str = "sc_csrf";
const MAX_FORM: usize = 4 * 1024 * 1024;

/// The token forms on this page must carry.
#[derive(Clone)]
pub struct CsrfToken(pub String);

fn forbidden() -> Response {
    WebError(AppError::conflict(
        "Dit formulier is verlopen of komt niet van deze site. Ga terug, herlaad de pagina en probeer het opnieuw.",
        "This form has expired or did not come from this site. Go back, reload the page and try again.",
    ))
    .into_response_with(axum::http::StatusCode::FORBIDDEN)
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn protect(State(app): State<App>, jar: CookieJar, req: Request, next: Next) -> Response {
    let session_token = req
        .extensions()
        .get::<RequestInfo>()
        .and_then(|i| i.session.as_ref())
        .map(|s| s.csrf_token.clone());
    let cookie_token = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 16);
    let new_cookie = match (&session_token, &cookie_token) {
        (None, None) => SecretToken::generate("")
            .ok()
            .map(|t| t.expose().to_owned()),
        _ => None,
    };
    let expected = session_token
        .clone()
        .or(cookie_token)
        .or(new_cookie.clone())
        .unwrap_or_default();

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let req = if unsafe_method {
        if cross_site(&req, &app.config.base_url) {
            return forbidden();
        }
        let (parts, body) = req.into_parts();
        let from_header = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let from_query = parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|kv| kv.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let (body, from_form) = if is_form {
            let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
                return WebError(AppError::invalid(
                    "form",
                    schoolcert_app::Msg::new(
                        "Het formulier is te groot.",
                        "The form is too large.",
                    ),
                ))
                .into_response();
            };
            let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|kv| kv.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
            (Body::from(bytes), token)
        } else {
            (body, None)
        };
        let given = from_form.or(from_header).or(from_query).unwrap_or_default();
        if expected.is_empty() || !constant_time_eq(&given, &expected) {
            return forbidden();
        }
        Request::from_parts(parts, body)
    } else {
        req
    };
    let mut req = req;
    req.extensions_mut().insert(CsrfToken(expected));
    let mut resp = next.run(req).await;
    if let Some(token) = new_cookie {
        let c = Cookie::build((CSRF_COOKIE, token))
            .path("/")
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Strict)
            .build();
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// Browsers say where a request came from; anything cross-site is refused outright.
fn cross_site(req: &Request, base_url: &str) -> bool {
    let h = req.headers();
    if h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None | Some("null") => false,
        Some(origin) => {
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let base = base_url.trim_end_matches('/');
            origin != base && origin.split("://").nth(1) != Some(host)
        }
    }
}
