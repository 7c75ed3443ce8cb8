//! Correspondence inside a case: threaded messages, notes and call logs, each internal or
//! shared; the reply address that carries a case token (`cert+<token>@domain`) and the subject
//! line with case number, TLP label and exercise marker.

use serde::{Deserialize, Serialize};

use schoolcert_domain::token::{RandomUnavailable, SecretToken};
use schoolcert_domain::{Timestamp, Tlp};

use crate::ids::{AttachmentId, CaseId, MessageId};
use crate::reference::CaseRef;
use crate::visibility::{CaseItem, ItemScope, Sharing};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// E-mail in or out.
    Email,
    /// Written in the portal (board contact or reporter page).
    Portal,
    /// A CERT note.
    Note,
    /// A phone call or meeting, logged by the CERT.
    Call,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the board, the reporter or a party to the CERT.
    Inbound,
    /// From the CERT to someone outside.
    Outbound,
    /// Stays with the CERT (notes, call logs unless shared).
    Internal,
}

/// One message of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    pub id: MessageId,
    pub case_id: CaseId,
    /// The message this one answers; `None` starts a thread.
    pub parent: Option<MessageId>,
    pub kind: MessageKind,
    pub direction: Direction,
    pub author: String,
    pub at: Timestamp,
    pub subject: String,
    pub body: String,
    pub tlp: Tlp,
    pub sharing: Sharing,
    pub attachments: Vec<AttachmentId>,
    /// The e-mail Message-ID, for threading replies that lost the token.
    pub email_message_id: Option<String>,
}

impl CaseItem for CaseMessage {
    fn scope(&self) -> ItemScope<'_> {
        ItemScope {
            case_id: self.case_id,
            tlp: self.tlp,
            sharing: &self.sharing,
        }
    }
}

/// The messages in thread order: each thread's root by time, its replies depth-first under it.
/// Messages whose parent is not in the list (hidden from this viewer) become roots, so
/// filtering for a viewer never loses a visible message.
pub fn thread_order<'a>(messages: &[&'a CaseMessage]) -> Vec<(usize, &'a CaseMessage)> {
    let ids: Vec<MessageId> = messages.iter().map(|m| m.id).collect();
    let mut roots: Vec<&CaseMessage> = messages
        .iter()
        .copied()
        .filter(|m| m.parent.is_none_or(|p| !ids.contains(&p)))
        .collect();
    roots.sort_by_key(|m| (m.at, m.id));
    let mut out = Vec::with_capacity(messages.len());
    fn walk<'a>(
        m: &'a CaseMessage,
        depth: usize,
        all: &[&'a CaseMessage],
        out: &mut Vec<(usize, &'a CaseMessage)>,
    ) {
        // A cycle in stored data would otherwise never end; no thread is deeper than this.
        if depth > 64 || out.iter().any(|(_, x)| x.id == m.id) {
            return;
        }
        out.push((depth, m));
        let mut children: Vec<&CaseMessage> = all
            .iter()
            .copied()
            .filter(|c| c.parent == Some(m.id))
            .collect();
        children.sort_by_key(|c| (c.at, c.id));
        for c in children {
            walk(c, depth + 1, all, out);
        }
    }
    for r in roots {
        walk(r, 0, messages, &mut out);
    }
    out
}

/// The CERT's case mailbox, e.g. `cert@school-cert.nl`. Replies go to
/// `cert+<token>@school-cert.nl`, which lands in the same mailbox and names the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyMailbox {
    pub local: String,
    pub domain: String,
}

impl ReplyMailbox {
    pub fn parse(address: &str) -> Option<ReplyMailbox> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        if local.is_empty() || local.contains('+') || domain.is_empty() || !domain.contains('.') {
            return None;
        }
        Some(ReplyMailbox {
            local: local.to_ascii_lowercase(),
            domain: domain.to_ascii_lowercase(),
        })
    }

    /// The reply address for a case token.
    pub fn reply_address(&self, token: &str) -> String {
        format!("{}+{}@{}", self.local, token, self.domain)
    }

    /// The case token in an address of this mailbox, if it carries one.
    pub fn token_of(&self, address: &str) -> Option<String> {
        let a = address
            .trim()
            .trim_matches(|c| c == '<' || c == '>')
            .to_ascii_lowercase();
        let (local, domain) = a.rsplit_once('@')?;
        if domain != self.domain {
            return None;
        }
        let token = local.strip_prefix(&self.local)?.strip_prefix('+')?;
        let ok = (8..=64).contains(&token.len())
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        ok.then(|| token.to_owned())
    }
}

/// A new reply token for a case: random, lower-case (mail systems may change the case of the
/// local part), stored hashed like every other secret (`SecretToken::hash`).
pub fn new_reply_token() -> Result<SecretToken, RandomUnavailable> {
    SecretToken::generate("")
}

/// The subject of an outgoing case e-mail: case tag first (so replies route), the TLP label
/// (TLP 2.0 asks for it to be visible), and an exercise marker when it is one.
pub fn outbound_subject(reference: &CaseRef, subject: &str, tlp: Tlp, exercise: bool) -> String {
    let mut s = reference.subject_tag();
    s.push_str(" [");
    s.push_str(tlp.label());
    s.push(']');
    if exercise {
        s.push_str(" [OEFENING]");
    }
    // Drop the tags an earlier message already carried, so replies to replies do not pile
    // them up.
    let rest = subject
        .replace(&reference.subject_tag(), "")
        .replace("[OEFENING]", "");
    let rest = strip_tlp_tags(&rest);
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    if !rest.is_empty() {
        s.push(' ');
        s.push_str(&rest);
    }
    s
}

fn strip_tlp_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[TLP:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseKind;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn reply_addresses_carry_and_yield_the_token() {
        let mb = ReplyMailbox::parse("CERT@School-CERT.nl").unwrap();
        let token = new_reply_token().unwrap();
        let addr = mb.reply_address(token.expose());
        assert_eq!(
            mb.token_of(&addr.to_uppercase()).as_deref(),
            Some(token.expose())
        );
        assert_eq!(mb.token_of("cert@school-cert.nl"), None);
        assert_eq!(mb.token_of("cert+abcdefgh@elders.nl"), None);
        assert_eq!(mb.token_of("certx+abcdefgh@school-cert.nl"), None);
        assert_eq!(mb.token_of("cert+kort@school-cert.nl"), None);
        assert!(ReplyMailbox::parse("cert+x@school-cert.nl").is_none());
    }

    #[test]
    fn subjects_carry_tag_label_and_exercise_once() {
        let r = CaseRef::new(CaseKind::Incident, 2026, 42);
        assert_eq!(
            outbound_subject(
                &r,
                "Re: [INC-2026-0042] [TLP:AMBER] Advies",
                Tlp::AmberStrict,
                true
            ),
            "[INC-2026-0042] [TLP:AMBER+STRICT] [OEFENING] Re: Advies"
        );
    }

    #[test]
    fn threads_nest_replies_and_survive_hidden_parents() {
        let t = |s: &str| parse_rfc3339(s).unwrap();
        let m = |id: i64, parent: Option<i64>, at: &str| CaseMessage {
            id: MessageId(id),
            case_id: CaseId(1),
            parent: parent.map(MessageId),
            kind: MessageKind::Email,
            direction: Direction::Inbound,
            author: "x".into(),
            at: t(at),
            subject: String::new(),
            body: String::new(),
            tlp: Tlp::Amber,
            sharing: Sharing::with_board(),
            attachments: vec![],
            email_message_id: None,
        };
        let a = m(1, None, "2026-01-01T10:00:00Z");
        let b = m(2, Some(1), "2026-01-01T11:00:00Z");
        let c = m(3, None, "2026-01-01T10:30:00Z");
        let d = m(4, Some(9), "2026-01-01T09:00:00Z");
        let order: Vec<_> = thread_order(&[&a, &b, &c, &d])
            .into_iter()
            .map(|(depth, m)| (depth, m.id.0))
            .collect();
        assert_eq!(order, [(0, 4), (0, 1), (1, 2), (0, 3)]);
    }
}
