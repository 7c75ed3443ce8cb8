//! The public, account-free CVD intake: form validation with a message per field, the honeypot
//! rule, the proof of work and the per-address rate limit.
//!
//! Order in the web handler: `ratelimit::decide` → `pow::verify` → `validate` (which applies
//! the honeypot) → match targets (`cvd::match_targets`) → `CvdCase::from_intake`, generate the
//! status token (`SecretToken`), store the hash, send the acknowledgement.

pub mod pow;
pub mod ratelimit;

use serde::Serialize;

use schoolcert_domain::registry::Email;

use crate::attachments::{AttachmentInfo, AttachmentLimits, Upload, check_all};
use crate::cvd::credit::Reporter;
use crate::cvd::target::{Target, parse_targets};
use crate::fields::{FieldError, Problem, optional_text, required_text};

/// The form as submitted. Field names are the form's `name` attributes.
#[derive(Debug, Clone, Default)]
pub struct CvdIntakeForm<'a> {
    /// What was found.
    pub what: &'a str,
    /// Where: URLs, host names or IP addresses, free text.
    pub location: &'a str,
    /// How to reproduce it.
    pub reproduce: &'a str,
    /// What an attacker could do (optional: not every reporter knows).
    pub impact: &'a str,
    /// Name or pseudonym (optional: anonymous reports are accepted).
    pub reporter_name: &'a str,
    /// Contact address (optional: without it, the status link is the only channel).
    pub contact_email: &'a str,
    pub credit_consent: bool,
    pub share_identity_with_board: bool,
    /// The hidden field people never see and bots fill in.
    pub honeypot: &'a str,
    pub attachments: Vec<Upload<'a>>,
}

/// Limits of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeLimits {
    pub attachments: AttachmentLimits,
    pub max_text_chars: usize,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            attachments: AttachmentLimits::default(),
            max_text_chars: 20_000,
        }
    }
}

/// A report that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidIntake {
    pub what: String,
    pub targets: Vec<Target>,
    /// The "where" text as typed, kept because it may explain more than the targets.
    pub location_text: String,
    pub reproduce: String,
    pub impact: String,
    pub reporter: Reporter,
    pub attachments: Vec<AttachmentInfo>,
}

/// What to do with a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeOutcome {
    Accepted(ValidIntake),
    /// The honeypot was filled in: answer as if accepted (so the bot learns nothing), store
    /// nothing, send nothing.
    Spam,
}

/// The name used when the reporter gives none.
pub const ANONYMOUS: &str = "Anoniem";

/// Validates the form. Every problem is returned at once, each tied to its field.
pub fn validate(
    form: &CvdIntakeForm<'_>,
    limits: &IntakeLimits,
) -> Result<IntakeOutcome, Vec<FieldError>> {
    if !form.honeypot.trim().is_empty() {
        return Ok(IntakeOutcome::Spam);
    }
    let max = limits.max_text_chars;
    let mut errors = Vec::new();
    let what = required_text("what", form.what, max, &mut errors);
    if !what.is_empty() && what.chars().count() < 10 {
        errors.push(FieldError::new("what", Problem::TooShort { min: 10 }));
    }
    let location_text = required_text("location", form.location, 2_000, &mut errors);
    let (targets, _) = parse_targets(&location_text);
    if !location_text.is_empty() && targets.is_empty() {
        errors.push(FieldError::new("location", Problem::InvalidTarget));
    }
    let reproduce = required_text("reproduce", form.reproduce, max, &mut errors);
    let impact = optional_text("impact", form.impact, max, &mut errors).unwrap_or_default();
    let name = optional_text("reporter_name", form.reporter_name, 100, &mut errors);
    if form.credit_consent && name.is_none() {
        errors.push(FieldError::new(
            "reporter_name",
            Problem::Other {
                nl: "Geef een naam of pseudoniem op om genoemd te worden op de bedankpagina."
                    .into(),
                en: "Give a name or pseudonym to be credited on the thanks page.".into(),
            },
        ));
    }
    let email = match form.contact_email.trim() {
        "" => None,
        e => match e.parse::<Email>() {
            Ok(e) => Some(e),
            Err(_) => {
                errors.push(FieldError::new("contact_email", Problem::InvalidEmail));
                None
            }
        },
    };
    let attachments = match check_all(&form.attachments, &limits.attachments) {
        Ok(a) => a,
        Err(errs) => {
            for e in errs {
                errors.push(FieldError::new(
                    "attachments",
                    Problem::Other {
                        nl: schoolcert_domain::lang::Localized::message(
                            &e,
                            schoolcert_domain::Lang::Nl,
                        ),
                        en: schoolcert_domain::lang::Localized::message(
                            &e,
                            schoolcert_domain::Lang::En,
                        ),
                    },
                ));
            }
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(IntakeOutcome::Accepted(ValidIntake {
        what,
        targets,
        location_text,
        reproduce,
        impact,
        reporter: Reporter {
            name: name.unwrap_or_else(|| ANONYMOUS.to_owned()),
            email,
            credit_consent: form.credit_consent,
            identity_shared_with_board: form.share_identity_with_board,
        },
        attachments,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::Lang;
    use schoolcert_domain::lang::Localized;

    fn form() -> CvdIntakeForm<'static> {
        CvdIntakeForm {
            what: "SQL-injectie in het inlogformulier van het ouderportaal",
            location: "https://ouders.obs-klimop.nl/login",
            reproduce: "Gebruikersnaam ' OR 1=1 -- geeft toegang.",
            impact: "Inzage in alle leerlingdossiers.",
            reporter_name: "whitehat42",
            contact_email: "wh42@example.org",
            credit_consent: true,
            ..CvdIntakeForm::default()
        }
    }

    #[test]
    fn a_complete_report_is_accepted() {
        let IntakeOutcome::Accepted(v) = validate(&form(), &IntakeLimits::default()).unwrap()
        else {
            panic!("expected accepted");
        };
        assert_eq!(v.targets.len(), 1);
        assert_eq!(v.reporter.public_credit(), Some("whitehat42"));
    }

    #[test]
    fn an_anonymous_report_without_email_is_fine() {
        let f = CvdIntakeForm {
            reporter_name: "",
            contact_email: "",
            credit_consent: false,
            ..form()
        };
        let IntakeOutcome::Accepted(v) = validate(&f, &IntakeLimits::default()).unwrap() else {
            panic!("expected accepted");
        };
        assert_eq!(v.reporter.name, ANONYMOUS);
        assert_eq!(v.reporter.public_credit(), None);
    }

    #[test]
    fn the_honeypot_marks_spam_before_anything_else() {
        let f = CvdIntakeForm {
            honeypot: "http://spam.example",
            what: "",
            ..form()
        };
        assert_eq!(
            validate(&f, &IntakeLimits::default()),
            Ok(IntakeOutcome::Spam)
        );
    }

    #[test]
    fn every_problem_is_reported_on_its_field() {
        let f = CvdIntakeForm {
            what: "kort",
            location: "ergens op jullie site",
            reproduce: " ",
            reporter_name: "",
            contact_email: "niet-een-adres",
            credit_consent: true,
            attachments: vec![Upload {
                filename: "dump.bin",
                declared_type: None,
                bytes: &[1u8; 64],
            }],
            ..form()
        };
        let limits = IntakeLimits {
            attachments: AttachmentLimits {
                max_file_bytes: 16,
                ..AttachmentLimits::default()
            },
            ..IntakeLimits::default()
        };
        let errors = validate(&f, &limits).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "what",
                "location",
                "reproduce",
                "reporter_name",
                "contact_email",
                "attachments"
            ]
        );
        assert_eq!(errors[2].message(Lang::Nl), "Dit veld is verplicht.");
        assert!(errors[5].message(Lang::En).contains("limit"));
    }
}
