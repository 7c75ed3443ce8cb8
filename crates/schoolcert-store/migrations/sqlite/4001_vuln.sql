-- Vulnerability information: the application catalogue, each board's landscape, ingested
-- documents (CSAF, CVE) and threat intelligence (KEV, EPSS), matches per board × product ×
-- vulnerability, sector advisories with their notices, guides, and the CSAF provider files.
-- SQLite twin of migrations/postgres/4001_vuln.sql; keep them in lock-step.

CREATE TABLE vuln_products (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    vendor TEXT NOT NULL,
    category TEXT NOT NULL,
    search_key TEXT NOT NULL,
    -- The full catalogue product (identifiers, version scheme, sector facts) as JSON.
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX vuln_products_search ON vuln_products (search_key);

CREATE TABLE vuln_landscape_entries (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    -- NULL: a product the board proposes for the catalogue (proposed_vendor/name say which).
    product_id INTEGER REFERENCES vuln_products (id),
    proposed_vendor TEXT,
    proposed_name TEXT,
    versions TEXT NOT NULL DEFAULT '[]',
    schools TEXT NOT NULL DEFAULT '[]',
    managed_by TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (product_id IS NOT NULL OR (proposed_vendor IS NOT NULL AND proposed_name IS NOT NULL))
) STRICT;
CREATE INDEX vuln_landscape_board ON vuln_landscape_entries (board_id);
CREATE INDEX vuln_landscape_product ON vuln_landscape_entries (product_id);

CREATE TABLE vuln_documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('csaf','cve')),
    -- CSAF: publisher namespace, a space, tracking id. CVE: the CVE id.
    doc_key TEXT NOT NULL,
    version TEXT NOT NULL,
    current_release_date TEXT,
    title TEXT NOT NULL DEFAULT '',
    tlp TEXT,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL,
    -- The parsed model (CsafDocument or CveRecord) as JSON, so re-matching needs no re-validation.
    model TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, doc_key)
) STRICT;

-- Which vulnerabilities a document makes statements about (to find every source of one).
CREATE TABLE vuln_statements (
    document_id INTEGER NOT NULL REFERENCES vuln_documents (id) ON DELETE CASCADE,
    vuln_key TEXT NOT NULL,
    PRIMARY KEY (document_id, vuln_key)
) STRICT;
CREATE INDEX vuln_statements_key ON vuln_statements (vuln_key);

CREATE TABLE vuln_kev (
    cve_id TEXT PRIMARY KEY,
    date_added TEXT NOT NULL,
    ransomware INTEGER NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE vuln_epss (
    cve_id TEXT PRIMARY KEY,
    epss REAL NOT NULL,
    percentile REAL NOT NULL,
    score_date TEXT,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE vuln_advisories (
    id INTEGER PRIMARY KEY,
    tracking_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft','published')),
    tlp TEXT NOT NULL,
    title TEXT NOT NULL,
    automatic INTEGER NOT NULL DEFAULT 0,
    -- The SectorAdvisory as JSON; the published CSAF document when published.
    data TEXT NOT NULL,
    csaf TEXT,
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE vuln_matches (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id),
    product_id INTEGER NOT NULL REFERENCES vuln_products (id),
    vuln_key TEXT NOT NULL,
    cve_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('new','notified','not_remediated','in_progress','done','not_applicable')),
    method TEXT NOT NULL,
    relation TEXT NOT NULL,
    level TEXT NOT NULL,
    -- The facts as JSON: affected and fixed versions, remediations, sources.
    detail TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    priority TEXT NOT NULL,
    prio_rank INTEGER NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    withdrawn INTEGER NOT NULL DEFAULT 0,
    advisory_id INTEGER REFERENCES vuln_advisories (id),
    notified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (board_id, product_id, vuln_key)
) STRICT;
CREATE INDEX vuln_matches_key ON vuln_matches (vuln_key);
CREATE INDEX vuln_matches_state ON vuln_matches (state);

-- One row per board an advisory was sent to: what it was told (to decide whether a revision
-- must be sent again) and the board's remediation state.
CREATE TABLE vuln_notices (
    id INTEGER PRIMARY KEY,
    advisory_id INTEGER NOT NULL REFERENCES vuln_advisories (id),
    board_id INTEGER NOT NULL REFERENCES boards (id),
    version TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    products TEXT NOT NULL,
    outbox_id INTEGER,
    state TEXT NOT NULL CHECK (state IN ('notified','not_remediated','in_progress','done','not_applicable')),
    sent_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (advisory_id, board_id)
) STRICT;
CREATE INDEX vuln_notices_board ON vuln_notices (board_id);

CREATE TABLE vuln_guides (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Remote CSAF providers and where their last sync ended.
CREATE TABLE vuln_providers (
    id INTEGER PRIMARY KEY,
    metadata_url TEXT NOT NULL UNIQUE,
    cursor_at TEXT,
    last_run_at TEXT,
    last_report TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- The generated /.well-known/csaf/ tree; `access` is 'public' or the TLP code it needs.
CREATE TABLE vuln_provider_files (
    path TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    access TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Small settings of this area (the generated CSAF signing key when none is configured).
CREATE TABLE vuln_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
