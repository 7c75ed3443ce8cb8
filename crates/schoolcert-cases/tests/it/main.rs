//! Integration tests of schoolcert-cases: the scenarios the issue names as "done", run through
//! the public API only, with a fake clock.

// Helpers outside `#[test]` functions unwrap too; a failing unwrap is a failing test here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod clocks;
mod cvd_flow;
mod intake_refusals;
mod sharing;
