//! The general terms of use: the current version, publishing a new one, and the first version
//! installed on an empty database.

use schoolcert_domain::access::Actor;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::terms::{self, TermsVersion};

use crate::{App, AppError, AppResult, Msg, require_admin};

const DEFAULT_VERSION: &str = "2024-10";
const DEFAULT_NL: &str = include_str!("../../templates/terms.nl.md");
const DEFAULT_EN: &str = include_str!("../../templates/terms.en.md");

/// Installs the built-in terms when none exist yet.
pub async fn ensure_default(app: &App) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    if terms::current(&mut cx).await?.is_none() {
        terms::publish(
            &mut cx,
            DEFAULT_VERSION,
            DEFAULT_NL,
            DEFAULT_EN,
            None,
            app.now(),
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}

pub async fn current(app: &App) -> AppResult<Option<TermsVersion>> {
    let mut cx = app.db.read().await?;
    Ok(terms::current(&mut cx).await?)
}

pub async fn all(app: &App) -> AppResult<Vec<TermsVersion>> {
    let mut cx = app.db.read().await?;
    Ok(terms::all(&mut cx).await?)
}

/// An administrator publishes a new version; boards are asked to accept it.
pub async fn publish(
    app: &App,
    actor: &Actor,
    version: &str,
    body_nl: &str,
    body_en: &str,
) -> AppResult<i64> {
    require_admin(actor)?;
    let version = version.trim();
    if version.is_empty() || body_nl.trim().is_empty() {
        return Err(AppError::invalid(
            "version",
            Msg::new(
                "Versie en Nederlandse tekst zijn verplicht.",
                "Version and Dutch text are required.",
            ),
        ));
    }
    let now = app.now();
    let mut cx = app.db.write().await?;
    let id = terms::publish(&mut cx, version, body_nl, body_en, Some(actor.user_id), now)
        .await
        .map_err(|e| match e {
            schoolcert_store::StoreError::Duplicate(_) => AppError::invalid(
                "version",
                Msg::new("Deze versie bestaat al.", "This version already exists."),
            ),
            other => other.into(),
        })?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "terms",
            object_id: id,
            action: "publish",
            changes: vec![schoolcert_domain::audit::change(
                "version",
                serde_json::Value::Null,
                version,
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// A board contact accepts the current version on behalf of the board.
pub async fn accept(app: &App, actor: &Actor, terms_version_id: i64) -> AppResult<()> {
    let Some(board) = actor.board_id else {
        return Err(AppError::Forbidden);
    };
    let mut cx = app.db.write().await?;
    let current = terms::current(&mut cx).await?.ok_or(AppError::NotFound)?;
    if current.id != terms_version_id {
        return Err(AppError::conflict(
            "Er is inmiddels een nieuwere versie; lees die eerst.",
            "A newer version has been published; please read that first.",
        ));
    }
    if !terms::has_accepted(&mut cx, board, current.id).await? {
        let now = app.now();
        terms::accept(&mut cx, board, current.id, actor.user_id, now).await?;
        audit::record(
            &mut cx,
            Record {
                by: By::Actor(actor),
                board_id: Some(board),
                object_type: "board",
                object_id: board.0,
                action: "accept_terms",
                changes: vec![schoolcert_domain::audit::change(
                    "terms_version",
                    serde_json::Value::Null,
                    &current.version,
                )],
            },
            now,
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}
