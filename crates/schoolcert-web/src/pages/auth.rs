//! Logging in and out, the second factor (code and enrolment), the first administrator's setup
//! link and new-password links.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, SameSite};
use schoolcert_app::auth::sessions::{self, LoggedIn, PendingStep};
use schoolcert_app::auth::{totp, users};
use schoolcert_app::{App, AppError};
use serde::Deserialize;

use super::{FormErrors, see_other};
use crate::ctx::{Ctx, SESSION_COOKIE, safe_next, urlencode};
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/login/code", get(code_form).post(code))
        .route("/account/tweede-factor", get(enroll_form).post(enroll))
        .route("/logout", post(logout))
        .route("/setup/{token}", get(setup_form).post(setup))
        .route("/wachtwoord/{token}", get(password_form).post(password))
        .route("/wachtwoord-vergeten", get(forgot_form).post(forgot))
}

/// The session cookie: secure, http-only, same-site.
pub fn session_cookie(value: &str) -> HeaderValue {
    let c = Cookie::build((SESSION_COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static(""))
}

fn expired_session_cookie() -> HeaderValue {
    HeaderValue::from_static("sc_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
}

/// Redirects into the new session, after the second factor where one applies.
pub fn enter(l: &LoggedIn, next: &str) -> Response {
    let target = match l.info.pending_step() {
        Some(PendingStep::Totp) => format!("/login/code?next={}", urlencode(next)),
        Some(PendingStep::EnrollTotp) => "/account/tweede-factor".to_owned(),
        None => next.to_owned(),
    };
    let mut r = Redirect::to(&target).into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, session_cookie(l.token.expose()));
    r
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginInput {
    email: String,
    password: String,
    next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    p: Page,
    email: String,
    next: String,
    error: Option<String>,
}

async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    html(LoginPage {
        p: ctx.page("Inloggen", "Log in"),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

async fn login(ctx: Ctx, Form(f): Form<LoginInput>) -> WebResult {
    let next = safe_next(Some(&f.next));
    match sessions::login(&ctx.app, &f.email, &f.password, &ctx.client_ip).await {
        Ok(l) => Ok(enter(&l, &next)),
        Err(e @ (AppError::Unauthenticated | AppError::RateLimited { .. })) => {
            let error = match e {
                AppError::RateLimited { until: Some(t) } => ctx
                    .lang
                    .pick(
                        &format!(
                            "Te veel mislukte pogingen. Probeer het opnieuw na {}.",
                            schoolcert_domain::time::format_local(t, ctx.lang)
                        ),
                        &format!(
                            "Too many failed attempts. Try again after {}.",
                            schoolcert_domain::time::format_local(t, ctx.lang)
                        ),
                    )
                    .to_owned(),
                _ => ctx
                    .lang
                    .pick(
                        "E-mailadres of wachtwoord klopt niet.",
                        "E-mail address or password is wrong.",
                    )
                    .to_owned(),
            };
            let mut r = html(LoginPage {
                p: ctx.page("Inloggen", "Log in"),
                email: f.email,
                next,
                error: Some(error),
            });
            *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeInput {
    code: String,
    next: String,
}

#[derive(Template)]
#[template(path = "auth/code.html")]
struct CodePage {
    p: Page,
    next: String,
    errors: FormErrors,
    demo_code: Option<String>,
}

fn demo_code(ctx: &Ctx) -> Option<String> {
    let s = ctx.session.as_ref()?;
    if !ctx.app.config.demo {
        return None;
    }
    totp::current_code(&ctx.app, s.user.totp_secret.as_deref()?).ok()
}

async fn code_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.session.is_none() {
        return Redirect::to("/login").into_response();
    }
    let demo_code = demo_code(&ctx);
    html(CodePage {
        p: ctx.page("Inlogcode", "Login code"),
        next: safe_next(q.next.as_deref()),
        errors: FormErrors::none(ctx.lang),
        demo_code,
    })
}

async fn code(ctx: Ctx, Form(f): Form<CodeInput>) -> WebResult {
    let Some(info) = ctx.session.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    match totp::verify_login(&ctx.app, &info, &f.code).await {
        Ok(()) => Ok(Redirect::to(&safe_next(Some(&f.next))).into_response()),
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            let demo_code = demo_code(&ctx);
            Ok(html(CodePage {
                p: ctx.page("Inlogcode", "Login code"),
                next: safe_next(Some(&f.next)),
                errors,
                demo_code,
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "auth/enroll.html")]
struct EnrollPage {
    p: Page,
    secret: String,
    qr_svg: String,
    required: bool,
    errors: FormErrors,
}

fn qr(uri: &str) -> String {
    qrcode::QrCode::new(uri.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default()
}

async fn enroll_form(ctx: Ctx) -> WebResult {
    let Some(info) = ctx.session.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    if info.user.totp_enabled {
        return Ok(Redirect::to("/account").into_response());
    }
    let (uri, secret) = totp::begin_enrollment(&ctx.app, &info).await?;
    Ok(html(EnrollPage {
        p: ctx.page("Tweede factor instellen", "Set up a second factor"),
        qr_svg: qr(&uri),
        secret,
        required: info.user.role.requires_totp(),
        errors: FormErrors::none(ctx.lang),
    }))
}

async fn enroll(ctx: Ctx, Form(f): Form<CodeInput>) -> WebResult {
    let Some(info) = ctx.session.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    match totp::confirm_enrollment(&ctx.app, &info, &f.code).await {
        Ok(()) => Ok(see_other(
            if info.actor.is_cert() {
                "/cert"
            } else {
                "/account"
            },
            "totp",
        )),
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            // Show the same secret again; a new one would invalidate the app the user just set up.
            let mut cx = ctx.app.db.read().await.map_err(AppError::from)?;
            let user = schoolcert_store::accounts::users::get(&mut cx, info.user.id).await?;
            let secret = user.totp_secret.unwrap_or_default();
            let uri = format!(
                "otpauth://totp/{}:{}?secret={secret}&issuer={}",
                urlencode(&ctx.app.config.cert_name),
                urlencode(&user.email),
                urlencode(&ctx.app.config.cert_name)
            );
            Ok(html(EnrollPage {
                p: ctx.page("Tweede factor instellen", "Set up a second factor"),
                qr_svg: qr(&uri),
                secret,
                required: info.user.role.requires_totp(),
                errors,
            }))
        }
    }
}

async fn logout(ctx: Ctx) -> WebResult {
    if let Some(info) = &ctx.session {
        sessions::logout(&ctx.app, info).await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, expired_session_cookie());
    Ok(r)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupInput {
    email: String,
    name: String,
    password: String,
    password2: String,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    p: Page,
    token: String,
    form: SetupInput,
    errors: FormErrors,
    first_admin: bool,
}

async fn setup_form(ctx: Ctx, Path(token): Path<String>) -> WebResult {
    if !users::setup_link_valid(&ctx.app, &token, users::SETUP_FIRST_ADMIN).await? {
        return Err(AppError::conflict(
            "Deze link is verlopen of al gebruikt.",
            "This link has expired or was already used.",
        )
        .into());
    }
    Ok(html(SetupPage {
        p: ctx.page(
            "Eerste beheerder aanmaken",
            "Create the first administrator",
        ),
        token,
        form: SetupInput::default(),
        errors: FormErrors::none(ctx.lang),
        first_admin: true,
    }))
}

fn passwords_match(f: &SetupInput) -> Result<(), AppError> {
    if f.password != f.password2 {
        return Err(AppError::invalid(
            "password2",
            schoolcert_app::Msg::new(
                "De wachtwoorden zijn niet gelijk.",
                "The passwords do not match.",
            ),
        ));
    }
    Ok(())
}

async fn setup(ctx: Ctx, Path(token): Path<String>, Form(f): Form<SetupInput>) -> WebResult {
    let result = match passwords_match(&f) {
        Ok(()) => {
            users::complete_first_admin(&ctx.app, &token, &f.email, &f.name, &f.password).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            let l = sessions::open_for(&ctx.app, &user).await?;
            Ok(enter(&l, "/cert"))
        }
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            let form = SetupInput {
                password: String::new(),
                password2: String::new(),
                ..f
            };
            Ok(html(SetupPage {
                p: ctx.page(
                    "Eerste beheerder aanmaken",
                    "Create the first administrator",
                ),
                token,
                form,
                errors,
                first_admin: true,
            }))
        }
    }
}

async fn password_form(ctx: Ctx, Path(token): Path<String>) -> WebResult {
    if !users::setup_link_valid(&ctx.app, &token, users::SETUP_PASSWORD).await? {
        return Err(AppError::conflict(
            "Deze link is verlopen of al gebruikt.",
            "This link has expired or was already used.",
        )
        .into());
    }
    Ok(html(SetupPage {
        p: ctx.page("Wachtwoord instellen", "Set your password"),
        token,
        form: SetupInput::default(),
        errors: FormErrors::none(ctx.lang),
        first_admin: false,
    }))
}

async fn password(ctx: Ctx, Path(token): Path<String>, Form(f): Form<SetupInput>) -> WebResult {
    let result = match passwords_match(&f) {
        Ok(()) => users::complete_password_link(&ctx.app, &token, &f.password).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            let l = sessions::open_for(&ctx.app, &user).await?;
            Ok(enter(&l, "/"))
        }
        Err(e) => {
            let errors = FormErrors::catch(e, ctx.lang)?;
            Ok(html(SetupPage {
                p: ctx.page("Wachtwoord instellen", "Set your password"),
                token,
                form: SetupInput::default(),
                errors,
                first_admin: false,
            }))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotInput {
    email: String,
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    p: Page,
}

async fn forgot_form(ctx: Ctx) -> Response {
    html(ForgotPage {
        p: ctx.page("Wachtwoord vergeten", "Forgot password"),
    })
}

async fn forgot(ctx: Ctx, Form(f): Form<ForgotInput>) -> WebResult {
    let mut cx = ctx.app.db.write().await.map_err(AppError::from)?;
    let allowed = schoolcert_store::ratelimit::hit(
        &mut cx,
        &format!("forgot:{}", ctx.client_ip),
        5,
        chrono::Duration::hours(1),
        ctx.app.now(),
    )
    .await?;
    cx.commit().await.map_err(AppError::from)?;
    if allowed {
        users::request_password_link(&ctx.app, &f.email).await?;
    }
    Ok(see_other("/login", "link_sent"))
}
