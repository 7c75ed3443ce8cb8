-- Accounts, sessions, API tokens, login throttling and the one-time setup link.
-- SQLite twin of migrations/postgres/1002_accounts.sql.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('cert_admin','cert_analyst','board_contact')),
    board_id INTEGER REFERENCES boards (id),
    password_hash TEXT,
    totp_secret TEXT,
    totp_enabled_at TEXT,
    totp_last_step INTEGER,
    lang TEXT NOT NULL DEFAULT 'nl',
    disabled_at TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((role = 'board_contact') = (board_id IS NOT NULL))
) STRICT;
CREATE INDEX users_board ON users (board_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    second_factor_done INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
) STRICT;

CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    hits INTEGER NOT NULL
) STRICT;

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id INTEGER,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;
