//! Secret tokens (API tokens, confirmation links, reporter status links): generated from the OS
//! random source, shown once, and stored only as a SHA-256 hash.

use data_encoding::BASE32_NOPAD;
use rand::TryRng;
use sha2::{Digest, Sha256};

/// A freshly generated secret. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed")]
pub struct RandomUnavailable;

impl SecretToken {
    /// 160 bits of randomness with a readable prefix (`sc_` for API tokens, for instance), so a
    /// leaked token is recognisable by secret scanners.
    pub fn generate(prefix: &str) -> Result<Self, RandomUnavailable> {
        let bytes = random_bytes::<20>()?;
        Ok(Self(format!(
            "{prefix}{}",
            BASE32_NOPAD.encode(&bytes).to_ascii_lowercase()
        )))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomUnavailable> {
    let mut buf = [0u8; N];
    rand::rngs::SysRng
        .try_fill_bytes(&mut buf)
        .map_err(|_| RandomUnavailable)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_hash_stably() {
        let a = SecretToken::generate("sc_").unwrap();
        let b = SecretToken::generate("sc_").unwrap();
        assert_ne!(a, b);
        assert!(a.expose().starts_with("sc_"));
        assert_eq!(a.expose().len(), 3 + 32);
        assert_eq!(a.hash(), hash_token(a.expose()));
        assert_eq!(format!("{a:?}"), "SecretToken(..)");
    }
}
