//! FIRST Traffic Light Protocol 2.0 labels and what each allows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A TLP 2.0 label, ordered from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tlp {
    #[serde(rename = "TLP:CLEAR")]
    Clear,
    #[serde(rename = "TLP:GREEN")]
    Green,
    #[serde(rename = "TLP:AMBER")]
    Amber,
    #[serde(rename = "TLP:AMBER+STRICT")]
    AmberStrict,
    #[serde(rename = "TLP:RED")]
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The label exactly as TLP 2.0 writes it.
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The short code kept in the database and URLs (`clear`, `amber+strict`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// CLEAR only: the one label that may be published.
    pub fn is_public(self) -> bool {
        self == Tlp::Clear
    }

    /// Whether a recipient organisation may see an item with this label when the item concerns
    /// it (AMBER and looser); RED needs the recipient to be named explicitly.
    pub fn shareable_with_concerned_org(self) -> bool {
        self <= Tlp::AmberStrict
    }

    /// Whether every member of the community (any board) may see it.
    pub fn shareable_with_community(self) -> bool {
        self <= Tlp::Green
    }

    /// What the label means, for a person.
    pub fn explanation(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (Tlp::Clear, Nl) => "Openbaar: mag zonder beperking gedeeld worden.",
            (Tlp::Clear, En) => "Public: may be shared without limit.",
            (Tlp::Green, Nl) => "Binnen de sector, niet in openbare kanalen.",
            (Tlp::Green, En) => "Within the community, not in public channels.",
            (Tlp::Amber, Nl) => {
                "Binnen de eigen organisatie en haar leveranciers, als zij het moeten weten."
            }
            (Tlp::Amber, En) => {
                "Within your organisation and its clients, on a need-to-know basis."
            }
            (Tlp::AmberStrict, Nl) => "Alleen binnen de eigen organisatie, als men het moet weten.",
            (Tlp::AmberStrict, En) => "Only within your own organisation, on a need-to-know basis.",
            (Tlp::Red, Nl) => "Alleen voor de genoemde ontvangers; niet verder delen.",
            (Tlp::Red, En) => "For the named recipients only; no further disclosure.",
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TLP label {0:?} (expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED)")]
pub struct UnknownTlp(pub String);

impl FromStr for Tlp {
    type Err = UnknownTlp;

    /// Accepts `TLP:AMBER+STRICT`, `amber+strict`, `amber_strict`; maps TLP 1.0 `WHITE` to CLEAR.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let t = t.strip_prefix("TLP:").unwrap_or(&t);
        match t.replace(['_', ' '], "+").as_str() {
            "CLEAR" | "WHITE" => Ok(Tlp::Clear),
            "GREEN" => Ok(Tlp::Green),
            "AMBER" => Ok(Tlp::Amber),
            "AMBER+STRICT" => Ok(Tlp::AmberStrict),
            "RED" => Ok(Tlp::Red),
            _ => Err(UnknownTlp(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_labels_codes_and_legacy_white() {
        assert_eq!("TLP:AMBER+STRICT".parse(), Ok(Tlp::AmberStrict));
        assert_eq!("amber+strict".parse(), Ok(Tlp::AmberStrict));
        assert_eq!("TLP:WHITE".parse(), Ok(Tlp::Clear));
        assert_eq!(" red ".parse(), Ok(Tlp::Red));
        assert!("TLP:PURPLE".parse::<Tlp>().is_err());
        for t in Tlp::ALL {
            assert_eq!(t.code().parse(), Ok(t));
            assert_eq!(t.label().parse(), Ok(t));
        }
    }

    #[test]
    fn only_clear_is_public_and_red_is_never_shared_by_default() {
        assert!(Tlp::Clear.is_public());
        assert!(!Tlp::Green.is_public());
        assert!(Tlp::AmberStrict.shareable_with_concerned_org());
        assert!(!Tlp::Red.shareable_with_concerned_org());
        assert!(!Tlp::Amber.shareable_with_community());
    }
}
