-- The constituency registry: boards, schools, contacts, network assets, terms, applications.
-- SQLite twin of migrations/postgres/1001_registry.sql; keep them in lock-step.

CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    duo_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sectors TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    kvk_number TEXT,
    rio_id TEXT,
    website TEXT,
    status TEXT NOT NULL CHECK (status IN ('registered','applying','active','suspended','left')),
    status_reason TEXT,
    joined_at TEXT,
    in_duo INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX boards_search ON boards (search_key);
CREATE INDEX boards_status ON boards (status);

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    code TEXT NOT NULL UNIQUE,
    brin TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    sectors TEXT NOT NULL DEFAULT '',
    website TEXT,
    in_duo INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX schools_board ON schools (board_id);
CREATE INDEX schools_search ON schools (search_key);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    name TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('primary','secondary','security','privacy_officer')),
    pgp_key TEXT,
    pgp_fingerprint TEXT,
    confirmed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (board_id, email_key, role)
) STRICT;
CREATE INDEX contacts_board ON contacts (board_id);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    kind TEXT NOT NULL CHECK (kind IN ('prefix','domain')),
    value TEXT NOT NULL,
    range_start BLOB,
    range_end BLOB,
    prefix_len INTEGER,
    status TEXT NOT NULL CHECK (status IN ('pending','verified','approved','rejected')),
    large INTEGER NOT NULL DEFAULT 0,
    claimed_by INTEGER,
    claimed_at TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    challenge_token TEXT,
    verified_at TEXT,
    decided_by INTEGER,
    decided_at TEXT,
    decision_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (board_id, kind, value)
) STRICT;
CREATE INDEX assets_board ON assets (board_id);
CREATE INDEX assets_range ON assets (range_start, range_end);
CREATE INDEX assets_value ON assets (value);
CREATE INDEX assets_status ON assets (status);

CREATE TABLE accepted_overlaps (
    id INTEGER PRIMARY KEY,
    asset_a INTEGER NOT NULL REFERENCES assets (id),
    asset_b INTEGER NOT NULL REFERENCES assets (id),
    accepted_by INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (asset_a, asset_b),
    CHECK (asset_a < asset_b)
) STRICT;

CREATE TABLE terms_versions (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    body_nl TEXT NOT NULL,
    body_en TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER
) STRICT;

CREATE TABLE terms_acceptances (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    terms_version_id INTEGER NOT NULL REFERENCES terms_versions (id),
    user_id INTEGER NOT NULL,
    accepted_at TEXT NOT NULL
) STRICT;
CREATE INDEX terms_acceptances_board ON terms_acceptances (board_id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    applicant_name TEXT NOT NULL,
    applicant_email TEXT NOT NULL,
    user_id INTEGER,
    state TEXT NOT NULL CHECK (state IN ('unconfirmed','draft','submitted','returned','approved','withdrawn')),
    confirm_token_hash TEXT,
    confirm_expires_at TEXT,
    submitted_at TEXT,
    decided_at TEXT,
    decided_by INTEGER,
    return_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX applications_board ON applications (board_id);
CREATE INDEX applications_state ON applications (state);
CREATE UNIQUE INDEX applications_confirm ON applications (confirm_token_hash);
