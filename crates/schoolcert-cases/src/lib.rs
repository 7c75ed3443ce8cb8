//! Pure incident and CVD case rules: states, deadline clocks, playbooks, sharing, intake parsing.
//!
//! Nothing here touches the network, the file system or the clock: callers pass bytes, strings
//! and a `now`. The application layer stores what these functions return and calls them again
//! on the next request or tick. See each module's first line for its job.
//!
//! Map:
//! - cases: `incident` (states, outcomes, severity, role), `cvd` (states, disclosure deadline,
//!   credit, target matching, reporter and board views), `report` (intake reports and their
//!   decisions), `reference` (`INC-2026-0042`), `sector` (one incident, many boards);
//! - case items: `message`, `task`, `observable`, `party`, `timeline`, `attachments`;
//! - rules: `deadlines` (legal clocks from `data/deadline-rules.toml`), `playbooks`
//!   (`data/playbooks/*.toml`), `drafts` (AP and NIS2 notification drafts), `visibility`
//!   (who sees what, TLP:RED in e-mail);
//! - intake: `email_intake` (.eml), `intake` (public CVD form, proof of work, rate limit),
//!   `securitytxt` (RFC 9116 generate, sign, parse);
//! - reporting: `metrics` (quarterly analysis).

pub mod attachments;
pub mod cvd;
pub mod deadlines;
pub mod drafts;
pub mod email_intake;
pub mod fields;
pub mod ids;
pub mod incident;
pub mod intake;
pub mod message;
pub mod metrics;
pub mod observable;
pub mod party;
pub mod playbooks;
pub mod reference;
pub mod report;
pub mod sector;
pub mod securitytxt;
pub mod task;
pub mod text;
pub mod timeline;
pub mod visibility;

pub use ids::{
    AttachmentId, CaseId, MessageId, ObservableId, PartyId, ReportId, SectorIncidentId, TaskId,
};
pub use reference::{CaseKind, CaseRef};
pub use text::Text;
