//! The HTML pages, one module per area; all of them go through `schoolcert-app`.

mod account;
mod auth;
mod cases;
mod cert;
mod cvd;
mod feeds;
mod join;
mod portal;
mod public;
mod vuln;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use schoolcert_app::{App, AppError};
use schoolcert_domain::Lang;

pub fn routes() -> Router<App> {
    Router::new()
        .merge(public::routes())
        .merge(auth::routes())
        .merge(join::routes())
        .merge(portal::routes())
        .merge(account::routes())
        .merge(cert::routes())
        .merge(vuln::routes())
        .merge(feeds::routes())
        .merge(cases::routes())
        .merge(cvd::routes())
}

/// After a successful POST: back to a page, with a message code.
pub fn see_other(path: &str, msg: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}msg={msg}")).into_response()
}

/// A form's error state: which fields failed and why, in the page's language.
#[derive(Default)]
pub struct FormErrors {
    err: Option<AppError>,
    lang: Lang,
}

impl FormErrors {
    pub fn none(lang: Lang) -> FormErrors {
        FormErrors { err: None, lang }
    }

    pub fn of(err: AppError, lang: Lang) -> FormErrors {
        FormErrors {
            err: Some(err),
            lang,
        }
    }

    /// The message for one field.
    pub fn field(&self, name: &str) -> Option<String> {
        self.err.as_ref().and_then(|e| e.field(name, self.lang))
    }

    /// `true` for `aria-invalid`.
    pub fn invalid(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// A summary for the top of the form.
    pub fn summary(&self) -> Option<String> {
        self.err.as_ref().map(|e| e.message(self.lang))
    }

    /// Turns validation and conflict errors into form errors; anything else stays an error.
    pub fn catch(err: AppError, lang: Lang) -> Result<FormErrors, AppError> {
        match err {
            AppError::Invalid(_) | AppError::Conflict(_) | AppError::RateLimited { .. } => {
                Ok(FormErrors::of(err, lang))
            }
            other => Err(other),
        }
    }
}

/// A file form sent as `multipart/form-data`: the file (name, declared type, bytes) and the
/// other fields as text. `None` for the file when it is missing, empty or could not be received.
pub struct UploadForm {
    pub file: Option<(String, Option<String>, Vec<u8>)>,
    pub fields: std::collections::HashMap<String, String>,
}

impl UploadForm {
    /// `unnamed` is the file name used when the browser sends none.
    pub async fn read(mut form: axum::extract::Multipart, unnamed: &str) -> UploadForm {
        let mut out = UploadForm {
            file: None,
            fields: std::collections::HashMap::new(),
        };
        let mut broken = false;
        while let Ok(Some(field)) = form.next_field().await {
            let Some(name) = field.name().map(str::to_owned) else {
                continue;
            };
            if name == "file" {
                let filename = field.file_name().unwrap_or(unnamed).to_owned();
                let kind = field.content_type().map(str::to_owned);
                match field.bytes().await {
                    Ok(b) => out.file = Some((filename, kind, b.to_vec())),
                    Err(_) => broken = true,
                }
            } else {
                let text = field.text().await.unwrap_or_default();
                out.fields.insert(name, text);
            }
        }
        if broken || out.file.as_ref().is_some_and(|f| f.2.is_empty()) {
            out.file = None;
        }
        out
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}
