//! Tasks: the checklist of a case, each with an owner (the CERT or the board), a due date and
//! a status at `now`; playbooks seed them.

use serde::{Deserialize, Serialize};

use schoolcert_domain::{Lang, Timestamp, Tlp, UserId};

use crate::ids::{CaseId, TaskId};
use crate::visibility::{CaseItem, ItemScope, Sharing};

/// Who is to do it. The board stays responsible for its own systems; the CERT does no hands-on
/// work, so CERT tasks are advice, coordination and follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskOwner {
    Cert,
    Board,
}

impl TaskOwner {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            TaskOwner::Cert => lang.pick("School-CERT", "School-CERT"),
            TaskOwner::Board => lang.pick("Schoolbestuur", "School board"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub case_id: CaseId,
    pub title: String,
    pub description: String,
    pub owner: TaskOwner,
    pub assignee: Option<UserId>,
    pub due_at: Option<Timestamp>,
    pub done_at: Option<Timestamp>,
    pub done_by: Option<String>,
    /// The playbook that seeded it, if any.
    pub playbook: Option<String>,
    pub tlp: Tlp,
    pub sharing: Sharing,
}

impl CaseItem for Task {
    fn scope(&self) -> ItemScope<'_> {
        ItemScope {
            case_id: self.case_id,
            tlp: self.tlp,
            sharing: &self.sharing,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    /// Due within the next four hours.
    DueSoon,
    Overdue,
    Done,
}

impl TaskStatus {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            TaskStatus::Open => lang.pick("Open", "Open"),
            TaskStatus::DueSoon => lang.pick("Binnenkort", "Due soon"),
            TaskStatus::Overdue => lang.pick("Te laat", "Overdue"),
            TaskStatus::Done => lang.pick("Gedaan", "Done"),
        }
    }
}

impl Task {
    pub fn status(&self, now: Timestamp) -> TaskStatus {
        match (self.done_at, self.due_at) {
            (Some(_), _) => TaskStatus::Done,
            (None, Some(due)) if now > due => TaskStatus::Overdue,
            (None, Some(due)) if due - now <= chrono::Duration::hours(4) => TaskStatus::DueSoon,
            _ => TaskStatus::Open,
        }
    }

    pub fn complete(&mut self, now: Timestamp, by: &str) {
        if self.done_at.is_none() {
            self.done_at = Some(now);
            self.done_by = Some(by.to_owned());
        }
    }

    pub fn reopen(&mut self) {
        self.done_at = None;
        self.done_by = None;
    }
}

/// A task a playbook proposes, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskSeed {
    pub code: String,
    pub title: String,
    pub description: String,
    pub owner: TaskOwner,
    pub due_at: Option<Timestamp>,
    pub playbook: String,
    /// Board tasks are shared with the board so it sees its checklist; CERT tasks stay internal.
    pub sharing: Sharing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use schoolcert_domain::time::parse_rfc3339;

    #[test]
    fn status_follows_the_due_date() {
        let now = parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let mut t = Task {
            id: TaskId(1),
            case_id: CaseId(1),
            title: "Back-ups controleren".into(),
            description: String::new(),
            owner: TaskOwner::Board,
            assignee: None,
            due_at: Some(now + Duration::hours(2)),
            done_at: None,
            done_by: None,
            playbook: None,
            tlp: Tlp::Amber,
            sharing: Sharing::with_board(),
        };
        assert_eq!(t.status(now - Duration::hours(5)), TaskStatus::Open);
        assert_eq!(t.status(now), TaskStatus::DueSoon);
        assert_eq!(t.status(now + Duration::hours(3)), TaskStatus::Overdue);
        t.complete(now, "jan");
        assert_eq!(t.status(now + Duration::hours(3)), TaskStatus::Done);
        t.reopen();
        assert_eq!(t.status(now), TaskStatus::DueSoon);
    }
}
