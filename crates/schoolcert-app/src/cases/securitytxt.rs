//! security.txt (RFC 9116): a file per board, generated from the board's settings, pointing
//! reports to the CERT's CVD page; and the CERT's own file served at `/.well-known/security.txt`.

use schoolcert_cases::securitytxt::{self, BoardSettings, CertSettings};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Actor;
use schoolcert_store::cases::settings;
use schoolcert_store::registry::boards;

use crate::{App, AppError, AppResult, Msg};

/// The CERT's settings, from the configuration.
pub fn cert_settings(app: &App) -> CertSettings {
    CertSettings {
        contact: vec![
            app.config.link("/kwetsbaarheid-melden"),
            format!("mailto:{}", super::clocks::cert_address(app)),
        ],
        policy: app.config.link("/kwetsbaarheid-melden#beleid"),
        acknowledgments: Some(app.config.link("/kwetsbaarheid-melden/bedankt")),
        encryption: None,
        hiring: None,
        csaf: None,
        canonical: app.config.link("/.well-known/security.txt"),
        validity_days: 180,
    }
}

/// The CERT's own file.
pub fn for_cert(app: &App) -> AppResult<String> {
    // RFC 9116 allows only https: web addresses, so a deployment on a plain http base URL
    // (a local demo) has no valid file to offer; say so instead of failing as an error.
    let f = securitytxt::for_cert(&cert_settings(app), app.now()).map_err(|e| {
        AppError::Conflict(Msg::new(
            format!("Er is geen geldige security.txt: {e}. Stel een https-adres in als SCHOOLCERT_BASE_URL."),
            format!("There is no valid security.txt: {e}. Set an https address as SCHOOLCERT_BASE_URL."),
        ))
    })?;
    Ok(f.render())
}

/// A board's file, for the board to place at `/.well-known/security.txt` on its domains. The
/// domains come from the board's settings, else from its website. With an armored secret key,
/// the file is clear-signed (OpenPGP).
pub async fn for_board(
    app: &App,
    actor: &Actor,
    board: BoardId,
    signing_key: Option<(&str, Option<&str>)>,
) -> AppResult<String> {
    crate::registry::in_scope(actor, board)?;
    let mut cx = app.db.read().await?;
    let b = boards::get(&mut cx, actor.scope(), board).await?;
    let s = settings::get(&mut cx, actor.scope(), board).await?;
    let mut domains: Vec<String> = s
        .securitytxt_domains
        .lines()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect();
    if domains.is_empty()
        && let Some(w) = &b.website
    {
        domains.push(w.clone());
    }
    let file = securitytxt::for_board(
        &cert_settings(app),
        &BoardSettings {
            board_name: b.name.clone(),
            domains,
            preferred_languages: Vec::new(),
        },
        app.now(),
    )
    .map_err(|e| AppError::invalid("domains", Msg::of(&e)))?;
    let text = file.render();
    match signing_key {
        Some((key, pass)) => securitytxt::clear_sign(&text, key, pass, app.now())
            .map_err(|e| AppError::invalid("key", Msg::of(&e))),
        None => Ok(text),
    }
}
