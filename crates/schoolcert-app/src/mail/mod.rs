//! Outgoing e-mail: templates rendered in the recipient's language, queued in the outbox in the
//! same transaction as the change that causes them, and sent later by `sender`.

pub mod sender;
pub mod templates;

use schoolcert_domain::token::random_bytes;
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::Cx;
use schoolcert_store::outbox::{self, Attachment, NewMail};

use crate::{App, AppError, AppResult};

/// A message to queue.
pub struct Outgoing {
    pub kind: &'static str,
    pub board_id: Option<BoardId>,
    pub to: Vec<String>,
    pub template: &'static str,
    pub lang: Lang,
    pub context: serde_json::Value,
    pub attachments: Vec<Attachment>,
}

/// Renders and queues a message inside the caller's transaction; returns the outbox id.
pub async fn queue(app: &App, cx: &mut Cx, m: Outgoing) -> AppResult<i64> {
    if m.to.is_empty() {
        return Err(AppError::Internal(format!(
            "mail '{}' has no recipients",
            m.kind
        )));
    }
    let mut ctx = m.context;
    if let Some(obj) = ctx.as_object_mut() {
        obj.insert("cert_name".into(), app.config.cert_name.clone().into());
        obj.insert("base_url".into(), app.config.base_url.clone().into());
    }
    let (subject, body) = templates::render(&app.config, m.template, m.lang, &ctx)?;
    let id = message_id(app.config.mail_domain())?;
    let mail = NewMail {
        kind: m.kind.to_owned(),
        board_id: m.board_id,
        to: m.to,
        subject,
        body_text: body,
        attachments: m.attachments,
    };
    Ok(outbox::enqueue(cx, &mail, &id, app.now()).await?)
}

/// A globally unique Message-ID for our domain.
pub fn message_id(domain: &str) -> AppResult<String> {
    let bytes = random_bytes::<16>().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("<{}@{}>", hex::encode(bytes), domain))
}
