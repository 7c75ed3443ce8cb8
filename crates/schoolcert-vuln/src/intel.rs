//! Exploitation intelligence per CVE: KEV entries and EPSS scores, joined by CVE id only.

use rustc_hash::FxHashMap;

use crate::epss::EpssScore;
use crate::ids::{CveId, VulnKey};
use crate::kev::KevEntry;

/// KEV and EPSS indexed by CVE id.
#[derive(Debug, Clone, Default)]
pub struct ThreatIntel {
    kev: FxHashMap<CveId, KevEntry>,
    epss: FxHashMap<CveId, EpssScore>,
}

impl ThreatIntel {
    pub fn new(
        kev: impl IntoIterator<Item = KevEntry>,
        epss: impl IntoIterator<Item = EpssScore>,
    ) -> ThreatIntel {
        ThreatIntel {
            kev: kev.into_iter().map(|e| (e.cve_id.clone(), e)).collect(),
            epss: epss.into_iter().map(|e| (e.cve_id.clone(), e)).collect(),
        }
    }

    pub fn kev(&self, id: &CveId) -> Option<&KevEntry> {
        self.kev.get(id)
    }

    pub fn epss(&self, id: &CveId) -> Option<&EpssScore> {
        self.epss.get(id)
    }

    /// Both, for a vulnerability key; vulnerabilities without a CVE have neither.
    pub fn lookup(&self, key: &VulnKey) -> (Option<&KevEntry>, Option<&EpssScore>) {
        match key.cve() {
            Some(id) => (self.kev(id), self.epss(id)),
            None => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_by_cve_id_only() {
        let (kev, _) = crate::kev::parse(crate::kev::tests::SAMPLE.as_bytes()).unwrap();
        let epss = vec![EpssScore {
            cve_id: "CVE-2019-11510".parse().unwrap(),
            epss: 0.94,
            percentile: 0.999,
        }];
        let intel = ThreatIntel::new(kev.entries, epss);
        let id: CveId = "cve-2019-11510".parse().unwrap();
        let (k, e) = intel.lookup(&VulnKey::Cve { id });
        // KEV says "Pulse Secure"; the catalogue calls the product Ivanti Connect Secure.
        // The join does not care: it is by CVE id.
        assert_eq!(k.map(|k| k.vendor_project.as_str()), Some("Pulse Secure"));
        assert_eq!(e.map(|e| e.epss), Some(0.94));
        let other = VulnKey::Other {
            system: "x".into(),
            id: "y".into(),
        };
        assert_eq!(intel.lookup(&other), (None, None));
    }
}
