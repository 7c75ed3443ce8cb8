//! Generated files are valid RFC 9116, expire within a year, sign and verify, and the parser
//! finds the usual mistakes.

use chrono::Duration;
use pgp::composed::{
    ArmorOptions, EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use schoolcert_domain::time::parse_rfc3339;

use super::*;

fn now() -> Timestamp {
    parse_rfc3339("2026-03-02T10:15:30.123456Z").unwrap()
}

fn cert() -> CertSettings {
    CertSettings {
        contact: vec![
            "https://school-cert.nl/cvd".into(),
            "mailto:cvd@school-cert.nl".into(),
        ],
        policy: "https://school-cert.nl/cvd-beleid".into(),
        acknowledgments: Some("https://school-cert.nl/bedankt".into()),
        encryption: Some("https://school-cert.nl/pgp-key.txt".into()),
        hiring: None,
        csaf: Some("https://school-cert.nl/.well-known/csaf/provider-metadata.json".into()),
        canonical: "https://school-cert.nl/.well-known/security.txt".into(),
        validity_days: 180,
    }
}

fn board() -> BoardSettings {
    BoardSettings {
        board_name: "Stichting De Klimop".into(),
        domains: vec![
            "Klimop.nl".into(),
            "www.klimop.nl".into(),
            "klimop.nl.".into(),
        ],
        preferred_languages: vec![],
    }
}

#[test]
fn a_board_file_points_to_the_cert_and_is_valid() {
    let txt = for_board(&cert(), &board(), now()).unwrap().render();
    let expected_start = "# security.txt van Stichting De Klimop\n";
    assert!(txt.starts_with(expected_start), "{txt}");
    assert!(
        txt.contains("Contact: https://school-cert.nl/cvd\nContact: mailto:cvd@school-cert.nl\n")
    );
    assert!(txt.contains("Expires: 2026-08-29T10:15:30Z\n"));
    assert!(txt.contains("Preferred-Languages: nl, en\n"));
    assert!(txt.contains("Canonical: https://klimop.nl/.well-known/security.txt\nCanonical: https://www.klimop.nl/.well-known/security.txt\n"));
    assert!(txt.contains("Policy: https://school-cert.nl/cvd-beleid\n"));
    assert!(
        !txt.contains("CSAF"),
        "the CERT's CSAF feed belongs in the CERT's own file"
    );
    let parsed = parse(&txt, now());
    assert!(parsed.is_valid(), "{:?}", parsed.issues);
    assert!(parsed.issues.is_empty());
    assert_eq!(parsed.values("canonical").len(), 2);
}

#[test]
fn expires_stays_under_a_year_whatever_is_configured() {
    let mut c = cert();
    c.validity_days = 5000;
    let t = for_cert(&c, now()).unwrap();
    assert!(t.expires - now() < Duration::days(365));
    assert!(parse(&t.render(), now()).issues.is_empty());
    assert!(
        t.render()
            .contains("CSAF: https://school-cert.nl/.well-known/csaf/provider-metadata.json")
    );
}

#[test]
fn bad_settings_are_refused() {
    let mut c = cert();
    c.policy = "http://school-cert.nl/cvd-beleid".into();
    assert!(matches!(for_cert(&c, now()), Err(GenerateError::BadUri(_))));
    let mut c = cert();
    c.contact.clear();
    assert_eq!(for_cert(&c, now()), Err(GenerateError::NoContact));
    let mut b = board();
    b.domains = vec!["niet een domein".into()];
    assert!(matches!(
        for_board(&cert(), &b, now()),
        Err(GenerateError::BadDomain(_))
    ));
    b.domains.clear();
    assert_eq!(for_board(&cert(), &b, now()), Err(GenerateError::NoDomains));
}

#[test]
fn the_parser_finds_the_usual_mistakes() {
    let text = "Contact: http://school.nl/melden\nExpires: 2026-01-01T00:00:00Z\nExpires: gisteren\nPreferred-Languages: nl\nPreferred-Languages: en\nzomaar tekst\n";
    let p = parse(text, now());
    let kinds: Vec<_> = p.issues.iter().map(|i| i.kind).collect();
    assert!(kinds.contains(&IssueKind::InsecureUri));
    assert!(kinds.contains(&IssueKind::MultipleExpires));
    assert!(kinds.contains(&IssueKind::MultiplePreferredLanguages));
    assert!(kinds.contains(&IssueKind::MalformedLine));
    assert!(!p.is_valid());
    let p = parse("Expires: 2026-01-01T00:00:00Z\n", now());
    let kinds: Vec<_> = p.issues.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [IssueKind::MissingContact, IssueKind::Expired]);
    assert_eq!(
        p.issues[1].message(Lang::Nl),
        "Regel 1: Het bestand is verlopen (Expires ligt in het verleden)."
    );
    let far = "Contact: mailto:a@b.nl\nExpires: 2028-01-01T00:00:00Z\n";
    let p = parse(far, now());
    assert!(p.is_valid(), "too far is a warning only");
    assert_eq!(p.issues[0].kind, IssueKind::ExpiresTooFar);
}

fn key(with_signing_subkey: bool, passphrase: Option<&str>) -> (String, String) {
    let mut rng = ChaCha8Rng::seed_from_u64(if with_signing_subkey { 2 } else { 1 });
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(!with_signing_subkey)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id("School-CERT <cvd@school-cert.nl>".into())
        .passphrase(passphrase.map(str::to_owned));
    if with_signing_subkey {
        let mut sub = SubkeyParamsBuilder::default();
        sub.key_type(KeyType::Ed25519Legacy)
            .can_sign(true)
            .can_encrypt(EncryptionCaps::None)
            .passphrase(passphrase.map(str::to_owned));
        params.subkeys(vec![sub.build().unwrap()]);
    }
    let secret = params.build().unwrap().generate(&mut rng).unwrap();
    let public = secret.to_public_key();
    (
        secret.to_armored_string(ArmorOptions::default()).unwrap(),
        public.to_armored_string(ArmorOptions::default()).unwrap(),
    )
}

#[test]
fn a_clear_signed_file_verifies_and_still_parses() {
    let text = for_board(&cert(), &board(), now()).unwrap().render();
    for (subkey, pw) in [(false, None), (true, Some("geheim"))] {
        let (secret, public) = key(subkey, pw);
        let signed = clear_sign(&text, &secret, pw, now()).unwrap();
        assert!(signed.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"));
        let inner = verify(&signed, &public).unwrap();
        assert_eq!(inner.replace("\r\n", "\n").trim_end(), text.trim_end());
        let parsed = parse(&signed, now());
        assert!(parsed.signed);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let tampered = signed.replace(
            "Policy: https://school-cert.nl/cvd-beleid",
            "Policy: https://evil.example/",
        );
        assert!(matches!(
            verify(&tampered, &public),
            Err(SignError::BadSignature(_))
        ));
    }
    let (secret, _) = key(false, Some("geheim"));
    assert!(matches!(
        clear_sign(&text, &secret, Some("fout"), now()),
        Err(SignError::Signing(_))
    ));
    assert!(matches!(
        clear_sign(&text, "geen sleutel", None, now()),
        Err(SignError::BadKey(_))
    ));
}
