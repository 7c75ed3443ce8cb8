//! Malformed e-mail and oversized uploads are refused cleanly, with a reason in Dutch and
//! English; spam is recognised without a third-party CAPTCHA.

use schoolcert_cases::attachments::{AttachmentError, AttachmentLimits, Upload, check_all};
use schoolcert_cases::email_intake::{MailError, MailLimits, parse_eml};
use schoolcert_cases::fields::FieldError;
use schoolcert_cases::intake::ratelimit::{RateDecision, RateLimit, client_key, decide};
use schoolcert_cases::intake::{CvdIntakeForm, IntakeLimits, IntakeOutcome, validate};
use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::time::parse_rfc3339;

#[test]
fn malformed_mail_is_refused_with_a_reason() {
    let limits = MailLimits::default();
    let cases: [(&[u8], MailError); 4] = [
        (b"", MailError::Empty),
        (b"%PDF-1.7\n%binary", MailError::NotAMessage),
        (
            b"Subject: zonder afzender\r\n\r\nhoi\r\n",
            MailError::NoSender,
        ),
        (b"\x00\x01\x02\x03", MailError::NotAMessage),
    ];
    for (bytes, expected) in cases {
        let err = parse_eml(bytes, &limits, None).unwrap_err();
        assert_eq!(err, expected);
        assert!(!err.message(Lang::Nl).is_empty());
        assert!(!err.message(Lang::En).is_empty());
    }
    let big = vec![b'a'; 2048];
    let small = MailLimits {
        max_message_bytes: 1024,
        ..MailLimits::default()
    };
    assert!(matches!(
        parse_eml(&big, &small, None),
        Err(MailError::TooLarge {
            size: 2048,
            max: 1024
        })
    ));
}

#[test]
fn oversized_uploads_are_refused_per_file_and_in_total() {
    let limits = AttachmentLimits {
        max_file_bytes: 1024,
        max_files: 3,
        max_total_bytes: 2048,
    };
    let big = vec![0u8; 1500];
    let ok = vec![1u8; 900];
    let errors = check_all(
        &[
            Upload {
                filename: "dump.sql",
                declared_type: None,
                bytes: &big,
            },
            Upload {
                filename: "a.png",
                declared_type: None,
                bytes: &ok,
            },
            Upload {
                filename: "b.png",
                declared_type: None,
                bytes: &ok,
            },
        ],
        &limits,
    )
    .unwrap_err();
    assert!(errors.iter().any(
        |e| matches!(e, AttachmentError::TooLarge { filename, .. } if filename == "dump.sql")
    ));
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, AttachmentError::TotalTooLarge { .. }))
    );

    let form = CvdIntakeForm {
        what: "XSS in de zoekfunctie van de schoolsite",
        location: "https://www.klimop.nl/zoeken?q=",
        reproduce: "Zoek op <script>alert(1)</script>",
        attachments: vec![Upload {
            filename: "video.mp4",
            declared_type: Some("video/mp4"),
            bytes: &big,
        }],
        ..CvdIntakeForm::default()
    };
    let intake_limits = IntakeLimits {
        attachments: limits,
        ..IntakeLimits::default()
    };
    let errors: Vec<FieldError> = validate(&form, &intake_limits).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "attachments");
    assert!(errors[0].message(Lang::Nl).contains("video.mp4"));
}

#[test]
fn bots_are_caught_by_the_honeypot_and_the_rate_limit() {
    let form = CvdIntakeForm {
        honeypot: "Buy now",
        ..CvdIntakeForm::default()
    };
    assert_eq!(
        validate(&form, &IntakeLimits::default()),
        Ok(IntakeOutcome::Spam)
    );

    let now = parse_rfc3339("2026-04-01T09:00:00Z").unwrap();
    let key = client_key("2001:db8:aa:bb:1::9".parse().unwrap());
    assert_eq!(key, "2001:db8:aa:bb::/64");
    let earlier: Vec<_> = (1..=5)
        .map(|m| now - chrono::Duration::minutes(m))
        .collect();
    assert!(matches!(
        decide(&earlier, now, RateLimit::cvd_form()),
        RateDecision::Deny { .. }
    ));
    assert_eq!(
        decide(&earlier[..4], now, RateLimit::cvd_form()),
        RateDecision::Allow
    );
}
