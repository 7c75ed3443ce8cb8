//! Parsing real-shaped messages: a plain reply with a token, an HTML-only mail, attachments
//! over the limit, auto-replies and malformed input.

use super::*;
use crate::CaseKind;

fn mailbox() -> ReplyMailbox {
    ReplyMailbox::parse("cert@school-cert.nl").unwrap()
}

const REPLY: &str = "From: \"Jan de Vries\" <J.deVries@Klimop.nl>\r
To: School-CERT <cert+abcdefgh2345@school-cert.nl>\r
Cc: it@klimop.nl\r
Subject: Re: [INC-2026-0042] [TLP:AMBER] Advies ransomware\r
Date: Tue, 03 Mar 2026 10:15:00 +0100\r
Message-ID: <abc123@klimop.nl>\r
In-Reply-To: <out-1@school-cert.nl>\r
References: <out-0@school-cert.nl> <out-1@school-cert.nl>\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary=\"b1\"\r
\r
--b1\r
Content-Type: text/plain; charset=utf-8\r
Content-Transfer-Encoding: 8bit\r
\r
De back-ups zijn gecontroleerd: offline kopie van vrijdag is schoon.\r
\r
Op 3 mrt 2026 om 09:00 heeft School-CERT het volgende geschreven:\r
Op ma 2 mrt. 2026 schreef:\r
> Controleer de back-ups.\r
--b1\r
Content-Type: text/plain; name=\"log.txt\"\r
Content-Disposition: attachment; filename=\"log.txt\"\r
\r
2026-03-02 22:14 vssadmin delete shadows /all /quiet\r
--b1\r
Content-Type: application/octet-stream; name=\"groot.bin\"\r
Content-Disposition: attachment; filename=\"groot.bin\"\r
Content-Transfer-Encoding: base64\r
\r
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r
--b1--\r
";

#[test]
fn a_reply_is_parsed_with_token_threading_and_attachments() {
    let limits = MailLimits {
        attachments: AttachmentLimits {
            max_file_bytes: 55,
            ..AttachmentLimits::default()
        },
        ..MailLimits::default()
    };
    let m = parse_eml(REPLY.as_bytes(), &limits, Some(&mailbox())).unwrap();
    assert_eq!(m.from.as_str(), "J.deVries@klimop.nl");
    assert_eq!(m.from_name.as_deref(), Some("Jan de Vries"));
    assert_eq!(m.to, ["cert+abcdefgh2345@school-cert.nl"]);
    assert_eq!(m.cc, ["it@klimop.nl"]);
    assert_eq!(
        m.subject,
        "Re: [INC-2026-0042] [TLP:AMBER] Advies ransomware"
    );
    assert_eq!(
        m.date.map(schoolcert_domain::time::format_utc).as_deref(),
        Some("2026-03-03T09:15:00Z")
    );
    assert_eq!(m.message_id.as_deref(), Some("abc123@klimop.nl"));
    assert_eq!(m.in_reply_to, ["out-1@school-cert.nl"]);
    assert_eq!(m.references.len(), 2);
    assert_eq!(m.case_hint, CaseHint::Token("abcdefgh2345".into()));
    assert!(m.text.starts_with("De back-ups zijn gecontroleerd"));
    assert!(!m.text_from_html);
    assert_eq!(
        reply_without_quote(&m.text),
        "De back-ups zijn gecontroleerd: offline kopie van vrijdag is schoon."
    );
    assert_eq!(
        m.attachments.len(),
        1,
        "{:?} {:?}",
        m.attachments,
        m.refused_attachments
    );
    let log = &m.attachments[0];
    assert_eq!(log.info.filename, "log.txt");
    assert_eq!(log.info.size, log.bytes.len());
    assert_eq!(log.info.sha256, crate::attachments::sha256_hex(&log.bytes));
    assert_eq!(m.refused_attachments.len(), 1);
    assert!(matches!(
        &m.refused_attachments[0],
        AttachmentError::TooLarge { filename, size: 60, max: 55 } if filename == "groot.bin"
    ));
    assert!(!m.auto_reply);
}

#[test]
fn without_a_token_the_subject_tag_points_to_the_case() {
    let mail = REPLY.replace("cert+abcdefgh2345@", "cert@");
    let m = parse_eml(mail.as_bytes(), &MailLimits::default(), Some(&mailbox())).unwrap();
    assert_eq!(
        m.case_hint,
        CaseHint::Reference(CaseRef::new(CaseKind::Incident, 2026, 42))
    );
    let plain = mail.replace("[INC-2026-0042] ", "");
    let m = parse_eml(plain.as_bytes(), &MailLimits::default(), None).unwrap();
    assert_eq!(m.case_hint, CaseHint::None);
}

#[test]
fn html_only_mail_gets_a_text_body_and_auto_replies_are_marked() {
    let mail = "From: ict@esdoorn.nl\r
To: cert@school-cert.nl\r
Subject: Automatisch antwoord: melding\r
Auto-Submitted: auto-replied\r
Content-Type: text/html; charset=utf-8\r
\r
<html><body><p>Ik ben <b>afwezig</b> tot maandag.</p></body></html>\r
";
    let m = parse_eml(mail.as_bytes(), &MailLimits::default(), Some(&mailbox())).unwrap();
    assert!(m.text_from_html);
    assert!(m.text.contains("Ik ben afwezig tot maandag."), "{}", m.text);
    assert!(m.auto_reply);
    assert_eq!(m.date, None);
}

#[test]
fn malformed_mail_is_refused_cleanly() {
    let limits = MailLimits::default();
    assert_eq!(parse_eml(b"", &limits, None), Err(MailError::Empty));
    assert_eq!(parse_eml(b" \r\n ", &limits, None), Err(MailError::Empty));
    assert_eq!(
        parse_eml(b"\x89PNG\r\n\x1a\n binary", &limits, None),
        Err(MailError::NotAMessage)
    );
    assert_eq!(
        parse_eml(b"Hallo CERT, er is iets mis.\n", &limits, None),
        Err(MailError::NotAMessage)
    );
    assert_eq!(
        parse_eml(b"Subject: hallo\r\n\r\ntekst\r\n", &limits, None),
        Err(MailError::NoSender)
    );
    assert!(matches!(
        parse_eml(
            b"From: niet een adres\r\nSubject: x\r\n\r\ny\r\n",
            &limits,
            None
        ),
        Err(MailError::NoSender | MailError::BadSender(_))
    ));
    let small = MailLimits {
        max_message_bytes: 10,
        ..MailLimits::default()
    };
    let err = parse_eml(REPLY.as_bytes(), &small, None).unwrap_err();
    assert!(matches!(err, MailError::TooLarge { max: 10, .. }));
    assert!(MailError::NotAMessage.message(Lang::Nl).contains(".eml"));
}

#[test]
fn mbox_from_lines_are_tolerated() {
    let mail =
        "From someone@example.org Tue Mar  3 10:00:00 2026\nFrom: a@b.nl\nSubject: x\n\nbody\n";
    assert!(parse_eml(mail.as_bytes(), &MailLimits::default(), None).is_ok());
}

#[test]
fn quoted_history_is_cut_at_the_first_marker() {
    let t = "Dank, we pakken het op.\n\nOn Mon, 2 Mar 2026, CERT wrote:\n> eerdere tekst\n";
    assert_eq!(reply_without_quote(t), "Dank, we pakken het op.");
    let t = "Akkoord.\n-----Oorspronkelijk bericht-----\nVan: CERT\n";
    assert_eq!(reply_without_quote(t), "Akkoord.");
    assert_eq!(reply_without_quote("Alleen dit.\n"), "Alleen dit.");
}
