//! Pure feed processing: IntelMQ-compatible events, Shadowserver parsing, matching, digests.
