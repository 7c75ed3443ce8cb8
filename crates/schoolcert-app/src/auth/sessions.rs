//! Login, sessions and logout. The cookie holds a random session id; the database keeps its
//! hash. Logins are throttled per account and per client address in the database.

use chrono::Duration;
use schoolcert_domain::Timestamp;
use schoolcert_domain::access::Actor;
use schoolcert_domain::token::{SecretToken, hash_token};
use schoolcert_store::accounts::sessions::{self, Session};
use schoolcert_store::accounts::throttle;
use schoolcert_store::accounts::users::{self, User};
use schoolcert_store::audit::{self, By, Record};

use super::{actor_of, passwords};
use crate::{App, AppError, AppResult};

/// A logged-in request's view of its session.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub user: User,
    pub id_hash: String,
    pub csrf_token: String,
    /// The second factor was given (or is not needed).
    pub second_factor_done: bool,
}

impl SessionInfo {
    /// What the user must do before anything else: give the code, or set up a second factor.
    pub fn pending_step(&self) -> Option<PendingStep> {
        if self.user.totp_enabled && !self.second_factor_done {
            Some(PendingStep::Totp)
        } else if self.user.role.requires_totp() && !self.user.totp_enabled {
            Some(PendingStep::EnrollTotp)
        } else {
            None
        }
    }

    /// Fully logged in: no step pending.
    pub fn is_complete(&self) -> bool {
        self.pending_step().is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStep {
    Totp,
    EnrollTotp,
}

/// A new session: the cookie value and what comes next.
pub struct LoggedIn {
    pub token: SecretToken,
    pub info: SessionInfo,
}

fn account_key(email: &str) -> String {
    format!("acct:{}", email.trim().to_lowercase())
}

fn client_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Checks e-mail and password, throttled; opens a session. Every failure looks the same.
pub async fn login(app: &App, email: &str, password: &str, client_ip: &str) -> AppResult<LoggedIn> {
    let now = app.now();
    let mut cx = app.db.read().await?;
    for key in [account_key(email), client_key(client_ip)] {
        if let Some(until) = throttle::locked_until(&mut cx, &key, now).await? {
            return Err(AppError::RateLimited { until: Some(until) });
        }
    }
    let user = users::by_email(&mut cx, email).await?;
    drop(cx);
    let ok = passwords::verify(
        &app.config,
        password,
        user.as_ref().and_then(|u| u.password_hash.as_deref()),
    )
    .await?;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            let mut cx = app.db.write().await?;
            throttle::record_failure(&mut cx, &account_key(email), now).await?;
            throttle::record_failure(&mut cx, &client_key(client_ip), now).await?;
            cx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
    };
    let mut cx = app.db.write().await?;
    throttle::clear(&mut cx, &account_key(email)).await?;
    users::touch_login(&mut cx, user.id, now).await?;
    let logged_in = open_in(&mut cx, app, &user).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(&logged_in.info.actor),
            board_id: user.board_id,
            object_type: "user",
            object_id: user.id.0,
            action: "login",
            changes: vec![],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(logged_in)
}

/// Opens a session for a user who just proved their address (joining) or set a password.
pub async fn open_for(app: &App, user: &User) -> AppResult<LoggedIn> {
    let mut cx = app.db.write().await?;
    let logged_in = open_in(&mut cx, app, user).await?;
    cx.commit().await?;
    Ok(logged_in)
}

/// A new session for `user` inside the caller's transaction. The second factor counts as
/// given only for users without one.
async fn open_in(cx: &mut schoolcert_store::Cx, app: &App, user: &User) -> AppResult<LoggedIn> {
    let now = app.now();
    let token = SecretToken::generate("").map_err(|e| AppError::Internal(e.to_string()))?;
    let csrf = SecretToken::generate("").map_err(|e| AppError::Internal(e.to_string()))?;
    let session = Session {
        id_hash: token.hash(),
        user_id: user.id.0,
        csrf_token: csrf.expose().to_owned(),
        second_factor_done: !user.totp_enabled,
        created_at: now,
        last_seen_at: now,
        expires_at: now + Duration::minutes(app.config.session_idle_minutes),
    };
    sessions::insert(cx, &session).await?;
    let info = SessionInfo {
        actor: actor_of(user),
        id_hash: session.id_hash,
        csrf_token: session.csrf_token,
        second_factor_done: session.second_factor_done,
        user: user.clone(),
    };
    Ok(LoggedIn { token, info })
}

/// The live session behind a cookie value, sliding its idle expiry (never past the maximum).
pub async fn resolve(app: &App, cookie_value: &str) -> AppResult<Option<SessionInfo>> {
    let now = app.now();
    let id_hash = hash_token(cookie_value);
    let mut cx = app.db.read().await?;
    let Some(s) = sessions::get(&mut cx, &id_hash, now).await? else {
        return Ok(None);
    };
    let user = users::get(&mut cx, schoolcert_domain::UserId(s.user_id)).await?;
    drop(cx);
    if user.disabled {
        return Ok(None);
    }
    // Touch at most once a minute: a page with many requests should not write for each.
    if now - s.last_seen_at > Duration::minutes(1) {
        let max = s.created_at + Duration::hours(app.config.session_max_hours);
        let expires: Timestamp =
            (now + Duration::minutes(app.config.session_idle_minutes)).min(max);
        let mut cx = app.db.write().await?;
        sessions::touch(&mut cx, &id_hash, now, expires).await?;
        cx.commit().await?;
    }
    Ok(Some(SessionInfo {
        actor: actor_of(&user),
        id_hash,
        csrf_token: s.csrf_token,
        second_factor_done: s.second_factor_done,
        user,
    }))
}

pub async fn logout(app: &App, info: &SessionInfo) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    sessions::delete(&mut cx, &info.id_hash).await?;
    cx.commit().await?;
    Ok(())
}

/// Ends every other session of this user.
pub async fn logout_elsewhere(app: &App, info: &SessionInfo) -> AppResult<u64> {
    let mut cx = app.db.write().await?;
    let n = sessions::delete_for_user(&mut cx, info.user.id, Some(&info.id_hash)).await?;
    cx.commit().await?;
    Ok(n)
}
