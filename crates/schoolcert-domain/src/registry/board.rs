//! School boards (bevoegd gezag) and schools: DUO numbers, BRIN codes, sectors and the board's
//! status with the transitions allowed between them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// DUO's "bevoegd gezag nummer": digits only, typically five.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DuoNumber(String);

impl FromStr for DuoNumber {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if !t.is_empty() && t.len() <= 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(DuoNumber(t.to_owned()))
        } else {
            Err(format!("'{t}' is not a DUO board number (digits only)"))
        }
    }
}

impl DuoNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DuoNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DuoNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DuoNumber> for String {
    fn from(d: DuoNumber) -> String {
        d.0
    }
}

/// A BRIN code (instellingscode): two digits and two letters or digits, e.g. `16AH`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Brin(String);

impl FromStr for Brin {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() == 4
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2..].iter().all(u8::is_ascii_alphanumeric)
        {
            Ok(Brin(t))
        } else {
            Err(format!("'{}' is not a BRIN code (like 16AH)", s.trim()))
        }
    }
}

impl Brin {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A school location: BRIN plus two-digit location number, written joined (`16AH00`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SchoolCode {
    pub brin: Brin,
    pub location: String,
}

impl SchoolCode {
    /// Reads `16AH00`, `16AH 00`, or a BRIN and a separate location number.
    pub fn parse(brin: &str, location: &str) -> Result<Self, String> {
        let brin_t = brin.trim();
        let loc_t = location.trim();
        let (b, l) = if brin_t.len() >= 6 && loc_t.is_empty() {
            brin_t.split_at(4)
        } else if loc_t.len() == 6 {
            // DUO publishes the location number joined to the BRIN (`16AH00`).
            loc_t.split_at(4)
        } else {
            (brin_t, loc_t)
        };
        let brin: Brin = b.parse()?;
        let l = l.trim();
        let location = if l.is_empty() {
            "00".to_owned()
        } else {
            l.to_owned()
        };
        if location.len() != 2 || !location.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("'{location}' is not a two-digit location number"));
        }
        Ok(SchoolCode { brin, location })
    }
}

impl fmt::Display for SchoolCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.brin.0, self.location)
    }
}

/// Which education sectors a board serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sectors {
    pub po: bool,
    pub vo: bool,
}

impl Sectors {
    pub fn code(self) -> &'static str {
        match (self.po, self.vo) {
            (true, true) => "po,vo",
            (true, false) => "po",
            (false, true) => "vo",
            (false, false) => "",
        }
    }

    pub fn parse(s: &str) -> Sectors {
        let s = s.to_ascii_lowercase();
        Sectors {
            po: s.contains("po") || s.contains("bo"),
            vo: s.contains("vo"),
        }
    }

    pub fn union(self, other: Sectors) -> Sectors {
        Sectors {
            po: self.po || other.po,
            vo: self.vo || other.vo,
        }
    }
}

/// A board's relation with the CERT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardStatus {
    /// Known from DUO's registry; not (yet) a member.
    Registered,
    /// An application is in progress or under review.
    Applying,
    Active,
    Suspended,
    Left,
}

impl BoardStatus {
    pub const ALL: [BoardStatus; 5] = [
        BoardStatus::Registered,
        BoardStatus::Applying,
        BoardStatus::Active,
        BoardStatus::Suspended,
        BoardStatus::Left,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BoardStatus::Registered => "registered",
            BoardStatus::Applying => "applying",
            BoardStatus::Active => "active",
            BoardStatus::Suspended => "suspended",
            BoardStatus::Left => "left",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            BoardStatus::Registered => lang.pick("Geregistreerd (DUO)", "Registered (DUO)"),
            BoardStatus::Applying => lang.pick("Aanmelding loopt", "Applying"),
            BoardStatus::Active => lang.pick("Aangesloten", "Active"),
            BoardStatus::Suspended => lang.pick("Opgeschort", "Suspended"),
            BoardStatus::Left => lang.pick("Vertrokken", "Left"),
        }
    }

    /// Whether a board has ever joined; the DUO import never deletes or downgrades such boards.
    pub fn has_joined(self) -> bool {
        !matches!(self, BoardStatus::Registered)
    }

    /// The transitions a CERT analyst or the joining flow may make.
    pub fn can_become(self, to: BoardStatus) -> bool {
        use BoardStatus::*;
        matches!(
            (self, to),
            (Registered, Applying)
                | (Left, Applying)
                | (Applying, Active)
                | (Applying, Registered)
                | (Active, Suspended)
                | (Suspended, Active)
                | (Active, Left)
                | (Suspended, Left)
        )
    }
}

impl fmt::Display for BoardStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for BoardStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BoardStatus::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| format!("unknown board status {s:?}"))
    }
}

/// Normalises a Dutch postcode to `1234 AB`; anything else is kept trimmed.
pub fn normalise_postcode(s: &str) -> String {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = compact.as_bytes();
    if b.len() == 6
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphabetic)
    {
        format!("{} {}", &compact[..4], &compact[4..])
    } else {
        s.trim().to_owned()
    }
}

/// A text folded for case- and accent-insensitive search (`Ëenspan` → `eenspan`). Stored beside
/// names because SQLite and PostgreSQL fold case differently.
pub fn search_key(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            '’' | '‘' => '\'',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_parse_and_refuse() {
        assert_eq!("10249".parse::<DuoNumber>().unwrap().as_str(), "10249");
        assert!("10a49".parse::<DuoNumber>().is_err());
        assert_eq!(" 16ah ".parse::<Brin>().unwrap().as_str(), "16AH");
        assert!("1AH6".parse::<Brin>().is_err());
        assert_eq!(
            SchoolCode::parse("16AH", "16AH00").unwrap().to_string(),
            "16AH00"
        );
        assert_eq!(
            SchoolCode::parse("16AH", "01").unwrap().to_string(),
            "16AH01"
        );
        assert_eq!(
            SchoolCode::parse("16AH00", "").unwrap().to_string(),
            "16AH00"
        );
        assert!(SchoolCode::parse("16AH", "1X").is_err());
    }

    #[test]
    fn joined_boards_cannot_fall_back_to_registered_except_from_applying() {
        use BoardStatus::*;
        assert!(Registered.can_become(Applying));
        assert!(Applying.can_become(Active));
        assert!(!Registered.can_become(Active));
        assert!(!Active.can_become(Registered));
        assert!(Active.has_joined());
        assert!(!Registered.has_joined());
    }

    #[test]
    fn postcodes_and_search_keys_are_normalised() {
        assert_eq!(normalise_postcode("7822hg"), "7822 HG");
        assert_eq!(normalise_postcode(" 7822 HG "), "7822 HG");
        assert_eq!(normalise_postcode("B-1000"), "B-1000");
        assert_eq!(search_key("OBS  ’t Ëenspan"), "obs 't eenspan");
    }
}
