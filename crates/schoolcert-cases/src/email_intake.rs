//! Incoming e-mail (IMAP mailbox or an uploaded .eml): parsed with `mail-parser` into sender,
//! recipients, subject, date, a text body (HTML converted when there is no text part), checked
//! attachments with sizes and SHA-256, and the case it belongs to (a `cert+<token>@` reply
//! address or an `[INC-2026-0042]` subject tag). Malformed mail is refused with a reason; an
//! oversized attachment is refused on its own, so the message itself is never lost.

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders};
use serde::Serialize;

use schoolcert_domain::lang::Localized;
use schoolcert_domain::registry::Email;
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{Lang, Timestamp};

use crate::attachments::{AttachmentError, AttachmentInfo, AttachmentLimits, Upload, check};
use crate::message::ReplyMailbox;
use crate::reference::CaseRef;

/// Limits for one incoming message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailLimits {
    /// The whole raw message.
    pub max_message_bytes: usize,
    pub attachments: AttachmentLimits,
}

impl Default for MailLimits {
    fn default() -> Self {
        MailLimits {
            max_message_bytes: 40 * 1024 * 1024,
            attachments: AttachmentLimits {
                max_file_bytes: 15 * 1024 * 1024,
                max_files: 20,
                max_total_bytes: 30 * 1024 * 1024,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is {size} bytes, more than the limit of {max}")]
    TooLarge { size: usize, max: usize },
    #[error("this is not an e-mail message (no header block)")]
    NotAMessage,
    #[error("the message has no sender address")]
    NoSender,
    #[error("the sender address {0:?} is not valid")]
    BadSender(String),
}

impl Localized for MailError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (MailError::Empty, Lang::Nl) => "Het bericht is leeg.".into(),
            (MailError::Empty, Lang::En) => "The message is empty.".into(),
            (MailError::TooLarge { size, max }, Lang::Nl) => format!(
                "Het bericht is {}; de grens is {}.",
                crate::attachments::human_size(*size),
                crate::attachments::human_size(*max)
            ),
            (MailError::TooLarge { size, max }, Lang::En) => format!(
                "The message is {}; the limit is {}.",
                crate::attachments::human_size(*size),
                crate::attachments::human_size(*max)
            ),
            (MailError::NotAMessage, Lang::Nl) => {
                "Dit is geen e-mailbericht: er staan geen kopregels (zoals From: en Subject:) \
                 in. Upload het bericht als .eml-bestand."
                    .into()
            }
            (MailError::NotAMessage, Lang::En) => {
                "This is not an e-mail message: it has no header lines (such as From: and \
                 Subject:). Upload the message as an .eml file."
                    .into()
            }
            (MailError::NoSender, Lang::Nl) => "Het bericht heeft geen afzender (From:).".into(),
            (MailError::NoSender, Lang::En) => "The message has no sender (From:).".into(),
            (MailError::BadSender(a), Lang::Nl) => {
                format!("Het afzenderadres '{a}' is geen geldig e-mailadres.")
            }
            (MailError::BadSender(a), Lang::En) => {
                format!("The sender address '{a}' is not a valid e-mail address.")
            }
        }
    }
}

/// Which case a message points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CaseHint {
    /// A reply address token: the strongest sign (hash it and look it up).
    Token(String),
    /// A case number in the subject: weaker, anyone can type it; the app should accept it only
    /// from a sender known in that case, else put the mail in the triage queue.
    Reference(CaseRef),
    None,
}

/// A stored attachment: the checks' result and the bytes to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAttachment {
    pub info: AttachmentInfo,
    pub bytes: Vec<u8>,
}

/// A parsed incoming message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from: Email,
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub date: Option<Timestamp>,
    pub text: String,
    /// The text was made from the HTML part because there was no plain-text part.
    pub text_from_html: bool,
    pub attachments: Vec<InboundAttachment>,
    /// Attachments that were too large or too many; named in the case so nobody thinks they
    /// arrived.
    pub refused_attachments: Vec<AttachmentError>,
    /// An out-of-office or other automatic reply: never answer it automatically.
    pub auto_reply: bool,
    pub case_hint: CaseHint,
}

fn addresses(a: Option<&Address<'_>>) -> Vec<(Option<String>, String)> {
    a.map(|a| {
        a.iter()
            .filter_map(|x| Some((x.name().map(str::to_owned), x.address()?.trim().to_owned())))
            .collect()
    })
    .unwrap_or_default()
}

fn id_list(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The first non-empty line must be a header (`Name: value`), or an mbox `From ` line followed
/// by one. Without this, any bytes would "parse" as a message with an empty header.
fn starts_with_header(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let mut first = lines.next().unwrap_or("");
    if first.starts_with("From ") {
        first = lines.next().unwrap_or("");
    }
    match first.split_once(':') {
        Some((name, _)) => {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
        }
        None => false,
    }
}

fn is_auto_reply(msg: &mail_parser::Message<'_>, subject: &str) -> bool {
    let header = |n: &str| msg.header_raw(n).map(|v| v.trim().to_ascii_lowercase());
    if header("Auto-Submitted").is_some_and(|v| v != "no") {
        return true;
    }
    if header("X-Autoreply").is_some() || header("X-Autorespond").is_some() {
        return true;
    }
    if header("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "auto_reply")) {
        return true;
    }
    let s = subject.to_lowercase();
    [
        "automatisch antwoord",
        "afwezigheidsbericht",
        "out of office",
        "automatic reply",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// Parses a raw message. `mailbox` is the CERT's case mailbox, to find reply tokens.
pub fn parse_eml(
    bytes: &[u8],
    limits: &MailLimits,
    mailbox: Option<&ReplyMailbox>,
) -> Result<InboundMail, MailError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty);
    }
    if bytes.len() > limits.max_message_bytes {
        return Err(MailError::TooLarge {
            size: bytes.len(),
            max: limits.max_message_bytes,
        });
    }
    if !starts_with_header(bytes) {
        return Err(MailError::NotAMessage);
    }
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or(MailError::NotAMessage)?;
    let (from_name, from_raw) = addresses(msg.from())
        .into_iter()
        .next()
        .ok_or(MailError::NoSender)?;
    let from: Email = from_raw
        .parse()
        .map_err(|_| MailError::BadSender(from_raw.clone()))?;
    let to: Vec<String> = addresses(msg.to()).into_iter().map(|(_, a)| a).collect();
    let cc: Vec<String> = addresses(msg.cc()).into_iter().map(|(_, a)| a).collect();
    let subject = msg.subject().unwrap_or("").trim().to_owned();
    let date = msg.date().and_then(|d| parse_rfc3339(&d.to_rfc3339()));
    let text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let text_from_html = msg.text_part(0).is_some_and(|p| p.is_text_html());

    let mut attachments = Vec::new();
    let mut refused = Vec::new();
    let mut total = 0usize;
    let mut too_many = false;
    let mut over_total = false;
    for part in msg.attachments() {
        let contents = part.contents();
        let name = part.attachment_name().unwrap_or("bijlage");
        let declared = part
            .content_type()
            .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("octet-stream")));
        if attachments.len() >= limits.attachments.max_files {
            too_many = true;
            continue;
        }
        if total + contents.len() > limits.attachments.max_total_bytes {
            over_total = true;
            continue;
        }
        let upload = Upload {
            filename: name,
            declared_type: declared.as_deref(),
            bytes: contents,
        };
        match check(upload, &limits.attachments) {
            Ok(info) => {
                total += contents.len();
                attachments.push(InboundAttachment {
                    info,
                    bytes: contents.to_vec(),
                });
            }
            // An empty inline part is noise, not a refusal worth reporting.
            Err(AttachmentError::Empty { .. }) => {}
            Err(e) => refused.push(e),
        }
    }
    if too_many {
        refused.push(AttachmentError::TooMany {
            max: limits.attachments.max_files,
        });
    }
    if over_total {
        refused.push(AttachmentError::TotalTooLarge {
            max: limits.attachments.max_total_bytes,
        });
    }

    let case_hint = find_case_hint(&msg, mailbox, &to, &cc, &subject);
    Ok(InboundMail {
        message_id: msg.message_id().map(str::to_owned),
        in_reply_to: id_list(msg.in_reply_to()),
        references: id_list(msg.references()),
        from,
        from_name,
        reply_to: addresses(msg.reply_to()).into_iter().next().map(|(_, a)| a),
        auto_reply: is_auto_reply(&msg, &subject),
        to,
        cc,
        subject,
        date,
        text,
        text_from_html,
        attachments,
        refused_attachments: refused,
        case_hint,
    })
}

fn find_case_hint(
    msg: &mail_parser::Message<'_>,
    mailbox: Option<&ReplyMailbox>,
    to: &[String],
    cc: &[String],
    subject: &str,
) -> CaseHint {
    if let Some(mb) = mailbox {
        // Delivered-To and X-Original-To keep the plus address when the mail was Bcc'd or
        // forwarded into the mailbox.
        let extra: Vec<String> = ["Delivered-To", "X-Original-To", "Envelope-To"]
            .iter()
            .filter_map(|h| msg.header_raw(*h).map(|v| v.trim().to_owned()))
            .collect();
        if let Some(t) = to
            .iter()
            .chain(cc)
            .chain(&extra)
            .find_map(|a| mb.token_of(a))
        {
            return CaseHint::Token(t);
        }
    }
    match CaseRef::find_in_subject(subject) {
        Some(r) => CaseHint::Reference(r),
        None => CaseHint::None,
    }
}

/// The new part of a reply: the text above the quoted history ("Op … schreef …:", "On … wrote:",
/// "-----Original Message-----", "Van: …" blocks, lines starting with `>`). Shown first in the
/// case; the full text stays stored.
pub fn reply_without_quote(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let lower = t.to_lowercase();
        let quote_start = t.starts_with('>')
            || (lower.starts_with("op ")
                && (lower.ends_with("schreef:") || lower.ends_with("geschreven:")))
            || (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || lower.starts_with("-----original message-----")
            || lower.starts_with("-----oorspronkelijk bericht-----")
            || (lower.starts_with("van: ") && offset > 0);
        if quote_start {
            return text[..offset].trim_end();
        }
        offset += line.len();
    }
    text.trim_end()
}

#[cfg(test)]
mod tests;
