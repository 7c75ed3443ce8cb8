//! Who is calling the API: the actor behind a bearer token, and the client's language.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use schoolcert_app::auth::tokens;
use schoolcert_app::{App, AppError};
use schoolcert_domain::Lang;
use schoolcert_domain::access::Actor;

use super::problem::ApiError;

/// The authenticated caller. Anything but a valid `Authorization: Bearer` token is 401.
pub struct ApiActor {
    pub actor: Actor,
    pub lang: Lang,
}

fn lang_of(parts: &Parts) -> Lang {
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|p| Lang::parse(p.split(';').next().unwrap_or("")))
                .next()
        })
        .unwrap_or_default()
}

impl FromRequestParts<App> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError(AppError::Unauthenticated, lang))?;
        let actor = tokens::resolve(app, token)
            .await
            .map_err(|e| ApiError(e, lang))?
            .ok_or(ApiError(AppError::Unauthenticated, lang))?;
        Ok(ApiActor { actor, lang })
    }
}

impl ApiActor {
    /// Wraps a use case's error for this caller.
    pub fn err(&self, e: AppError) -> ApiError {
        ApiError(e, self.lang)
    }
}
