//! RFC 9457 problem details: every API error is `application/problem+json` with a status, a
//! title, a human-readable detail (Dutch unless the client prefers English) and, for invalid
//! input, the refused fields.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schoolcert_app::AppError;
use schoolcert_domain::Lang;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn from_error(e: &AppError, lang: Lang) -> Problem {
        let status = crate::error::status_of(e);
        let errors = match e {
            AppError::Invalid(fields) => fields
                .iter()
                .map(|f| FieldProblem {
                    field: f.field.clone(),
                    message: f.message.get(lang).to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "API request failed");
        }
        Problem {
            kind: match e {
                AppError::Invalid(_) => "https://schoolcert.nl/problems/invalid-input".into(),
                _ => "about:blank".into(),
            },
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: e.message(lang),
            errors,
        }
    }

    pub fn not_found() -> Response {
        Problem::from_error(&AppError::NotFound, Lang::En).into_response()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// An API handler's error: any `AppError`, rendered in the client's language.
pub struct ApiError(pub AppError, pub Lang);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Problem::from_error(&self.0, self.1).into_response()
    }
}
