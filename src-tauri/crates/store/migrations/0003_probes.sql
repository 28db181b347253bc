-- Probes: environments (named variable sets), credential references (the secrets themselves live
-- only in the OS keychain), approved command probes, and probe evidence kept with each run.

CREATE TABLE environments (
    name           TEXT PRIMARY KEY,
    variables_json TEXT NOT NULL,             -- {"api_base": "https://...", ...}
    updated_at     TEXT NOT NULL
);

CREATE TABLE credentials (
    name           TEXT PRIMARY KEY,          -- the keychain entry's user name
    kind           TEXT NOT NULL CHECK (kind IN ('password', 'token', 'user_password')),
    username       TEXT,
    created_at     TEXT NOT NULL
);

CREATE TABLE command_approvals (
    template_id    TEXT NOT NULL REFERENCES templates (id),
    digest         TEXT NOT NULL,             -- SHA-256 of template id + exact command text
    command_text   TEXT NOT NULL,
    approved_by    TEXT NOT NULL,
    approved_at    TEXT NOT NULL,
    PRIMARY KEY (template_id, digest)
);

CREATE TABLE probe_results (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs (id),
    element_id     TEXT NOT NULL,             -- the item the probe belongs to
    probe_line     INTEGER NOT NULL,          -- source line of the probe block
    kind           TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'error')),
    summary        TEXT NOT NULL,             -- already redacted by the probe engine
    code           TEXT,
    evidence_json  TEXT NOT NULL,             -- [{"label": ..., "value": ...}], redacted
    started_at     TEXT NOT NULL,
    duration_ms    INTEGER NOT NULL,
    actor          TEXT NOT NULL
);
CREATE INDEX probe_results_by_run ON probe_results (run_id, element_id, id);
