//! CVD: the public intake (rate limit per address, proof of work, honeypot, size limits), the
//! acknowledgement with the secret status link, matching the target to a board through the
//! registry's lookup index, the reporter's status page and messages, the CERT's state changes
//! with the 60-day disclosure deadline, the board's view without the reporter's identity and its
//! confirmation of the fix, and the public thanks page.

use std::net::IpAddr;

use chrono::Duration;
use schoolcert_cases::attachments::Upload;
use schoolcert_cases::cvd::{
    self, CreditCandidate, CvdCase, CvdState, ReporterCvdView, ThanksEntry, match_targets,
};
use schoolcert_cases::intake::{
    CvdIntakeForm, IntakeLimits, IntakeOutcome, pow, ratelimit::client_key, validate,
};
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::Sharing;
use schoolcert_cases::{CaseId, CaseKind};
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::token::{hash_token, random_bytes};
use schoolcert_domain::{BoardId, Lang, Tlp};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::cases::items::{self, MessageRow, NewMessage};
use schoolcert_store::cases::records as cases;
use schoolcert_store::cases::reports::{self, NewReport};
use schoolcert_store::cases::settings;
use schoolcert_store::ratelimit;
use schoolcert_store::registry::boards;
use serde::Serialize;

use super::{Loaded, cert_only, cvd_of, label, load, load_row, timeline, who, write_cvd};
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg};

/// Reports per address per hour on the public form.
pub const REPORTS_PER_HOUR: i64 = 5;
/// How long a proof-of-work challenge stays valid.
pub const CHALLENGE_SECONDS: i64 = 2 * 60 * 60;

async fn pow_secret(app: &App) -> AppResult<Vec<u8>> {
    let fresh = hex::encode(random_bytes::<32>().map_err(|e| AppError::Internal(e.to_string()))?);
    let mut cx = app.db.write().await?;
    let s = cases::secret(&mut cx, "cvd_pow", &fresh).await?;
    cx.commit().await?;
    Ok(s.into_bytes())
}

/// A fresh proof-of-work challenge for the form (the page's script solves it).
pub async fn challenge(app: &App) -> AppResult<pow::Challenge> {
    let secret = pow_secret(app).await?;
    pow::issue_random(&secret, app.now(), app.config.cvd_pow_difficulty)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// One file sent with the form.
pub struct IntakeFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The public form as submitted.
#[derive(Default)]
pub struct IntakeInput {
    pub what: String,
    pub location: String,
    pub reproduce: String,
    pub impact: String,
    pub reporter_name: String,
    pub contact_email: String,
    pub credit_consent: bool,
    pub share_identity_with_board: bool,
    pub honeypot: String,
    pub pow_challenge: String,
    pub pow_counter: String,
    pub lang: Lang,
    pub files: Vec<IntakeFile>,
}

/// What the reporter is told after submitting.
#[derive(Debug, Clone, Serialize)]
pub struct Submitted {
    pub reference: String,
    /// The secret status link; shown once and mailed when an address was given.
    pub status_url: String,
}

/// Takes in a public CVD report.
pub async fn submit(app: &App, ip: IpAddr, input: &IntakeInput) -> AppResult<Submitted> {
    let now = app.now();
    {
        let mut cx = app.db.write().await?;
        let ok = ratelimit::hit(
            &mut cx,
            &format!("cvd:{}", client_key(ip)),
            REPORTS_PER_HOUR,
            Duration::hours(1),
            now,
        )
        .await?;
        cx.commit().await?;
        if !ok {
            return Err(AppError::RateLimited { until: None });
        }
    }
    let secret = pow_secret(app).await?;
    let counter: u64 = input.pow_counter.trim().parse().unwrap_or(u64::MAX);
    let pow_id = pow::verify(
        &secret,
        &input.pow_challenge,
        counter,
        now,
        CHALLENGE_SECONDS,
        app.config.cvd_pow_difficulty,
    )
    .map_err(|e| AppError::invalid("pow", Msg::of(&e)))?;
    let form = CvdIntakeForm {
        what: &input.what,
        location: &input.location,
        reproduce: &input.reproduce,
        impact: &input.impact,
        reporter_name: &input.reporter_name,
        contact_email: &input.contact_email,
        credit_consent: input.credit_consent,
        share_identity_with_board: input.share_identity_with_board,
        honeypot: &input.honeypot,
        attachments: input
            .files
            .iter()
            .map(|f| Upload {
                filename: &f.filename,
                declared_type: f.content_type.as_deref(),
                bytes: &f.bytes,
            })
            .collect(),
    };
    let valid =
        match validate(&form, &IntakeLimits::default()).map_err(super::incidents::field_errors)? {
            IntakeOutcome::Accepted(v) => v,
            // A bot: answer like a success, store and send nothing.
            IntakeOutcome::Spam => {
                return Ok(Submitted {
                    reference: "CVD".into(),
                    status_url: app.config.link("/kwetsbaarheid-melden/bedankt"),
                });
            }
        };
    let index = app.index.fresh(&app.db).await?;
    let matched = match_targets(&index, &valid.targets);
    let token = cvd::new_status_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let status_url = app
        .config
        .link(&format!("/kwetsbaarheid-melden/status/{}", token.expose()));
    let mut cx = app.db.write().await?;
    if !settings::spend_pow(&mut cx, &pow_id, now).await? {
        return Err(AppError::invalid(
            "pow",
            Msg::new(
                "Deze controle is al gebruikt; laad het formulier opnieuw.",
                "This check was used before; reload the form.",
            ),
        ));
    }
    let reference = super::next_reference(&mut cx, CaseKind::Cvd, now).await?;
    let case = CvdCase::from_intake(reference, &valid, token.hash(), &matched, now);
    let mut row =
        super::incidents::blank_row("cvd", &reference.to_string(), &title_of(&valid.what), now);
    row.status_token_hash = Some(token.hash());
    row.summary = valid.location_text.clone();
    write_cvd(&mut row, &case)?;
    let case_id = cases::insert(&mut cx, &row, &case.board_ids).await?;
    let report_id = reports::insert(
        &mut cx,
        &NewReport {
            channel: "cvd_form",
            reporter: &case.reporter.name,
            reporter_user_id: None,
            board_id: case.board_ids.first().copied(),
            subject: &title_of(&valid.what),
            body: &valid.what,
            tlp: Tlp::AmberStrict.code(),
        },
        now,
    )
    .await?;
    super::incidents::link_report(&mut cx, report_id, case_id, "CVD-formulier", now).await?;
    let reporter_sharing = Sharing::with_reporter();
    timeline(
        &mut cx,
        case_id,
        now,
        &case.reporter.name,
        &TimelineEvent::CaseOpened,
        Tlp::AmberStrict,
        &reporter_sharing,
    )
    .await?;
    // The reporter's files: the CERT and the reporter see them; the board once the CERT shares.
    for (f, info) in input.files.iter().zip(&valid.attachments) {
        super::incidents::store_attachment(
            &mut cx,
            case_id,
            None,
            info,
            &f.bytes,
            Tlp::AmberStrict,
            &reporter_sharing,
            &case.reporter.name,
            now,
        )
        .await?;
    }
    if let Some(email) = &case.reporter.email {
        let (subject, body) = cvd::acknowledgement(&reference, &status_url, input.lang);
        mail::queue(app, &mut cx, Outgoing {
            kind: "cvd_ack", board_id: None, to: vec![email.as_str().to_owned()], template: "case_message", lang: input.lang,
            context: serde_json::json!({ "subject": subject, "body": body, "reference": reference.to_string(), "tlp": Tlp::AmberStrict.label(), "link": "" }),
            attachments: Vec::new(),
        }).await?;
    }
    mail::queue(app, &mut cx, Outgoing {
        kind: "case_activity", board_id: None, to: vec![super::clocks::cert_address(app)], template: "case_activity", lang: Lang::Nl,
        context: serde_json::json!({ "reference": reference.to_string(), "exercise": false, "subject": "Nieuwe CVD-melding", "link": app.config.link(&format!("/cert/zaken/{case_id}")) }),
        attachments: Vec::new(),
    }).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::System("cvd-formulier"),
            board_id: None,
            object_type: "case",
            object_id: case_id,
            action: "create",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(Submitted {
        reference: reference.to_string(),
        status_url,
    })
}

fn title_of(what: &str) -> String {
    let line = what.lines().next().unwrap_or(what).trim();
    let mut t: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        t.push('…');
    }
    t
}

/// The reporter's status page.
#[derive(Debug, Clone, Serialize)]
pub struct ReporterStatusPage {
    pub case_id: i64,
    pub view: ReporterCvdView,
    pub explanation: String,
    pub messages: Vec<MessageRow>,
}

async fn by_token(cx: &mut Cx, token: &str) -> AppResult<Loaded> {
    let row = cases::by_status_token(cx, &hash_token(token.trim()))
        .await?
        .ok_or(AppError::NotFound)?;
    load_row(cx, row).await
}

/// What the holder of a status link may see: the reporter's view, never the board unless the
/// CERT shared it, and only messages shared with the reporter.
pub async fn status(app: &App, token: &str, lang: Lang) -> AppResult<ReporterStatusPage> {
    let mut cx = app.db.read().await?;
    let l = by_token(&mut cx, token).await?;
    let case = cvd_of(&l.row)?;
    let board_name = match l.boards.first() {
        Some(b) if case.board_identity_shared_with_reporter => {
            Some(boards::get(&mut cx, Scope::All, *b).await?.name)
        }
        _ => None,
    };
    let view = case.reporter_view(board_name.as_deref());
    let messages = items::reporter_messages(&mut cx, l.row.id).await?;
    let scope = l.scope()?;
    let viewer = schoolcert_cases::visibility::Viewer::Reporter {
        case_id: CaseId(l.row.id),
    };
    let messages = messages
        .into_iter()
        .filter(|m| super::visible(&viewer, &scope, &m.tlp, &m.sharing))
        .collect();
    Ok(ReporterStatusPage {
        case_id: l.row.id,
        explanation: view.status.explanation(lang).to_owned(),
        view,
        messages,
    })
}

/// A message from the reporter through the status link.
pub async fn reporter_message(app: &App, token: &str, body: &str) -> AppResult<i64> {
    let now = app.now();
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "body",
            Msg::new("Schrijf een bericht.", "Write a message."),
        ));
    }
    if body.chars().count() > 20_000 {
        return Err(AppError::invalid(
            "body",
            Msg::new(
                "Het bericht is te lang (maximaal 20.000 tekens).",
                "The message is too long (at most 20,000 characters).",
            ),
        ));
    }
    let mut cx = app.db.write().await?;
    let l = by_token(&mut cx, token).await?;
    let case = cvd_of(&l.row)?;
    let sharing = Sharing::with_reporter();
    let id = items::add_message(
        &mut cx,
        &NewMessage {
            case_id: l.row.id,
            parent_id: None,
            kind: "portal",
            direction: "inbound",
            author: &case.reporter.name,
            author_user_id: None,
            subject: &l.row.title,
            body,
            label: label(Tlp::AmberStrict, &sharing)?,
            email_message_id: None,
            sector_message_id: None,
        },
        now,
    )
    .await?;
    timeline(
        &mut cx,
        l.row.id,
        now,
        &case.reporter.name,
        &TimelineEvent::MessageReceived {
            subject: l.row.title.clone(),
        },
        Tlp::AmberStrict,
        &sharing,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// A CERT state change of a CVD case (called through `incidents::transition`).
pub(crate) async fn transition_in(
    cx: &mut Cx,
    app: &App,
    actor: &Actor,
    l: &mut Loaded,
    to: &str,
    reason: Option<&str>,
    duplicate_of: Option<i64>,
) -> AppResult<()> {
    let now = app.now();
    let mut case = cvd_of(&l.row)?;
    let to: CvdState = to
        .parse()
        .map_err(|_| AppError::invalid("state", Msg::new("Onbekende status.", "Unknown state.")))?;
    if to == CvdState::BoardNotified && l.boards.is_empty() {
        return Err(AppError::invalid(
            "state",
            Msg::new(
                "Stel eerst vast welk bestuur eigenaar is.",
                "First identify the board that owns the system.",
            ),
        ));
    }
    let t = cvd::transition(case.state, to, reason, duplicate_of.map(CaseId))
        .map_err(|e| AppError::invalid("state", Msg::of(&e)))?;
    let before = l.row.clone();
    case.apply(&t, now);
    write_cvd(&mut l.row, &case)?;
    l.row.updated_at = now;
    cases::update(cx, &l.row).await?;
    let shared = Sharing {
        board: schoolcert_cases::visibility::cvd_visible_to_board(to),
        reporter: true,
        ..Sharing::default()
    };
    timeline(
        cx,
        l.row.id,
        now,
        &who(actor),
        &TimelineEvent::StateChanged {
            from: t.from.code().into(),
            to: t.to.code().into(),
        },
        Tlp::Amber,
        &shared,
    )
    .await?;
    if to == CvdState::BoardNotified {
        let view = case.board_view();
        let body = format!(
            "Er is een kwetsbaarheid gemeld in een systeem van uw organisatie.\n\nWat: {}\nWaar: {}\nImpact: {}\n\nDe standaardtermijn voor openbaarmaking is {}.\nBekijk de melding en bevestig het herstel in het portaal.",
            view.what,
            view.targets.join(", "),
            view.impact,
            view.disclosure_deadline
                .map(|d| schoolcert_domain::time::format_local(d, Lang::Nl))
                .unwrap_or_default(),
        );
        super::messages::send_case_mail(
            cx,
            app,
            l,
            "Kwetsbaarheid gemeld in uw systeem",
            &body,
            Tlp::AmberStrict,
            &Sharing::with_board(),
        )
        .await?;
    }
    if let Some(email) = &case.reporter.email {
        let status = case.state.reporter_status();
        mail::queue(app, cx, Outgoing {
            kind: "cvd_status", board_id: None, to: vec![email.as_str().to_owned()], template: "case_message", lang: Lang::Nl,
            context: serde_json::json!({
                "subject": format!("{} Nieuwe status van je melding", case.reference.subject_tag()),
                "body": status.explanation(Lang::Nl), "reference": case.reference.to_string(), "tlp": Tlp::AmberStrict.label(), "link": "",
            }),
            attachments: Vec::new(),
        }).await?;
    }
    audit::record(
        cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case",
            object_id: l.row.id,
            action: "transition",
            changes: schoolcert_domain::audit::diff(Some(&before), Some(&l.row)),
        },
        now,
    )
    .await?;
    Ok(())
}

/// A CVD state change with a reason or the original case (duplicates).
pub async fn transition(
    app: &App,
    actor: &Actor,
    case_id: i64,
    to: &str,
    reason: Option<&str>,
    duplicate_of: Option<i64>,
) -> AppResult<()> {
    cert_only(actor)?;
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    if l.kind()? != CaseKind::Cvd {
        return Err(AppError::NotFound);
    }
    transition_in(&mut cx, app, actor, &mut l, to, reason, duplicate_of).await?;
    cx.commit().await?;
    Ok(())
}

/// The CERT sets the board that owns the target (when matching found none or several), and
/// whether the reporter may learn which board it is.
pub async fn identify(
    app: &App,
    actor: &Actor,
    case_id: i64,
    board: BoardId,
    share_with_reporter: bool,
) -> AppResult<()> {
    cert_only(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    boards::get(&mut cx, Scope::All, board).await.map_err(|_| {
        AppError::invalid("board_id", Msg::new("Onbekend bestuur.", "Unknown board."))
    })?;
    let mut case = cvd_of(&l.row)?;
    case.identify(vec![board]);
    case.board_identity_shared_with_reporter = share_with_reporter;
    write_cvd(&mut l.row, &case)?;
    l.row.updated_at = now;
    cases::update(&mut cx, &l.row).await?;
    cases::set_boards(&mut cx, case_id, &[board]).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "case",
            object_id: case_id,
            action: "identify",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// The board confirms the vulnerability is fixed; the case moves to `resolved`.
pub async fn confirm_remediation(app: &App, actor: &Actor, case_id: i64) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    if l.kind()? != CaseKind::Cvd {
        return Err(AppError::NotFound);
    }
    let mut case = cvd_of(&l.row)?;
    let t = case
        .confirm_remediation(now)
        .map_err(|e| AppError::invalid("state", Msg::of(&e)))?;
    write_cvd(&mut l.row, &case)?;
    l.row.updated_at = now;
    cases::update(&mut cx, &l.row).await?;
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::StateChanged {
            from: t.from.code().into(),
            to: t.to.code().into(),
        },
        Tlp::Amber,
        &Sharing {
            board: true,
            reporter: true,
            ..Sharing::default()
        },
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case",
            object_id: case_id,
            action: "confirm_remediation",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// The public thanks page: consenting reporters of fixed vulnerabilities.
pub async fn thanks(app: &App) -> AppResult<Vec<ThanksEntry>> {
    let mut cx = app.db.read().await?;
    let rows = cases::all(&mut cx, Scope::All).await?;
    let cands: Vec<CreditCandidate> = rows
        .iter()
        .filter(|r| r.kind == "cvd")
        .filter_map(|r| cvd_of(r).ok())
        .map(|c| CreditCandidate {
            reporter: c.reporter.clone(),
            state: c.state,
            resolved_at: c.resolved_at,
            exercise: c.exercise,
        })
        .collect();
    Ok(cvd::thanks_page(&cands))
}
