//! The second factor: time-based one-time codes (RFC 6238). CERT roles must use it. Each code
//! is accepted once (the last used time step is stored).

use schoolcert_domain::token::random_bytes;
use schoolcert_store::accounts::users::User;
use schoolcert_store::accounts::{sessions, users};
use schoolcert_store::audit::{self, By, Record};
use totp_rs::{Builder, Secret, Totp};

use super::sessions::SessionInfo;
use crate::{App, AppError, AppResult, Msg};

fn totp_for(app: &App, secret_b32: &str, account: &str) -> AppResult<Totp> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| AppError::Internal(format!("stored TOTP secret: {e}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(app.config.cert_name.as_str()))
        .build()
        .map_err(|e| AppError::Internal(format!("TOTP: {e}")))
}

fn now_secs(app: &App) -> u64 {
    u64::try_from(app.now().timestamp()).unwrap_or(0)
}

fn bad_code() -> AppError {
    AppError::invalid(
        "code",
        Msg::new(
            "Deze code klopt niet of is al gebruikt.",
            "This code is wrong or was already used.",
        ),
    )
}

/// Starts enrolment: stores a new, not yet enabled secret and returns the otpauth URI and the
/// base32 secret for manual entry.
pub async fn begin_enrollment(app: &App, info: &SessionInfo) -> AppResult<(String, String)> {
    let secret = Secret::from(
        random_bytes::<20>()
            .map_err(|e| AppError::Internal(e.to_string()))?
            .to_vec(),
    );
    let b32 = secret.to_base32();
    let totp = totp_for(app, &b32, &info.user.email)?;
    let url = totp
        .to_url()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut cx = app.db.write().await?;
    users::set_totp(&mut cx, info.user.id, Some(&b32), false, app.now()).await?;
    cx.commit().await?;
    Ok((url, b32))
}

/// Checks a code against a user's secret, once per time step.
async fn check(app: &App, user: &User, code: &str) -> AppResult<()> {
    let Some(secret) = user.totp_secret.as_deref() else {
        return Err(bad_code());
    };
    let totp = totp_for(app, secret, &user.email)?;
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    let Some(step) = totp.check(&code, now_secs(app)) else {
        return Err(bad_code());
    };
    let mut cx = app.db.write().await?;
    let fresh =
        users::use_totp_step(&mut cx, user.id, i64::try_from(step).unwrap_or(i64::MAX)).await?;
    cx.commit().await?;
    if fresh { Ok(()) } else { Err(bad_code()) }
}

/// Finishes enrolment with a first code; the session counts as having given the factor.
pub async fn confirm_enrollment(app: &App, info: &SessionInfo, code: &str) -> AppResult<()> {
    let mut cx = app.db.read().await?;
    let user = users::get(&mut cx, info.user.id).await?;
    drop(cx);
    if user.totp_enabled {
        return Err(AppError::conflict(
            "De tweede factor is al ingesteld.",
            "The second factor is already set up.",
        ));
    }
    check(app, &user, code).await?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    users::set_totp(&mut cx, user.id, user.totp_secret.as_deref(), true, now).await?;
    sessions::mark_second_factor(&mut cx, &info.id_hash).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(&info.actor),
            board_id: user.board_id,
            object_type: "user",
            object_id: user.id.0,
            action: "totp_enabled",
            changes: vec![],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// The second step of a login.
pub async fn verify_login(app: &App, info: &SessionInfo, code: &str) -> AppResult<()> {
    check(app, &info.user, code).await?;
    let mut cx = app.db.write().await?;
    sessions::mark_second_factor(&mut cx, &info.id_hash).await?;
    cx.commit().await?;
    Ok(())
}

/// The code valid now, for demo mode's hint and for tests.
pub fn current_code(app: &App, secret_b32: &str) -> AppResult<String> {
    let totp = totp_for(app, secret_b32, "demo")?;
    Ok(totp.generate(now_secs(app)).to_string())
}
