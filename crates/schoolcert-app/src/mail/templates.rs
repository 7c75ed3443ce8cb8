//! E-mail templates: plain text, one file per message and language, `Subject:` on the first
//! line. Defaults are compiled in; a directory in the configuration may override any of them.

use minijinja::Environment;
use schoolcert_domain::Lang;

use crate::{AppConfig, AppError, AppResult};

/// (name, Dutch, English)
const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "join_confirm",
        include_str!("../../templates/mail/join_confirm.nl.txt"),
        include_str!("../../templates/mail/join_confirm.en.txt"),
    ),
    (
        "join_submitted",
        include_str!("../../templates/mail/join_submitted.nl.txt"),
        include_str!("../../templates/mail/join_submitted.en.txt"),
    ),
    (
        "join_submitted_cert",
        include_str!("../../templates/mail/join_submitted_cert.nl.txt"),
        include_str!("../../templates/mail/join_submitted_cert.en.txt"),
    ),
    (
        "join_approved",
        include_str!("../../templates/mail/join_approved.nl.txt"),
        include_str!("../../templates/mail/join_approved.en.txt"),
    ),
    (
        "join_returned",
        include_str!("../../templates/mail/join_returned.nl.txt"),
        include_str!("../../templates/mail/join_returned.en.txt"),
    ),
    (
        "asset_decided",
        include_str!("../../templates/mail/asset_decided.nl.txt"),
        include_str!("../../templates/mail/asset_decided.en.txt"),
    ),
    (
        "password_reset",
        include_str!("../../templates/mail/password_reset.nl.txt"),
        include_str!("../../templates/mail/password_reset.en.txt"),
    ),
    (
        "contacts_stale",
        include_str!("../../templates/mail/contacts_stale.nl.txt"),
        include_str!("../../templates/mail/contacts_stale.en.txt"),
    ),
    (
        "account_created",
        include_str!("../../templates/mail/account_created.nl.txt"),
        include_str!("../../templates/mail/account_created.en.txt"),
    ),
    (
        "vuln_advisory",
        include_str!("../../templates/mail/vuln_advisory.nl.txt"),
        include_str!("../../templates/mail/vuln_advisory.en.txt"),
    ),
    (
        "case_message",
        include_str!("../../templates/mail/case_message.nl.txt"),
        include_str!("../../templates/mail/case_message.en.txt"),
    ),
    (
        "case_activity",
        include_str!("../../templates/mail/case_activity.nl.txt"),
        include_str!("../../templates/mail/case_activity.en.txt"),
    ),
    (
        "case_reminder",
        include_str!("../../templates/mail/case_reminder.nl.txt"),
        include_str!("../../templates/mail/case_reminder.en.txt"),
    ),
];

/// Names of every built-in template, for `schoolcert templates list` and tests.
pub fn names() -> impl Iterator<Item = &'static str> {
    DEFAULTS.iter().map(|(n, _, _)| *n)
}

fn source(config: &AppConfig, name: &str, lang: Lang) -> AppResult<String> {
    if let Some(dir) = &config.mail_templates_dir {
        let path = dir.join(format!("{name}.{}.txt", lang.code()));
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Ok(text);
        }
    }
    DEFAULTS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, nl, en)| lang.pick(nl, en).to_owned())
        .ok_or_else(|| AppError::Internal(format!("no mail template named {name}")))
}

/// Renders a template into (subject, body).
pub fn render(
    config: &AppConfig,
    name: &str,
    lang: Lang,
    ctx: &serde_json::Value,
) -> AppResult<(String, String)> {
    let src = source(config, name, lang)?;
    let mut env = Environment::new();
    env.add_template_owned(name.to_owned(), src)
        .map_err(|e| AppError::Internal(format!("mail template {name} is broken: {e}")))?;
    let text = env
        .get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(ctx)))
        .map_err(|e| AppError::Internal(format!("mail template {name} failed: {e}")))?;
    let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
    let subject = first
        .strip_prefix("Subject:")
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    if subject.is_empty() {
        return Err(AppError::Internal(format!(
            "mail template {name} must start with a 'Subject:' line"
        )));
    }
    Ok((subject, body.trim_start_matches('\n').to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_in_both_languages_with_a_subject() {
        let ctx = serde_json::json!({
            "cert_name": "School-CERT", "base_url": "http://x", "link": "http://x/l", "board_name": "Stichting X",
            "duo_number": "10249", "applicant_name": "Anna", "reason": "Er ontbreekt een contact.", "asset": "school.nl",
            "status": "approved", "email": "a@x.nl", "role": "cert_analyst", "hours": 48,
        });
        for name in names() {
            for lang in [Lang::Nl, Lang::En] {
                let (subject, body) = render(&AppConfig::default(), name, lang, &ctx).unwrap();
                assert!(
                    !subject.is_empty() && !body.trim().is_empty(),
                    "{name} {lang:?}"
                );
                assert!(!body.contains("{{"), "{name} {lang:?} left a placeholder");
            }
        }
    }
}
