//! CVD cases (the CERT as intermediary between an ethical hacker and a board): the state
//! machine, the status the reporter sees, the disclosure deadline, credit and target matching.

pub mod case;
pub mod credit;
pub mod disclosure;
pub mod notices;
pub mod state;
pub mod target;

pub use case::{BoardCvdView, CvdCase, Identification, ReporterCvdView};
pub use credit::{CreditCandidate, Reporter, ThanksEntry, thanks_page};
pub use disclosure::{
    AdjustError, DEFAULT_DISCLOSURE_DAYS, DeadlineAdjustment, DisclosurePlan, DisclosureStatus,
};
pub use notices::{acknowledgement, new_status_token};
pub use state::{CvdState, CvdTransition, CvdTransitionError, ReporterStatus, transition};
pub use target::{Target, TargetMatch, match_targets, parse_targets};
