//! What a run record is printed from: a self-contained view of a finished (or abandoned) run,
//! assembled by the caller from the store. Nothing here knows about SQL or Tauri.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::{ItemState, RunStatus};

/// Everything `render_record` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInput<'a> {
    /// The template the run was made from (its layout is the record's layout).
    pub template: &'a Template,
    pub run: RunHeader,
    /// Per element id (item, field, choice): the recorded state and/or value.
    pub entries: BTreeMap<String, EntryView>,
    /// Notes in the order they were written; corrections are labelled.
    pub notes: Vec<NoteView>,
    /// Probe results attached to items (may be empty).
    pub evidence: Vec<EvidenceView>,
    /// Gate decisions in the order they were made; the last one per gate is the decision.
    pub gate_decisions: Vec<GateDecisionView>,
    pub signatures: Vec<SignatureView>,
    /// Preflight checks recorded with the run, in log order (may be empty).
    pub preflights: Vec<PreflightView>,
    pub audit: AuditSummary,
}

/// A preflight check as the record prints it: when, by whom, and each problem in a line.
#[derive(Debug, Clone, PartialEq)]
pub struct PreflightView {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub environment: String,
    pub probes_checked: u32,
    /// "item title, line 12: message", one per problem; empty when it found none.
    pub problems: Vec<String>,
}

/// The run's identity and life cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct RunHeader {
    pub id: String,
    pub release_name: String,
    /// Release version; empty when none was given.
    pub version: String,
    /// Target environment (`production`, ...); empty when none was given.
    pub environment: String,
    /// The content hash of the template the run was made from.
    pub template_hash: String,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    pub status: RunStatus,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The latest state and/or value recorded against one element.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryView {
    /// Item outcome (items only).
    pub state: Option<ItemState>,
    /// Written value (fields: the text; choices: the chosen option; items: rarely, a value).
    pub value: Option<String>,
    /// Who recorded it.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A note on an element (or on the run when `element_id` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    pub element_id: Option<String>,
    /// A correction added after the run was closed (printed as "CORRECTION").
    pub is_correction: bool,
    pub body: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A probe result attached to an element.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceView {
    pub element_id: String,
    /// One-line human summary (`HTTP 200 in 84 ms`).
    pub summary: String,
    /// Outcome word (`pass`, `fail`, `error`).
    pub outcome: String,
    pub at: DateTime<Utc>,
    /// What the probe observed, label and value (`status` / `200`, `certificate subject` /
    /// `CN=api.example.com`, `not after` / `2027-02-01`, a query's result, ...).
    pub details: Vec<(String, String)>,
}

/// A decision taken at a GO/NO-GO gate.
#[derive(Debug, Clone, PartialEq)]
pub struct GateDecisionView {
    pub gate_id: String,
    /// The option chosen (one of the gate's options).
    pub option: String,
    pub decided_by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// Set when the decision overrode failing items: printed in a red frame.
    pub override_justification: Option<String>,
}

/// A signature, with the pen strokes captured on the signing canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureView {
    /// The template slot signed; `None` (or an unknown id) prints under "Additional signatures".
    pub slot_id: Option<String>,
    pub role: String,
    pub name: String,
    pub signed_at: DateTime<Utc>,
    /// Polylines in normalised canvas coordinates: x and y in 0..=1, y growing downwards.
    pub strokes: Vec<Vec<(f32, f32)>>,
    /// Signed before a later change to what it covers: printed "STALE — re-sign required".
    pub stale: bool,
}

/// The run's audit chain, summarised for the last page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditSummary {
    pub event_count: u64,
    /// Hash of the newest event (the head of the hash chain).
    pub head_hash: String,
    /// The events to list, oldest first.
    pub events: Vec<AuditLine>,
    /// Who signs the PDF (certificate subject and SHA-256 fingerprint), or why it is unsigned;
    /// empty prints nothing.
    pub signed_by: String,
}

/// One audit event as listed on the audit page.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLine {
    pub position: u64,
    /// Event kind (`item_state`, `note`, `sign`, ...).
    pub kind: String,
    pub element_id: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub hash: String,
}
