//! Chain partners (ketenpartijen): the organisation register of suppliers, police, the
//! Autoriteit Persoonsgegevens, NCSC, insurers and others, which of them a case involves, and
//! the record of what was shared with each (never a TLP:RED item unless the party is named).

use serde::{Deserialize, Serialize};

use schoolcert_domain::registry::Email;
use schoolcert_domain::{Lang, Timestamp, Tlp};

use crate::fields::{FieldError, Problem};
use crate::ids::{CaseId, PartyId};
use crate::visibility::{Recipient, Sharing, TlpRefusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Supplier,
    Police,
    DataProtectionAuthority,
    Ncsc,
    Insurer,
    SectorBody,
    OtherCert,
    Other,
}

impl PartyKind {
    pub const ALL: [PartyKind; 8] = [
        PartyKind::Supplier,
        PartyKind::Police,
        PartyKind::DataProtectionAuthority,
        PartyKind::Ncsc,
        PartyKind::Insurer,
        PartyKind::SectorBody,
        PartyKind::OtherCert,
        PartyKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PartyKind::Supplier => "supplier",
            PartyKind::Police => "police",
            PartyKind::DataProtectionAuthority => "data_protection_authority",
            PartyKind::Ncsc => "ncsc",
            PartyKind::Insurer => "insurer",
            PartyKind::SectorBody => "sector_body",
            PartyKind::OtherCert => "other_cert",
            PartyKind::Other => "other",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            PartyKind::Supplier => lang.pick("Leverancier", "Supplier"),
            PartyKind::Police => lang.pick("Politie", "Police"),
            PartyKind::DataProtectionAuthority => {
                lang.pick("Toezichthouder privacy", "Data protection authority")
            }
            PartyKind::Ncsc => lang.pick("NCSC", "NCSC"),
            PartyKind::Insurer => lang.pick("Verzekeraar", "Insurer"),
            PartyKind::SectorBody => lang.pick("Sectororganisatie", "Sector body"),
            PartyKind::OtherCert => lang.pick("Ander CERT", "Other CERT"),
            PartyKind::Other => lang.pick("Overig", "Other"),
        }
    }
}

/// An organisation in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub id: PartyId,
    pub name: String,
    pub kind: PartyKind,
    /// The security contact (for suppliers: their CVD or security address).
    pub security_email: Option<Email>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub notes: String,
}

impl Party {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.name.trim().is_empty() {
            e.push(FieldError::new("name", Problem::Required));
        }
        if self.name.chars().count() > 200 {
            e.push(FieldError::new("name", Problem::TooLong { max: 200 }));
        }
        if let Some(w) = &self.website
            && !w.starts_with("https://")
            && !w.starts_with("http://")
        {
            e.push(FieldError::new("website", Problem::NotAllowed));
        }
        e
    }
}

/// The organisations every deployment starts with (kind, name, website). Contact addresses
/// change and are filled in by the CERT.
pub fn well_known() -> Vec<(PartyKind, &'static str, &'static str)> {
    vec![
        (
            PartyKind::DataProtectionAuthority,
            "Autoriteit Persoonsgegevens",
            "https://www.autoriteitpersoonsgegevens.nl/",
        ),
        (
            PartyKind::Ncsc,
            "Nationaal Cyber Security Centrum",
            "https://www.ncsc.nl/",
        ),
        (PartyKind::Police, "Politie", "https://www.politie.nl/"),
        (PartyKind::SectorBody, "SIVON", "https://www.sivon.nl/"),
        (
            PartyKind::SectorBody,
            "Kennisnet",
            "https://www.kennisnet.nl/",
        ),
    ]
}

/// A party involved in a case, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseParty {
    pub case_id: CaseId,
    pub party_id: PartyId,
    /// "leverancier leerlingadministratie", "aangifte gedaan", ...
    pub role: String,
    pub added_at: Timestamp,
}

/// One thing shared with a party: what, under which label, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRecord {
    pub case_id: CaseId,
    pub party_id: PartyId,
    /// A short description of the item ("bericht 'Advies wachtwoorden'", "IOC-lijst").
    pub what: String,
    pub tlp: Tlp,
    pub at: Timestamp,
    pub by: String,
}

/// Records sharing an item with a party, refusing TLP:RED unless the item names the party.
pub fn record_share(
    case_id: CaseId,
    party: &Party,
    what: &str,
    tlp: Tlp,
    sharing: &Sharing,
    now: Timestamp,
    by: &str,
) -> Result<ShareRecord, TlpRefusal> {
    if tlp == Tlp::Red
        && !sharing
            .named
            .contains(&Recipient::Party { party_id: party.id })
    {
        return Err(TlpRefusal {
            tlp,
            not_named: vec![party.name.clone()],
        });
    }
    Ok(ShareRecord {
        case_id,
        party_id: party.id,
        what: what.trim().to_owned(),
        tlp,
        at: now,
        by: by.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn red_items_are_shared_only_with_named_parties() {
        let now = parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let supplier = Party {
            id: PartyId(4),
            name: "Leerling BV".into(),
            kind: PartyKind::Supplier,
            security_email: "security@leerling.example".parse().ok(),
            phone: None,
            website: Some("https://leerling.example".into()),
            notes: String::new(),
        };
        assert!(supplier.validate().is_empty());
        let s = Sharing::internal();
        let err =
            record_share(CaseId(1), &supplier, "logbestand", Tlp::Red, &s, now, "a").unwrap_err();
        assert_eq!(err.not_named, ["Leerling BV"]);
        let named = Sharing {
            parties: vec![PartyId(4)],
            named: vec![Recipient::Party {
                party_id: PartyId(4),
            }],
            ..Sharing::default()
        };
        assert!(
            record_share(
                CaseId(1),
                &supplier,
                "logbestand",
                Tlp::Red,
                &named,
                now,
                "a"
            )
            .is_ok()
        );
        assert!(record_share(CaseId(1), &supplier, "advies", Tlp::Amber, &s, now, "a").is_ok());
        assert_eq!(well_known().len(), 5);
    }
}
