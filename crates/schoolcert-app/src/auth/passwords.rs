//! Password hashing with argon2id, run off the async threads; unknown accounts are checked
//! against a dummy hash so response time does not reveal which addresses exist.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::{AppConfig, AppError, AppResult, Msg};

pub const MIN_LENGTH: usize = 12;

fn hasher(config: &AppConfig) -> AppResult<Argon2<'static>> {
    let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, 1, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Refuses passwords that are too short or obviously weak.
pub fn check_policy(password: &str, email: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(AppError::invalid(
            "password",
            Msg::new(
                format!(
                    "Kies een wachtwoord van minstens {MIN_LENGTH} tekens; een zin van een paar woorden werkt goed."
                ),
                format!(
                    "Choose a password of at least {MIN_LENGTH} characters; a sentence of a few words works well."
                ),
            ),
        ));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if (local.chars().count() >= 4 && lower.contains(&local))
        || lower
            .chars()
            .all(|c| c == lower.chars().next().unwrap_or(' '))
    {
        return Err(AppError::invalid(
            "password",
            Msg::new(
                "Dit wachtwoord is te makkelijk te raden.",
                "This password is too easy to guess.",
            ),
        ));
    }
    Ok(())
}

/// Hashes a password (argon2id, PHC string).
pub async fn hash(config: &AppConfig, password: &str) -> AppResult<String> {
    let argon = hasher(config)?;
    let pw = password.as_bytes().to_vec();
    tokio::task::spawn_blocking(move || argon.hash_password(&pw).map(|h| h.to_string()))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

/// Verifies a password; `None` as the hash runs a dummy verification and returns false.
pub async fn verify(config: &AppConfig, password: &str, stored: Option<&str>) -> AppResult<bool> {
    let argon = hasher(config)?;
    let (stored, real) = match stored {
        Some(s) => (s.to_owned(), true),
        None => (dummy_hash(config)?, false),
    };
    let pw = password.as_bytes().to_vec();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| argon.verify_password(&pw, &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ok && real)
}

/// A fixed hash with the configured cost, so a miss costs as much as a hit.
fn dummy_hash(config: &AppConfig) -> AppResult<String> {
    Ok(format!(
        "$argon2id$v=19$m={},t={},p=1$c2Nob29sY2VydGR1bW15$Zq2lJ3ZkPbpX9+0zWv2cUj3gq9UQ2X0bH9kq1fVf8Wc",
        config.argon2_memory_kib, config.argon2_iterations
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> AppConfig {
        AppConfig {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..AppConfig::default()
        }
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let c = cheap();
        let h = hash(&c, "correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$"));
        assert!(verify(&c, "correct horse battery", Some(&h)).await.unwrap());
        assert!(!verify(&c, "wrong horse battery", Some(&h)).await.unwrap());
        assert!(!verify(&c, "correct horse battery", None).await.unwrap());
        assert!(!verify(&c, "x", Some("not a hash")).await.unwrap());
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_policy("short", "a@b.nl").is_err());
        assert!(check_policy("aaaaaaaaaaaaaaaa", "a@b.nl").is_err());
        assert!(check_policy("anna.de.vries2026!", "anna.de.vries@b.nl").is_err());
        assert!(check_policy("lange zin met woorden", "a@b.nl").is_ok());
    }
}
