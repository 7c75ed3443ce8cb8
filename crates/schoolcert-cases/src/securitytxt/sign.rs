//! OpenPGP cleartext signing of a security.txt with the CERT's key (given armoured, with its
//! passphrase), and verification against a public key. The signature's creation time is the
//! `now` passed in, not the machine's clock.

use pgp::composed::{
    ArmorOptions, CleartextSignedMessage, Deserializable, SignedPublicKey, SignedSecretKey,
};
use pgp::packet::{SignatureConfig, SignatureType, Subpacket, SubpacketData};
use pgp::types::{KeyVersion, Password, SigningKey};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::token::random_bytes;
use schoolcert_domain::{Lang, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("this is not an ASCII-armoured OpenPGP secret key: {0}")]
    BadKey(String),
    #[error("signing failed (wrong passphrase?): {0}")]
    Signing(String),
    #[error("the signature does not verify: {0}")]
    BadSignature(String),
    #[error("the random source failed")]
    Random,
}

impl Localized for SignError {
    fn message(&self, lang: Lang) -> String {
        match self {
            SignError::BadKey(_) => lang.pick(
                "Dit is geen geldige OpenPGP-privésleutel ('-----BEGIN PGP PRIVATE KEY BLOCK-----').",
                "This is not a valid OpenPGP secret key ('-----BEGIN PGP PRIVATE KEY BLOCK-----').",
            ),
            SignError::Signing(_) => lang.pick(
                "Ondertekenen is mislukt; klopt het wachtwoord van de sleutel?",
                "Signing failed; is the key's passphrase right?",
            ),
            SignError::BadSignature(_) => lang.pick(
                "De handtekening klopt niet bij deze sleutel.",
                "The signature does not verify with this key.",
            ),
            SignError::Random => lang.pick(
                "De bron van willekeurige getallen faalde.",
                "The random source failed.",
            ),
        }
        .to_owned()
    }
}

fn config_for(key: &impl SigningKey, now: Timestamp) -> Result<SignatureConfig, SignError> {
    let mut config = match key.version() {
        KeyVersion::V6 => {
            let len = key.hash_alg().salt_len().unwrap_or(16);
            let mut salt = random_bytes::<32>()
                .map_err(|_| SignError::Random)?
                .to_vec();
            salt.truncate(len);
            SignatureConfig::v6_with_salt(
                SignatureType::Text,
                key.algorithm(),
                key.hash_alg(),
                salt,
            )
        }
        _ => SignatureConfig::v4(SignatureType::Text, key.algorithm(), key.hash_alg()),
    };
    let created = pgp::types::Timestamp::from_secs(u32::try_from(now.timestamp()).unwrap_or(0));
    let sub = |d| Subpacket::regular(d).map_err(|e| SignError::Signing(e.to_string()));
    config.hashed_subpackets = vec![
        sub(SubpacketData::SignatureCreationTime(created))?,
        sub(SubpacketData::IssuerFingerprint(key.fingerprint()))?,
    ];
    if key.version() <= KeyVersion::V4 {
        config.unhashed_subpackets = vec![sub(SubpacketData::IssuerKeyId(key.legacy_key_id()))?];
    }
    Ok(config)
}

/// Clear-signs `text`. Uses the key's signing subkey when it has one, else the primary key.
pub fn clear_sign(
    text: &str,
    armored_secret_key: &str,
    passphrase: Option<&str>,
    now: Timestamp,
) -> Result<String, SignError> {
    let (key, _) = SignedSecretKey::from_string(armored_secret_key.trim())
        .map_err(|e| SignError::BadKey(e.to_string()))?;
    let pw = passphrase.map_or_else(Password::empty, Password::from);
    let subkey = key
        .secret_subkeys
        .iter()
        .find(|s| s.signatures.iter().any(|sig| sig.key_flags().sign()));
    let msg = match subkey {
        Some(s) => CleartextSignedMessage::new(text, config_for(&s.key, now)?, &s.key, &pw),
        None => CleartextSignedMessage::new(
            text,
            config_for(&key.primary_key, now)?,
            &key.primary_key,
            &pw,
        ),
    }
    .map_err(|e| SignError::Signing(e.to_string()))?;
    msg.to_armored_string(ArmorOptions::default())
        .map_err(|e| SignError::Signing(e.to_string()))
}

/// Verifies a clear-signed text against an armoured public key (primary or any subkey) and
/// returns the signed text.
pub fn verify(signed: &str, armored_public_key: &str) -> Result<String, SignError> {
    let (key, _) = SignedPublicKey::from_string(armored_public_key.trim())
        .map_err(|e| SignError::BadKey(e.to_string()))?;
    let (msg, _) = CleartextSignedMessage::from_string(signed.trim_start())
        .map_err(|e| SignError::BadSignature(e.to_string()))?;
    let ok = msg.verify(&key).is_ok() || key.public_subkeys.iter().any(|s| msg.verify(s).is_ok());
    if ok {
        Ok(msg.signed_text())
    } else {
        Err(SignError::BadSignature(
            "no signature matches the key".into(),
        ))
    }
}
