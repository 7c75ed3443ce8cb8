//! The CERT's own sector advisory (*duiding*): Dutch title, summary, what schools must do,
//! urgency, TLP, affected catalogue products, linked CVEs and sources; its validation; and
//! the standard text of the automatic P1 notice (KEV on an internet-facing product).

use schoolcert_domain::lang::Localized;
use schoolcert_domain::time::format_local_date;
use schoolcert_domain::{Lang, Timestamp, Tlp};
use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, Product, ProductId};
use crate::ids::CveId;
use crate::kev::KevEntry;

/// The urgency label boards see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Urgent,
    Normaal,
}

impl Urgency {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Urgency::Urgent => "Urgent",
            Urgency::Normaal => lang.pick("Normaal", "Normal"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvisoryStatus {
    Draft,
    Final,
}

/// A catalogue product the advisory concerns, with the versions in words or as `vers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedProduct {
    pub product: ProductId,
    /// `vers:intdot/>=7.0.0|<7.2.11`, or a vls like `<7.2.11`; `None`: all versions / SaaS.
    pub versions: Option<String>,
    /// Versions that fix it (the "update to").
    pub fixed_in: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    pub url: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryRevision {
    /// Semantic version (`1.0.0`); a major step means consumers must re-match.
    pub number: String,
    pub date: Timestamp,
    pub summary: String,
}

/// A sector advisory as the analyst writes it. Text fields may contain Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorAdvisory {
    /// `SC-2026-0001`.
    pub tracking_id: String,
    pub status: AdvisoryStatus,
    pub title: String,
    pub summary: String,
    /// What schools must do.
    pub actions: String,
    pub urgency: Urgency,
    pub tlp: Tlp,
    pub products: Vec<AffectedProduct>,
    pub cves: Vec<CveId>,
    pub sources: Vec<SourceLink>,
    /// Oldest first; the last number is the current version.
    pub revisions: Vec<AdvisoryRevision>,
    /// Written by the platform (automatic P1 mode), not by an analyst.
    pub automatic: bool,
}

/// Something wrong with an advisory, shown to the analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AdvisoryProblem {
    TrackingId {
        value: String,
    },
    EmptyField {
        field: &'static str,
    },
    NoProducts,
    UnknownProduct {
        id: String,
    },
    NoRevisions,
    BadRevision {
        number: String,
    },
    RevisionsOutOfOrder,
    BadSource {
        url: String,
    },
    /// Without CVEs the advisory is a CSAF informational advisory, which needs a source.
    InformationalNeedsSource,
}

impl Localized for AdvisoryProblem {
    fn message(&self, lang: Lang) -> String {
        use AdvisoryProblem::*;
        match self {
            TrackingId { value } => format!(
                "{} '{value}' {}",
                lang.pick("Kenmerk", "Tracking id"),
                lang.pick(
                    "moet de vorm SC-JJJJ-NNNN hebben",
                    "must look like SC-YYYY-NNNN"
                )
            ),
            EmptyField { field } => format!(
                "{} '{field}' {}",
                lang.pick("Het veld", "The field"),
                lang.pick("is leeg", "is empty")
            ),
            NoProducts => lang
                .pick(
                    "Noem ten minste één product uit de catalogus.",
                    "Name at least one catalogue product.",
                )
                .into(),
            UnknownProduct { id } => format!(
                "{} '{id}' {}",
                lang.pick("Product", "Product"),
                lang.pick("staat niet in de catalogus", "is not in the catalogue")
            ),
            NoRevisions => lang
                .pick(
                    "De versiegeschiedenis is leeg.",
                    "The revision history is empty.",
                )
                .into(),
            BadRevision { number } => format!(
                "{} '{number}' {}",
                lang.pick("Versie", "Version"),
                lang.pick(
                    "is geen semantische versie (zoals 1.0.0)",
                    "is not a semantic version (like 1.0.0)"
                )
            ),
            RevisionsOutOfOrder => lang
                .pick("De versies moeten oplopen.", "Revisions must increase.")
                .into(),
            BadSource { url } => format!(
                "{} '{url}' {}",
                lang.pick("Bron", "Source"),
                lang.pick("is geen https-adres", "is not an https URL")
            ),
            InformationalNeedsSource => lang
                .pick(
                    "Een advies zonder CVE heeft ten minste één bron nodig.",
                    "An advisory without a CVE needs at least one source.",
                )
                .into(),
        }
    }
}

/// `SC-YYYY-NNNN` (four or more digits).
fn tracking_id_ok(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    matches!(parts.as_slice(), ["SC", year, n]
        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
            && n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

impl SectorAdvisory {
    /// The current version: the last revision's number.
    pub fn version(&self) -> Option<&str> {
        self.revisions.last().map(|r| r.number.as_str())
    }

    pub fn initial_release(&self) -> Option<Timestamp> {
        self.revisions.first().map(|r| r.date)
    }

    pub fn current_release(&self) -> Option<Timestamp> {
        self.revisions.last().map(|r| r.date)
    }

    /// Checks everything publication needs; an empty list means publishable.
    pub fn validate(&self, catalogue: &Catalogue) -> Vec<AdvisoryProblem> {
        let mut problems = Vec::new();
        if !tracking_id_ok(&self.tracking_id) {
            problems.push(AdvisoryProblem::TrackingId {
                value: self.tracking_id.clone(),
            });
        }
        for (field, value) in [
            ("title", &self.title),
            ("summary", &self.summary),
            ("actions", &self.actions),
        ] {
            if value.trim().is_empty() {
                problems.push(AdvisoryProblem::EmptyField { field });
            }
        }
        if self.products.is_empty() {
            problems.push(AdvisoryProblem::NoProducts);
        }
        for p in &self.products {
            if catalogue.get(&p.product).is_none() {
                problems.push(AdvisoryProblem::UnknownProduct {
                    id: p.product.to_string(),
                });
            }
        }
        if self.revisions.is_empty() {
            problems.push(AdvisoryProblem::NoRevisions);
        }
        let mut previous: Option<semver::Version> = None;
        for r in &self.revisions {
            match semver::Version::parse(&r.number) {
                Ok(v) => {
                    if previous.as_ref().is_some_and(|p| *p >= v) {
                        problems.push(AdvisoryProblem::RevisionsOutOfOrder);
                    }
                    previous = Some(v);
                }
                Err(_) => problems.push(AdvisoryProblem::BadRevision {
                    number: r.number.clone(),
                }),
            }
        }
        for s in &self.sources {
            let ok = url::Url::parse(&s.url).is_ok_and(|u| u.scheme() == "https");
            if !ok {
                problems.push(AdvisoryProblem::BadSource { url: s.url.clone() });
            }
        }
        if self.cves.is_empty() && self.sources.is_empty() {
            problems.push(AdvisoryProblem::InformationalNeedsSource);
        }
        problems
    }

    /// Adds a revision: `major` when what is affected or what to do changed (consumers
    /// re-match on major steps), otherwise a minor step. A draft's first publication is 1.0.0.
    pub fn add_revision(&mut self, date: Timestamp, summary: &str, major: bool) {
        let next = match self.version().and_then(|v| semver::Version::parse(v).ok()) {
            None => semver::Version::new(1, 0, 0),
            Some(v) if major => semver::Version::new(v.major + 1, 0, 0),
            Some(v) => semver::Version::new(v.major, v.minor + 1, 0),
        };
        self.revisions.push(AdvisoryRevision {
            number: next.to_string(),
            date,
            summary: summary.to_owned(),
        });
    }
}

/// Whether a match qualifies for the automatic P1 notice: the vulnerability is in KEV, the
/// product is internet-facing, and the board's version is affected or must be checked.
pub fn automatic_p1_applies(
    kev: Option<&KevEntry>,
    exposure: crate::catalogue::Exposure,
    relation: crate::matching::VersionRelation,
) -> bool {
    kev.is_some()
        && exposure == crate::catalogue::Exposure::InternetFacing
        && relation.is_notifiable()
}

/// The automatic P1 advisory: a KEV-listed vulnerability on an internet-facing product is
/// announced at once with a standard Dutch text; an analyst may revise it later.
pub fn automatic_p1(
    tracking_id: &str,
    cve: &CveId,
    product: &Product,
    kev: &KevEntry,
    fixed_in: &[String],
    now: Timestamp,
) -> SectorAdvisory {
    let ransomware = if kev.known_ransomware_use {
        " Ransomwaregroepen maken gebruik van deze kwetsbaarheid."
    } else {
        ""
    };
    let update = if fixed_in.is_empty() {
        "Installeer direct de beveiligingsupdate van de leverancier.".to_owned()
    } else {
        format!(
            "Installeer direct de beveiligingsupdate van de leverancier (versie {} of hoger).",
            fixed_in.join(", ")
        )
    };
    let summary = format!(
        "Kwetsbaarheid {cve} in {name} van {vendor} wordt actief misbruikt: CISA heeft haar op {date} \
         opgenomen in de lijst van actief misbruikte kwetsbaarheden (KEV).{ransomware} \
         {name} is meestal vanaf internet bereikbaar, dus aanvallers kunnen uw school rechtstreeks \
         bereiken. Dit bericht is automatisch verstuurd; een analist van School-CERT vult het zo \
         nodig aan.",
        name = product.name,
        vendor = product.vendor,
        date = format_local_date(
            kev.date_added
                .and_hms_opt(12, 0, 0)
                .map(|d| d.and_utc())
                .unwrap_or(now),
            Lang::Nl
        ),
    );
    let actions = format!(
        "1. Ga na of uw bestuur of uw IT-leverancier {name} gebruikt en welke versie.\n\
         2. {update}\n\
         3. Kunt u niet direct bijwerken? Volg de tijdelijke maatregelen van de leverancier of \
            zet de dienst tijdelijk uit.\n\
         4. Controleer op tekenen van misbruik (onbekende accounts, vreemde bestanden, \
            afwijkend verkeer). Vindt u iets, meld dan een incident bij School-CERT.\n\
         5. Zet de status van deze melding in het portaal op 'Opgelost' zodra u klaar bent.",
        name = product.name,
    );
    SectorAdvisory {
        tracking_id: tracking_id.to_owned(),
        status: AdvisoryStatus::Final,
        title: format!(
            "Actief misbruikte kwetsbaarheid in {} ({cve})",
            product.name
        ),
        summary,
        actions,
        urgency: Urgency::Urgent,
        tlp: Tlp::Clear,
        products: vec![AffectedProduct {
            product: product.id.clone(),
            versions: None,
            fixed_in: fixed_in.to_vec(),
        }],
        cves: vec![cve.clone()],
        sources: vec![
            SourceLink {
                url: "https://www.cisa.gov/known-exploited-vulnerabilities-catalog".into(),
                title: "CISA Known Exploited Vulnerabilities".into(),
            },
            SourceLink {
                url: format!("https://www.cve.org/CVERecord?id={cve}"),
                title: format!("{cve} (CVE.org)"),
            },
        ],
        revisions: vec![AdvisoryRevision {
            number: "1.0.0".into(),
            date: now,
            summary: "Automatisch verstuurd (P1: actief misbruikt, bereikbaar vanaf internet)"
                .into(),
        }],
        automatic: true,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    pub(crate) fn sample(tlp: Tlp) -> SectorAdvisory {
        SectorAdvisory {
            tracking_id: "SC-2026-0001".into(),
            status: AdvisoryStatus::Final,
            title: "Kwetsbaarheid in FortiOS SSL-VPN actief misbruikt".into(),
            summary: "Een fout in de SSL-VPN van FortiOS laat aanvallers **zonder inlog** code uitvoeren.".into(),
            actions: "- Werk FortiOS bij naar 7.2.7 of 7.4.3.\n- Zet SSL-VPN uit als bijwerken niet kan.".into(),
            urgency: Urgency::Urgent,
            tlp,
            products: vec![
                AffectedProduct {
                    product: "fortinet-fortios".parse().unwrap(),
                    versions: Some("vers:intdot/>=7.2.0|<7.2.7".into()),
                    fixed_in: vec!["7.2.7".into(), "7.4.3".into()],
                },
                AffectedProduct {
                    product: "magister".parse().unwrap(),
                    versions: None,
                    fixed_in: vec![],
                },
            ],
            cves: vec!["CVE-2024-21762".parse().unwrap()],
            sources: vec![SourceLink {
                url: "https://www.fortiguard.com/psirt/FG-IR-24-015".into(),
                title: "Fortinet PSIRT".into(),
            }],
            revisions: vec![AdvisoryRevision {
                number: "1.0.0".into(),
                date: parse_rfc3339("2026-11-23T10:00:00Z").unwrap(),
                summary: "Eerste versie".into(),
            }],
            automatic: false,
        }
    }

    #[test]
    fn a_complete_advisory_validates_and_problems_are_named() {
        let cat = Catalogue::seed();
        assert!(sample(Tlp::Clear).validate(&cat).is_empty());
        let mut bad = sample(Tlp::Clear);
        bad.tracking_id = "SC-26-1".into();
        bad.title = " ".into();
        bad.products.push(AffectedProduct {
            product: "nope".parse().unwrap(),
            versions: None,
            fixed_in: vec![],
        });
        bad.cves.clear();
        bad.sources = vec![SourceLink {
            url: "http://insecure.example".into(),
            title: String::new(),
        }];
        let problems = bad.validate(&cat);
        assert_eq!(
            problems,
            [
                AdvisoryProblem::TrackingId {
                    value: "SC-26-1".into()
                },
                AdvisoryProblem::EmptyField { field: "title" },
                AdvisoryProblem::UnknownProduct { id: "nope".into() },
                AdvisoryProblem::BadSource {
                    url: "http://insecure.example".into()
                },
            ]
        );
        assert!(problems[1].message(Lang::Nl).contains("is leeg"));
    }

    #[test]
    fn revisions_step_major_or_minor() {
        let mut a = sample(Tlp::Clear);
        let t = parse_rfc3339("2026-11-24T10:00:00Z").unwrap();
        a.add_revision(t, "typo", false);
        assert_eq!(a.version(), Some("1.1.0"));
        a.add_revision(t, "nieuwe versie getroffen", true);
        assert_eq!(a.version(), Some("2.0.0"));
        assert!(a.validate(&Catalogue::seed()).is_empty());
    }

    #[test]
    fn the_automatic_p1_text_is_complete_and_dutch() {
        let cat = Catalogue::seed();
        let product = cat.get(&"paloalto-panos".parse().unwrap()).unwrap();
        let (kev, _) = crate::kev::parse(crate::kev::tests::SAMPLE.as_bytes()).unwrap();
        let now = parse_rfc3339("2024-04-12T12:00:00Z").unwrap();
        let cve: CveId = "CVE-2024-3400".parse().unwrap();
        let a = automatic_p1(
            "SC-2024-0042",
            &cve,
            product,
            &kev.entries[0],
            &["10.2.9-h1".into()],
            now,
        );
        assert!(a.validate(&cat).is_empty(), "{:?}", a.validate(&cat));
        assert_eq!(a.urgency, Urgency::Urgent);
        assert!(a.automatic);
        assert!(a.title.contains("PAN-OS") && a.title.contains("CVE-2024-3400"));
        assert!(a.summary.contains("12-04-2024"), "{}", a.summary);
        assert!(a.actions.contains("versie 10.2.9-h1 of hoger"));
        use crate::catalogue::Exposure;
        use crate::matching::VersionRelation;
        let k = Some(&kev.entries[0]);
        assert!(automatic_p1_applies(
            k,
            Exposure::InternetFacing,
            VersionRelation::VersionNotStated
        ));
        assert!(!automatic_p1_applies(
            k,
            Exposure::Internal,
            VersionRelation::Affected
        ));
        assert!(!automatic_p1_applies(
            k,
            Exposure::InternetFacing,
            VersionRelation::Fixed
        ));
        assert!(!automatic_p1_applies(
            None,
            Exposure::InternetFacing,
            VersionRelation::Affected
        ));
    }
}
