//! Sends what the outbox holds: over SMTP when configured, otherwise into the dev mailbox
//! (the outbox itself, readable by CERT administrators). Failures are retried with backoff; a
//! crash between sending and marking leaves the row "uncertain" rather than sending twice.

use chrono::Duration;
use lettre::message::header::{ContentType, MessageId};
use lettre::message::{Attachment as MailAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use schoolcert_store::outbox::{self, Mail};

use crate::{App, AppConfig, AppError, AppResult};

pub enum Transport {
    /// Mail stays in the outbox, marked sent, for administrators to read.
    DevMailbox,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_config(config: &AppConfig) -> AppResult<Transport> {
        match &config.smtp_url {
            None => Ok(Transport::DevMailbox),
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| AppError::Internal(format!("SCHOOLCERT_SMTP_URL is not usable: {e}"))),
        }
    }

    pub fn is_dev_mailbox(&self) -> bool {
        matches!(self, Transport::DevMailbox)
    }
}

/// What one sending round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub uncertain: u64,
}

const MAX_ATTEMPTS: i64 = 8;
const LEASE_MINUTES: i64 = 10;

fn backoff(attempts: i64) -> Duration {
    // 1 min, 5 min, 25 min, ~2 h, then every 6 hours.
    match attempts {
        1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(25),
        4 => Duration::minutes(125),
        _ => Duration::hours(6),
    }
}

/// Sends every due message once.
pub async fn send_due(app: &App) -> AppResult<SendReport> {
    let mut report = SendReport::default();
    let now = app.now();
    let mut cx = app.db.write().await?;
    report.uncertain = outbox::mark_stale_uncertain(&mut cx, now).await?;
    let claimed = outbox::claim_due(&mut cx, now, Duration::minutes(LEASE_MINUTES), 50).await?;
    cx.commit().await?;
    for mail in claimed {
        let outcome = deliver(app, &mail).await;
        let mut cx = app.db.write().await?;
        match outcome {
            Ok(()) => {
                outbox::mark_sent(&mut cx, mail.id, app.now()).await?;
                report.sent += 1;
            }
            Err(e) => {
                let retry =
                    (mail.attempts < MAX_ATTEMPTS).then(|| app.now() + backoff(mail.attempts));
                if retry.is_some() {
                    report.retried += 1
                } else {
                    report.failed += 1
                }
                tracing::warn!(outbox_id = mail.id, attempts = mail.attempts, error = %e, "sending mail failed");
                outbox::mark_failed(&mut cx, mail.id, &e, retry).await?;
            }
        }
        cx.commit().await?;
    }
    Ok(report)
}

async fn deliver(app: &App, mail: &Mail) -> Result<(), String> {
    match app.mailer.as_ref() {
        Transport::DevMailbox => Ok(()),
        Transport::Smtp(smtp) => {
            let mut cx = app.db.read().await.map_err(|e| e.to_string())?;
            let attachments = outbox::attachments(&mut cx, mail.id)
                .await
                .map_err(|e| e.to_string())?;
            drop(cx);
            let message = build(&app.config, mail, attachments)?;
            smtp.send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    }
}

/// Builds the MIME message: plain text, with attachments when there are any.
pub fn build(
    config: &AppConfig,
    mail: &Mail,
    attachments: Vec<outbox::Attachment>,
) -> Result<Message, String> {
    let from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|e| format!("bad From address: {e}"))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(mail.subject.clone())
        .header(MessageId::from(mail.message_id.clone()));
    if let Some(reply_to) = &mail.reply_to {
        builder = builder.reply_to(
            reply_to
                .parse::<Mailbox>()
                .map_err(|e| format!("bad Reply-To {reply_to}: {e}"))?,
        );
    }

    for to in &mail.to_addrs {
        builder = builder.to(to
            .parse::<Mailbox>()
            .map_err(|e| format!("bad recipient {to}: {e}"))?);
    }
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body_text.clone());
    if attachments.is_empty() {
        builder.singlepart(text).map_err(|e| e.to_string())
    } else {
        let mut multi = MultiPart::mixed().singlepart(text);
        for a in attachments {
            let ct = ContentType::parse(&a.content_type).unwrap_or(ContentType::TEXT_PLAIN);
            multi = multi.singlepart(MailAttachment::new(a.filename).body(a.data, ct));
        }
        builder.multipart(multi).map_err(|e| e.to_string())
    }
}
