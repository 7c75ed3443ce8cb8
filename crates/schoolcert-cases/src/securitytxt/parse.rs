//! Reading and checking a security.txt (for the CERT's own file and for monitoring boards'
//! files): required fields, Expires in the future and under a year, HTTPS URIs, single-use
//! fields, and the cleartext signature frame.

use std::collections::BTreeMap;

use serde::Serialize;

use schoolcert_domain::lang::Localized;
use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{Lang, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    MissingContact,
    MissingExpires,
    MultipleExpires,
    BadExpires,
    Expired,
    /// Expires a year or more ahead (RFC 9116 recommends less).
    ExpiresTooFar,
    InsecureUri,
    MultiplePreferredLanguages,
    MalformedLine,
    BadSignatureFrame,
    /// Signed without Canonical: the signature does not bind the file to its place.
    SignedWithoutCanonical,
}

impl IssueKind {
    /// Errors make the file invalid; the rest are warnings.
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            IssueKind::ExpiresTooFar | IssueKind::SignedWithoutCanonical
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// 1-based line in the (signed) text; 0 for the file as a whole.
    pub line: usize,
    pub kind: IssueKind,
}

impl Localized for Issue {
    fn message(&self, lang: Lang) -> String {
        let (nl, en) = match self.kind {
            IssueKind::MissingContact => ("Contact ontbreekt.", "Contact is missing."),
            IssueKind::MissingExpires => ("Expires ontbreekt.", "Expires is missing."),
            IssueKind::MultipleExpires => (
                "Expires staat er meer dan eens in.",
                "Expires appears more than once.",
            ),
            IssueKind::BadExpires => (
                "Expires is geen geldige datum (ISO 8601).",
                "Expires is not a valid date (ISO 8601).",
            ),
            IssueKind::Expired => (
                "Het bestand is verlopen (Expires ligt in het verleden).",
                "The file has expired.",
            ),
            IssueKind::ExpiresTooFar => (
                "Expires ligt een jaar of meer vooruit.",
                "Expires is a year or more ahead.",
            ),
            IssueKind::InsecureUri => (
                "Een webadres gebruikt http in plaats van https.",
                "A web URI uses http instead of https.",
            ),
            IssueKind::MultiplePreferredLanguages => (
                "Preferred-Languages staat er meer dan eens in.",
                "Preferred-Languages appears more than once.",
            ),
            IssueKind::MalformedLine => (
                "Deze regel is geen veld of commentaar.",
                "This line is neither a field nor a comment.",
            ),
            IssueKind::BadSignatureFrame => (
                "De OpenPGP-ondertekening is onleesbaar.",
                "The OpenPGP signature frame is unreadable.",
            ),
            IssueKind::SignedWithoutCanonical => {
                ("Ondertekend zonder Canonical.", "Signed without Canonical.")
            }
        };
        let text = lang.pick(nl, en);
        if self.line > 0 {
            match lang {
                Lang::Nl => format!("Regel {}: {text}", self.line),
                Lang::En => format!("Line {}: {text}", self.line),
            }
        } else {
            text.to_owned()
        }
    }
}

/// A read security.txt: the fields by lower-case name in file order, and every issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed {
    pub fields: BTreeMap<String, Vec<String>>,
    pub expires: Option<Timestamp>,
    pub signed: bool,
    /// The text that was checked (inside the signature frame when signed).
    pub text: String,
    pub issues: Vec<Issue>,
}

impl Parsed {
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|i| i.kind.is_error())
    }

    pub fn values(&self, name: &str) -> &[String] {
        self.fields
            .get(&name.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }
}

/// Parses and checks a security.txt at `now`.
pub fn parse(input: &str, now: Timestamp) -> Parsed {
    let mut issues = Vec::new();
    let trimmed = input.trim_start_matches('\u{feff}');
    let signed = trimmed
        .trim_start()
        .starts_with("-----BEGIN PGP SIGNED MESSAGE-----");
    let text = if signed {
        match pgp::composed::CleartextSignedMessage::from_string(trimmed) {
            Ok((msg, _)) => msg.signed_text().replace("\r\n", "\n"),
            Err(_) => {
                issues.push(Issue {
                    line: 0,
                    kind: IssueKind::BadSignatureFrame,
                });
                String::new()
            }
        }
    } else {
        trimmed.to_owned()
    };

    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut expires_lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            issues.push(Issue {
                line: line_no,
                kind: IssueKind::MalformedLine,
            });
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim().to_owned();
        if name.is_empty() || name.contains(' ') {
            issues.push(Issue {
                line: line_no,
                kind: IssueKind::MalformedLine,
            });
            continue;
        }
        let web_field = matches!(
            name.as_str(),
            "contact"
                | "encryption"
                | "acknowledgments"
                | "canonical"
                | "policy"
                | "hiring"
                | "csaf"
        );
        if web_field && value.to_ascii_lowercase().starts_with("http:") {
            issues.push(Issue {
                line: line_no,
                kind: IssueKind::InsecureUri,
            });
        }
        if name == "expires" {
            expires_lines.push((line_no, value.clone()));
        }
        fields.entry(name).or_default().push(value);
    }

    if fields.get("contact").is_none_or(Vec::is_empty) {
        issues.push(Issue {
            line: 0,
            kind: IssueKind::MissingContact,
        });
    }
    if fields
        .get("preferred-languages")
        .is_some_and(|v| v.len() > 1)
    {
        issues.push(Issue {
            line: 0,
            kind: IssueKind::MultiplePreferredLanguages,
        });
    }
    let mut expires = None;
    match expires_lines.as_slice() {
        [] => issues.push(Issue {
            line: 0,
            kind: IssueKind::MissingExpires,
        }),
        [(line, value)] => match parse_rfc3339(value) {
            None => issues.push(Issue {
                line: *line,
                kind: IssueKind::BadExpires,
            }),
            Some(t) => {
                expires = Some(t);
                if t <= now {
                    issues.push(Issue {
                        line: *line,
                        kind: IssueKind::Expired,
                    });
                } else if t - now >= chrono::Duration::days(365) {
                    issues.push(Issue {
                        line: *line,
                        kind: IssueKind::ExpiresTooFar,
                    });
                }
            }
        },
        [_, (line, _), ..] => issues.push(Issue {
            line: *line,
            kind: IssueKind::MultipleExpires,
        }),
    }
    if signed && fields.get("canonical").is_none_or(Vec::is_empty) {
        issues.push(Issue {
            line: 0,
            kind: IssueKind::SignedWithoutCanonical,
        });
    }
    Parsed {
        fields,
        expires,
        signed,
        text,
        issues,
    }
}
