//! Joining (aanmelden), as the CERT describes it: find the board in DUO's registry, confirm
//! one's e-mail address, accept the terms on behalf of the board, enter contacts and network
//! assets, submit; a CERT analyst activates the board or returns the application with a reason.
//! The applicant gets e-mail at each step.

use chrono::Duration;
use schoolcert_domain::access::{Actor, Role, Scope};
use schoolcert_domain::audit::change;
use schoolcert_domain::registry::application::ApplicationState;
use schoolcert_domain::registry::{BoardStatus, Email};
use schoolcert_domain::token::{SecretToken, hash_token};
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::accounts::users::{self, User};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::applications::{self, Application, NewApplication};
use schoolcert_store::registry::assets as asset_store;
use schoolcert_store::registry::boards::{self, PublicBoard};
use schoolcert_store::{Cx, Page, PageRequest, changes, ratelimit};
use serde_json::json;

use super::boards::overview_in;
use crate::auth::users as user_cases;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg, require_cert};

/// Searches DUO's registry by name, number, city or school name.
pub async fn search(app: &App, q: &str) -> AppResult<Vec<PublicBoard>> {
    let q = q.trim();
    if q.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let mut cx = app.db.read().await?;
    Ok(boards::search_public(&mut cx, q, 25).await?)
}

pub async fn public_board(
    app: &App,
    id: BoardId,
) -> AppResult<schoolcert_store::registry::boards::Board> {
    let mut cx = app.db.read().await?;
    Ok(boards::get(&mut cx, Scope::All, id).await?)
}

/// Step 1: someone starts an application for a board with their name and e-mail address; a
/// confirmation link goes to that address. Rate-limited per client and per board.
pub async fn start(
    app: &App,
    board_id: BoardId,
    name: &str,
    email: &str,
    client_ip: &str,
) -> AppResult<()> {
    let name = name.trim();
    let mut check = crate::error::Check::new();
    check.required("name", name, "Uw naam", "Your name");
    let email = check.take("email", email.parse::<Email>(), |_| {
        Msg::new(
            "Vul een geldig e-mailadres in.",
            "Enter a valid e-mail address.",
        )
    });
    check.finish()?;
    let Some(email) = email else {
        return Err(AppError::Internal("validated email missing".into()));
    };
    let now = app.now();
    let mut cx = app.db.write().await?;
    for (key, limit, window) in [
        (format!("join:ip:{client_ip}"), 10, Duration::hours(1)),
        (format!("join:board:{board_id}"), 5, Duration::days(1)),
    ] {
        if !ratelimit::hit(&mut cx, &key, limit, window, now).await? {
            cx.commit().await?;
            return Err(AppError::RateLimited { until: None });
        }
    }
    let board = boards::get(&mut cx, Scope::All, board_id).await?;
    match board.status {
        BoardStatus::Registered | BoardStatus::Left => {}
        BoardStatus::Active | BoardStatus::Suspended => {
            return Err(AppError::conflict(
                "Dit bestuur is al aangesloten. Vraag een van de contactpersonen van uw bestuur om u toe te voegen, of neem contact op met het CERT.",
                "This board has already joined. Ask one of your board's contacts to add you, or contact the CERT.",
            ));
        }
        BoardStatus::Applying => {
            return Err(AppError::conflict(
                "Voor dit bestuur loopt al een aanmelding. Neem contact op met uw collega of met het CERT.",
                "An application for this board is already in progress. Contact your colleague or the CERT.",
            ));
        }
    }
    if users::by_email(&mut cx, email.as_str()).await?.is_some() {
        return Err(AppError::invalid(
            "email",
            Msg::new(
                "Er bestaat al een account met dit e-mailadres; log in.",
                "An account with this e-mail address already exists; please log in.",
            ),
        ));
    }
    let token = SecretToken::generate("").map_err(|e| AppError::Internal(e.to_string()))?;
    let hours = app.config.application_link_hours;
    applications::insert(
        &mut cx,
        &NewApplication {
            board_id,
            applicant_name: name,
            applicant_email: email.as_str(),
            confirm_token_hash: &token.hash(),
            confirm_expires_at: now + Duration::hours(hours),
        },
        now,
    )
    .await?;
    mail::queue(app, &mut cx, Outgoing {
        kind: "join_confirm", board_id: Some(board_id), to: vec![email.as_str().to_owned()], template: "join_confirm", lang: Lang::Nl,
        context: json!({ "applicant_name": name, "board_name": board.name, "duo_number": board.duo_number, "link": app.config.link(&format!("/aanmelden/bevestig/{}", token.expose())), "hours": hours }),
        attachments: vec![],
    }).await?;
    cx.commit().await?;
    Ok(())
}

fn link_invalid() -> AppError {
    AppError::conflict(
        "Deze bevestigingslink is verlopen of al gebruikt. Begin de aanmelding opnieuw.",
        "This confirmation link has expired or was already used. Please start the application again.",
    )
}

/// The application a confirmation link belongs to, while the link is valid.
pub async fn by_link(app: &App, token: &str) -> AppResult<Application> {
    let mut cx = app.db.read().await?;
    let a = applications::by_confirm_token(&mut cx, &hash_token(token))
        .await?
        .ok_or_else(link_invalid)?;
    if a.state != ApplicationState::Unconfirmed
        || a.confirm_expires_at.is_none_or(|t| t < app.now())
    {
        return Err(link_invalid());
    }
    Ok(a)
}

/// Step 2: the applicant confirms the address by choosing a password; they get an account
/// bound to the board and the board becomes "applying".
pub async fn confirm(app: &App, token: &str, password: &str, lang: Lang) -> AppResult<User> {
    let a = by_link(app, token).await?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let board = boards::get(&mut cx, Scope::All, a.board_id).await?;
    if !board.status.can_become(BoardStatus::Applying)
        || applications::open_of_board(&mut cx, a.board_id)
            .await?
            .is_some()
    {
        return Err(AppError::conflict(
            "Voor dit bestuur loopt inmiddels al een aanmelding.",
            "An application for this board is already in progress.",
        ));
    }
    let by = By::System("aanmelding");
    let account = user_cases::NewAccount {
        email: &a.applicant_email,
        name: &a.applicant_name,
        role: Role::BoardContact,
        board: Some(a.board_id),
        password: Some(password),
        lang,
    };
    let user = user_cases::insert(&mut cx, app, by.clone(), account).await?;
    applications::set_state(&mut cx, a.id, ApplicationState::Draft, None, None, now).await?;
    applications::set_user(&mut cx, a.id, user.id).await?;
    boards::set_status(&mut cx, a.board_id, BoardStatus::Applying, None, now).await?;
    audit::record(
        &mut cx,
        Record {
            by,
            board_id: Some(a.board_id),
            object_type: "board",
            object_id: a.board_id.0,
            action: "application_started",
            changes: vec![change("status", board.status.code(), "applying")],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(user)
}

/// The applicant's own application, for the portal.
pub async fn mine(app: &App, actor: &Actor) -> AppResult<Option<Application>> {
    let Some(board) = actor.board_id else {
        return Ok(None);
    };
    let mut cx = app.db.read().await?;
    Ok(applications::latest_of_board(&mut cx, actor.scope(), board).await?)
}

/// Step 4: submit for review; needs two contacts, the terms accepted and at least one asset.
pub async fn submit(app: &App, actor: &Actor) -> AppResult<()> {
    let Some(board) = actor.board_id else {
        return Err(AppError::Forbidden);
    };
    let now = app.now();
    let mut cx = app.db.write().await?;
    let a = applications::open_of_board(&mut cx, board)
        .await?
        .ok_or(AppError::NotFound)?;
    if !a.state.can_become(ApplicationState::Submitted) {
        return Err(AppError::conflict(
            "Deze aanmelding is al ingediend.",
            "This application has already been submitted.",
        ));
    }
    let ov = overview_in(&mut cx, app, actor, board).await?;
    if !ov.blockers.is_empty() {
        return Err(AppError::Invalid(
            ov.blockers
                .into_iter()
                .map(|m| crate::FieldError::new("application", m))
                .collect(),
        ));
    }
    applications::set_state(&mut cx, a.id, ApplicationState::Submitted, None, None, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "application",
            object_id: a.id,
            action: "submit",
            changes: vec![change("state", a.state.code(), "submitted")],
        },
        now,
    )
    .await?;
    let ctx = json!({ "applicant_name": a.applicant_name, "board_name": a.board_name, "duo_number": a.duo_number });
    mail::queue(
        app,
        &mut cx,
        Outgoing {
            kind: "join_submitted",
            board_id: Some(board),
            to: vec![a.applicant_email.clone()],
            template: "join_submitted",
            lang: Lang::Nl,
            context: with_link(&ctx, app.config.link("/portaal")),
            attachments: vec![],
        },
    )
    .await?;
    let staff = cert_staff_addresses(&mut cx).await?;
    if !staff.is_empty() {
        mail::queue(
            app,
            &mut cx,
            Outgoing {
                kind: "join_submitted_cert",
                board_id: Some(board),
                to: staff,
                template: "join_submitted_cert",
                lang: Lang::Nl,
                context: with_link(
                    &ctx,
                    app.config.link(&format!("/cert/aanmeldingen/{}", a.id)),
                ),
                attachments: vec![],
            },
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}

fn with_link(ctx: &serde_json::Value, link: String) -> serde_json::Value {
    let mut c = ctx.clone();
    if let Some(o) = c.as_object_mut() {
        o.insert("link".into(), link.into());
    }
    c
}

async fn cert_staff_addresses(cx: &mut Cx) -> AppResult<Vec<String>> {
    let staff = users::list(
        cx,
        Scope::All,
        None,
        PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE)),
    )
    .await?;
    Ok(staff
        .items
        .into_iter()
        .filter(|u| u.role.is_cert() && !u.disabled)
        .map(|u| u.email)
        .collect())
}

pub async fn list(
    app: &App,
    actor: &Actor,
    state: Option<ApplicationState>,
    page: PageRequest,
) -> AppResult<Page<Application>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(applications::list(&mut cx, state, page).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> AppResult<Application> {
    let mut cx = app.db.read().await?;
    Ok(applications::get(&mut cx, actor.scope(), id).await?)
}

/// The CERT activates the board. With `approve_assets`, the claims still pending are approved
/// in the same step (the analyst reviewed them with the application).
pub async fn approve(app: &App, actor: &Actor, id: i64, approve_assets: bool) -> AppResult<()> {
    require_cert(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let a = applications::get(&mut cx, Scope::All, id).await?;
    if !a.state.can_become(ApplicationState::Approved) {
        return Err(AppError::conflict(
            "Alleen een ingediende aanmelding kan worden goedgekeurd.",
            "Only a submitted application can be approved.",
        ));
    }
    let ov = overview_in(&mut cx, app, actor, a.board_id).await?;
    if !ov.blockers.is_empty() {
        let join = |l: Lang| {
            ov.blockers
                .iter()
                .map(|m| m.get(l).to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        return Err(AppError::Conflict(Msg::new(join(Lang::Nl), join(Lang::En))));
    }
    applications::set_state(
        &mut cx,
        id,
        ApplicationState::Approved,
        Some(actor.user_id),
        None,
        now,
    )
    .await?;
    boards::set_status(&mut cx, a.board_id, BoardStatus::Active, None, now).await?;
    if approve_assets {
        for asset in ov
            .assets
            .iter()
            .filter(|x| x.status == schoolcert_domain::asset::AssetStatus::Pending)
        {
            asset_store::set_status(
                &mut cx,
                asset.id,
                schoolcert_domain::asset::AssetStatus::Approved,
                Some(actor.user_id),
                Some("goedgekeurd bij de aanmelding"),
                None,
                now,
            )
            .await?;
            audit::record(
                &mut cx,
                Record {
                    by: By::Actor(actor),
                    board_id: Some(a.board_id),
                    object_type: "asset",
                    object_id: asset.id.0,
                    action: "approve",
                    changes: vec![change("status", "pending", "approved")],
                },
                now,
            )
            .await?;
        }
    }
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(a.board_id),
            object_type: "application",
            object_id: id,
            action: "approve",
            changes: vec![change("state", a.state.code(), "approved")],
        },
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(a.board_id),
            object_type: "board",
            object_id: a.board_id.0,
            action: "status",
            changes: vec![change("status", ov.board.status.code(), "active")],
        },
        now,
    )
    .await?;
    mail::queue(app, &mut cx, Outgoing {
        kind: "join_approved", board_id: Some(a.board_id), to: vec![a.applicant_email.clone()], template: "join_approved", lang: Lang::Nl,
        context: json!({ "applicant_name": a.applicant_name, "board_name": a.board_name, "link": app.config.link("/portaal") }), attachments: vec![],
    }).await?;
    cx.commit().await?;
    Ok(())
}

/// The CERT sends the application back with a reason the applicant sees.
pub async fn return_to_applicant(app: &App, actor: &Actor, id: i64, reason: &str) -> AppResult<()> {
    require_cert(actor)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            Msg::new(
                "Schrijf wat er ontbreekt; de aanvrager krijgt dit te zien.",
                "Write what is missing; the applicant will see it.",
            ),
        ));
    }
    let now = app.now();
    let mut cx = app.db.write().await?;
    let a = applications::get(&mut cx, Scope::All, id).await?;
    if !a.state.can_become(ApplicationState::Returned) {
        return Err(AppError::conflict(
            "Alleen een ingediende aanmelding kan worden teruggestuurd.",
            "Only a submitted application can be returned.",
        ));
    }
    applications::set_state(
        &mut cx,
        id,
        ApplicationState::Returned,
        Some(actor.user_id),
        Some(reason),
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(a.board_id),
            object_type: "application",
            object_id: id,
            action: "return",
            changes: vec![
                change("state", a.state.code(), "returned"),
                change("return_reason", serde_json::Value::Null, reason),
            ],
        },
        now,
    )
    .await?;
    mail::queue(app, &mut cx, Outgoing {
        kind: "join_returned", board_id: Some(a.board_id), to: vec![a.applicant_email.clone()], template: "join_returned", lang: Lang::Nl,
        context: json!({ "applicant_name": a.applicant_name, "board_name": a.board_name, "reason": reason, "link": app.config.link("/portaal") }), attachments: vec![],
    }).await?;
    cx.commit().await?;
    Ok(())
}

/// Unconfirmed applications whose link expired are withdrawn (a background job).
pub async fn expire_links(app: &App) -> AppResult<u64> {
    let mut cx = app.db.write().await?;
    let n = applications::expire_unconfirmed(&mut cx, app.now()).await?;
    cx.commit().await?;
    Ok(n)
}
