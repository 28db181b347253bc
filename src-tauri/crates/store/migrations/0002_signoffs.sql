-- Sign-offs, gate decisions and retention.

CREATE TABLE signatures (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs (id),
    slot_id        TEXT,                      -- the template's signature slot; NULL for an added one
    role           TEXT NOT NULL,
    name           TEXT NOT NULL,
    signed_at      TEXT NOT NULL,
    strokes_json   TEXT NOT NULL,             -- [[[x, y], ...], ...] normalised 0..1, y down
    bound_head     TEXT NOT NULL,             -- audit head hash the signature binds to
    event_position INTEGER NOT NULL           -- position of the signature's own audit event
);
CREATE INDEX signatures_by_run ON signatures (run_id, id);

CREATE TABLE gate_decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs (id),
    gate_id        TEXT NOT NULL,
    option         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    at             TEXT NOT NULL,
    reason         TEXT,
    override_justification TEXT               -- set when GO was chosen over failed or pending items
);
CREATE INDEX gate_decisions_by_run ON gate_decisions (run_id, id);

-- A finished run may not be deleted before this time (default: finished_at + 1 year).
ALTER TABLE runs ADD COLUMN retain_until TEXT;
