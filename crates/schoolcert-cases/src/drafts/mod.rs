//! Notification drafts the CERT prepares for the board: the Autoriteit Persoonsgegevens'
//! datalek form and the NIS2 / Cbw early warning, notification and final report, pre-filled
//! from the case. Output is structured (sections of labelled fields, missing ones marked) and
//! renders to plain text or Markdown the board copies into the regulator's form. The board
//! files the notification itself.

pub mod ap;
pub mod input;
pub mod nis2;

use serde::Serialize;

use schoolcert_domain::{Lang, Tlp};

pub use input::{BreachNature, Contact, DraftCase, Organisation, SubjectsInformed};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    ApDatalek,
    Nis2EarlyWarning,
    Nis2Notification,
    Nis2FinalReport,
}

impl DraftKind {
    pub const ALL: [DraftKind; 4] = [
        DraftKind::ApDatalek,
        DraftKind::Nis2EarlyWarning,
        DraftKind::Nis2Notification,
        DraftKind::Nis2FinalReport,
    ];

    /// The code the deadline rules use in `draft = "…"`.
    pub fn code(self) -> &'static str {
        match self {
            DraftKind::ApDatalek => "ap_datalek",
            DraftKind::Nis2EarlyWarning => "nis2_early_warning",
            DraftKind::Nis2Notification => "nis2_notification",
            DraftKind::Nis2FinalReport => "nis2_final_report",
        }
    }

    pub fn from_code(code: &str) -> Option<DraftKind> {
        DraftKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Builds the draft of this kind.
    pub fn build(self, case: &DraftCase, lang: Lang) -> Draft {
        match self {
            DraftKind::ApDatalek => ap::datalek(case, lang),
            DraftKind::Nis2EarlyWarning => nis2::early_warning(case, lang),
            DraftKind::Nis2Notification => nis2::notification(case, lang),
            DraftKind::Nis2FinalReport => nis2::final_report(case, lang),
        }
    }
}

/// One labelled value of the regulator's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub label: String,
    /// `None`: the case does not say yet; the board fills it in.
    pub value: Option<String>,
    /// What the regulator expects here.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub kind: DraftKind,
    pub title: String,
    /// The label of the document itself: it holds the board's incident details.
    pub tlp: Tlp,
    pub intro: String,
    pub sections: Vec<Section>,
}

impl Draft {
    /// Labels of the fields still to fill in.
    pub fn missing(&self) -> Vec<&str> {
        self.sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter(|f| f.value.is_none())
            .map(|f| f.label.as_str())
            .collect()
    }

    fn placeholder(lang: Lang) -> &'static str {
        lang.pick("[nog invullen]", "[to be filled in]")
    }

    /// Plain text, as pasted into a web form or an e-mail.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = format!("{}\n{}\n\n{}\n", self.tlp.label(), self.title, self.intro);
        for s in &self.sections {
            out.push_str(&format!(
                "\n{}\n{}\n",
                s.heading,
                "-".repeat(s.heading.chars().count())
            ));
            for f in &s.fields {
                let v = f.value.as_deref().unwrap_or(Self::placeholder(lang));
                if v.contains('\n') {
                    out.push_str(&format!("{}:\n{}\n", f.label, indent(v)));
                } else {
                    out.push_str(&format!("{}: {}\n", f.label, v));
                }
                if let (None, Some(h)) = (&f.value, &f.hint) {
                    out.push_str(&format!("  ({h})\n"));
                }
            }
        }
        out
    }

    /// Markdown, for the case page and a downloadable document.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut out = format!(
            "**{}**\n\n# {}\n\n{}\n",
            self.tlp.label(),
            self.title,
            self.intro
        );
        for s in &self.sections {
            out.push_str(&format!("\n## {}\n\n", s.heading));
            for f in &s.fields {
                match &f.value {
                    Some(v) if v.contains('\n') => {
                        out.push_str(&format!("**{}**\n\n{}\n\n", f.label, v));
                    }
                    Some(v) => out.push_str(&format!("- **{}**: {}\n", f.label, v)),
                    None => {
                        out.push_str(&format!("- **{}**: _{}_", f.label, Self::placeholder(lang)));
                        if let Some(h) = &f.hint {
                            out.push_str(&format!(" ({h})"));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Small builder so the form definitions read like the forms.
pub(crate) struct SectionBuilder {
    section: Section,
}

impl SectionBuilder {
    pub(crate) fn new(heading: &str) -> Self {
        SectionBuilder {
            section: Section {
                heading: heading.to_owned(),
                fields: Vec::new(),
            },
        }
    }

    pub(crate) fn field(mut self, label: &str, value: Option<String>, hint: Option<&str>) -> Self {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        self.section.fields.push(Field {
            label: label.to_owned(),
            value,
            hint: hint.map(str::to_owned),
        });
        self
    }

    pub(crate) fn build(self) -> Section {
        self.section
    }
}

pub(crate) fn yes_no(v: Option<bool>, lang: Lang) -> Option<String> {
    v.map(|b| {
        lang.pick(if b { "Ja" } else { "Nee" }, if b { "Yes" } else { "No" })
            .to_owned()
    })
}

pub(crate) fn when(t: Option<schoolcert_domain::Timestamp>, lang: Lang) -> Option<String> {
    t.map(|t| schoolcert_domain::time::format_local(t, lang))
}

pub(crate) fn list(items: &[String]) -> Option<String> {
    let items: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!items.is_empty()).then(|| items.join(", "))
}

#[cfg(test)]
mod tests;
