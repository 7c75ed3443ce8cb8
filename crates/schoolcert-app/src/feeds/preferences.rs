//! A board's notice preferences: how often, per class of problem. The pure rule refuses
//! "never" for infected and vulnerable systems; a board without stored choices gets the
//! default (daily for everything).

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Actor;
use schoolcert_domain::audit::change;
use schoolcert_feeds::digest::Preferences;
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::feeds::preferences;

use crate::{App, AppError, AppResult, Msg};

/// The stored preferences, or the default.
pub async fn load(cx: &mut Cx, board: BoardId) -> AppResult<Preferences> {
    Ok(preferences::get(cx, board)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn get(app: &App, actor: &Actor, board: BoardId) -> AppResult<Preferences> {
    crate::registry::in_scope(actor, board)?;
    let mut cx = app.db.read().await?;
    load(&mut cx, board).await
}

/// Stores new choices after the rules allow them.
pub async fn set(app: &App, actor: &Actor, board: BoardId, prefs: &Preferences) -> AppResult<()> {
    crate::registry::in_scope(actor, board)?;
    if let Err(e) = prefs.check() {
        let field = match &e {
            schoolcert_feeds::digest::PreferenceError::NeverNotAllowed { class }
            | schoolcert_feeds::digest::PreferenceError::UnknownClass { class } => {
                if prefs.per_type.contains_key(class) {
                    format!("type_{class}")
                } else {
                    "default".to_owned()
                }
            }
        };
        return Err(AppError::invalid(&field, Msg::of(&e)));
    }
    let now = app.now();
    let json = serde_json::to_string(prefs).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut cx = app.db.write().await?;
    let before = load(&mut cx, board).await?;
    preferences::set(&mut cx, board, &json, Some(actor.user_id), now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "feed_preferences",
            object_id: board.0,
            action: "update",
            changes: vec![change("preferences", &before, prefs)],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}
