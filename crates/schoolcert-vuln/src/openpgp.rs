//! OpenPGP for CSAF distribution: detached, ASCII-armoured `.asc` signatures made with the
//! CERT's key (publishing) and checked against a provider's published keys (retrieving).

use pgp::composed::{
    ArmorOptions, Deserializable, DetachedSignature, SignedPublicKey, SignedSecretKey,
    SubpacketConfig,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Subpacket, SubpacketData};
use pgp::types::{KeyDetails, Password, SigningKey};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use schoolcert_domain::Timestamp;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PgpError {
    #[error("not an ASCII-armoured OpenPGP secret key: {0}")]
    SecretKey(String),
    #[error("not an ASCII-armoured OpenPGP public key: {0}")]
    PublicKey(String),
    #[error("the key has no usable signing key")]
    NoSigningKey,
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("not an ASCII-armoured OpenPGP signature: {0}")]
    BadSignatureFile(String),
    #[error("the signature does not verify with any trusted key")]
    NotVerified,
    #[error("no trusted keys to verify with")]
    NoKeys,
}

/// Upper-case hex fingerprint, as `provider-metadata.json` carries it.
fn fingerprint_hex(key: &impl KeyDetails) -> String {
    hex::encode_upper(key.fingerprint().as_bytes())
}

/// The CERT's signing key.
#[derive(Debug)]
pub struct Signer {
    key: SignedSecretKey,
    password: Password,
}

impl Signer {
    /// Reads an armoured secret key; `passphrase` may be empty.
    pub fn from_armored(armored: &str, passphrase: &str) -> Result<Signer, PgpError> {
        let (key, _) = SignedSecretKey::from_string(armored.trim())
            .map_err(|e| PgpError::SecretKey(e.to_string()))?;
        key.verify_bindings()
            .map_err(|e| PgpError::SecretKey(e.to_string()))?;
        Ok(Signer {
            key,
            password: Password::from(passphrase),
        })
    }

    /// The primary key's fingerprint (upper-case hex): the name of the published key file.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.key.primary_key)
    }

    /// The public key, armoured, to publish under `openpgp/`.
    pub fn public_key_armored(&self) -> Result<String, PgpError> {
        self.key
            .to_public_key()
            .to_armored_string(ArmorOptions::default())
            .map_err(|e| PgpError::Sign(e.to_string()))
    }

    /// A detached binary signature over `data`, armoured, with `created` as the signature
    /// time (time is a parameter). Signs with a signing-capable subkey when the key has one
    /// (the usual layout), else with the primary key.
    pub fn sign(&self, data: &[u8], created: Timestamp) -> Result<String, PgpError> {
        let subkey = self
            .key
            .secret_subkeys
            .iter()
            .find(|s| s.signatures.iter().any(|sig| sig.key_flags().sign()));
        match subkey {
            Some(s) => self.sign_with(&s.key, data, created),
            None => self.sign_with(&self.key.primary_key, data, created),
        }
    }

    fn sign_with<K: SigningKey + KeyDetails>(
        &self,
        key: &K,
        data: &[u8],
        created: Timestamp,
    ) -> Result<String, PgpError> {
        let err = |e: pgp::errors::Error| PgpError::Sign(e.to_string());
        let secs = u32::try_from(created.timestamp().max(0)).unwrap_or(u32::MAX);
        let hashed = vec![
            Subpacket::regular(SubpacketData::IssuerFingerprint(key.fingerprint())).map_err(err)?,
            Subpacket::regular(SubpacketData::SignatureCreationTime(
                pgp::types::Timestamp::from_secs(secs),
            ))
            .map_err(err)?,
        ];
        let unhashed =
            vec![Subpacket::regular(SubpacketData::IssuerKeyId(key.legacy_key_id())).map_err(err)?];
        // The RNG only salts v6 signatures; seeding it from the data keeps output reproducible.
        let rng = ChaCha20Rng::from_seed(Sha256::digest(data).into());
        let sig = DetachedSignature::sign_binary_data_with_subpackets(
            rng,
            key,
            &self.password,
            HashAlgorithm::Sha512,
            data,
            SubpacketConfig::UserDefined { hashed, unhashed },
        )
        .map_err(err)?;
        sig.to_armored_string(ArmorOptions::default()).map_err(err)
    }
}

/// Public keys a provider publishes (or the CERT pinned), to verify `.asc` files with.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    keys: Vec<SignedPublicKey>,
}

impl TrustedKeys {
    pub fn new() -> TrustedKeys {
        TrustedKeys::default()
    }

    /// Adds an armoured public key after checking its self-signatures. When `fingerprint`
    /// is given (from `public_openpgp_keys[].fingerprint`), the key must have it.
    pub fn add_armored(
        &mut self,
        armored: &str,
        fingerprint: Option<&str>,
    ) -> Result<String, PgpError> {
        let (key, _) = SignedPublicKey::from_string(armored.trim())
            .map_err(|e| PgpError::PublicKey(e.to_string()))?;
        key.verify_bindings()
            .map_err(|e| PgpError::PublicKey(e.to_string()))?;
        let fp = fingerprint_hex(&key);
        if let Some(want) = fingerprint {
            let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
            if !want.eq_ignore_ascii_case(&fp) {
                return Err(PgpError::PublicKey(format!(
                    "fingerprint {fp} differs from the announced {want}"
                )));
            }
        }
        self.keys.push(key);
        Ok(fp)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn fingerprints(&self) -> Vec<String> {
        self.keys.iter().map(fingerprint_hex).collect()
    }

    /// Verifies a detached armoured signature over `data` with the primary key or any
    /// subkey of any trusted key; returns the fingerprint of the certificate that verified.
    pub fn verify(&self, data: &[u8], armored_signature: &[u8]) -> Result<String, PgpError> {
        if self.keys.is_empty() {
            return Err(PgpError::NoKeys);
        }
        let text = std::str::from_utf8(armored_signature)
            .map_err(|e| PgpError::BadSignatureFile(e.to_string()))?;
        let (sig, _) = DetachedSignature::from_string(text.trim())
            .map_err(|e| PgpError::BadSignatureFile(e.to_string()))?;
        for key in &self.keys {
            if sig.verify(key, data).is_ok()
                || key
                    .public_subkeys
                    .iter()
                    .any(|s| sig.verify(s, data).is_ok())
            {
                return Ok(fingerprint_hex(key));
            }
        }
        Err(PgpError::NotVerified)
    }
}

/// A fresh armoured secret key (Ed25519 primary with a signing subkey) from a caller-given
/// seed: the platform generates one when the CERT configured none, and tests use fixed seeds.
pub fn generate_key(user_id: &str, seed: [u8; 32]) -> Result<String, PgpError> {
    use pgp::composed::{EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder};
    let err = |e: String| PgpError::Sign(e);
    let mut sub = SubkeyParamsBuilder::default();
    sub.key_type(KeyType::Ed25519Legacy)
        .can_sign(true)
        .can_encrypt(EncryptionCaps::None)
        .can_authenticate(false);
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(false)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id(user_id.into())
        .subkeys(vec![sub.build().map_err(|e| err(e.to_string()))?]);
    let key = params
        .build()
        .map_err(|e| err(e.to_string()))?
        .generate(ChaCha20Rng::from_seed(seed))
        .map_err(|e| err(e.to_string()))?;
    key.to_armored_string(ArmorOptions::default())
        .map_err(|e| err(e.to_string()))
}

/// Test helper: a fresh signing key (Ed25519 primary with a signing subkey).
#[cfg(test)]
pub(crate) fn test_key(seed: u64) -> String {
    use pgp::composed::{EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder};
    let mut sub = SubkeyParamsBuilder::default();
    sub.key_type(KeyType::Ed25519Legacy)
        .can_sign(true)
        .can_encrypt(EncryptionCaps::None)
        .can_authenticate(false);
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(false)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id("School-CERT test <csaf@schoolcert.test>".into())
        .subkeys(vec![sub.build().unwrap()]);
    let key = params
        .build()
        .unwrap()
        .generate(ChaCha20Rng::seed_from_u64(seed))
        .unwrap();
    key.to_armored_string(ArmorOptions::default()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        schoolcert_domain::time::parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
    }

    #[test]
    fn signs_and_verifies_detached_signatures() {
        let signer = Signer::from_armored(&test_key(1), "").unwrap();
        let data = b"{\"document\":{}}";
        let asc = signer.sign(data, now()).unwrap();
        assert!(asc.starts_with("-----BEGIN PGP SIGNATURE-----"));
        let mut keys = TrustedKeys::new();
        let fp = keys
            .add_armored(
                &signer.public_key_armored().unwrap(),
                Some(&signer.fingerprint()),
            )
            .unwrap();
        assert_eq!(fp, signer.fingerprint());
        assert_eq!(keys.verify(data, asc.as_bytes()), Ok(fp));
        assert_eq!(
            keys.verify(b"tampered", asc.as_bytes()),
            Err(PgpError::NotVerified)
        );
        let other = Signer::from_armored(&test_key(2), "").unwrap();
        let mut wrong = TrustedKeys::new();
        wrong
            .add_armored(&other.public_key_armored().unwrap(), None)
            .unwrap();
        assert_eq!(
            wrong.verify(data, asc.as_bytes()),
            Err(PgpError::NotVerified)
        );
        assert!(matches!(
            keys.verify(data, b"garbage"),
            Err(PgpError::BadSignatureFile(_))
        ));
        assert!(matches!(
            TrustedKeys::new().add_armored(&signer.public_key_armored().unwrap(), Some("00FF")),
            Err(PgpError::PublicKey(_))
        ));
        assert!(Signer::from_armored("nope", "").is_err());
    }
}
