//! Exports: a blank printable checklist of a template, and the audit record of a run (PDF plus
//! machine-readable JSON beside it), and checking such a record against the local audit log.
//! Tauri-free; files are written to a temporary name and renamed, so a failed export leaves no
//! half-written file.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_pdf::{
    AuditLine, AuditSummary, BlankOptions, EntryView, EvidenceView, GateDecisionView, NoteView,
    Paper, PreflightView, RecordInput, RecordOptions, RunHeader, SignatureView,
};
use greenlight_probes::ProbeDuration;
use greenlight_store::{AuditEvent, ChainReport, NoteKind, RunDetail};

use crate::api_error::{ApiError, Code};
use crate::app::PaperSize;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// Identifies the JSON record format (see docs/record-format.md). Version 2 is self-contained:
/// it carries the frozen template source and the signature strokes, so it can be verified on a
/// machine that never held the run.
pub const RECORD_FORMAT: &str = "greenlight-run-record/2";

/// The first record format (events and derived state only); still read, for `--run` checks.
pub const RECORD_FORMAT_V1: &str = "greenlight-run-record/1";

/// The name of the JSON record embedded in a record PDF.
pub const EMBEDDED_RECORD_NAME: &str = "greenlight-record.json";

fn paper(size: PaperSize) -> Paper {
    match size {
        PaperSize::A4 => Paper::A4,
        PaperSize::Letter => Paper::Letter,
    }
}

/// Where an export was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportResult {
    pub pdf_path: String,
    pub json_path: Option<String>,
    pub folder: String,
    /// SHA-256 of the PDF bytes as written.
    pub pdf_sha256: String,
    /// The PDF carries a digital signature.
    pub signed: bool,
    /// Who signed it, or why it is unsigned (a locked keychain, ...), in plain words.
    pub signing: String,
}

/// The machine-readable record: embedded in the record PDF, and optionally written beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    /// Format 1 only: the PDF's SHA-256 (a record embedded in its PDF cannot hold the PDF's hash;
    /// the PDF signature covers both instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_sha256: Option<String>,
    /// The run's id; its audit stream is `run:<run_id>`.
    #[serde(default)]
    pub run_id: String,
    /// The template exactly as the run pinned it: its Markdown source and that source's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<RecordTemplate>,
    /// Every event of the run's log, with every hashed field.
    pub events: Vec<AuditEvent>,
    /// The hash of the last event (the chain head the PDF prints and its signature covers).
    #[serde(default)]
    pub head_hash: String,
    /// The derived state as the exporting app showed it: a verifier recomputes it from the
    /// events and compares, it never trusts it.
    pub run: RunDetail,
    pub chain: ChainReport,
}

/// The frozen template of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordTemplate {
    pub id: String,
    pub title: String,
    /// SHA-256 (hex) of `source`; equals the `template_hash` of the `run_started` event.
    pub content_hash: String,
    pub source: String,
}

/// Result of checking an exported record against the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordCheck {
    /// The run the record is of.
    pub run_id: String,
    /// The record's events are exactly the log's first events, and the log's chain is intact.
    pub matches: bool,
    pub chain: ChainReport,
    pub message: String,
    /// How many events the record lists.
    #[ts(type = "number")]
    pub record_events: i64,
    /// How many events the local log holds now.
    #[ts(type = "number")]
    pub log_events: i64,
    /// The first event of the record that the log does not hold as listed (None when they match
    /// or when the log's own chain is broken: `chain` then says where).
    pub first_difference: Option<EventDifference>,
}

/// The first event that differs between a record and the local log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventDifference {
    /// 1-based position in the run's log.
    #[ts(type = "number")]
    pub position: i64,
    /// The event as the record lists it.
    pub in_record: AuditEvent,
    /// The event the log holds at that position; None when the log has no such event.
    pub in_log: Option<AuditEvent>,
    /// The fields that differ (`kind`, `element_id`, `payload`, `actor`, `at`, `prev_hash`,
    /// `hash`, `position`); empty when the log has no event there.
    pub fields: Vec<String>,
}

/// Largest record the window sends for checking (its text crosses IPC in one message). A record
/// holds the frozen template (imports are at most 5 MB of Markdown) and every event, so records
/// of real runs stay well below this; the CLI reads files of any size.
pub const MAX_RECORD_BYTES: usize = 20 * 1024 * 1024;

fn record_invalid(message: String) -> ApiError {
    ApiError::new(Code::RecordInvalid, message)
}

/// Refuses record text over [`MAX_RECORD_BYTES`] with `record_too_large`.
pub fn check_record_size(len: usize) -> Result<(), ApiError> {
    if len <= MAX_RECORD_BYTES {
        return Ok(());
    }
    Err(ApiError::new(
        Code::RecordTooLarge,
        format!(
            "the file is {:.1} MB; a run record checked here can be at most {} MB (use `greenlight verify --record` for larger ones)",
            len as f64 / (1024.0 * 1024.0),
            MAX_RECORD_BYTES / (1024 * 1024)
        ),
    ))
}

/// Parses an exported JSON record. Anything else (not JSON, another kind of JSON, a record with
/// parts missing) is refused with `record_invalid` and a message saying why.
pub fn parse_record(bytes: &[u8]) -> Result<RunRecord, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| record_invalid(format!("the file is not valid JSON: {e}")))?;
    match value.get("format").and_then(serde_json::Value::as_str) {
        Some(RECORD_FORMAT | RECORD_FORMAT_V1) => {}
        Some(other) => {
            return Err(record_invalid(format!(
                "the file's format is {other:?}, not a Greenlight run record ({RECORD_FORMAT})"
            )));
        }
        None => {
            return Err(record_invalid(format!(
                "the file is JSON but not a Greenlight run record (no \"format\": \"{RECORD_FORMAT}\")"
            )));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        record_invalid(format!(
            "the file says it is a run record but is incomplete or damaged: {e}"
        ))
    })
}

/// Which fields of two events differ, by field name.
fn differing_fields(recorded: &AuditEvent, stored: &AuditEvent) -> Vec<String> {
    let checks = [
        ("position", recorded.position == stored.position),
        ("kind", recorded.kind == stored.kind),
        ("element_id", recorded.element_id == stored.element_id),
        ("payload", recorded.payload == stored.payload),
        ("actor", recorded.actor == stored.actor),
        ("at", recorded.at == stored.at),
        ("prev_hash", recorded.prev_hash == stored.prev_hash),
        ("hash", recorded.hash == stored.hash),
    ];
    checks
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name.to_string())
        .collect()
}

pub(crate) fn io_error(path: &Path, error: std::io::Error) -> ApiError {
    let code = match error.raw_os_error() {
        Some(28) => Code::DiskFull,
        _ if error.kind() == std::io::ErrorKind::PermissionDenied => Code::PermissionDenied,
        _ => Code::FileWriteFailed,
    };
    ApiError::new(code, format!("could not write {}: {error}", path.display()))
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| io_error(folder, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.partial"));
    let result = std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::File::open(&temporary)?.sync_all())
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(io_error(path, error));
    }
    Ok(())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file-name-safe slug: letters, digits, dots and dashes.
pub fn slug(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "checklist".into()
    } else {
        slug.chars().take(60).collect()
    }
}

/// The default file stem of a run's record.
pub fn record_stem(detail: &RunDetail) -> String {
    let short_id: String = detail
        .run
        .id
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    slug(&format!(
        "{}-{}-{}-{}",
        detail.run.release_name, detail.run.version, detail.run.environment, short_id
    ))
}

/// Renders a blank checklist.
pub fn blank_pdf(
    template: &Template,
    paper_size: PaperSize,
    author: &str,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let options = BlankOptions {
        paper: paper(paper_size),
        printed_at: now,
        document_id: format!("blank-{}-{}", template.content_hash, now.timestamp()),
        author: author.to_string(),
    };
    Ok(greenlight_pdf::render_blank(template, &options)?)
}

/// Builds what the PDF renderer prints from a run as stored.
pub fn record_input<'a>(detail: &'a RunDetail, events: &[AuditEvent]) -> RecordInput<'a> {
    let state = &detail.state;
    let entries: BTreeMap<String, EntryView> = state
        .entries
        .iter()
        .map(|e| {
            let view = EntryView {
                state: e.state,
                value: e.value.clone(),
                actor: e.actor.clone(),
                at: e.at,
            };
            (e.element_id.clone(), view)
        })
        .collect();
    let notes = state
        .notes
        .iter()
        .map(|n| NoteView {
            element_id: n.element_id.clone(),
            is_correction: n.kind == NoteKind::Correction,
            body: n.body.clone(),
            actor: n.actor.clone(),
            at: n.at,
        })
        .collect();
    let gate_decisions = state
        .gate_decisions
        .iter()
        .map(|d| GateDecisionView {
            gate_id: d.gate_id.clone(),
            option: d.option.clone(),
            decided_by: d.decided_by.clone(),
            at: d.at,
            reason: d.reason.clone(),
            override_justification: d.override_justification.clone(),
        })
        .collect();
    let signatures = state
        .signatures
        .iter()
        .map(|s| SignatureView {
            slot_id: s.slot_id.clone(),
            role: s.role.clone(),
            name: s.name.clone(),
            signed_at: s.signed_at,
            strokes: s
                .strokes
                .iter()
                .map(|stroke| stroke.iter().map(|[x, y]| (*x, *y)).collect())
                .collect(),
            stale: s.stale,
        })
        .collect();
    let audit = AuditSummary {
        event_count: events.len() as u64,
        head_hash: events.last().map(|e| e.hash.clone()).unwrap_or_default(),
        events: events
            .iter()
            .map(|e| AuditLine {
                position: e.position.max(0) as u64,
                kind: e.kind.clone(),
                element_id: e.element_id.clone(),
                actor: e.actor.clone(),
                at: e.at,
                hash: e.hash.clone(),
            })
            .collect(),
        signed_by: String::new(),
    };
    let run = &detail.run;
    RecordInput {
        template: &detail.template,
        run: RunHeader {
            id: run.id.clone(),
            release_name: run.release_name.clone(),
            version: run.version.clone(),
            environment: run.environment.clone(),
            template_hash: run.template_hash.clone(),
            window_start: run.window_start,
            window_end: run.window_end,
            status: state.status,
            created_at: run.created_at,
            finished_at: state.finished_at,
        },
        entries,
        notes,
        evidence: state
            .evidence
            .iter()
            .map(|e| EvidenceView {
                element_id: e.element_id.clone(),
                summary: format!(
                    "{} probe: {} ({})",
                    e.kind,
                    e.summary,
                    ProbeDuration::of(e.duration_ms, e.response_time_ms)
                ),
                outcome: e.outcome.as_str().to_string(),
                at: e.started_at,
                details: e
                    .evidence
                    .iter()
                    .map(|item| (item.label.clone(), item.value.clone()))
                    .collect(),
            })
            .collect(),
        gate_decisions,
        signatures,
        preflights: preflight_views(detail, events),
        audit,
    }
}

/// The preflight checks the run's log holds, as the record prints them (item titles from the
/// template; a problem names its item and line).
fn preflight_views(detail: &RunDetail, events: &[AuditEvent]) -> Vec<PreflightView> {
    greenlight_store::replay::replay(events)
        .preflights
        .into_iter()
        .map(|p| PreflightView {
            at: p.at,
            actor: p.actor,
            environment: p.outcome.environment,
            probes_checked: p.outcome.probes_checked,
            problems: p
                .outcome
                .problems
                .iter()
                .map(|line| {
                    let title = crate::probing::item_title(&detail.template, &line.item_id);
                    format!("{title}, line {}: {}", line.line, line.message)
                })
                .collect(),
        })
        .collect()
}

/// Renders a run's record PDF (not yet sealed) and its JSON record.
#[allow(clippy::too_many_arguments)]
pub fn run_record(
    detail: RunDetail,
    template_source: String,
    events: Vec<AuditEvent>,
    chain: ChainReport,
    paper_size: PaperSize,
    author: &str,
    signer: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, RunRecord), ApiError> {
    let options = RecordOptions {
        paper: paper(paper_size),
        printed_at: now,
        document_id: format!("run-{}-{}", detail.run.id, chain.head_hash),
        author: author.to_string(),
    };
    let mut input = record_input(&detail, &events);
    input.audit.signed_by = signer.to_string();
    let pdf = greenlight_pdf::render_record(&input, &options)?;
    let record = RunRecord {
        format: RECORD_FORMAT.into(),
        exported_at: now,
        exported_by: author.to_string(),
        pdf_sha256: None,
        run_id: detail.run.id.clone(),
        template: Some(RecordTemplate {
            id: detail.run.template_id.clone(),
            title: detail.template.title.clone(),
            content_hash: sha256_hex(template_source.as_bytes()),
            source: template_source,
        }),
        head_hash: events.last().map(|e| e.hash.clone()).unwrap_or_default(),
        events,
        run: detail,
        chain,
    };
    Ok((pdf, record))
}

/// Compares an exported record with the events now in the database: the log must still verify,
/// and every event in the record must be the log's event at the same position, byte for byte.
pub fn compare_record_with_log(
    record: &RunRecord,
    log: &[AuditEvent],
    chain: ChainReport,
) -> RecordCheck {
    let verdict = |matches: bool, message: String, first_difference| RecordCheck {
        run_id: record.run.run.id.clone(),
        matches,
        chain: chain.clone(),
        message,
        record_events: record.events.len() as i64,
        log_events: log.len() as i64,
        first_difference,
    };
    if !chain.intact {
        let message = format!("the local audit log is broken: {}", chain.message);
        return verdict(false, message, None);
    }
    for (index, exported) in record.events.iter().enumerate() {
        let position = index as i64 + 1;
        match log.get(index) {
            Some(stored) if stored.hash == exported.hash && stored == exported => {}
            Some(stored) => {
                let difference = EventDifference {
                    position,
                    in_record: exported.clone(),
                    in_log: Some(stored.clone()),
                    fields: differing_fields(exported, stored),
                };
                let message = format!("event {position} differs between the record and the log");
                return verdict(false, message, Some(difference));
            }
            None => {
                let difference = EventDifference {
                    position,
                    in_record: exported.clone(),
                    in_log: None,
                    fields: Vec::new(),
                };
                let message = format!("the log has no event {position} that the record lists");
                return verdict(false, message, Some(difference));
            }
        }
    }
    let later = log.len().saturating_sub(record.events.len());
    let message = if later == 0 {
        format!(
            "the record matches the log ({} events)",
            record.events.len()
        )
    } else {
        format!(
            "the record matches the log's first {} events; {later} later events were added after the export",
            record.events.len()
        )
    };
    verdict(true, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_digits_dots_and_dashes() {
        assert_eq!(
            slug("payments api/2.1.0 (prod)"),
            "payments-api-2.1.0--prod"
        );
        assert_eq!(slug("///"), "checklist");
    }

    #[test]
    fn an_atomic_write_leaves_no_partial_file_when_the_folder_is_unwritable() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("ok.pdf");
        write_atomically(&target, b"%PDF-1.7").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7");
        let blocked = dir.path().join("file-not-folder");
        std::fs::write(&blocked, b"x").unwrap();
        let error = write_atomically(&blocked.join("out.pdf"), b"x").unwrap_err();
        assert_eq!(error.code, Code::FileWriteFailed);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
