//! What can go wrong in a use case, in terms a page or API can show: not found (also for
//! anything outside the caller's scope), forbidden, invalid input per field, a conflict with
//! the current state, too many attempts, or an internal failure.

use schoolcert_domain::lang::Localized;
use schoolcert_domain::{Lang, Timestamp};
use schoolcert_store::StoreError;
use serde::Serialize;

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub nl: String,
    pub en: String,
}

impl Msg {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            nl: nl.into(),
            en: en.into(),
        }
    }

    pub fn of(l: &impl Localized) -> Msg {
        Msg {
            nl: l.message(Lang::Nl),
            en: l.message(Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// A refused form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: Msg,
}

impl FieldError {
    pub fn new(field: &str, message: Msg) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{}", .0.en)]
    Conflict(Msg),
    #[error("too many attempts")]
    RateLimited { until: Option<Timestamp> },
    #[error(transparent)]
    Store(StoreError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, message: Msg) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn conflict(nl: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Conflict(Msg::new(nl, en))
    }

    /// The message to show a person.
    pub fn message(&self, lang: Lang) -> String {
        let m = match self {
            AppError::NotFound => Msg::new("Niet gevonden.", "Not found."),
            AppError::Forbidden => {
                Msg::new("U mag dit niet doen.", "You are not allowed to do this.")
            }
            AppError::Unauthenticated => Msg::new("Log eerst in.", "Please log in first."),
            AppError::Invalid(errs) => {
                let list = |l: Lang| {
                    errs.iter()
                        .map(|e| e.message.get(l).to_owned())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                Msg::new(list(Lang::Nl), list(Lang::En))
            }
            AppError::Conflict(m) => m.clone(),
            AppError::RateLimited { .. } => Msg::new(
                "Te veel pogingen; probeer het later opnieuw.",
                "Too many attempts; try again later.",
            ),
            AppError::Store(_) | AppError::Internal(_) => Msg::new(
                "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem dan contact op met het CERT.",
                "Something went wrong on our side. Please try again; if it keeps failing, contact the CERT.",
            ),
        };
        m.get(lang).to_owned()
    }

    /// The message for one field, if this error refused it.
    pub fn field(&self, name: &str, lang: Lang) -> Option<String> {
        match self {
            AppError::Invalid(errs) => errs
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.get(lang).to_owned()),
            _ => None,
        }
    }
}

/// Collects field errors while validating a form.
#[derive(Debug, Default)]
pub struct Check(Vec<FieldError>);

impl Check {
    pub fn new() -> Check {
        Check(Vec::new())
    }

    pub fn fail(&mut self, field: &str, message: Msg) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the value when `r` is Ok, records the error otherwise.
    pub fn take<T, E>(
        &mut self,
        field: &str,
        r: Result<T, E>,
        msg: impl FnOnce(E) -> Msg,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(field, msg(e));
                None
            }
        }
    }

    pub fn required(&mut self, field: &str, value: &str, nl: &str, en: &str) {
        if value.trim().is_empty() {
            self.fail(
                field,
                Msg::new(format!("{nl} is verplicht."), format!("{en} is required.")),
            );
        }
    }

    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
