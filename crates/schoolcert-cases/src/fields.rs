//! Field-level validation errors for forms (CVD intake, case edits), explained in Dutch or
//! English so the web layer can show each one next to its field.

use serde::Serialize;

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    InvalidTarget,
    InFuture,
    NotAllowed,
    /// A problem with its own explanation (for instance from another module's error).
    Other {
        nl: String,
        en: String,
    },
}

/// One refused field: its form name and the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

impl Localized for Problem {
    fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Required => lang
                .pick("Dit veld is verplicht.", "This field is required.")
                .into(),
            Problem::TooLong { max } => match lang {
                Lang::Nl => format!("Dit veld mag hoogstens {max} tekens bevatten."),
                Lang::En => format!("This field may hold at most {max} characters."),
            },
            Problem::TooShort { min } => match lang {
                Lang::Nl => format!("Geef hier minstens {min} tekens."),
                Lang::En => format!("Please give at least {min} characters here."),
            },
            Problem::InvalidEmail => lang
                .pick(
                    "Dit is geen geldig e-mailadres.",
                    "This is not a valid e-mail address.",
                )
                .into(),
            Problem::InvalidTarget => lang
                .pick(
                    "Geef een URL, hostnaam of IP-adres (één per regel).",
                    "Give a URL, host name or IP address (one per line).",
                )
                .into(),
            Problem::InFuture => lang
                .pick(
                    "Dit tijdstip ligt in de toekomst.",
                    "This moment lies in the future.",
                )
                .into(),
            Problem::NotAllowed => lang
                .pick(
                    "Deze waarde is niet toegestaan.",
                    "This value is not allowed.",
                )
                .into(),
            Problem::Other { nl, en } => lang.pick(nl, en).into(),
        }
    }
}

impl Localized for FieldError {
    fn message(&self, lang: Lang) -> String {
        self.problem.message(lang)
    }
}

/// Checks a required free-text field: trimmed, not empty, within `max` characters.
pub fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, Problem::Required));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, Problem::TooLong { max }));
    }
    v.to_owned()
}

/// Checks an optional free-text field; empty becomes `None`.
pub fn optional_text(
    field: &'static str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        errors.push(FieldError::new(field, Problem::TooLong { max }));
    }
    (!v.is_empty()).then(|| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_collect_errors_per_field() {
        let mut errors = Vec::new();
        assert_eq!(required_text("what", "  ", 10, &mut errors), "");
        assert_eq!(
            optional_text("name", "abcdef", 3, &mut errors),
            Some("abcdef".into())
        );
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "what");
        assert!(errors[1].message(Lang::Nl).contains("hoogstens 3"));
    }
}
