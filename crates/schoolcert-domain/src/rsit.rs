//! The Reference Security Incident Taxonomy (RSIT 1003): classifications, their types, Dutch
//! and English names, and the legacy codes importers meet (IntelMQ, Shadowserver, RSIT v1).

use serde::{Deserialize, Serialize};

use crate::Lang;

/// One RSIT type with the classification it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RsitType {
    pub classification: &'static str,
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

/// One RSIT classification (the top level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RsitClass {
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

macro_rules! t {
    ($c:literal, $code:literal, $nl:literal, $en:literal) => {
        RsitType {
            classification: $c,
            code: $code,
            nl: $nl,
            en: $en,
        }
    };
}

pub const CLASSES: &[RsitClass] = &[
    RsitClass {
        code: "abusive-content",
        nl: "Schadelijke inhoud",
        en: "Abusive content",
    },
    RsitClass {
        code: "malicious-code",
        nl: "Kwaadaardige code",
        en: "Malicious code",
    },
    RsitClass {
        code: "information-gathering",
        nl: "Informatie verzamelen",
        en: "Information gathering",
    },
    RsitClass {
        code: "intrusion-attempts",
        nl: "Inbraakpogingen",
        en: "Intrusion attempts",
    },
    RsitClass {
        code: "intrusions",
        nl: "Inbraken",
        en: "Intrusions",
    },
    RsitClass {
        code: "availability",
        nl: "Beschikbaarheid",
        en: "Availability",
    },
    RsitClass {
        code: "information-content-security",
        nl: "Beveiliging van informatie",
        en: "Information content security",
    },
    RsitClass {
        code: "fraud",
        nl: "Fraude",
        en: "Fraud",
    },
    RsitClass {
        code: "vulnerable",
        nl: "Kwetsbaar",
        en: "Vulnerable",
    },
    RsitClass {
        code: "other",
        nl: "Overig",
        en: "Other",
    },
    RsitClass {
        code: "test",
        nl: "Test",
        en: "Test",
    },
];

pub const TYPES: &[RsitType] = &[
    t!("abusive-content", "spam", "Spam", "Spam"),
    t!(
        "abusive-content",
        "harmful-speech",
        "Schadelijke uitingen",
        "Harmful speech"
    ),
    t!(
        "abusive-content",
        "violence",
        "(Kinder)misbruik, seksueel of gewelddadig materiaal",
        "(Child) sexual exploitation, sexual or violent content"
    ),
    t!(
        "malicious-code",
        "infected-system",
        "Besmet systeem",
        "Infected system"
    ),
    t!(
        "malicious-code",
        "c2-server",
        "Command-and-control-server",
        "C2 server"
    ),
    t!(
        "malicious-code",
        "malware-distribution",
        "Verspreiding van malware",
        "Malware distribution"
    ),
    t!(
        "malicious-code",
        "malware-configuration",
        "Malwareconfiguratie",
        "Malware configuration"
    ),
    t!("information-gathering", "scanner", "Scannen", "Scanning"),
    t!(
        "information-gathering",
        "sniffing",
        "Afluisteren",
        "Sniffing"
    ),
    t!(
        "information-gathering",
        "social-engineering",
        "Social engineering",
        "Social engineering"
    ),
    t!(
        "intrusion-attempts",
        "ids-alert",
        "Misbruik van bekende kwetsbaarheid",
        "Exploitation of known vulnerability"
    ),
    t!(
        "intrusion-attempts",
        "brute-force",
        "Inlogpogingen (brute force)",
        "Login attempts (brute force)"
    ),
    t!(
        "intrusion-attempts",
        "exploit",
        "Nieuwe aanvalssignatuur",
        "New attack signature"
    ),
    t!(
        "intrusions",
        "privileged-account-compromise",
        "Beheeraccount overgenomen",
        "Privileged account compromise"
    ),
    t!(
        "intrusions",
        "unprivileged-account-compromise",
        "Gebruikersaccount overgenomen",
        "Unprivileged account compromise"
    ),
    t!(
        "intrusions",
        "application-compromise",
        "Applicatie gecompromitteerd",
        "Application compromise"
    ),
    t!(
        "intrusions",
        "system-compromise",
        "Systeem gecompromitteerd",
        "System compromise"
    ),
    t!("intrusions", "burglary", "Inbraak (fysiek)", "Burglary"),
    t!(
        "availability",
        "dos",
        "Denial of service",
        "Denial of service"
    ),
    t!(
        "availability",
        "ddos",
        "Distributed denial of service (DDoS)",
        "Distributed denial of service"
    ),
    t!(
        "availability",
        "misconfiguration",
        "Verkeerde configuratie",
        "Misconfiguration"
    ),
    t!("availability", "sabotage", "Sabotage", "Sabotage"),
    t!("availability", "outage", "Storing", "Outage"),
    t!(
        "information-content-security",
        "unauthorised-information-access",
        "Onbevoegde toegang tot informatie",
        "Unauthorised access to information"
    ),
    t!(
        "information-content-security",
        "unauthorised-information-modification",
        "Onbevoegde wijziging van informatie (o.a. ransomware)",
        "Unauthorised modification of information (incl. ransomware)"
    ),
    t!(
        "information-content-security",
        "data-loss",
        "Verlies van gegevens",
        "Data loss"
    ),
    t!(
        "information-content-security",
        "data-leak",
        "Datalek",
        "Data leak"
    ),
    t!(
        "fraud",
        "unauthorised-use-of-resources",
        "Onbevoegd gebruik van middelen",
        "Unauthorised use of resources"
    ),
    t!("fraud", "copyright", "Auteursrecht", "Copyright"),
    t!(
        "fraud",
        "masquerade",
        "Zich voordoen als een ander",
        "Masquerade"
    ),
    t!("fraud", "phishing", "Phishing", "Phishing"),
    t!(
        "vulnerable",
        "weak-crypto",
        "Zwakke cryptografie",
        "Weak cryptography"
    ),
    t!(
        "vulnerable",
        "ddos-amplifier",
        "DDoS-versterker",
        "DDoS amplifier"
    ),
    t!(
        "vulnerable",
        "potentially-unwanted-accessible",
        "Ongewenst bereikbare dienst",
        "Potentially unwanted accessible service"
    ),
    t!(
        "vulnerable",
        "information-disclosure",
        "Openbaarmaking van informatie",
        "Information disclosure"
    ),
    t!(
        "vulnerable",
        "vulnerable-system",
        "Kwetsbaar systeem",
        "Vulnerable system"
    ),
    t!("other", "other", "Overig", "Other"),
    t!("other", "undetermined", "Nog niet bepaald", "Undetermined"),
    t!("test", "test", "Test", "Test"),
];

/// The classification with this code, after mapping legacy spellings.
pub fn class(code: &str) -> Option<&'static RsitClass> {
    let code = map_legacy_class(code);
    CLASSES.iter().find(|c| c.code == code)
}

/// The type with this code, after mapping legacy spellings (`blacklist` → `other`, RSIT v1
/// `virus`/`worm`/`trojan` → `infected-system`, ...).
pub fn type_by_code(code: &str) -> Option<&'static RsitType> {
    let code = map_legacy_type(code);
    TYPES.iter().find(|t| t.code == code)
}

/// All types of one classification, in table order.
pub fn types_of(class: &str) -> impl Iterator<Item = &'static RsitType> + '_ {
    TYPES.iter().filter(move |t| t.classification == class)
}

/// Whether `type_code` belongs to `class_code` (both after legacy mapping).
pub fn is_valid_pair(class_code: &str, type_code: &str) -> bool {
    match (class(class_code), type_by_code(type_code)) {
        (Some(c), Some(t)) => t.classification == c.code,
        _ => false,
    }
}

fn map_legacy_class(code: &str) -> &str {
    match code {
        "abusive content" => "abusive-content",
        "malicious code" => "malicious-code",
        "information gathering" => "information-gathering",
        "intrusion attempts" => "intrusion-attempts",
        "information content security" => "information-content-security",
        other => other,
    }
}

fn map_legacy_type(code: &str) -> &str {
    match code {
        "virus" | "worm" | "trojan" | "spyware" | "dialer" | "rootkit" | "malware"
        | "infected system" => "infected-system",
        "c&c" | "c2server" => "c2-server",
        "blacklist" | "unknown" | "proxy" | "tor" | "sinkhole" => "other",
        "vulnerable service" | "vulnerable system" => "vulnerable-system",
        "compromised" => "system-compromise",
        "leak" => "data-leak",
        "malware-distribution" | "malware distribution" => "malware-distribution",
        "dga domain" | "dga-domain" => "c2-server",
        other => other,
    }
}

/// A chosen classification and type, as stored on cases and events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub taxonomy: String,
    #[serde(rename = "type")]
    pub type_: String,
}

impl Classification {
    pub fn name(&self, lang: Lang) -> String {
        match type_by_code(&self.type_) {
            Some(t) => lang.pick(t.nl, t.en).to_owned(),
            None => self.type_.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_belongs_to_a_known_class() {
        for t in TYPES {
            assert!(class(t.classification).is_some(), "{}", t.code);
        }
        assert_eq!(types_of("vulnerable").count(), 5);
    }

    #[test]
    fn legacy_codes_map_onto_rsit() {
        assert_eq!(type_by_code("trojan").unwrap().code, "infected-system");
        assert_eq!(type_by_code("blacklist").unwrap().code, "other");
        assert!(is_valid_pair("malicious code", "worm"));
        assert!(!is_valid_pair("fraud", "ddos"));
        assert!(type_by_code("made-up").is_none());
    }
}
