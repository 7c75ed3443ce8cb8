//! Checking a downloaded document before it is parsed: its `.sha512`/`.sha256` file and, when
//! the provider publishes keys, its `.asc` signature (CSAF 7.3 step 4).

use serde::Serialize;
use sha2::{Digest, Sha256, Sha512};

use crate::openpgp::TrustedKeys;

/// The digest from a hash file: the first token, if it is hex (`<hex>  <name>`).
pub fn parse_hash_file(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let token = text.split_whitespace().next()?;
    (token.len() >= 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| token.to_ascii_lowercase())
}

/// Which hash was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HashCheck {
    Sha512,
    Sha256,
    /// The provider published no hash file (allowed below trusted provider).
    Missing,
}

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "state", content = "fingerprint", rename_all = "snake_case")]
pub enum SignatureCheck {
    /// Verified with the key of this fingerprint.
    Verified(String),
    /// No `.asc` and none required.
    Missing,
    /// The provider publishes no keys: nothing to check against.
    NoKeys,
}

/// Why a document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum VerifyError {
    #[error("{algorithm} mismatch: the hash file says {expected}, the document is {actual}")]
    HashMismatch {
        algorithm: &'static str,
        expected: String,
        actual: String,
    },
    #[error("the hash file cannot be read")]
    BadHashFile,
    #[error("a trusted provider must publish a .sha256 or .sha512 file")]
    HashRequired,
    #[error("the provider publishes keys but the document has no .asc signature")]
    SignatureRequired,
    #[error("the .asc signature does not verify: {0}")]
    BadSignature(String),
}

/// Verifies `document` against what was fetched next to it. `sha512` is preferred over
/// `sha256`; `signature_required` is true for trusted providers and whenever keys exist.
pub fn verify(
    document: &[u8],
    sha512: Option<&[u8]>,
    sha256: Option<&[u8]>,
    signature: Option<&[u8]>,
    keys: &TrustedKeys,
    hash_required: bool,
) -> Result<(HashCheck, SignatureCheck), VerifyError> {
    let hash = if let Some(file) = sha512 {
        let expected = parse_hash_file(file).ok_or(VerifyError::BadHashFile)?;
        let actual = hex::encode(Sha512::digest(document));
        if expected != actual {
            return Err(VerifyError::HashMismatch {
                algorithm: "SHA-512",
                expected,
                actual,
            });
        }
        HashCheck::Sha512
    } else if let Some(file) = sha256 {
        let expected = parse_hash_file(file).ok_or(VerifyError::BadHashFile)?;
        let actual = hex::encode(Sha256::digest(document));
        if expected != actual {
            return Err(VerifyError::HashMismatch {
                algorithm: "SHA-256",
                expected,
                actual,
            });
        }
        HashCheck::Sha256
    } else if hash_required {
        return Err(VerifyError::HashRequired);
    } else {
        HashCheck::Missing
    };
    let sig = match signature {
        _ if keys.is_empty() => SignatureCheck::NoKeys,
        None => return Err(VerifyError::SignatureRequired),
        Some(asc) => SignatureCheck::Verified(
            keys.verify(document, asc)
                .map_err(|e| VerifyError::BadSignature(e.to_string()))?,
        ),
    };
    Ok((hash, sig))
}
