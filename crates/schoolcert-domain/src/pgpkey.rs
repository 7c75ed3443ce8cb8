//! OpenPGP public keys of contacts: parsed and validated, with the fingerprint shown to people.

use pgp::composed::{Deserializable, SignedPublicKey};
use pgp::types::KeyDetails;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKeyInfo {
    /// Upper-case hex, grouped in fours as people compare them.
    pub fingerprint: String,
    pub user_ids: Vec<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("this is not an ASCII-armoured OpenPGP public key: {0}")]
    Unreadable(String),
    #[error("the key's self-signatures do not verify: {0}")]
    BadSignatures(String),
}

impl crate::lang::Localized for KeyError {
    fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Nl => match self {
                KeyError::Unreadable(_) => "Dit is geen geldige OpenPGP-publieke sleutel (ASCII-armored, '-----BEGIN PGP PUBLIC KEY BLOCK-----').".into(),
                KeyError::BadSignatures(_) => "De handtekeningen in deze OpenPGP-sleutel kloppen niet.".into(),
            },
            crate::Lang::En => match self {
                KeyError::Unreadable(_) => "This is not a valid OpenPGP public key (ASCII-armoured, '-----BEGIN PGP PUBLIC KEY BLOCK-----').".into(),
                KeyError::BadSignatures(_) => "The signatures in this OpenPGP key do not verify.".into(),
            },
        }
    }
}

/// Parses an armoured public key and checks its self-signatures.
pub fn inspect(armored: &str) -> Result<PublicKeyInfo, KeyError> {
    let (key, _) = SignedPublicKey::from_string(armored.trim())
        .map_err(|e| KeyError::Unreadable(e.to_string()))?;
    key.verify_bindings()
        .map_err(|e| KeyError::BadSignatures(e.to_string()))?;
    let hex = hex::encode_upper(key.fingerprint().as_bytes());
    let fingerprint = hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let user_ids = key
        .details
        .users
        .iter()
        .map(|u| String::from_utf8_lossy(u.id.id()).into_owned())
        .collect();
    Ok(PublicKeyInfo {
        fingerprint,
        user_ids,
        created_at: key.created_at().as_secs() as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(matches!(inspect("hello"), Err(KeyError::Unreadable(_))));
        assert!(matches!(
            inspect(
                "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----"
            ),
            Err(KeyError::Unreadable(_))
        ));
    }
}
