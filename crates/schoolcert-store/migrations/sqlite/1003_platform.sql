-- Platform plumbing: append-only audit log, e-mail outbox, job queue, change counters.
-- SQLite twin of migrations/postgres/1003_platform.sql.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_label TEXT NOT NULL,
    board_id INTEGER,
    object_type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL
) STRICT;
CREATE INDEX audit_object ON audit_log (object_type, object_id);
CREATE INDEX audit_board ON audit_log (board_id);
CREATE INDEX audit_at ON audit_log (at);

-- Append-only: the database refuses to rewrite history, whatever the application does.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    board_id INTEGER,
    to_addrs TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending','sending','sent','failed','uncertain')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    sent_at TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_board ON outbox (board_id);

CREATE TABLE outbox_attachments (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
) STRICT;
CREATE INDEX outbox_attachments_outbox ON outbox_attachments (outbox_id);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    unique_key TEXT UNIQUE,
    run_at TEXT NOT NULL,
    locked_until TEXT,
    locked_by TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','done','dead')),
    finished_at TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_due ON jobs (status, run_at);

CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;
