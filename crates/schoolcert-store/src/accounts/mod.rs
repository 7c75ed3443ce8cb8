//! Accounts storage: users, sessions, API tokens, login throttling and one-time setup links.

pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;
