//! Replaying a run's audit events into the state they record. The log is the truth: the
//! current-state tables are projections of it, and this is how both the store (against its own
//! tables) and a record verifier on another machine (against a record's derived state) recompute
//! that state without trusting it. Pure: no SQL, no clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use greenlight_core::run::{ItemState, RunStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::preflight::PreflightOutcome;
use crate::types::{AuditEvent, EvidenceItem, NoteKind};

/// How long a finished run is kept unless extended (mirrors `signoffs::default_retention`).
const RETENTION_DAYS: i64 = crate::signoffs::DEFAULT_RETENTION_DAYS;

/// What `run_started` records about the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedRun {
    pub template_id: String,
    pub template_hash: String,
    pub release_name: String,
    pub version: String,
    pub environment: String,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// The state and value recorded against one element, as the log has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedEntry {
    pub state: Option<ItemState>,
    pub value: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A note or correction, as the log has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedNote {
    pub position: i64,
    pub element_id: Option<String>,
    pub kind: NoteKind,
    pub body: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A signature, as the log has it: the strokes themselves are kept outside the log and bound
/// to it by their SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedSignature {
    pub position: i64,
    pub slot_id: Option<String>,
    pub role: String,
    pub name: String,
    pub signed_at: DateTime<Utc>,
    pub bound_head: String,
    pub strokes_sha256: String,
    /// A covered change (item state, value, gate decision) was logged after it.
    pub stale: bool,
}

/// A gate decision, as the log has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedDecision {
    pub position: i64,
    pub gate_id: String,
    pub option: String,
    pub decided_by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    pub override_justification: Option<String>,
}

/// A probe result, as the log has it. `details` is `None` for results logged before the log
/// carried the full evidence (their summary is still chained; their details are not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedProbe {
    pub position: i64,
    pub element_id: String,
    pub kind: String,
    pub outcome: String,
    pub summary: String,
    pub code: Option<String>,
    pub duration_ms: u64,
    /// Only in events of results with a response time (the field was added later).
    #[serde(default)]
    pub response_time_ms: Option<u64>,
    pub actor: String,
    pub details: Option<ProbeDetails>,
}

/// The parts of a probe result that the log carries since evidence was chained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeDetails {
    pub probe_line: u32,
    pub started_at: DateTime<Utc>,
    pub evidence: Vec<EvidenceItem>,
}

/// A preflight check, as the log has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayedPreflight {
    pub position: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub outcome: PreflightOutcome,
}

/// A run's state recomputed from its events.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Replay {
    pub run: Option<ReplayedRun>,
    pub status: Option<RunStatus>,
    pub finished_at: Option<DateTime<Utc>>,
    pub retain_until: Option<DateTime<Utc>>,
    pub entries: BTreeMap<String, ReplayedEntry>,
    pub notes: Vec<ReplayedNote>,
    pub signatures: Vec<ReplayedSignature>,
    pub gate_decisions: Vec<ReplayedDecision>,
    pub probes: Vec<ReplayedProbe>,
    /// Preflight checks recorded with the run, in log order.
    #[serde(default)]
    pub preflights: Vec<ReplayedPreflight>,
    /// Events the replay could not read (unknown kind, payload missing a field), by position.
    pub unreadable: Vec<(i64, String)>,
}

fn text(payload: &Value, key: &str) -> Option<String> {
    payload.get(key).and_then(Value::as_str).map(str::to_string)
}

fn required_text(payload: &Value, key: &str) -> Result<String, String> {
    text(payload, key).ok_or_else(|| format!("its payload has no {key:?}"))
}

fn time_field(payload: &Value, key: &str) -> Result<Option<DateTime<Utc>>, String> {
    match payload.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| format!("its {key:?} is not a time: {e}")),
        Some(_) => Err(format!("its {key:?} is not a time")),
    }
}

/// Event kinds after which a signature no longer covers the run as it is.
pub const COVERED_KINDS: [&str; 3] = ["item_state", "value_set", "gate_decided"];

/// Recomputes a run's state from its events, in log order.
pub fn replay(events: &[AuditEvent]) -> Replay {
    let mut replay = Replay::default();
    for event in events {
        if let Err(why) = apply(&mut replay, event) {
            replay
                .unreadable
                .push((event.position, format!("event {}: {why}", event.position)));
        }
        if COVERED_KINDS.contains(&event.kind.as_str()) {
            for signature in &mut replay.signatures {
                signature.stale = true;
            }
        }
    }
    replay
}

fn apply(replay: &mut Replay, event: &AuditEvent) -> Result<(), String> {
    let payload: Value = serde_json::from_str(&event.payload)
        .map_err(|e| format!("its payload is not JSON: {e}"))?;
    let element = || {
        event
            .element_id
            .clone()
            .ok_or_else(|| format!("a {} event names no element", event.kind))
    };
    match event.kind.as_str() {
        "run_started" => {
            replay.run = Some(ReplayedRun {
                template_id: required_text(&payload, "template_id")?,
                template_hash: required_text(&payload, "template_hash")?,
                release_name: required_text(&payload, "release_name")?,
                version: required_text(&payload, "version")?,
                environment: required_text(&payload, "environment")?,
                window_start: text(&payload, "window_start"),
                window_end: text(&payload, "window_end"),
                created_by: event.actor.clone(),
                created_at: event.at,
            });
            replay.status = Some(RunStatus::Active);
        }
        "item_state" => {
            let state = required_text(&payload, "state")?;
            let state = ItemState::parse(&state).ok_or(format!("unknown state {state:?}"))?;
            let entry = replay.entries.entry(element()?).or_insert(ReplayedEntry {
                state: None,
                value: None,
                actor: String::new(),
                at: event.at,
            });
            entry.state = Some(state);
            entry.actor = event.actor.clone();
            entry.at = event.at;
        }
        "value_set" => {
            let value = text(&payload, "value");
            let entry = replay.entries.entry(element()?).or_insert(ReplayedEntry {
                state: None,
                value: None,
                actor: String::new(),
                at: event.at,
            });
            entry.value = value;
            entry.actor = event.actor.clone();
            entry.at = event.at;
        }
        "note_added" | "correction_added" => replay.notes.push(ReplayedNote {
            position: event.position,
            element_id: event.element_id.clone(),
            kind: if event.kind == "correction_added" {
                NoteKind::Correction
            } else {
                NoteKind::Note
            },
            body: required_text(&payload, "body")?,
            actor: event.actor.clone(),
            at: event.at,
        }),
        "signed" => replay.signatures.push(ReplayedSignature {
            position: event.position,
            slot_id: event.element_id.clone(),
            role: required_text(&payload, "role")?,
            name: required_text(&payload, "name")?,
            signed_at: event.at,
            bound_head: required_text(&payload, "bound_head")?,
            strokes_sha256: required_text(&payload, "strokes_sha256")?,
            stale: false,
        }),
        "gate_decided" => replay.gate_decisions.push(ReplayedDecision {
            position: event.position,
            gate_id: element()?,
            option: required_text(&payload, "option")?,
            decided_by: event.actor.clone(),
            at: event.at,
            reason: text(&payload, "reason"),
            override_justification: text(&payload, "override_justification"),
        }),
        "probe_result" => replay.probes.push(probe(event, &payload, element()?)?),
        "retention_set" => replay.retain_until = time_field(&payload, "retain_until")?,
        "run_completed" | "run_abandoned" => {
            replay.status = Some(if event.kind == "run_completed" {
                RunStatus::Completed
            } else {
                RunStatus::Abandoned
            });
            replay.finished_at = Some(event.at);
            replay.retain_until = replay
                .retain_until
                .or(Some(event.at + Duration::days(RETENTION_DAYS)));
        }
        "run_archived" => replay.status = Some(RunStatus::Archived),
        "preflight_checked" => replay.preflights.push(ReplayedPreflight {
            position: event.position,
            actor: event.actor.clone(),
            at: event.at,
            outcome: serde_json::from_value(payload)
                .map_err(|e| format!("its payload is not a preflight outcome: {e}"))?,
        }),
        other => return Err(format!("unknown event kind {other:?}")),
    }
    Ok(())
}

fn probe(event: &AuditEvent, payload: &Value, element_id: String) -> Result<ReplayedProbe, String> {
    let details = match payload.get("evidence") {
        None => None,
        Some(evidence) => Some(ProbeDetails {
            probe_line: payload
                .get("probe_line")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("its payload has no \"probe_line\"")?,
            started_at: time_field(payload, "started_at")?
                .ok_or("its payload has no \"started_at\"")?,
            evidence: serde_json::from_value(evidence.clone())
                .map_err(|e| format!("its evidence is not a list of label/value pairs: {e}"))?,
        }),
    };
    Ok(ReplayedProbe {
        position: event.position,
        element_id,
        kind: required_text(payload, "kind")?,
        outcome: required_text(payload, "outcome")?,
        summary: required_text(payload, "summary")?,
        code: text(payload, "code"),
        duration_ms: payload
            .get("duration_ms")
            .and_then(Value::as_u64)
            .ok_or("its payload has no \"duration_ms\"")?,
        response_time_ms: match payload.get("response_time_ms") {
            None | Some(Value::Null) => None,
            Some(ms) => Some(
                ms.as_u64()
                    .ok_or("its \"response_time_ms\" is not a number of milliseconds")?,
            ),
        },
        actor: event.actor.clone(),
        details,
    })
}
