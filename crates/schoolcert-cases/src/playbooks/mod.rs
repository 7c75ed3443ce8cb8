//! Playbooks (draaiboeken): editable templates per RSIT class that seed a case's tasks and the
//! advice texts for the board. Six Dutch playbooks ship in `data/playbooks/`; the CERT edits
//! copies kept in the database as TOML, read back with `Playbook::from_toml`.

use serde::{Deserialize, Serialize};

use schoolcert_domain::lang::Localized;
use schoolcert_domain::rsit::{self, Classification};
use schoolcert_domain::{Lang, Timestamp, Tlp};

use crate::deadlines::Offset;
use crate::task::{TaskOwner, TaskSeed};
use crate::text::Text;
use crate::visibility::Sharing;

/// The shipped playbooks, as (file name, TOML text).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "ransomware.toml",
        include_str!("../../data/playbooks/ransomware.toml"),
    ),
    (
        "accountovername.toml",
        include_str!("../../data/playbooks/accountovername.toml"),
    ),
    (
        "phishing.toml",
        include_str!("../../data/playbooks/phishing.toml"),
    ),
    (
        "datalek.toml",
        include_str!("../../data/playbooks/datalek.toml"),
    ),
    ("ddos.toml", include_str!("../../data/playbooks/ddos.toml")),
    (
        "leveranciersincident.toml",
        include_str!("../../data/playbooks/leveranciersincident.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookTask {
    pub code: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    pub owner: TaskOwner,
    /// Due this long after the playbook is applied; none for "when it fits".
    #[serde(default)]
    pub due: Option<Offset>,
    /// Whether the board sees the task; default: board tasks yes, CERT tasks no.
    #[serde(default)]
    pub shared: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub code: String,
    pub title: Text,
    pub body: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub code: String,
    pub title: Text,
    #[serde(default)]
    pub summary: Text,
    /// `classification` or `classification:type` codes this playbook is for.
    #[serde(default)]
    pub rsit: Vec<String>,
    /// Also suggested whenever personal data is involved.
    #[serde(default)]
    pub personal_data: bool,
    #[serde(default, rename = "task")]
    pub tasks: Vec<PlaybookTask>,
    #[serde(default, rename = "advice")]
    pub advice: Vec<Advice>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaybookError {
    #[error("the playbook is not valid TOML: {0}")]
    Toml(String),
    #[error("playbook '{code}': {problem}")]
    Invalid { code: String, problem: String },
}

impl Localized for PlaybookError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PlaybookError::Toml(e), Lang::Nl) => {
                format!("Het draaiboek is geen geldige TOML: {e}")
            }
            (PlaybookError::Toml(e), Lang::En) => format!("The playbook is not valid TOML: {e}"),
            (PlaybookError::Invalid { code, problem }, Lang::Nl) => {
                format!("Draaiboek '{code}' klopt niet: {problem}")
            }
            (PlaybookError::Invalid { code, problem }, Lang::En) => {
                format!("Playbook '{code}' is inconsistent: {problem}")
            }
        }
    }
}

/// How well a playbook fits a case; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Fit {
    PersonalData,
    Classification,
    Type,
}

impl Playbook {
    pub fn from_toml(text: &str) -> Result<Playbook, PlaybookError> {
        let p: Playbook = toml::from_str(text).map_err(|e| PlaybookError::Toml(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    /// The playbook as TOML, for editing and export.
    pub fn to_toml(&self) -> Result<String, PlaybookError> {
        toml::to_string(self).map_err(|e| PlaybookError::Toml(e.to_string()))
    }

    pub fn validate(&self) -> Result<(), PlaybookError> {
        let bad = |problem: String| {
            Err(PlaybookError::Invalid {
                code: self.code.clone(),
                problem,
            })
        };
        if self.code.trim().is_empty() || self.title.is_empty() {
            return bad("code and title are required".into());
        }
        for r in &self.rsit {
            let ok = match r.split_once(':') {
                Some((c, t)) => rsit::is_valid_pair(c, t),
                None => rsit::class(r).is_some(),
            };
            if !ok {
                return bad(format!("'{r}' is not an RSIT classification or class:type"));
            }
        }
        if self.tasks.is_empty() {
            return bad("a playbook needs at least one task".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.tasks {
            if t.title.is_empty() || !seen.insert(t.code.as_str()) {
                return bad(format!(
                    "task '{}' has no title or its code is used twice",
                    t.code
                ));
            }
        }
        Ok(())
    }

    /// How this playbook fits a case, if at all.
    pub fn fit(&self, classification: Option<&Classification>, personal_data: bool) -> Option<Fit> {
        let by_class = classification.and_then(|c| {
            self.rsit
                .iter()
                .filter_map(|r| match r.split_once(':') {
                    Some((cl, ty)) if cl == c.taxonomy && ty == c.type_ => Some(Fit::Type),
                    None if *r == c.taxonomy => Some(Fit::Classification),
                    Some((cl, _)) if cl == c.taxonomy => Some(Fit::Classification),
                    _ => None,
                })
                .max()
        });
        by_class.or((personal_data && self.personal_data).then_some(Fit::PersonalData))
    }

    /// The tasks to create when the playbook is applied at `applied_at`.
    pub fn seed_tasks(&self, applied_at: Timestamp, lang: Lang) -> Vec<TaskSeed> {
        self.tasks
            .iter()
            .map(|t| {
                let shared = t.shared.unwrap_or(t.owner == TaskOwner::Board);
                TaskSeed {
                    code: t.code.clone(),
                    title: t.title.get(lang).to_owned(),
                    description: t.description.get(lang).to_owned(),
                    owner: t.owner,
                    due_at: t.due.and_then(|d| d.after(applied_at)),
                    playbook: self.code.clone(),
                    sharing: if shared {
                        Sharing::with_board()
                    } else {
                        Sharing::internal()
                    },
                }
            })
            .collect()
    }

    /// The advice texts as one Markdown document for the board (label it with the case's TLP).
    pub fn advice_markdown(&self, lang: Lang, tlp: Tlp) -> String {
        let mut out = format!("**{}**\n\n# {}\n\n", tlp.label(), self.title.get(lang));
        if !self.summary.is_empty() {
            out.push_str(self.summary.get(lang));
            out.push_str("\n\n");
        }
        for a in &self.advice {
            out.push_str(&format!(
                "## {}\n\n{}\n\n",
                a.title.get(lang),
                a.body.get(lang)
            ));
        }
        out.push_str(&format!("## {}\n\n", lang.pick("Checklist", "Checklist")));
        for t in &self.tasks {
            if t.shared.unwrap_or(t.owner == TaskOwner::Board) {
                out.push_str(&format!("- [ ] {}\n", t.title.get(lang)));
            }
        }
        out
    }
}

/// The shipped playbooks.
pub fn embedded() -> Result<Vec<Playbook>, PlaybookError> {
    EMBEDDED
        .iter()
        .map(|(_, t)| Playbook::from_toml(t))
        .collect()
}

/// The playbooks that fit a case, best first (exact type, then class, then personal data).
pub fn suggest<'a>(
    playbooks: &'a [Playbook],
    classification: Option<&Classification>,
    personal_data: bool,
) -> Vec<&'a Playbook> {
    let mut fits: Vec<(Fit, &Playbook)> = playbooks
        .iter()
        .filter_map(|p| p.fit(classification, personal_data).map(|f| (f, p)))
        .collect();
    fits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    fits.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::{format_utc, parse_rfc3339};

    fn class(c: &str, t: &str) -> Classification {
        Classification {
            taxonomy: c.into(),
            type_: t.into(),
        }
    }

    #[test]
    fn the_six_dutch_playbooks_load() {
        let all = embedded().unwrap();
        let codes: Vec<_> = all.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "ransomware",
                "accountovername",
                "phishing",
                "datalek",
                "ddos",
                "leveranciersincident"
            ]
        );
        for p in &all {
            assert!(
                p.tasks.iter().any(|t| t.owner == TaskOwner::Cert),
                "{}",
                p.code
            );
            assert!(!p.advice.is_empty(), "{}", p.code);
        }
    }

    #[test]
    fn suggestions_rank_exact_types_first_and_add_the_breach_playbook() {
        let all = embedded().unwrap();
        let c = class(
            "information-content-security",
            "unauthorised-information-modification",
        );
        let s: Vec<_> = suggest(&all, Some(&c), true)
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(s[0], "ransomware");
        assert!(s.contains(&"datalek"));
        let c = class("availability", "ddos");
        assert_eq!(suggest(&all, Some(&c), false)[0].code, "ddos");
        assert!(suggest(&all, None, false).is_empty());
        assert_eq!(suggest(&all, None, true)[0].code, "datalek");
    }

    #[test]
    fn seeding_sets_due_dates_and_sharing_by_owner() {
        let all = embedded().unwrap();
        let rw = &all[0];
        let t0 = parse_rfc3339("2026-03-02T08:00:00Z").unwrap();
        let seeds = rw.seed_tasks(t0, Lang::Nl);
        let iso = seeds.iter().find(|s| s.code == "isoleren").unwrap();
        assert_eq!(format_utc(iso.due_at.unwrap()), "2026-03-02T09:00:00Z");
        assert!(iso.sharing.board);
        let cert = seeds.iter().find(|s| s.owner == TaskOwner::Cert).unwrap();
        assert!(cert.sharing.is_internal());
        let md = rw.advice_markdown(Lang::Nl, Tlp::AmberStrict);
        assert!(md.starts_with("**TLP:AMBER+STRICT**"));
        assert!(md.contains("- [ ] Getroffen systemen van het netwerk halen"));
        assert!(
            !md.contains("Eerste advies sturen"),
            "CERT tasks stay internal"
        );
    }

    #[test]
    fn an_edited_playbook_round_trips_and_is_checked() {
        let mut p = embedded().unwrap().remove(2);
        p.tasks[0].title = Text::new("Bericht verwijderen", "");
        let again = Playbook::from_toml(&p.to_toml().unwrap()).unwrap();
        assert_eq!(again, p);
        p.rsit.push("fraud:ddos".into());
        assert!(p.validate().is_err());
        assert!(matches!(
            Playbook::from_toml("code = 1"),
            Err(PlaybookError::Toml(_))
        ));
    }
}
