//! Priority of a match from exploitation facts (KEV, ransomware use, EPSS), severity (CVSS)
//! and where the product sits (exposure). Thresholds are configuration; the analyst's
//! interpretation (*duiding*) overrides the computed level.

use schoolcert_domain::Lang;
use serde::{Deserialize, Serialize};

use crate::catalogue::Exposure;
use crate::epss::EpssScore;
use crate::kev::KevEntry;
use crate::matching::VersionRelation;

/// P1 is the most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
}

impl Priority {
    /// The urgency label boards see (NCSC-NL's "Urgent"/"Normaal" style).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Priority::P1 => lang.pick("Urgent", "Urgent"),
            Priority::P2 | Priority::P3 => lang.pick("Normaal", "Normal"),
        }
    }
}

/// Thresholds. Defaults follow the reference design: P1 = KEV on an internet-facing product
/// (or with known ransomware use anywhere); P2 = EPSS ≥ 0.1 or CVSS ≥ 9 on an
/// internet-facing product, or EPSS ≥ 0.5 anywhere, or KEV elsewhere; P3 otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityConfig {
    /// EPSS probability that makes an internet-facing match P2.
    pub epss_internet_facing: f64,
    /// EPSS probability that makes any match P2.
    pub epss_any: f64,
    /// CVSS base score that makes an internet-facing match P2.
    pub cvss_internet_facing: f64,
    /// Known ransomware use in KEV makes a match P1 whatever the exposure (backup servers
    /// and hypervisors are internal and exactly what ransomware groups go for).
    pub ransomware_is_p1_anywhere: bool,
    /// Whether "version not stated" matches get the same priority as decided ones (they
    /// must be checked, so by default yes).
    pub version_not_stated_counts: bool,
}

impl Default for PriorityConfig {
    fn default() -> Self {
        PriorityConfig {
            epss_internet_facing: 0.1,
            epss_any: 0.5,
            cvss_internet_facing: 9.0,
            ransomware_is_p1_anywhere: true,
            version_not_stated_counts: true,
        }
    }
}

/// Why a priority was given, for the notice and the analyst screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Reason {
    KevRansomware,
    Kev,
    Epss(f64),
    Cvss(f64),
    InternetFacing,
    NotAffected,
    AnalystOverride,
}

impl Reason {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Reason::KevRansomware => lang
                .pick(
                    "Actief misbruikt, ook door ransomwaregroepen (CISA KEV)",
                    "Actively exploited, including by ransomware groups (CISA KEV)",
                )
                .into(),
            Reason::Kev => lang
                .pick(
                    "Actief misbruikt (CISA KEV)",
                    "Actively exploited (CISA KEV)",
                )
                .into(),
            Reason::Epss(p) => format!(
                "{} {:.0}%",
                lang.pick(
                    "Kans op misbruik binnen 30 dagen (EPSS):",
                    "Probability of exploitation within 30 days (EPSS):"
                ),
                p * 100.0
            ),
            Reason::Cvss(s) => format!("CVSS {s:.1}"),
            Reason::InternetFacing => lang
                .pick("Bereikbaar vanaf internet", "Internet-facing")
                .into(),
            Reason::NotAffected => lang
                .pick(
                    "Uw versie is niet kwetsbaar of al bijgewerkt",
                    "Your version is not affected or already fixed",
                )
                .into(),
            Reason::AnalystOverride => lang
                .pick(
                    "Vastgesteld door de analist van School-CERT",
                    "Set by the School-CERT analyst",
                )
                .into(),
        }
    }
}

/// The facts about one match.
#[derive(Debug, Clone, Copy)]
pub struct PriorityInput<'a> {
    pub kev: Option<&'a KevEntry>,
    pub epss: Option<&'a EpssScore>,
    pub cvss: Option<f64>,
    pub exposure: Exposure,
    pub relation: VersionRelation,
}

/// A computed priority with a sort key (higher = more urgent within and across levels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub priority: Priority,
    pub rank: u32,
    pub reasons: Vec<Reason>,
}

impl PriorityConfig {
    pub fn assess(&self, input: &PriorityInput<'_>) -> Assessment {
        let mut reasons = Vec::new();
        let decided_safe = matches!(
            input.relation,
            VersionRelation::NotAffected | VersionRelation::Fixed
        ) || (input.relation == VersionRelation::VersionNotStated
            && !self.version_not_stated_counts);
        if decided_safe {
            reasons.push(Reason::NotAffected);
            return Assessment {
                priority: Priority::P3,
                rank: 0,
                reasons,
            };
        }
        let internet = input.exposure == Exposure::InternetFacing;
        let ransomware = input.kev.is_some_and(|k| k.known_ransomware_use);
        let epss = input.epss.map(|e| e.epss);
        if ransomware {
            reasons.push(Reason::KevRansomware);
        } else if input.kev.is_some() {
            reasons.push(Reason::Kev);
        }
        if internet {
            reasons.push(Reason::InternetFacing);
        }
        let epss_hit =
            epss.filter(|p| (internet && *p >= self.epss_internet_facing) || *p >= self.epss_any);
        if let Some(p) = epss_hit {
            reasons.push(Reason::Epss(p));
        }
        let cvss_hit = input
            .cvss
            .filter(|s| internet && *s >= self.cvss_internet_facing);
        if let Some(s) = cvss_hit {
            reasons.push(Reason::Cvss(s));
        }
        let priority = if (input.kev.is_some() && internet)
            || (ransomware && self.ransomware_is_p1_anywhere)
        {
            Priority::P1
        } else if input.kev.is_some() || epss_hit.is_some() || cvss_hit.is_some() {
            Priority::P2
        } else {
            Priority::P3
        };
        let base = match priority {
            Priority::P1 => 3000,
            Priority::P2 => 2000,
            Priority::P3 => 1000,
        };
        // Within a level: ransomware, then KEV, then EPSS, then CVSS, then exposure.
        let rank = base
            + if ransomware { 500 } else { 0 }
            + if input.kev.is_some() { 300 } else { 0 }
            + (epss.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0) as u32
            + (input.cvss.unwrap_or(0.0).clamp(0.0, 10.0) * 5.0) as u32
            + if internet { 10 } else { 0 };
        Assessment {
            priority,
            rank,
            reasons,
        }
    }
}

impl Assessment {
    /// Applies the analyst's interpretation: their priority replaces the computed one.
    pub fn with_override(mut self, analyst: Option<Priority>) -> Assessment {
        if let Some(p) = analyst
            && p != self.priority
        {
            self.priority = p;
            self.reasons.insert(0, Reason::AnalystOverride);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kev(ransomware: bool) -> KevEntry {
        KevEntry {
            cve_id: "CVE-2024-40711".parse().unwrap(),
            vendor_project: "Veeam".into(),
            product: "Backup & Replication".into(),
            vulnerability_name: String::new(),
            date_added: "2024-10-17".parse().unwrap(),
            short_description: String::new(),
            required_action: String::new(),
            due_date: None,
            known_ransomware_use: ransomware,
            notes: None,
            cwes: vec![],
        }
    }

    fn epss(p: f64) -> EpssScore {
        EpssScore {
            cve_id: "CVE-2024-40711".parse().unwrap(),
            epss: p,
            percentile: 0.9,
        }
    }

    #[test]
    fn priorities_follow_exploitation_and_exposure() {
        let cfg = PriorityConfig::default();
        let (k, r, e_hi, e_mid) = (kev(false), kev(true), epss(0.6), epss(0.2));
        let input = |kev, epss, cvss, exposure| PriorityInput {
            kev,
            epss,
            cvss,
            exposure,
            relation: VersionRelation::Affected,
        };
        use Exposure::*;
        let table = [
            (input(Some(&k), None, None, InternetFacing), Priority::P1),
            (input(Some(&r), None, None, Internal), Priority::P1),
            (input(Some(&k), None, None, Internal), Priority::P2),
            (
                input(None, Some(&e_mid), None, InternetFacing),
                Priority::P2,
            ),
            (input(None, Some(&e_mid), None, Internal), Priority::P3),
            (input(None, Some(&e_hi), None, Client), Priority::P2),
            (input(None, None, Some(9.8), InternetFacing), Priority::P2),
            (input(None, None, Some(9.8), Client), Priority::P3),
            (input(None, None, None, InternetFacing), Priority::P3),
        ];
        for (i, want) in table {
            assert_eq!(cfg.assess(&i).priority, want, "{i:?}");
        }
        // Ransomware ranks above plain KEV at the same level.
        let a = cfg.assess(&input(Some(&r), None, None, InternetFacing));
        let b = cfg.assess(&input(Some(&k), None, None, InternetFacing));
        assert!(a.rank > b.rank);
        assert_eq!(a.reasons[0], Reason::KevRansomware);
    }

    #[test]
    fn thresholds_are_configuration_and_the_analyst_overrides() {
        let strict = PriorityConfig {
            epss_internet_facing: 0.3,
            ..PriorityConfig::default()
        };
        let e = epss(0.2);
        let i = PriorityInput {
            kev: None,
            epss: Some(&e),
            cvss: None,
            exposure: Exposure::InternetFacing,
            relation: VersionRelation::VersionNotStated,
        };
        assert_eq!(strict.assess(&i).priority, Priority::P3);
        assert_eq!(PriorityConfig::default().assess(&i).priority, Priority::P2);
        let o = strict.assess(&i).with_override(Some(Priority::P1));
        assert_eq!(o.priority, Priority::P1);
        assert_eq!(o.reasons[0], Reason::AnalystOverride);
        assert_eq!(o.priority.label(Lang::Nl), "Urgent");
        let cfg: PriorityConfig = toml::from_str("epss_any = 0.7").unwrap();
        assert_eq!(cfg.epss_any, 0.7);
        assert_eq!(cfg.cvss_internet_facing, 9.0);
    }

    #[test]
    fn fixed_and_not_affected_are_informational() {
        let k = kev(true);
        let i = PriorityInput {
            kev: Some(&k),
            epss: None,
            cvss: Some(10.0),
            exposure: Exposure::InternetFacing,
            relation: VersionRelation::Fixed,
        };
        let a = PriorityConfig::default().assess(&i);
        assert_eq!(a.priority, Priority::P3);
        assert_eq!(a.reasons, [Reason::NotAffected]);
    }
}
