//! What every page template gets: language, the logged-in user for the navigation, the CSRF
//! token for forms, and helpers to pick a language and show times in Europe/Amsterdam.

use schoolcert_domain::access::Role;
use schoolcert_domain::time::{format_local, format_local_date};
use schoolcert_domain::{Lang, Timestamp};

use crate::ctx::Ctx;

pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub csrf: String,
    pub path: String,
    pub user: Option<NavUser>,
    pub cert_name: String,
    pub msg: Option<String>,
}

pub struct NavUser {
    pub email: String,
    pub role: Role,
    /// Logged in completely (second factor done).
    pub complete: bool,
}

impl Page {
    pub fn new(ctx: &Ctx, title: &str) -> Page {
        Page {
            lang: ctx.lang,
            title: title.to_owned(),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            user: ctx.session.as_ref().map(|s| NavUser {
                email: s.user.email.clone(),
                role: s.user.role,
                complete: s.is_complete(),
            }),
            cert_name: ctx.app.config.cert_name.clone(),
            msg: ctx
                .msg()
                .map(|m| flash(m, ctx.lang).to_owned())
                .filter(|m| !m.is_empty()),
        }
    }

    /// The language by value (templates get fields by reference).
    pub fn l(&self) -> Lang {
        self.lang
    }

    /// Picks the Dutch or English text.
    pub fn t<'a>(&self, nl: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(nl, en)
    }

    pub fn time(&self, t: &Timestamp) -> String {
        format_local(*t, self.lang)
    }

    pub fn opt_time(&self, t: &Option<Timestamp>) -> String {
        t.map(|t| format_local(t, self.lang))
            .unwrap_or_else(|| "–".into())
    }

    pub fn date(&self, t: &Timestamp) -> String {
        format_local_date(*t, self.lang)
    }

    pub fn is_cert(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.complete && u.role.is_cert())
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.complete && u.role == Role::CertAdmin)
    }

    pub fn is_board(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.complete && u.role == Role::BoardContact)
    }

    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Nl => "en",
            Lang::En => "nl",
        }
    }

    pub fn other_lang_name(&self) -> &'static str {
        match self.lang {
            Lang::Nl => "English",
            Lang::En => "Nederlands",
        }
    }

    /// `aria-current` for the navigation link of the current section.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here =
            self.path == prefix || (prefix != "/" && self.path.starts_with(&format!("{prefix}/")));
        if here { "page" } else { "false" }
    }
}

/// Messages shown after a redirect (`?msg=code`).
fn flash(code: &str, lang: Lang) -> &'static str {
    match code {
        "saved" => lang.pick("Opgeslagen.", "Saved."),
        "published" => lang.pick(
            "Gepubliceerd; de betrokken besturen krijgen bericht.",
            "Published; the boards concerned are being notified.",
        ),
        "deleted" => lang.pick("Verwijderd.", "Deleted."),
        "confirmed" => lang.pick("Bevestigd.", "Confirmed."),
        "submitted" => lang.pick(
            "Ingediend. U krijgt bericht zodra het CERT de aanmelding heeft beoordeeld.",
            "Submitted. You will hear from us once the CERT has reviewed the application.",
        ),
        "approved" => lang.pick("Goedgekeurd.", "Approved."),
        "returned" => lang.pick(
            "Teruggestuurd naar de aanvrager.",
            "Returned to the applicant.",
        ),
        "verified" => lang.pick("Domein geverifieerd.", "Domain verified."),
        "not_verified" => lang.pick(
            "Het TXT-record is (nog) niet gevonden. DNS-wijzigingen kunnen even duren.",
            "The TXT record was not found (yet). DNS changes can take a while.",
        ),
        "password" => lang.pick(
            "Uw wachtwoord is gewijzigd; andere sessies zijn beëindigd.",
            "Your password was changed; other sessions were ended.",
        ),
        "logged_out_elsewhere" => lang.pick(
            "U bent op andere apparaten uitgelogd.",
            "You were logged out on other devices.",
        ),
        "welcome" => lang.pick(
            "Welkom! Uw e-mailadres is bevestigd.",
            "Welcome! Your e-mail address is confirmed.",
        ),
        "totp" => lang.pick(
            "De tweede factor is ingesteld.",
            "The second factor is set up.",
        ),
        "requeued" => lang.pick(
            "Het bericht staat weer in de wachtrij.",
            "The message is queued again.",
        ),
        "link_sent" => lang.pick(
            "Als dit adres een account heeft, is er een link naartoe gestuurd.",
            "If this address has an account, a link has been sent to it.",
        ),
        "accepted" => lang.pick("Geaccepteerd.", "Accepted."),
        _ => "",
    }
}
