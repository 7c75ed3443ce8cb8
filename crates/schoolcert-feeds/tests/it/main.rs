//! Integration tests of schoolcert-feeds (one test binary, as the architecture asks).

mod digest;
mod oracle;
