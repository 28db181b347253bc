//! Records the store hands out (and the UI receives, via generated TypeScript bindings).
//! Integers are SQLite's i64 but always small: they cross to TypeScript as `number`.

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::{ItemState, Progress, RunStatus, SectionProgress};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a template came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateOrigin {
    Bundled,
    Imported,
}

impl TemplateOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateOrigin::Bundled => "bundled",
            TemplateOrigin::Imported => "imported",
        }
    }
}

/// One stored template version, without its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateSummary {
    pub id: String,
    pub key: String,
    #[ts(type = "number")]
    pub version: i64,
    pub title: String,
    pub content_hash: String,
    pub origin: TemplateOrigin,
    pub file_name: Option<String>,
    #[ts(type = "number")]
    pub item_count: i64,
    pub imported_at: DateTime<Utc>,
    /// True when a newer version with the same key exists.
    pub superseded: bool,
}

/// A stored template with its parsed model and source text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateDetail {
    pub summary: TemplateSummary,
    pub template: Template,
    pub source: String,
}

/// What the user fills in to start a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewRun {
    pub template_id: String,
    pub release_name: String,
    pub version: String,
    pub environment: String,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
}

/// A run as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RunSummary {
    pub id: String,
    pub template_id: String,
    pub template_title: String,
    pub template_hash: String,
    pub release_name: String,
    pub version: String,
    pub environment: String,
    pub window_start: Option<DateTime<Utc>>,
    pub window_end: Option<DateTime<Utc>>,
    pub status: RunStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub finished_at: Option<DateTime<Utc>>,
    /// Item counts; `progress.failed` is the number of items failed now.
    pub progress: Progress,
    /// Gates whose decision in force (the newest one per gate) was recorded as an override.
    pub overrides: u32,
}

/// The recorded state of one element in a run: an item's state, or a field's/choice's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Entry {
    pub element_id: String,
    pub state: Option<ItemState>,
    pub value: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoteKind {
    Note,
    /// Added to a finished run: the record is corrected by addition, never by overwrite.
    Correction,
}

/// A timestamped note on an item (element_id set) or on the whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Note {
    #[ts(type = "number")]
    pub id: i64,
    pub element_id: Option<String>,
    pub kind: NoteKind,
    pub body: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// Everything about a run that changes while it is walked through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RunState {
    pub run_id: String,
    pub status: RunStatus,
    pub finished_at: Option<DateTime<Utc>>,
    pub entries: Vec<Entry>,
    pub notes: Vec<Note>,
    pub progress: Progress,
    pub sections: Vec<SectionProgress>,
    #[ts(type = "number")]
    pub event_count: i64,
    pub head_hash: String,
    pub signatures: Vec<SignatureRecord>,
    pub gate_decisions: Vec<GateDecision>,
    /// A finished run cannot be deleted before this time.
    pub retain_until: Option<DateTime<Utc>>,
    /// Every probe result kept with the run, oldest first.
    pub evidence: Vec<ProbeEvidence>,
}

/// One pen stroke: points in normalised canvas coordinates (x, y in 0..=1, y downwards).
pub type Stroke = Vec<[f32; 2]>;

/// What a signer submits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureInput {
    /// The template's signature slot being signed; None adds a signature with its own role.
    pub slot_id: Option<String>,
    /// Required when `slot_id` is None; otherwise the slot's role is used.
    pub role: Option<String>,
    pub name: String,
    pub strokes: Vec<Stroke>,
}

/// A stored signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub slot_id: Option<String>,
    pub role: String,
    pub name: String,
    pub signed_at: DateTime<Utc>,
    pub strokes: Vec<Stroke>,
    /// The audit head hash the signature binds to (the run as it was when signed).
    pub bound_head: String,
    /// An item state, value or gate decision changed after signing: re-sign to refresh.
    pub stale: bool,
}

/// What a decision maker submits at a gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateDecisionInput {
    pub gate_id: String,
    pub option: String,
    pub reason: Option<String>,
    /// Required to choose the go option while covered items are failed or pending.
    pub override_justification: Option<String>,
}

/// A recorded gate decision (the newest per gate is in force).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateDecision {
    #[ts(type = "number")]
    pub id: i64,
    pub gate_id: String,
    pub option: String,
    pub decided_by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    pub override_justification: Option<String>,
}

/// A run with its pinned template and current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RunDetail {
    pub run: RunSummary,
    pub template: Template,
    pub state: RunState,
}

/// One event of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub position: i64,
    pub kind: String,
    pub element_id: Option<String>,
    pub payload: String,
    pub actor: String,
    /// RFC 3339 UTC with milliseconds, exactly as hashed.
    #[serde(with = "crate::time::stored_format")]
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

/// Result of recomputing a hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainReport {
    pub stream: String,
    pub intact: bool,
    #[ts(type = "number")]
    pub event_count: i64,
    pub head_hash: String,
    /// 1-based position of the first event that does not verify.
    #[ts(type = "number | null")]
    pub first_bad_position: Option<i64>,
    pub message: String,
    /// Where the run as shown (the current-state tables, or a record's derived state) differs
    /// from what its events record; empty when they agree or when only the chain was checked.
    #[serde(default)]
    pub discrepancies: Vec<crate::projection_check::Discrepancy>,
}

/// Who is using Greenlight: every change records it, and record signatures name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Identity {
    pub name: String,
    pub email: Option<String>,
    /// What they do (`Release manager`); printed with their signature on records.
    pub role: Option<String>,
}

impl Identity {
    /// Trimmed, with empty optional parts dropped; refuses an empty name, control characters
    /// and an email without `@`.
    pub fn validated(&self) -> Result<Identity, String> {
        let clean = |text: &str| text.trim().to_string();
        let name = clean(&self.name);
        if name.is_empty() {
            return Err("type your name: every change you make records it".into());
        }
        let optional = |text: &Option<String>| text.as_deref().map(clean).filter(|t| !t.is_empty());
        let email = optional(&self.email);
        let role = optional(&self.role);
        let parts = [Some(&name), email.as_ref(), role.as_ref()];
        if parts
            .iter()
            .flatten()
            .any(|p| p.chars().any(char::is_control) || p.chars().count() > 200)
        {
            return Err("names, emails and roles are one line of at most 200 characters".into());
        }
        if email
            .as_deref()
            .is_some_and(|e| !e.contains('@') || e.contains(['<', '>', ' ']))
        {
            return Err("that email address does not look right (name@example.com)".into());
        }
        Ok(Identity { name, email, role })
    }

    /// How changes record this person: `Ann Lee <ann@example.com>`, or the name alone.
    pub fn recorded_as(&self) -> String {
        match &self.email {
            Some(email) => format!("{} <{email}>", self.name),
            None => self.name.clone(),
        }
    }
}

/// A named set of variables (`api_base`, `db_host`, ...) chosen per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Environment {
    pub name: String,
    pub variables: std::collections::BTreeMap<String, String>,
}

/// What a credential holds; the secret itself is only ever in the OS keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CredentialKind {
    Password,
    Token,
    UserPassword,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Password => "password",
            CredentialKind::Token => "token",
            CredentialKind::UserPassword => "user_password",
        }
    }

    pub fn parse(text: &str) -> Option<CredentialKind> {
        [
            CredentialKind::Password,
            CredentialKind::Token,
            CredentialKind::UserPassword,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// A credential as listed: a name and a kind, never the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Credential {
    pub name: String,
    pub kind: CredentialKind,
    pub username: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One observed fact of a probe result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EvidenceItem {
    pub label: String,
    pub value: String,
}

/// What a probe result says: pass (every assertion held), fail (the target answered wrongly or
/// not at all), error (the probe could not run). Stored as text (`pass`, `fail`, `error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProbeOutcome {
    Pass,
    Fail,
    Error,
}

impl ProbeOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeOutcome::Pass => "pass",
            ProbeOutcome::Fail => "fail",
            ProbeOutcome::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<ProbeOutcome> {
        [ProbeOutcome::Pass, ProbeOutcome::Fail, ProbeOutcome::Error]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// A probe result kept with a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProbeEvidence {
    #[ts(type = "number")]
    pub id: i64,
    pub run_id: String,
    pub element_id: String,
    pub probe_line: u32,
    pub kind: String,
    pub outcome: ProbeOutcome,
    pub summary: String,
    pub code: Option<String>,
    pub evidence: Vec<EvidenceItem>,
    pub started_at: DateTime<Utc>,
    /// The probe's own check time (what every result recorded before response times were kept
    /// shows).
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// HTTP probes with a latency assertion: the request's response time, from sending it to the
    /// response headers. When present it is the result's one shown duration, not `duration_ms`.
    #[ts(type = "number | null")]
    pub response_time_ms: Option<u64>,
    pub actor: String,
}
