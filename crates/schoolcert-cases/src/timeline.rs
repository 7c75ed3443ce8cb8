//! The case timeline: one entry for everything that happens (state changes, messages, calls,
//! tasks, uploads, observables, parties, deadline confirmations, reminders), each carrying the
//! same TLP and sharing as the item it is about, so the board's timeline shows only what the
//! board may see.

use serde::{Deserialize, Serialize};

use schoolcert_domain::{Lang, Timestamp, Tlp};

use crate::ids::CaseId;
use crate::visibility::{CaseItem, ItemScope, Sharing};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TimelineEvent {
    CaseOpened,
    StateChanged { from: String, to: String },
    ReportLinked { report: String },
    MessageReceived { subject: String },
    MessageSent { subject: String },
    NoteAdded,
    CallLogged { with: String },
    TaskAdded { title: String },
    TaskDone { title: String },
    FileUploaded { filename: String, sha256: String },
    ObservableAdded { value: String },
    PartyAdded { party: String },
    SharedWithParty { party: String, what: String },
    ObligationMet { obligation: String },
    ObligationWaived { obligation: String },
    ReminderSent { obligation: String },
    PlaybookApplied { playbook: String },
    DeadlineAdjusted { new_deadline: Timestamp },
}

impl TimelineEvent {
    /// One line for people.
    pub fn describe(&self, lang: Lang) -> String {
        use TimelineEvent::*;
        let nl = lang == Lang::Nl;
        match self {
            CaseOpened => lang.pick("Zaak geopend", "Case opened").into(),
            StateChanged { from, to } if nl => format!("Status gewijzigd van {from} naar {to}"),
            StateChanged { from, to } => format!("State changed from {from} to {to}"),
            ReportLinked { report } if nl => format!("Melding gekoppeld: {report}"),
            ReportLinked { report } => format!("Report linked: {report}"),
            MessageReceived { subject } if nl => format!("Bericht ontvangen: {subject}"),
            MessageReceived { subject } => format!("Message received: {subject}"),
            MessageSent { subject } if nl => format!("Bericht verstuurd: {subject}"),
            MessageSent { subject } => format!("Message sent: {subject}"),
            NoteAdded => lang.pick("Notitie toegevoegd", "Note added").into(),
            CallLogged { with } if nl => format!("Gesprek vastgelegd met {with}"),
            CallLogged { with } => format!("Call logged with {with}"),
            TaskAdded { title } if nl => format!("Taak toegevoegd: {title}"),
            TaskAdded { title } => format!("Task added: {title}"),
            TaskDone { title } if nl => format!("Taak afgerond: {title}"),
            TaskDone { title } => format!("Task done: {title}"),
            FileUploaded { filename, .. } if nl => format!("Bestand toegevoegd: {filename}"),
            FileUploaded { filename, .. } => format!("File added: {filename}"),
            ObservableAdded { value } if nl => format!("Observable toegevoegd: {value}"),
            ObservableAdded { value } => format!("Observable added: {value}"),
            PartyAdded { party } if nl => format!("Ketenpartij betrokken: {party}"),
            PartyAdded { party } => format!("Party involved: {party}"),
            SharedWithParty { party, what } if nl => format!("Gedeeld met {party}: {what}"),
            SharedWithParty { party, what } => format!("Shared with {party}: {what}"),
            ObligationMet { obligation } if nl => format!("Verplichting gedaan: {obligation}"),
            ObligationMet { obligation } => format!("Obligation met: {obligation}"),
            ObligationWaived { obligation } if nl => {
                format!("Verplichting niet nodig: {obligation}")
            }
            ObligationWaived { obligation } => format!("Obligation not needed: {obligation}"),
            ReminderSent { obligation } if nl => format!("Herinnering verstuurd: {obligation}"),
            ReminderSent { obligation } => format!("Reminder sent: {obligation}"),
            PlaybookApplied { playbook } if nl => format!("Draaiboek toegepast: {playbook}"),
            PlaybookApplied { playbook } => format!("Playbook applied: {playbook}"),
            DeadlineAdjusted { new_deadline } => format!(
                "{} {}",
                lang.pick("Termijn aangepast naar", "Deadline moved to"),
                schoolcert_domain::time::format_local(*new_deadline, lang)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub case_id: CaseId,
    pub at: Timestamp,
    /// Who did it, as shown ("analist@school-cert.nl", "systeem").
    pub actor: String,
    pub event: TimelineEvent,
    pub tlp: Tlp,
    pub sharing: Sharing,
}

impl CaseItem for TimelineEntry {
    fn scope(&self) -> ItemScope<'_> {
        ItemScope {
            case_id: self.case_id,
            tlp: self.tlp,
            sharing: &self.sharing,
        }
    }
}

/// Entries in time order, oldest first, ties in input order.
pub fn sorted(mut entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    entries.sort_by_key(|e| e.at);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_in_both_languages() {
        let e = TimelineEvent::StateChanged {
            from: "triage".into(),
            to: "advising".into(),
        };
        assert_eq!(
            e.describe(Lang::Nl),
            "Status gewijzigd van triage naar advising"
        );
        assert_eq!(
            e.describe(Lang::En),
            "State changed from triage to advising"
        );
    }
}
