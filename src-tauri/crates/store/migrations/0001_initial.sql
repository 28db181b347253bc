-- Greenlight store, first schema. Times are RFC 3339 UTC text with milliseconds.

CREATE TABLE templates (
    id            TEXT PRIMARY KEY,          -- UUID v7
    key           TEXT NOT NULL,             -- slug of the title; versions of one template share it
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    source        TEXT NOT NULL,             -- the normalised Markdown as imported
    content_hash  TEXT NOT NULL,             -- SHA-256 hex of `source`
    model_json    TEXT NOT NULL,             -- the parsed model, frozen at import
    origin        TEXT NOT NULL CHECK (origin IN ('bundled', 'imported')),
    file_name     TEXT,
    item_count    INTEGER NOT NULL,
    imported_at   TEXT NOT NULL,
    UNIQUE (key, version),
    UNIQUE (key, content_hash)
);

CREATE TABLE runs (
    id            TEXT PRIMARY KEY,          -- UUID v7
    template_id   TEXT NOT NULL REFERENCES templates (id),
    template_hash TEXT NOT NULL,             -- pinned at start
    release_name  TEXT NOT NULL,
    version       TEXT NOT NULL,
    environment   TEXT NOT NULL,
    window_start  TEXT,
    window_end    TEXT,
    status        TEXT NOT NULL CHECK (status IN ('active', 'completed', 'abandoned', 'archived')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    finished_at   TEXT
);

-- Current state of each element of a run (a projection of the audit log, updated in the
-- same transaction as the event that changes it).
CREATE TABLE entries (
    run_id        TEXT NOT NULL REFERENCES runs (id),
    element_id    TEXT NOT NULL,
    state         TEXT CHECK (state IN ('pending', 'pass', 'fail', 'not_applicable', 'skipped')),
    value         TEXT,
    actor         TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (run_id, element_id)
);

CREATE TABLE notes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        TEXT NOT NULL REFERENCES runs (id),
    element_id    TEXT,                       -- NULL: a note on the whole run
    kind          TEXT NOT NULL CHECK (kind IN ('note', 'correction')),
    body          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX notes_by_run ON notes (run_id, id);

-- Append-only, hash-chained audit log. One chain ("stream") per run plus one for the library.
CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    stream        TEXT NOT NULL,              -- 'run:<id>' or 'library'
    position      INTEGER NOT NULL,           -- 1-based within the stream
    kind          TEXT NOT NULL,
    element_id    TEXT,
    payload       TEXT NOT NULL,              -- JSON
    actor         TEXT NOT NULL,
    at            TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (stream, position)
);

CREATE TRIGGER audit_events_are_append_only_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_are_append_only_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TABLE settings (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL
);
