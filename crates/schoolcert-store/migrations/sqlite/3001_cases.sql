-- Incident and CVD cases: reports, cases, their items, legal clocks, sector incidents, CVD
-- status tokens and proof-of-work replay protection.
-- SQLite twin of migrations/postgres/3001_cases.sql; keep them in lock-step.

CREATE TABLE case_counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
) STRICT;

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('incident','cvd')),
    reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    taxonomy TEXT,
    rsit_type TEXT,
    severity INTEGER,
    tlp TEXT NOT NULL,
    personal_data TEXT NOT NULL DEFAULT 'unknown',
    nis2 INTEGER NOT NULL DEFAULT 0,
    became_aware_at TEXT,
    role TEXT,
    assignee_user_id INTEGER REFERENCES users (id),
    outcome TEXT,
    exercise INTEGER NOT NULL DEFAULT 0,
    school_ids TEXT NOT NULL DEFAULT '[]',
    status_token_hash TEXT UNIQUE,
    disclosure_deadline TEXT,
    cvd TEXT,
    opened_at TEXT NOT NULL,
    first_response_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX cases_state ON cases (kind, state);
CREATE INDEX cases_assignee ON cases (assignee_user_id);

CREATE TABLE case_boards (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    board_id INTEGER NOT NULL REFERENCES boards (id),
    PRIMARY KEY (case_id, board_id)
) STRICT;
CREATE INDEX case_boards_board ON case_boards (board_id);

CREATE TABLE case_reports (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    received_at TEXT NOT NULL,
    reporter TEXT NOT NULL,
    reporter_user_id INTEGER REFERENCES users (id),
    board_id INTEGER REFERENCES boards (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    tlp TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new','linked','rejected','duplicate')),
    case_id INTEGER REFERENCES cases (id),
    duplicate_of INTEGER REFERENCES case_reports (id),
    reason TEXT,
    decided_at TEXT,
    decided_by TEXT
) STRICT;
CREATE INDEX case_reports_state ON case_reports (state);
CREATE INDEX case_reports_board ON case_reports (board_id);

CREATE TABLE case_timeline (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    tlp TEXT NOT NULL,
    sharing TEXT NOT NULL,
    shared_board INTEGER NOT NULL,
    shared_reporter INTEGER NOT NULL
) STRICT;
CREATE INDEX case_timeline_case ON case_timeline (case_id, at);

CREATE TABLE case_messages (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    parent_id INTEGER REFERENCES case_messages (id),
    kind TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound','outbound','internal')),
    author TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id),
    at TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    search_key TEXT NOT NULL,
    tlp TEXT NOT NULL,
    sharing TEXT NOT NULL,
    shared_board INTEGER NOT NULL,
    shared_reporter INTEGER NOT NULL,
    email_message_id TEXT,
    sector_message_id INTEGER
) STRICT;
CREATE INDEX case_messages_case ON case_messages (case_id, at);
CREATE INDEX case_messages_email ON case_messages (email_message_id);

CREATE TABLE case_attachments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    message_id INTEGER REFERENCES case_messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    tlp TEXT NOT NULL,
    sharing TEXT NOT NULL,
    shared_board INTEGER NOT NULL,
    shared_reporter INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX case_attachments_case ON case_attachments (case_id);

CREATE TABLE case_tasks (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    code TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL CHECK (owner IN ('cert','board')),
    assignee_user_id INTEGER REFERENCES users (id),
    due_at TEXT,
    done_at TEXT,
    done_by TEXT,
    playbook TEXT,
    tlp TEXT NOT NULL,
    sharing TEXT NOT NULL,
    shared_board INTEGER NOT NULL,
    shared_reporter INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX case_tasks_case ON case_tasks (case_id);

CREATE TABLE case_observables (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    ioc INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    lookup TEXT NOT NULL DEFAULT '',
    tlp TEXT NOT NULL,
    sharing TEXT NOT NULL,
    shared_board INTEGER NOT NULL,
    shared_reporter INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, kind, value)
) STRICT;

CREATE TABLE parties (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    security_email TEXT,
    phone TEXT,
    website TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE case_parties (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    party_id INTEGER NOT NULL REFERENCES parties (id),
    role TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, party_id)
) STRICT;

CREATE TABLE case_party_shares (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    party_id INTEGER NOT NULL REFERENCES parties (id),
    what TEXT NOT NULL,
    tlp TEXT NOT NULL,
    at TEXT NOT NULL,
    by_label TEXT NOT NULL
) STRICT;
CREATE INDEX case_party_shares_case ON case_party_shares (case_id);

-- One row per legal obligation of a case, written when its clock becomes known; met_at is the
-- board's (or the CERT's) confirmation.
CREATE TABLE case_obligations (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    code TEXT NOT NULL,
    due_at TEXT,
    met_at TEXT,
    reference TEXT,
    late_reason TEXT,
    waived_reason TEXT,
    recorded_by TEXT,
    recorded_at TEXT,
    UNIQUE (case_id, code)
) STRICT;
CREATE INDEX case_obligations_due ON case_obligations (due_at);

-- A reminder sent, keyed by the due time it was for: moving "became aware" moves the due time,
-- and the reminder for the new time is sent once more.
CREATE TABLE case_reminders_sent (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    obligation TEXT NOT NULL,
    reminder TEXT NOT NULL,
    audience TEXT NOT NULL,
    due_at TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (case_id, obligation, reminder, audience, due_at)
) STRICT;

CREATE TABLE sector_incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    include_non_members INTEGER NOT NULL DEFAULT 0,
    exercise INTEGER NOT NULL DEFAULT 0,
    opened_at TEXT NOT NULL,
    closed_at TEXT
) STRICT;

CREATE TABLE sector_incident_cases (
    sector_id INTEGER NOT NULL REFERENCES sector_incidents (id),
    board_id INTEGER NOT NULL REFERENCES boards (id),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    member INTEGER NOT NULL,
    measures_confirmed_at TEXT,
    confirmed_by TEXT,
    PRIMARY KEY (sector_id, board_id)
) STRICT;
CREATE INDEX sector_incident_cases_case ON sector_incident_cases (case_id);

CREATE TABLE sector_messages (
    id INTEGER PRIMARY KEY,
    sector_id INTEGER NOT NULL REFERENCES sector_incidents (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    tlp TEXT NOT NULL,
    at TEXT NOT NULL,
    by_label TEXT NOT NULL
) STRICT;

-- A board's choices for its legal clocks and its security.txt.
CREATE TABLE board_case_settings (
    board_id INTEGER PRIMARY KEY REFERENCES boards (id),
    nis2_entity INTEGER NOT NULL DEFAULT 0,
    sector_duty INTEGER NOT NULL DEFAULT 0,
    securitytxt_domains TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;

-- Proof-of-work challenges already spent: a solved challenge is good for one report.
CREATE TABLE cvd_pow_used (
    nonce TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
) STRICT;

-- Reply tokens of outgoing case mail (stored hashed): a reply to cert+<token>@ lands in the case.
CREATE TABLE case_reply_tokens (
    token_hash TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX case_reply_tokens_case ON case_reply_tokens (case_id);

-- Server-side secrets of the case service (the proof-of-work key), made on first use.
CREATE TABLE case_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The Reply-To of outgoing case mail (the case mailbox with the case token).
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
