-- Security event feeds: ingested files, deduplicated events, digest notices and the events
-- each carried, per-board preferences, and the Shadowserver pull log.
-- SQLite twin of migrations/postgres/2001_feeds.sql.

CREATE TABLE feed_files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    feed TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    events INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    unmatched INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    errors TEXT NOT NULL,
    ingested_by INTEGER REFERENCES users (id),
    ingested_by_label TEXT NOT NULL,
    ingested_at TEXT NOT NULL
) STRICT;
CREATE INDEX feed_files_at ON feed_files (ingested_at);

CREATE TABLE feed_events (
    id INTEGER PRIMARY KEY,
    dedup_key BLOB NOT NULL,
    feed TEXT NOT NULL,
    taxonomy TEXT NOT NULL,
    class_type TEXT NOT NULL,
    identifier TEXT NOT NULL,
    source_ip BLOB,
    source_ip_text TEXT,
    source_port INTEGER,
    host TEXT NOT NULL,
    board_id INTEGER REFERENCES boards (id),
    match_reason TEXT NOT NULL,
    match_asset_id INTEGER,
    conflict INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    count INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    file_id INTEGER REFERENCES feed_files (id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX feed_events_key ON feed_events (dedup_key, last_seen);
CREATE INDEX feed_events_board ON feed_events (board_id, last_seen);
CREATE INDEX feed_events_last_seen ON feed_events (last_seen);
CREATE INDEX feed_events_ip ON feed_events (source_ip);

CREATE TABLE feed_notices (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    subject TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX feed_notices_board ON feed_notices (board_id, created_at);

-- An event is carried by at most one notice: nothing is reported twice.
CREATE TABLE feed_notice_events (
    notice_id INTEGER NOT NULL REFERENCES feed_notices (id),
    event_id INTEGER NOT NULL UNIQUE REFERENCES feed_events (id) ON DELETE CASCADE,
    PRIMARY KEY (notice_id, event_id)
) STRICT;

CREATE TABLE feed_preferences (
    board_id INTEGER PRIMARY KEY REFERENCES boards (id),
    prefs TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE feed_pulls (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ingested','failed')),
    file_id INTEGER REFERENCES feed_files (id),
    error TEXT,
    pulled_at TEXT NOT NULL
) STRICT;
