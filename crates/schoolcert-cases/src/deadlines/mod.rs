//! Legal deadline clocks: rule sets as data (GDPR 33/34, NIS2/Cbw, the announced sector duty,
//! the CERT's service level), the engine that computes each obligation's due moment and status
//! at `now`, and the reminders that are due, each exactly once.
//!
//! How the application drives it:
//! 1. Load once: `RuleBook::embedded()?` (optionally `.with_overrides(&local_toml)?`).
//! 2. Store per case the `became_aware_at`, the facts (`CaseFacts`), every
//!    `ObligationRecord` the board confirmed, and the text keys of handled reminders.
//! 3. On a page view: `book.evaluate(&clock_case, now)` → `Vec<ObligationView>`.
//! 4. On each tick (every few minutes) for every open case:
//!    `book.reminders_due(&clock_case, &handled_keys, now)`; send `plan.send`, then store
//!    `plan.handled_keys()` in the same transaction as the outbox rows.
//! 5. When the board confirms: `confirm_met(&view, met_at, now, reference, late_reason, who)`
//!    or `waive(&view, reason, now, who)` → store the returned `ObligationRecord`.

pub mod engine;
pub mod offset;
pub mod reminders;
pub mod rules;

pub use engine::{
    CaseFacts, ClockCase, ConfirmError, ObligationRecord, ObligationStatus, ObligationView,
    confirm_met, waive,
};
pub use offset::{Offset, format_remaining};
pub use reminders::{ReminderDue, ReminderKey, ReminderPlan, needs_attention};
pub use rules::{
    Anchor, Audience, EMBEDDED_RULES, Fact, ObligationRule, ReminderRule, Responsible, RuleBook,
    RuleSet, RulesError,
};

#[cfg(test)]
mod tests;
