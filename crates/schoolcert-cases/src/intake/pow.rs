//! A hashcash-style proof of work instead of a third-party CAPTCHA: the server issues a signed,
//! time-stamped challenge; the reporter's browser finds a counter whose SHA-256 with the
//! challenge starts with `difficulty` zero bits; the server checks it in one hash. No state is
//! needed until verification, when the app records the challenge id against replay.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::token::{RandomUnavailable, random_bytes};
use schoolcert_domain::{Lang, Timestamp};

/// About 260,000 hashes on average: well under a second in a browser, costly for a bot that
/// posts thousands of forms.
pub const DEFAULT_DIFFICULTY: u8 = 18;

/// The hardest challenge issued; beyond this a real browser would take minutes.
pub const MAX_DIFFICULTY: u8 = 28;

/// An issued challenge. `text` goes to the browser as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub text: String,
    pub difficulty: u8,
    pub issued_at: Timestamp,
    /// What the app stores once the challenge is used, to refuse it a second time.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowError {
    #[error("the challenge is malformed")]
    Malformed,
    #[error("the challenge was not issued by this server")]
    Forged,
    #[error("the challenge has expired")]
    Expired,
    #[error("the challenge is easier than required")]
    TooEasy,
    #[error("the proof of work does not solve the challenge")]
    NotSolved,
}

impl Localized for PowError {
    fn message(&self, lang: Lang) -> String {
        match self {
            PowError::Expired => lang.pick(
                "Het formulier stond te lang open. Verstuur het opnieuw; je ingevulde tekst blijft \
                 staan.",
                "The form was open too long. Please submit it again; your text is kept.",
            ),
            _ => lang.pick(
                "De automatische controle tegen misbruik is mislukt. Laad de pagina opnieuw en \
                 probeer het nog eens; lukt het niet, mail dan naar het CERT.",
                "The automatic abuse check failed. Reload the page and try again; if it keeps \
                 failing, e-mail the CERT.",
            ),
        }
        .to_owned()
    }
}

fn mac_hex(secret: &[u8], body: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; an empty MAC would never verify.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Issues a challenge with a caller-supplied nonce (pure; see `issue_random`).
pub fn issue(secret: &[u8], now: Timestamp, difficulty: u8, nonce: [u8; 16]) -> Challenge {
    let difficulty = difficulty.min(MAX_DIFFICULTY);
    let id = hex::encode(nonce);
    let body = format!("v1:{}:{difficulty}:{id}", now.timestamp());
    let text = format!("{body}:{}", mac_hex(secret, &body));
    Challenge {
        text,
        difficulty,
        issued_at: now,
        id,
    }
}

/// Issues a challenge with a nonce from the operating system's random source.
pub fn issue_random(
    secret: &[u8],
    now: Timestamp,
    difficulty: u8,
) -> Result<Challenge, RandomUnavailable> {
    Ok(issue(secret, now, difficulty, random_bytes::<16>()?))
}

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for b in hash {
        if *b == 0 {
            bits += 8;
        } else {
            return bits + b.leading_zeros();
        }
    }
    bits
}

fn work(challenge: &str, counter: u64) -> u32 {
    leading_zero_bits(&Sha256::digest(format!("{challenge}:{counter}").as_bytes()))
}

/// Checks a solved challenge. Returns the challenge id, which the app must record (for
/// `max_age_seconds`) and refuse when seen again.
pub fn verify(
    secret: &[u8],
    challenge: &str,
    counter: u64,
    now: Timestamp,
    max_age_seconds: i64,
    min_difficulty: u8,
) -> Result<String, PowError> {
    let challenge = challenge.trim();
    let parts: Vec<&str> = challenge.split(':').collect();
    let [version, issued, difficulty, id, mac] = parts.as_slice() else {
        return Err(PowError::Malformed);
    };
    if *version != "v1" {
        return Err(PowError::Malformed);
    }
    let issued: i64 = issued.parse().map_err(|_| PowError::Malformed)?;
    let difficulty: u8 = difficulty.parse().map_err(|_| PowError::Malformed)?;
    let body = format!("v1:{issued}:{difficulty}:{id}");
    let expected = mac_hex(secret, &body);
    // Compare in constant time so the MAC cannot be guessed byte by byte.
    let same = expected.len() == mac.len()
        && expected
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if expected.is_empty() || !same {
        return Err(PowError::Forged);
    }
    let age = now.timestamp() - issued;
    // A little clock skew between web servers is tolerated, a challenge from the future not.
    if age > max_age_seconds || age < -60 {
        return Err(PowError::Expired);
    }
    if difficulty < min_difficulty {
        return Err(PowError::TooEasy);
    }
    if work(challenge, counter) < u32::from(difficulty) {
        return Err(PowError::NotSolved);
    }
    Ok((*id).to_owned())
}

/// Finds a counter that solves the challenge (what the browser's script does), trying at most
/// `max_tries` counters. For tests and for the API's documentation.
pub fn solve(challenge: &Challenge, max_tries: u64) -> Option<u64> {
    (0..max_tries).find(|c| work(&challenge.text, *c) >= u32::from(challenge.difficulty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use schoolcert_domain::time::parse_rfc3339;

    const SECRET: &[u8] = b"test-secret-of-32-bytes-length!!";

    #[test]
    fn a_solved_challenge_verifies_once_solved_and_not_otherwise() {
        let now = parse_rfc3339("2026-05-01T12:00:00Z").unwrap();
        let c = issue(SECRET, now, 10, [7; 16]);
        let counter = solve(&c, 1 << 20).unwrap();
        let later = now + Duration::seconds(30);
        assert_eq!(
            verify(SECRET, &c.text, counter, later, 3600, 10),
            Ok(c.id.clone())
        );
        let wrong = (0..).find(|x| work(&c.text, *x) < 10).unwrap();
        assert_eq!(
            verify(SECRET, &c.text, wrong, later, 3600, 10),
            Err(PowError::NotSolved)
        );
        assert_eq!(
            verify(SECRET, &c.text, counter, now + Duration::hours(2), 3600, 10),
            Err(PowError::Expired)
        );
        assert_eq!(
            verify(SECRET, &c.text, counter, later, 3600, 12),
            Err(PowError::TooEasy)
        );
    }

    #[test]
    fn a_lowered_difficulty_or_other_secret_is_a_forgery() {
        let now = parse_rfc3339("2026-05-01T12:00:00Z").unwrap();
        let c = issue(SECRET, now, 10, [1; 16]);
        let easier = c.text.replacen(":10:", ":0:", 1);
        assert_eq!(
            verify(SECRET, &easier, 0, now, 3600, 0),
            Err(PowError::Forged)
        );
        assert_eq!(
            verify(b"other", &c.text, 0, now, 3600, 0),
            Err(PowError::Forged)
        );
        assert_eq!(
            verify(SECRET, "hello", 0, now, 3600, 0),
            Err(PowError::Malformed)
        );
        assert!(PowError::Expired.message(Lang::Nl).contains("opnieuw"));
    }
}
