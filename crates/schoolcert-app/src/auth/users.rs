//! Accounts: creating users (administrators, the command line, the joining flow), disabling
//! them, the first-administrator link and new-password links.

use chrono::Duration;
use schoolcert_domain::access::{Actor, Role};
use schoolcert_domain::audit::change;
use schoolcert_domain::registry::Email;
use schoolcert_domain::token::SecretToken;
use schoolcert_domain::{BoardId, Lang, UserId};
use schoolcert_store::accounts::users::{self, NewUser, User};
use schoolcert_store::accounts::{sessions, tokens};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::{Cx, Page, PageRequest, StoreError};
use serde_json::json;

use super::passwords;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg, require_admin};

pub const SETUP_FIRST_ADMIN: &str = "first_admin";
pub const SETUP_PASSWORD: &str = "password";

fn email_error(e: String) -> Msg {
    Msg::new(
        format!("Ongeldig e-mailadres: {e}"),
        format!("Invalid e-mail address: {e}"),
    )
}

/// An account to create.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    /// Set exactly for board contacts.
    pub board: Option<BoardId>,
    /// Without one, the user gets a link to choose a password.
    pub password: Option<&'a str>,
    pub lang: Lang,
}

/// Validates and inserts a user inside a transaction.
pub async fn insert(
    cx: &mut Cx,
    app: &App,
    by: By<'_>,
    account: NewAccount<'_>,
) -> AppResult<User> {
    let NewAccount {
        email,
        name,
        role,
        board,
        password,
        lang,
    } = account;
    let email: Email = email
        .parse()
        .map_err(|e| AppError::invalid("email", email_error(e)))?;
    if (role == Role::BoardContact) != board.is_some() {
        return Err(AppError::invalid(
            "board",
            Msg::new(
                "Een contactpersoon hoort bij precies één bestuur; CERT-medewerkers bij geen.",
                "A board contact belongs to exactly one board; CERT staff to none.",
            ),
        ));
    }
    let hash = match password {
        Some(p) => {
            passwords::check_policy(p, email.as_str())?;
            Some(passwords::hash(&app.config, p).await?)
        }
        None => None,
    };
    let now = app.now();
    let id = users::insert(
        cx,
        &NewUser {
            email: email.as_str(),
            name: name.trim(),
            role,
            board_id: board,
            password_hash: hash.as_deref(),
            lang,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::invalid(
            "email",
            Msg::new(
                "Er bestaat al een account met dit e-mailadres.",
                "An account with this e-mail address already exists.",
            ),
        ),
        other => other.into(),
    })?;
    audit::record(
        cx,
        Record {
            by,
            board_id: board,
            object_type: "user",
            object_id: id.0,
            action: "create",
            changes: vec![
                change("email", serde_json::Value::Null, email.as_str()),
                change("role", serde_json::Value::Null, role.code()),
            ],
        },
        now,
    )
    .await?;
    Ok(users::get(cx, id).await?)
}

/// An administrator (or the CLI) creates an account. Without a password, the new user gets a
/// link by e-mail to choose one.
pub async fn create(app: &App, by: By<'_>, account: NewAccount<'_>) -> AppResult<User> {
    if let By::Actor(a) = &by {
        require_admin(a)?;
    }
    let board = account.board;
    let mut cx = app.db.write().await?;
    let user = insert(&mut cx, app, by, account).await?;
    if account.password.is_none() {
        let link = setup_link(app, &mut cx, SETUP_PASSWORD, Some(user.id), 72).await?;
        mail::queue(
            app,
            &mut cx,
            Outgoing {
                kind: "account_created",
                board_id: board,
                to: vec![user.email.clone()],
                template: "account_created",
                lang: user.lang,
                context: json!({ "email": user.email, "link": link, "hours": 72 }),
                attachments: vec![],
            },
        )
        .await?;
    }
    cx.commit().await?;
    Ok(user)
}

pub async fn list(
    app: &App,
    actor: &Actor,
    board: Option<BoardId>,
    page: PageRequest,
) -> AppResult<Page<User>> {
    require_admin(actor).or_else(|_| {
        if actor.is_cert() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    })?;
    let mut cx = app.db.read().await?;
    Ok(users::list(&mut cx, actor.scope(), board, page).await?)
}

/// Disables or re-enables an account; disabling ends its sessions and revokes its tokens.
pub async fn set_disabled(app: &App, actor: &Actor, id: UserId, disabled: bool) -> AppResult<()> {
    require_admin(actor)?;
    if actor.user_id == id && disabled {
        return Err(AppError::conflict(
            "U kunt uw eigen account niet uitschakelen.",
            "You cannot disable your own account.",
        ));
    }
    let now = app.now();
    let mut cx = app.db.write().await?;
    let user = users::get(&mut cx, id).await?;
    users::set_disabled(&mut cx, id, disabled, now).await?;
    if disabled {
        sessions::delete_for_user(&mut cx, id, None).await?;
        tokens::revoke_all(&mut cx, id, now).await?;
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: user.board_id,
            object_type: "user",
            object_id: id.0,
            action: if disabled { "disable" } else { "enable" },
            changes: vec![change("disabled", user.disabled, disabled)],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// Creates a one-time link of `purpose`, valid `hours`; returns its full URL.
pub async fn setup_link(
    app: &App,
    cx: &mut Cx,
    purpose: &str,
    user: Option<UserId>,
    hours: i64,
) -> AppResult<String> {
    let token = SecretToken::generate("").map_err(|e| AppError::Internal(e.to_string()))?;
    let now = app.now();
    tokens::insert_setup(
        cx,
        &token.hash(),
        purpose,
        user,
        now,
        now + Duration::hours(hours),
    )
    .await?;
    let path = if purpose == SETUP_FIRST_ADMIN {
        "/setup/"
    } else {
        "/wachtwoord/"
    };
    Ok(app.config.link(&format!("{path}{}", token.expose())))
}

/// On an empty database: a link to create the first administrator (printed by `serve`).
pub async fn first_admin_link(app: &App) -> AppResult<Option<String>> {
    let mut cx = app.db.write().await?;
    if users::count(&mut cx).await? > 0 {
        return Ok(None);
    }
    let link = setup_link(app, &mut cx, SETUP_FIRST_ADMIN, None, 24).await?;
    cx.commit().await?;
    Ok(Some(link))
}

pub async fn setup_link_valid(app: &App, token: &str, purpose: &str) -> AppResult<bool> {
    let mut cx = app.db.read().await?;
    Ok(tokens::setup_valid(
        &mut cx,
        &schoolcert_domain::token::hash_token(token),
        purpose,
        app.now(),
    )
    .await?)
}

fn link_expired() -> AppError {
    AppError::conflict(
        "Deze link is verlopen of al gebruikt.",
        "This link has expired or was already used.",
    )
}

/// Uses the first-administrator link: creates the administrator with a password.
pub async fn complete_first_admin(
    app: &App,
    token: &str,
    email: &str,
    name: &str,
    password: &str,
) -> AppResult<User> {
    let mut cx = app.db.write().await?;
    if users::count_admins(&mut cx).await? > 0 {
        return Err(link_expired());
    }
    if tokens::use_setup(
        &mut cx,
        &schoolcert_domain::token::hash_token(token),
        SETUP_FIRST_ADMIN,
        app.now(),
    )
    .await?
    .is_none()
    {
        return Err(link_expired());
    }
    let user = insert(
        &mut cx,
        app,
        By::System("eerste beheerder"),
        NewAccount {
            email,
            name,
            role: Role::CertAdmin,
            board: None,
            password: Some(password),
            lang: Lang::Nl,
        },
    )
    .await?;
    cx.commit().await?;
    Ok(user)
}

/// Uses a new-password link.
pub async fn complete_password_link(app: &App, token: &str, password: &str) -> AppResult<User> {
    let mut cx = app.db.write().await?;
    let Some(Some(user_id)) = tokens::use_setup(
        &mut cx,
        &schoolcert_domain::token::hash_token(token),
        SETUP_PASSWORD,
        app.now(),
    )
    .await?
    else {
        return Err(link_expired());
    };
    let user = users::get(&mut cx, UserId(user_id)).await?;
    passwords::check_policy(password, &user.email)?;
    let hash = passwords::hash(&app.config, password).await?;
    let now = app.now();
    users::set_password(&mut cx, user.id, &hash, now).await?;
    sessions::delete_for_user(&mut cx, user.id, None).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::System("wachtwoordlink"),
            board_id: user.board_id,
            object_type: "user",
            object_id: user.id.0,
            action: "password_set",
            changes: vec![],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(users::get(&mut app.db.read().await?, user.id).await?)
}

/// Sends a new-password link when the address has an account; says nothing either way.
pub async fn request_password_link(app: &App, email: &str) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    if let Some(user) = users::by_email(&mut cx, email)
        .await?
        .filter(|u| !u.disabled)
    {
        let link = setup_link(app, &mut cx, SETUP_PASSWORD, Some(user.id), 2).await?;
        mail::queue(
            app,
            &mut cx,
            Outgoing {
                kind: "password_reset",
                board_id: user.board_id,
                to: vec![user.email.clone()],
                template: "password_reset",
                lang: user.lang,
                context: json!({ "email": user.email, "link": link, "hours": 2 }),
                attachments: vec![],
            },
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}

/// Changes one's own password (knowing the current one); other sessions end.
pub async fn change_password(
    app: &App,
    info: &super::sessions::SessionInfo,
    current: &str,
    new: &str,
) -> AppResult<()> {
    if !passwords::verify(&app.config, current, info.user.password_hash.as_deref()).await? {
        return Err(AppError::invalid(
            "current",
            Msg::new(
                "Het huidige wachtwoord klopt niet.",
                "The current password is wrong.",
            ),
        ));
    }
    passwords::check_policy(new, &info.user.email)?;
    let hash = passwords::hash(&app.config, new).await?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    users::set_password(&mut cx, info.user.id, &hash, now).await?;
    sessions::delete_for_user(&mut cx, info.user.id, Some(&info.id_hash)).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(&info.actor),
            board_id: info.user.board_id,
            object_type: "user",
            object_id: info.user.id.0,
            action: "password_changed",
            changes: vec![],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

pub async fn set_lang(app: &App, user: UserId, lang: Lang) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    users::set_lang(&mut cx, user, lang).await?;
    cx.commit().await?;
    Ok(())
}
