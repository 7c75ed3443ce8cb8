//! Which reminders are due at `now` and not sent yet. The application stores the key of every
//! reminder it sent (or skipped) and passes them back, so each reminder fires exactly once no
//! matter how often the tick runs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use schoolcert_domain::Timestamp;

use super::engine::{ClockCase, ObligationStatus, ObligationView};
use super::rules::{Audience, ReminderRule, RuleBook};

/// Identifies one reminder of one obligation to one audience within a case; stored as text
/// `gdpr-33:24h:board`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ReminderKey {
    pub obligation: String,
    pub reminder: String,
    pub audience: Audience,
}

impl fmt::Display for ReminderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.obligation,
            self.reminder,
            self.audience.code()
        )
    }
}

impl FromStr for ReminderKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split(':');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(o), Some(r), Some(a), None) => Ok(ReminderKey {
                obligation: o.to_owned(),
                reminder: r.to_owned(),
                audience: Audience::parse(a).ok_or_else(|| format!("unknown audience {a:?}"))?,
            }),
            _ => Err(format!("{s:?} is not a reminder key")),
        }
    }
}

/// A reminder to send now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderDue {
    pub key: ReminderKey,
    /// When it was meant to go out (earlier than `now` if the tick ran late).
    pub fire_at: Timestamp,
    /// The obligation as it stands, for the reminder's text (name, due, remaining, draft).
    pub obligation: ObligationView,
}

/// What the tick should do: send these, and record both these and `skip` as handled.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReminderPlan {
    pub send: Vec<ReminderDue>,
    /// Earlier reminders overtaken by a later one that is due at the same time (for instance a
    /// case entered after its "24 hours left" moment already passed): recorded, never sent,
    /// so nobody gets "24 hours left" when 3 remain.
    pub skip: Vec<ReminderKey>,
}

impl ReminderPlan {
    /// Every key to store as handled after sending.
    pub fn handled_keys(&self) -> impl Iterator<Item = &ReminderKey> {
        self.send.iter().map(|r| &r.key).chain(self.skip.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.send.is_empty() && self.skip.is_empty()
    }
}

fn fire_at(rule: &ReminderRule, view: &ObligationView) -> Option<Timestamp> {
    match (rule.before_due, rule.after_start, view.due_at) {
        (Some(before), _, Some(due)) => before.before(due),
        (None, Some(after), _) => after.after(view.starts_at),
        _ => None,
    }
}

impl RuleBook {
    /// The reminders due at `now` that are not in `handled` (the stored keys, as text).
    /// Reminders of met or waived obligations never fire.
    pub fn reminders_due(
        &self,
        case: &ClockCase<'_>,
        handled: &BTreeSet<String>,
        now: Timestamp,
    ) -> ReminderPlan {
        let mut plan = ReminderPlan::default();
        for view in self.evaluate(case, now) {
            if !view.status.is_open() {
                continue;
            }
            let Some((_, rule)) = self.obligation(&view.code) else {
                continue;
            };
            // Per audience, the latest reminder that is due wins; the earlier ones are skipped.
            let mut latest: BTreeMap<Audience, (Timestamp, ReminderKey)> = BTreeMap::new();
            let mut overtaken = Vec::new();
            for r in &rule.reminders {
                let Some(at) = fire_at(r, &view) else {
                    continue;
                };
                if at > now {
                    continue;
                }
                // A warning before expiry that would only arrive after it is misleading
                // ("1 hour left" when the term has passed): record it, do not send it.
                let stale_warning = r.before_due.is_some_and(|o| !o.is_zero())
                    && view.due_at.is_some_and(|due| due <= now);
                for &audience in &r.to {
                    let key = ReminderKey {
                        obligation: view.code.clone(),
                        reminder: r.code.clone(),
                        audience,
                    };
                    if handled.contains(&key.to_string()) {
                        continue;
                    }
                    if stale_warning {
                        overtaken.push(key);
                        continue;
                    }
                    match latest.get(&audience) {
                        Some((t, _)) if *t >= at => overtaken.push(key),
                        _ => {
                            if let Some((_, old)) = latest.insert(audience, (at, key)) {
                                overtaken.push(old);
                            }
                        }
                    }
                }
            }
            // A reminder already handled that is later than a pending one also overtakes it.
            for (audience, (at, key)) in latest {
                let later_handled = rule.reminders.iter().any(|r| {
                    r.to.contains(&audience)
                        && fire_at(r, &view).is_some_and(|t| t > at && t <= now)
                        && handled.contains(
                            &ReminderKey {
                                obligation: view.code.clone(),
                                reminder: r.code.clone(),
                                audience,
                            }
                            .to_string(),
                        )
                });
                if later_handled {
                    plan.skip.push(key);
                } else {
                    plan.send.push(ReminderDue {
                        key,
                        fire_at: at,
                        obligation: view.clone(),
                    });
                }
            }
            plan.skip.extend(overtaken);
        }
        plan.send
            .sort_by(|a, b| (a.fire_at, &a.key).cmp(&(b.fire_at, &b.key)));
        plan.skip.sort();
        plan
    }
}

/// Whether a view is in a state where a reminder makes sense; exported for the UI's badges.
pub fn needs_attention(view: &ObligationView) -> bool {
    matches!(
        view.status,
        ObligationStatus::DueSoon | ObligationStatus::Overdue
    )
}
