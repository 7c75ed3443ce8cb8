//! Uploaded and e-mailed files: size limits, a safe file name, a minimal content-type sniff and
//! the SHA-256 the store keeps (and shows, so a board can check it got the same file).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;

/// Limits for one upload form or one e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLimits {
    pub max_file_bytes: usize,
    pub max_files: usize,
    pub max_total_bytes: usize,
}

impl Default for AttachmentLimits {
    /// 10 MiB a file, 5 files, 25 MiB together: screenshots, logs and a short video fit.
    fn default() -> Self {
        AttachmentLimits {
            max_file_bytes: 10 * 1024 * 1024,
            max_files: 5,
            max_total_bytes: 25 * 1024 * 1024,
        }
    }
}

/// A file as received.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub filename: &'a str,
    pub declared_type: Option<&'a str>,
    pub bytes: &'a [u8],
}

/// A checked file, ready to store next to its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub filename: String,
    /// What the content looks like, else a plausible declared type, else octet-stream. Serve
    /// it as a download either way.
    pub content_type: String,
    pub size: usize,
    pub sha256: String,
    /// Looks like a program or script; the UI warns before download.
    pub executable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("{filename}: the file is empty")]
    Empty { filename: String },
    #[error("{filename}: {size} bytes is more than the limit of {max}")]
    TooLarge {
        filename: String,
        size: usize,
        max: usize,
    },
    #[error("more than {max} files")]
    TooMany { max: usize },
    #[error("the files together are more than {max} bytes")]
    TotalTooLarge { max: usize },
}

/// "10 MB", "512 kB": limits as people read them.
pub fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        let tenths = bytes * 10 / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{},{} MB", tenths / 10, tenths % 10)
        }
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

impl Localized for AttachmentError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AttachmentError::Empty { filename }, Lang::Nl) => {
                format!("Het bestand '{filename}' is leeg.")
            }
            (AttachmentError::Empty { filename }, Lang::En) => {
                format!("The file '{filename}' is empty.")
            }
            (
                AttachmentError::TooLarge {
                    filename,
                    size,
                    max,
                },
                Lang::Nl,
            ) => format!(
                "Het bestand '{filename}' is {}; de grens is {} per bestand.",
                human_size(*size),
                human_size(*max)
            ),
            (
                AttachmentError::TooLarge {
                    filename,
                    size,
                    max,
                },
                Lang::En,
            ) => format!(
                "The file '{filename}' is {}; the limit is {} per file.",
                human_size(*size),
                human_size(*max)
            ),
            (AttachmentError::TooMany { max }, Lang::Nl) => {
                format!("Stuur hoogstens {max} bestanden mee.")
            }
            (AttachmentError::TooMany { max }, Lang::En) => {
                format!("Attach at most {max} files.")
            }
            (AttachmentError::TotalTooLarge { max }, Lang::Nl) => {
                format!("De bestanden zijn samen groter dan {}.", human_size(*max))
            }
            (AttachmentError::TotalTooLarge { max }, Lang::En) => {
                format!("The files together are larger than {}.", human_size(*max))
            }
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file name safe to store and offer for download: no directories, no control or shell
/// characters, at most 120 characters, never empty.
pub fn sanitise_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' | ';' | '$' | '`' => '_',
            other => other,
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let mut out: String = trimmed.chars().take(120).collect();
    if out.is_empty() {
        out = "bijlage".to_owned();
    }
    out
}

/// The content type the first bytes show, for the formats a report usually carries.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
        (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
        (b"MZ", "application/x-msdownload"),
        (b"\x7fELF", "application/x-executable"),
        (b"-----BEGIN PGP", "application/pgp-encrypted"),
    ];
    if let Some((_, t)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(t);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("video/mp4");
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.contains(&0) && is_utf8_prefix(head) {
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        let t = lower.trim_start();
        if t.starts_with("<!doctype html") || t.starts_with("<html") {
            return Some("text/html");
        }
        return Some("text/plain");
    }
    None
}

/// UTF-8 that may be cut in the middle of a character at the end of the sniffed window.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

const EXECUTABLE_EXTENSIONS: &[&str] = &[
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
    "hta", "jar", "lnk", "sh", "elf", "apk", "app",
];

fn looks_executable(filename: &str, sniffed: Option<&str>, bytes: &[u8]) -> bool {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    EXECUTABLE_EXTENSIONS.contains(&ext.as_str())
        || matches!(
            sniffed,
            Some("application/x-msdownload" | "application/x-executable")
        )
        || bytes.starts_with(b"#!")
}

fn plausible_type(t: &str) -> Option<String> {
    let t = t.split(';').next()?.trim().to_ascii_lowercase();
    let (a, b) = t.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    };
    (ok(a) && ok(b)).then_some(t)
}

/// Checks one file against the per-file limit.
pub fn check(
    upload: Upload<'_>,
    limits: &AttachmentLimits,
) -> Result<AttachmentInfo, AttachmentError> {
    let filename = sanitise_filename(upload.filename);
    if upload.bytes.is_empty() {
        return Err(AttachmentError::Empty { filename });
    }
    if upload.bytes.len() > limits.max_file_bytes {
        return Err(AttachmentError::TooLarge {
            filename,
            size: upload.bytes.len(),
            max: limits.max_file_bytes,
        });
    }
    let sniffed = sniff(upload.bytes);
    let content_type = sniffed
        .map(str::to_owned)
        .or_else(|| upload.declared_type.and_then(plausible_type))
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    Ok(AttachmentInfo {
        executable: looks_executable(&filename, sniffed, upload.bytes),
        filename,
        content_type,
        size: upload.bytes.len(),
        sha256: sha256_hex(upload.bytes),
    })
}

/// Checks a set of files (one form submission): every file, their number and their total.
/// All or nothing, so a form is refused cleanly with every reason at once.
pub fn check_all(
    uploads: &[Upload<'_>],
    limits: &AttachmentLimits,
) -> Result<Vec<AttachmentInfo>, Vec<AttachmentError>> {
    let mut errors = Vec::new();
    if uploads.len() > limits.max_files {
        errors.push(AttachmentError::TooMany {
            max: limits.max_files,
        });
    }
    let total: usize = uploads.iter().map(|u| u.bytes.len()).sum();
    if total > limits.max_total_bytes {
        errors.push(AttachmentError::TotalTooLarge {
            max: limits.max_total_bytes,
        });
    }
    let mut ok = Vec::new();
    for u in uploads {
        match check(*u, limits) {
            Ok(info) => ok.push(info),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up<'a>(name: &'a str, bytes: &'a [u8]) -> Upload<'a> {
        Upload {
            filename: name,
            declared_type: None,
            bytes,
        }
    }

    #[test]
    fn sniffs_common_formats_and_flags_programs() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"<!DOCTYPE html><p>"), Some("text/html"));
        assert_eq!(sniff("curl -k https://x/ é".as_bytes()), Some("text/plain"));
        assert_eq!(sniff(b"\x00\x01\x02"), None);
        let info = check(
            up("poc.sh", b"#!/bin/sh\necho"),
            &AttachmentLimits::default(),
        )
        .unwrap();
        assert!(info.executable);
        assert_eq!(info.content_type, "text/plain");
        assert_eq!(info.sha256.len(), 64);
        let exe = check(
            up("invoice.pdf", b"MZ\x90\x00"),
            &AttachmentLimits::default(),
        )
        .unwrap();
        assert!(
            exe.executable,
            "a program posing as a PDF is still a program"
        );
    }

    #[test]
    fn file_names_lose_paths_and_dangerous_characters() {
        assert_eq!(sanitise_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            sanitise_filename("C:\\Users\\x\\scan;rm.txt"),
            "scan_rm.txt"
        );
        assert_eq!(sanitise_filename(".htaccess"), "htaccess");
        assert_eq!(sanitise_filename("\u{0}\n"), "bijlage");
    }

    #[test]
    fn oversized_and_too_many_files_are_refused_with_every_reason() {
        let limits = AttachmentLimits {
            max_file_bytes: 4,
            max_files: 2,
            max_total_bytes: 5,
        };
        let errs =
            check_all(&[up("a", b"12345"), up("b", b"1"), up("c", b"")], &limits).unwrap_err();
        assert_eq!(errs.len(), 4);
        assert!(errs.contains(&AttachmentError::TooMany { max: 2 }));
        assert!(errs.contains(&AttachmentError::TotalTooLarge { max: 5 }));
        let big = AttachmentError::TooLarge {
            filename: "dump.zip".into(),
            size: 30 * 1024 * 1024,
            max: 10 * 1024 * 1024,
        };
        assert_eq!(
            big.message(Lang::Nl),
            "Het bestand 'dump.zip' is 30 MB; de grens is 10 MB per bestand."
        );
        assert!(check_all(&[up("a", b"12")], &limits).is_ok());
    }
}
