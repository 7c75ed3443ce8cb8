//! API tokens: created by a user (web or CLI), shown once, stored hashed, acting with that
//! user's role and board, revocable.

use schoolcert_domain::UserId;
use schoolcert_domain::access::Actor;
use schoolcert_domain::token::{SecretToken, hash_token};
use schoolcert_store::accounts::tokens::{self, ApiToken};
use schoolcert_store::accounts::users;
use schoolcert_store::audit::{self, By, Record};

use super::actor_of;
use crate::{App, AppError, AppResult, Msg};

/// Creates a token for the actor's own account; returns it once.
pub async fn create(app: &App, actor: &Actor, name: &str) -> AppResult<SecretToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            Msg::new(
                "Geef het token een naam van hoogstens 80 tekens.",
                "Give the token a name of at most 80 characters.",
            ),
        ));
    }
    let token = SecretToken::generate("sc_").map_err(|e| AppError::Internal(e.to_string()))?;
    let hint: String = token.expose().chars().take(7).collect();
    let now = app.now();
    let mut cx = app.db.write().await?;
    let id = tokens::insert(&mut cx, actor.user_id, name, &token.hash(), &hint, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: actor.board_id,
            object_type: "api_token",
            object_id: id,
            action: "create",
            changes: vec![schoolcert_domain::audit::change(
                "name",
                serde_json::Value::Null,
                name,
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(token)
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<ApiToken>> {
    let mut cx = app.db.read().await?;
    Ok(tokens::of_user(&mut cx, actor.user_id).await?)
}

/// Revokes one of the actor's own tokens.
pub async fn revoke(app: &App, actor: &Actor, id: i64) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    if !tokens::revoke(&mut cx, actor.user_id, id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: actor.board_id,
            object_type: "api_token",
            object_id: id,
            action: "revoke",
            changes: vec![],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// The actor behind a bearer token, if it is live and its user is enabled.
pub async fn resolve(app: &App, bearer: &str) -> AppResult<Option<Actor>> {
    let mut cx = app.db.read().await?;
    let Some((token_id, user_id)) = tokens::user_of(&mut cx, &hash_token(bearer)).await? else {
        return Ok(None);
    };
    let user = users::get(&mut cx, UserId(user_id)).await?;
    drop(cx);
    if user.disabled {
        return Ok(None);
    }
    let mut cx = app.db.write().await?;
    tokens::touch(&mut cx, token_id, app.now()).await?;
    cx.commit().await?;
    let mut actor = actor_of(&user);
    actor.label = format!("{} (API-token {token_id})", user.email);
    Ok(Some(actor))
}
