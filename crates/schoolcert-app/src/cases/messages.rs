//! Messages in a case: the CERT writes shared messages (mailed to the board's contacts through
//! the outbox, with a reply address carrying a fresh case token) or internal notes; a board
//! writes in the portal; replies by e-mail (an `.eml` from the case mailbox) land in the case.
//! TLP:RED goes only to recipients named on the message, never to anyone else by mail.

use schoolcert_cases::CaseKind;
use schoolcert_cases::email_intake::{CaseHint, MailLimits, parse_eml};
use schoolcert_cases::message::{new_reply_token, outbound_subject};
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::{ItemScope, Recipient, Sharing, TlpRefusal, may_receive};
use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::token::hash_token;
use schoolcert_domain::{BoardId, Lang, Tlp};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::cases::items::{self, NewMessage};
use schoolcert_store::cases::records as cases;
use schoolcert_store::cases::reports::{self, NewReport};
use schoolcert_store::outbox;
use schoolcert_store::registry::contacts;
use serde::{Deserialize, Serialize};

use super::{Loaded, cert_only, form_tlp, label, load, load_row, timeline, who};
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MessageInput {
    pub subject: String,
    pub body: String,
    /// CERT only: shared with (and mailed to) the board's contacts; otherwise an internal note.
    pub shared: bool,
    /// CERT only, CVD cases: shared with (and mailed to) the reporter.
    pub to_reporter: bool,
    pub tlp: String,
    /// For TLP:RED: name the board(s) of the case as recipients (nobody else gets it).
    pub name_board: bool,
    pub parent_id: Option<i64>,
}

/// Posts a message. CERT staff: a note or a shared message; board contacts: a message to the
/// CERT (always shared with their board).
pub async fn post(app: &App, actor: &Actor, case_id: i64, input: &MessageInput) -> AppResult<i64> {
    let now = app.now();
    let body = input.body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "body",
            Msg::new("Schrijf een bericht.", "Write a message."),
        ));
    }
    if body.chars().count() > 50_000 {
        return Err(AppError::invalid(
            "body",
            Msg::new(
                "Het bericht is te lang (maximaal 50.000 tekens).",
                "The message is too long (at most 50,000 characters).",
            ),
        ));
    }
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    let case_tlp = l.tlp()?;
    let subject = if input.subject.trim().is_empty() {
        l.row.title.clone()
    } else {
        input.subject.trim().to_owned()
    };
    let id = if actor.is_cert() {
        let tlp = form_tlp(&input.tlp, "tlp", case_tlp)?;
        let mut sharing = Sharing {
            board: input.shared,
            reporter: input.to_reporter && l.kind()? == CaseKind::Cvd,
            ..Sharing::default()
        };
        if tlp == Tlp::Red {
            if input.name_board && sharing.board {
                sharing
                    .named
                    .extend(l.boards.iter().map(|b| Recipient::Board { board_id: *b }));
            }
            if sharing.reporter {
                sharing.named.push(Recipient::Reporter);
            }
        }
        let direction = if sharing.is_internal() {
            "internal"
        } else {
            "outbound"
        };
        let kind = if sharing.is_internal() {
            "note"
        } else {
            "email"
        };
        let id = items::add_message(
            &mut cx,
            &NewMessage {
                case_id,
                parent_id: input.parent_id,
                kind,
                direction,
                author: &who(actor),
                author_user_id: Some(actor.user_id.0),
                subject: &subject,
                body,
                label: label(tlp, &sharing)?,
                email_message_id: None,
                sector_message_id: None,
            },
            now,
        )
        .await?;
        if !sharing.is_internal() {
            send_case_mail(&mut cx, app, &l, &subject, body, tlp, &sharing).await?;
            if sharing.board && l.row.first_response_at.is_none() {
                l.row.first_response_at = Some(now);
                l.row.updated_at = now;
                cases::update(&mut cx, &l.row).await?;
            }
            timeline(
                &mut cx,
                case_id,
                now,
                &who(actor),
                &TimelineEvent::MessageSent {
                    subject: subject.clone(),
                },
                tlp,
                &sharing,
            )
            .await?;
        } else {
            timeline(
                &mut cx,
                case_id,
                now,
                &who(actor),
                &TimelineEvent::NoteAdded,
                tlp,
                &sharing,
            )
            .await?;
        }
        id
    } else {
        let sharing = Sharing::with_board();
        let tlp = case_tlp.min(Tlp::AmberStrict);
        let id = items::add_message(
            &mut cx,
            &NewMessage {
                case_id,
                parent_id: input.parent_id,
                kind: "portal",
                direction: "inbound",
                author: &who(actor),
                author_user_id: Some(actor.user_id.0),
                subject: &subject,
                body,
                label: label(tlp, &sharing)?,
                email_message_id: None,
                sector_message_id: None,
            },
            now,
        )
        .await?;
        timeline(
            &mut cx,
            case_id,
            now,
            &who(actor),
            &TimelineEvent::MessageReceived {
                subject: subject.clone(),
            },
            tlp,
            &sharing,
        )
        .await?;
        notify_assignee(&mut cx, app, &l, &subject).await?;
        id
    };
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case_message",
            object_id: id,
            action: "create",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// Tells the assignee (or the CERT mailbox) that the board wrote; the text stays in the portal.
async fn notify_assignee(cx: &mut Cx, app: &App, l: &Loaded, subject: &str) -> AppResult<()> {
    let to = match l.row.assignee_user_id {
        Some(u) => {
            schoolcert_store::accounts::users::get(cx, schoolcert_domain::UserId(u))
                .await?
                .email
        }
        None => super::clocks::cert_address(app),
    };
    mail::queue(
        app,
        cx,
        Outgoing {
            kind: "case_activity",
            board_id: None,
            to: vec![to],
            template: "case_activity",
            lang: Lang::Nl,
            context: serde_json::json!({
                "reference": l.row.reference, "exercise": l.row.exercise, "subject": subject,
                "link": app.config.link(&format!("/cert/zaken/{}", l.row.id)),
            }),
            attachments: Vec::new(),
        },
    )
    .await?;
    Ok(())
}

/// Mails a shared item to everyone it is shared with and may receive it: the board contacts
/// and, for CVD, the reporter. TLP:RED to anyone not named refuses the whole message.
pub(crate) async fn send_case_mail(
    cx: &mut Cx,
    app: &App,
    l: &Loaded,
    subject: &str,
    body: &str,
    tlp: Tlp,
    sharing: &Sharing,
) -> AppResult<()> {
    let scope = l.scope()?;
    let item = ItemScope {
        case_id: l.case_id(),
        tlp,
        sharing,
    };
    let reference = l.reference()?;
    let full_subject = outbound_subject(&reference, subject, tlp, l.row.exercise);
    let mut refused = Vec::new();
    let mut sends: Vec<(Option<BoardId>, Vec<String>, &'static str)> = Vec::new();
    if sharing.board {
        for b in &l.boards {
            let addrs = contacts::notification_addresses(cx, *b).await?;
            if addrs.is_empty() {
                continue;
            }
            if may_receive(&Recipient::Board { board_id: *b }, &scope, &item) {
                sends.push((Some(*b), addrs, "portal"));
            } else if tlp == Tlp::Red {
                refused.extend(addrs);
            }
        }
    }
    if sharing.reporter
        && let Ok(cvd) = super::cvd_of(&l.row)
        && let Some(email) = cvd.reporter.email
    {
        if may_receive(&Recipient::Reporter, &scope, &item) {
            sends.push((None, vec![email.as_str().to_owned()], "status"));
        } else if tlp == Tlp::Red {
            refused.push(email.as_str().to_owned());
        }
    }
    if !refused.is_empty() {
        return Err(AppError::Conflict(Msg::of(&TlpRefusal {
            tlp,
            not_named: refused,
        })));
    }
    for (board, to, target) in sends {
        let link = match target {
            "portal" => app.config.link(&format!("/portaal/zaken/{}", l.row.id)),
            _ => String::new(),
        };
        let outbox_id = mail::queue(app, cx, Outgoing {
            kind: "case_message",
            board_id: board,
            to,
            template: "case_message",
            lang: Lang::Nl,
            context: serde_json::json!({ "subject": full_subject, "body": body, "reference": reference.to_string(), "tlp": tlp.label(), "link": link }),
            attachments: Vec::new(),
        }).await?;
        if let Some(mb) = super::mailbox(app) {
            let token = new_reply_token().map_err(|e| AppError::Internal(e.to_string()))?;
            cases::add_reply_token(cx, l.row.id, &token.hash(), app.now()).await?;
            outbox::set_reply_to(cx, outbox_id, &mb.reply_address(token.expose())).await?;
        }
    }
    Ok(())
}

/// Where an incoming e-mail went.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Ingested {
    /// Added to a case.
    Case {
        case_id: i64,
        message_id: i64,
        refused_attachments: usize,
    },
    /// Not tied to a case: a new report in the CERT's queue.
    Report { report_id: i64 },
    /// Already in the case (the same Message-ID arrived before).
    Duplicate { case_id: i64 },
}

/// Takes in one raw e-mail (`.eml` upload by an analyst, or the mailbox reader). A reply token
/// in the recipient address ties it to its case; a case number in the subject only when the
/// sender is a contact of the case's board; anything else becomes a report in the queue.
/// Malformed or oversized messages are refused with the reason, and nothing is stored.
pub async fn ingest_eml(app: &App, by: By<'_>, bytes: &[u8]) -> AppResult<Ingested> {
    if let By::Actor(a) = &by {
        cert_only(a)?;
    }
    let now = app.now();
    let mailbox = super::mailbox(app);
    let mail = parse_eml(bytes, &MailLimits::default(), mailbox.as_ref())
        .map_err(|e| AppError::invalid("eml", Msg::of(&e)))?;
    let mut cx = app.db.write().await?;
    let from = mail.from.as_str().to_owned();
    let case = match &mail.case_hint {
        CaseHint::Token(t) => cases::by_reply_token(&mut cx, &hash_token(t)).await?,
        CaseHint::Reference(r) => {
            match cases::get_by_reference(&mut cx, Scope::All, &r.to_string()).await {
                Ok(row) => {
                    let boards = cases::boards_of(&mut cx, row.id).await?;
                    let mut known = false;
                    for b in boards {
                        known |= contacts::notification_addresses(&mut cx, b)
                            .await?
                            .iter()
                            .any(|a| a.eq_ignore_ascii_case(&from));
                    }
                    known.then_some(row)
                }
                Err(_) => None,
            }
        }
        CaseHint::None => None,
    };
    let Some(row) = case else {
        let body = if mail.text.trim().is_empty() {
            "(geen tekst)".to_owned()
        } else {
            mail.text.clone()
        };
        let subject = if mail.subject.trim().is_empty() {
            "(geen onderwerp)".to_owned()
        } else {
            mail.subject.clone()
        };
        let report_id = reports::insert(
            &mut cx,
            &NewReport {
                channel: "email",
                reporter: &from,
                reporter_user_id: None,
                board_id: None,
                subject: &subject,
                body: &body,
                tlp: Tlp::Amber.code(),
            },
            now,
        )
        .await?;
        audit::record(
            &mut cx,
            Record {
                by,
                board_id: None,
                object_type: "case_report",
                object_id: report_id,
                action: "create",
                changes: Vec::new(),
            },
            now,
        )
        .await?;
        cx.commit().await?;
        return Ok(Ingested::Report { report_id });
    };
    if let Some(mid) = &mail.message_id
        && items::has_email(&mut cx, row.id, mid).await?
    {
        return Ok(Ingested::Duplicate { case_id: row.id });
    }
    let l = load_row(&mut cx, row).await?;
    // Who wrote decides who else sees it: the board's own mail is shared with the board, the
    // reporter's with the reporter; a stranger's stays with the CERT.
    let mut from_board = false;
    for b in &l.boards {
        from_board |= contacts::notification_addresses(&mut cx, *b)
            .await?
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&from));
    }
    let from_reporter = l.kind()? == CaseKind::Cvd
        && super::cvd_of(&l.row)
            .ok()
            .and_then(|c| c.reporter.email)
            .is_some_and(|e| e.as_str().eq_ignore_ascii_case(&from));
    let sharing = Sharing {
        board: from_board,
        reporter: from_reporter,
        ..Sharing::default()
    };
    let tlp = l.tlp()?.min(Tlp::AmberStrict);
    let mut text = schoolcert_cases::email_intake::reply_without_quote(&mail.text)
        .trim()
        .to_owned();
    for r in &mail.refused_attachments {
        text.push_str(&format!("\n\n[{}]", Msg::of(r).nl));
    }
    let author = match &mail.from_name {
        Some(n) => format!("{n} <{from}>"),
        None => from.clone(),
    };
    let message_id = items::add_message(
        &mut cx,
        &NewMessage {
            case_id: l.row.id,
            parent_id: None,
            kind: "email",
            direction: "inbound",
            author: &author,
            author_user_id: None,
            subject: &mail.subject,
            body: &text,
            label: label(tlp, &sharing)?,
            email_message_id: mail.message_id.as_deref(),
            sector_message_id: None,
        },
        now,
    )
    .await?;
    for a in &mail.attachments {
        super::incidents::store_attachment(
            &mut cx,
            l.row.id,
            Some(message_id),
            &a.info,
            &a.bytes,
            tlp,
            &sharing,
            &author,
            now,
        )
        .await?;
    }
    timeline(
        &mut cx,
        l.row.id,
        now,
        &author,
        &TimelineEvent::MessageReceived {
            subject: mail.subject.clone(),
        },
        tlp,
        &sharing,
    )
    .await?;
    if !mail.auto_reply {
        notify_assignee(&mut cx, app, &l, &mail.subject).await?;
    }
    audit::record(
        &mut cx,
        Record {
            by,
            board_id: l.boards.first().copied(),
            object_type: "case_message",
            object_id: message_id,
            action: "ingest",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(Ingested::Case {
        case_id: l.row.id,
        message_id,
        refused_attachments: mail.refused_attachments.len(),
    })
}
