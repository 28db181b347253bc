//! Comparing a run's state as shown (the projection tables, or a record's derived state) with
//! the state its audit events record, and naming every disagreement in words a person can act
//! on ("item 'Backups verified' shows pass, the log says fail"). Pure: no SQL.

use greenlight_core::Template;
use greenlight_core::run::{ElementRef, find_element};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{run_stream, sha256_hex, verify_events};
use crate::replay::{Replay, replay};
use crate::time::format_time;
use crate::types::{AuditEvent, ChainReport, RunState, RunSummary, Stroke};

/// One place where what is shown differs from what the log holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Discrepancy {
    /// The element concerned, when there is one.
    pub element_id: Option<String>,
    /// What differs: `state`, `value`, `note`, `signature`, `gate_decision`, `probe_result`,
    /// `run`, `event`.
    pub field: String,
    pub message: String,
}

/// SHA-256 of a signature's strokes as serialised in the store and the record.
pub fn strokes_sha256(strokes: &[Stroke]) -> String {
    sha256_hex(
        serde_json::to_string(strokes)
            .unwrap_or_default()
            .as_bytes(),
    )
}

fn describe(template: &Template, id: &str) -> String {
    match find_element(template, id) {
        Some(ElementRef::Item(item)) => format!("item '{}'", item.title),
        Some(ElementRef::Field(field)) => format!("field '{}'", field.label),
        Some(ElementRef::Choice(choice)) => format!("choice '{}'", choice.label),
        Some(ElementRef::Signature(slot)) => format!("signature slot '{}'", slot.role),
        Some(ElementRef::Gate(gate)) => format!("gate '{}'", gate.title),
        None => format!("element {id}"),
    }
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "nothing".to_string(), |v| format!("{v:?}"))
}

struct Findings<'a> {
    template: &'a Template,
    found: Vec<Discrepancy>,
}

impl Findings<'_> {
    fn add(&mut self, element_id: Option<&str>, field: &str, message: String) {
        self.found.push(Discrepancy {
            element_id: element_id.map(str::to_string),
            field: field.to_string(),
            message,
        });
    }

    fn element(&mut self, id: &str, field: &str, shows: String, log: String) {
        let what = describe(self.template, id);
        self.add(
            Some(id),
            field,
            format!("{what} shows {shows}, the log says {log}"),
        );
    }
}

/// Checks a run against its log: the hash chain of `events` (the stream `run:<run_id>`), then,
/// when it holds, the run as shown (`run`, `state`) against what the events record. Each
/// disagreement is in `discrepancies` and makes the report not intact. The replay is returned
/// with an intact chain, for callers that check more (a record's template hash). Pure: the
/// store's `verify_run`, exports and record files on any machine all come through here.
pub fn check_against_log(
    run_id: &str,
    events: &[AuditEvent],
    run: &RunSummary,
    state: &RunState,
    template: &Template,
) -> (ChainReport, Option<Replay>) {
    let mut report = verify_events(&run_stream(run_id), events);
    if !report.intact {
        return (report, None);
    }
    let replayed = replay(events);
    let discrepancies = compare(&replayed, run, state, template);
    if let Some(first) = discrepancies.first() {
        report.intact = false;
        report.message = match discrepancies.len() {
            1 => format!(
                "the run as shown differs from its audit log: {}",
                first.message
            ),
            n => format!(
                "the run as shown differs from its audit log in {n} places; first: {}",
                first.message
            ),
        };
    }
    report.discrepancies = discrepancies;
    (report, Some(replayed))
}

/// Every disagreement between a run as shown (`run`, `state`) and its replayed events.
pub fn compare(
    replay: &Replay,
    run: &RunSummary,
    state: &RunState,
    template: &Template,
) -> Vec<Discrepancy> {
    let mut findings = Findings {
        template,
        found: Vec::new(),
    };
    for (position, why) in &replay.unreadable {
        findings.add(
            None,
            "event",
            format!("the log's {why} (position {position})"),
        );
    }
    compare_run(&mut findings, replay, run, state);
    compare_entries(&mut findings, replay, state);
    compare_notes(&mut findings, replay, state);
    compare_signatures(&mut findings, replay, state);
    compare_decisions(&mut findings, replay, state);
    compare_probes(&mut findings, replay, state);
    findings.found
}

fn compare_run(findings: &mut Findings<'_>, replay: &Replay, run: &RunSummary, state: &RunState) {
    let Some(started) = &replay.run else {
        findings.add(None, "run", "the log has no run_started event".into());
        return;
    };
    let window = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(format_time);
    let pairs = [
        (
            "release name",
            run.release_name.clone(),
            started.release_name.clone(),
        ),
        ("version", run.version.clone(), started.version.clone()),
        (
            "environment",
            run.environment.clone(),
            started.environment.clone(),
        ),
        (
            "template",
            run.template_id.clone(),
            started.template_id.clone(),
        ),
        (
            "template hash",
            run.template_hash.clone(),
            started.template_hash.clone(),
        ),
        (
            "started by",
            run.created_by.clone(),
            started.created_by.clone(),
        ),
        (
            "start time",
            format_time(run.created_at),
            format_time(started.created_at),
        ),
        (
            "window start",
            shown(window(run.window_start).as_deref()),
            shown(started.window_start.as_deref()),
        ),
        (
            "window end",
            shown(window(run.window_end).as_deref()),
            shown(started.window_end.as_deref()),
        ),
        (
            "status",
            state.status.as_str().to_string(),
            replay.status.map_or("unknown", |s| s.as_str()).to_string(),
        ),
        (
            "finish time",
            shown(state.finished_at.map(format_time).as_deref()),
            shown(replay.finished_at.map(format_time).as_deref()),
        ),
        (
            "retention",
            shown(state.retain_until.map(format_time).as_deref()),
            shown(replay.retain_until.map(format_time).as_deref()),
        ),
    ];
    for (what, shows, log) in pairs {
        if shows != log {
            findings.add(
                None,
                "run",
                format!("the run's {what} shows {shows}, the log says {log}"),
            );
        }
    }
}

fn compare_entries(findings: &mut Findings<'_>, replay: &Replay, state: &RunState) {
    let mut shown_ids = std::collections::BTreeSet::new();
    for entry in &state.entries {
        shown_ids.insert(entry.element_id.as_str());
        let id = entry.element_id.as_str();
        let Some(logged) = replay.entries.get(id) else {
            let shows = entry
                .state
                .map(|s| s.as_str().to_string())
                .or_else(|| entry.value.as_deref().map(|v| format!("{v:?}")))
                .unwrap_or_else(|| "a record".into());
            findings.element(id, "state", shows, "nothing was recorded".into());
            continue;
        };
        let state_of = |s: Option<greenlight_core::run::ItemState>| {
            s.map_or("pending", |s| s.as_str()).to_string()
        };
        if entry.state != logged.state {
            findings.element(id, "state", state_of(entry.state), state_of(logged.state));
        }
        if entry.value != logged.value {
            findings.element(
                id,
                "value",
                shown(entry.value.as_deref()),
                shown(logged.value.as_deref()),
            );
        }
        if entry.actor != logged.actor || entry.at != logged.at {
            findings.element(
                id,
                "who",
                format!("{} at {}", entry.actor, format_time(entry.at)),
                format!("{} at {}", logged.actor, format_time(logged.at)),
            );
        }
    }
    for (id, logged) in &replay.entries {
        if !shown_ids.contains(id.as_str()) {
            let log = logged
                .state
                .map(|s| s.as_str().to_string())
                .or_else(|| logged.value.as_deref().map(|v| format!("{v:?}")))
                .unwrap_or_else(|| "a cleared value".into());
            findings.element(id, "state", "nothing".into(), log);
        }
    }
}

fn count_mismatch(findings: &mut Findings<'_>, field: &str, what: &str, shows: usize, log: usize) {
    if shows != log {
        findings.add(
            None,
            field,
            format!("the run shows {shows} {what}, the log holds {log}"),
        );
    }
}

fn compare_notes(findings: &mut Findings<'_>, replay: &Replay, state: &RunState) {
    count_mismatch(
        findings,
        "note",
        "notes",
        state.notes.len(),
        replay.notes.len(),
    );
    for (index, (note, logged)) in state.notes.iter().zip(&replay.notes).enumerate() {
        let same = note.element_id == logged.element_id
            && note.kind == logged.kind
            && note.body == logged.body
            && note.actor == logged.actor
            && note.at == logged.at;
        if !same {
            let on = note.element_id.as_deref().map_or_else(
                || "the run".to_string(),
                |id| describe(findings.template, id),
            );
            findings.add(
                note.element_id.as_deref(),
                "note",
                format!(
                    "note {} on {on} shows {:?} by {}, the log says {:?} by {}",
                    index + 1,
                    note.body,
                    note.actor,
                    logged.body,
                    logged.actor
                ),
            );
        }
    }
}

fn compare_signatures(findings: &mut Findings<'_>, replay: &Replay, state: &RunState) {
    count_mismatch(
        findings,
        "signature",
        "signatures",
        state.signatures.len(),
        replay.signatures.len(),
    );
    for (shown, logged) in state.signatures.iter().zip(&replay.signatures) {
        let mut differs = Vec::new();
        if shown.slot_id != logged.slot_id || shown.role != logged.role {
            differs.push("role");
        }
        if shown.name != logged.name {
            differs.push("name");
        }
        if shown.signed_at != logged.signed_at {
            differs.push("time");
        }
        if shown.bound_head != logged.bound_head {
            differs.push("the state it binds to");
        }
        if strokes_sha256(&shown.strokes) != logged.strokes_sha256 {
            differs.push("the drawn strokes");
        }
        if shown.stale != logged.stale {
            differs.push("whether it is stale");
        }
        if !differs.is_empty() {
            findings.add(
                shown.slot_id.as_deref(),
                "signature",
                format!(
                    "the signature of {} ({}) differs from the log in {}",
                    logged.name,
                    logged.role,
                    differs.join(", ")
                ),
            );
        }
    }
}

fn compare_decisions(findings: &mut Findings<'_>, replay: &Replay, state: &RunState) {
    count_mismatch(
        findings,
        "gate_decision",
        "gate decisions",
        state.gate_decisions.len(),
        replay.gate_decisions.len(),
    );
    for (shown, logged) in state.gate_decisions.iter().zip(&replay.gate_decisions) {
        let same = shown.gate_id == logged.gate_id
            && shown.option == logged.option
            && shown.decided_by == logged.decided_by
            && shown.at == logged.at
            && shown.reason == logged.reason
            && shown.override_justification == logged.override_justification;
        if !same {
            let what = describe(findings.template, &logged.gate_id);
            findings.add(
                Some(&logged.gate_id),
                "gate_decision",
                format!(
                    "{what} shows {} by {}{}, the log says {} by {}{}",
                    shown.option,
                    shown.decided_by,
                    if shown.override_justification.is_some() {
                        " (override)"
                    } else {
                        ""
                    },
                    logged.option,
                    logged.decided_by,
                    if logged.override_justification.is_some() {
                        " (override)"
                    } else {
                        ""
                    },
                ),
            );
        }
    }
}

fn compare_probes(findings: &mut Findings<'_>, replay: &Replay, state: &RunState) {
    count_mismatch(
        findings,
        "probe_result",
        "probe results",
        state.evidence.len(),
        replay.probes.len(),
    );
    for (shown, logged) in state.evidence.iter().zip(&replay.probes) {
        let mut differs = Vec::new();
        if shown.element_id != logged.element_id || shown.kind != logged.kind {
            differs.push("which probe");
        }
        if shown.outcome.as_str() != logged.outcome {
            differs.push("outcome");
        }
        if shown.summary != logged.summary || shown.code != logged.code {
            differs.push("summary");
        }
        if shown.duration_ms != logged.duration_ms
            || shown.response_time_ms != logged.response_time_ms
        {
            differs.push("duration");
        }
        if shown.actor != logged.actor {
            differs.push("who ran it");
        }
        if let Some(details) = &logged.details {
            if shown.probe_line != details.probe_line || shown.started_at != details.started_at {
                differs.push("when it ran");
            }
            if shown.evidence != details.evidence {
                differs.push("evidence details");
            }
        }
        if !differs.is_empty() {
            let what = describe(findings.template, &logged.element_id);
            findings.add(
                Some(&logged.element_id),
                "probe_result",
                format!(
                    "the {} probe result of {what} shows {} ({:?}), the log says {} ({:?}); differs in {}",
                    logged.kind,
                    shown.outcome.as_str(),
                    shown.summary,
                    logged.outcome,
                    logged.summary,
                    differs.join(", ")
                ),
            );
        }
    }
}
