//! Shared test fixtures: small templates built in code, a completed record, and wrappers for
//! the poppler / qpdf command-line tools.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use greenlight_core::run::{ItemState, RunStatus};
use greenlight_core::{
    Block, Choice, CodeBlock, Field, FieldKind, Gate, ImportReport, Item, Section, SignatureSlot,
    Template,
};
use greenlight_pdf::{
    AuditLine, AuditSummary, BlankOptions, EntryView, EvidenceView, GateDecisionView, NoteView,
    Paper, PreflightView, RecordInput, RecordOptions, RunHeader, SignatureView,
};

pub const HEAD_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
pub const TEMPLATE_HASH: &str = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

pub fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, hour, minute, 0)
        .single()
        .expect("valid time")
}

pub fn blank_options(paper: Paper) -> BlankOptions {
    BlankOptions {
        paper,
        printed_at: at(9, 0),
        document_id: "doc-test-0001".into(),
        author: "Test Suite".into(),
    }
}

pub fn record_options(paper: Paper) -> RecordOptions {
    RecordOptions {
        paper,
        printed_at: at(18, 30),
        document_id: "rec-test-0001".into(),
        author: "Rita Release".into(),
    }
}

pub fn item(id: &str, title: &str) -> Item {
    Item {
        id: id.into(),
        line: 1,
        title: title.into(),
        display_title: title.into(),
        detail: String::new(),
        checked_in_source: false,
        notes: Vec::new(),
        note_lines: Vec::new(),
        code: Vec::new(),
        expectations: Vec::new(),
        display_expectations: Vec::new(),
        fields: Vec::new(),
        choices: Vec::new(),
        signature: None,
        children: Vec::new(),
    }
}

pub fn section(
    id: &str,
    title: &str,
    level: u8,
    blocks: Vec<Block>,
    children: Vec<Section>,
) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        level,
        line: 1,
        blocks,
        children,
    }
}

pub fn field(id: &str, label: &str, unit: Option<&str>) -> Field {
    Field {
        id: id.into(),
        line: 1,
        label: label.into(),
        display_label: label.into(),
        unit: unit.map(Into::into),
        kind: FieldKind::Text,
    }
}

/// A small template using every kind of element.
pub fn sample_template() -> Template {
    let mut deploy = item(
        "i-deploy",
        "Deploy the new build to the green pool → verify ≥ 99.9% ✓",
    );
    deploy.detail = "Use the pinned image digest; never a floating tag.".into();
    deploy.notes = vec!["- Check the rollout dashboard 📊 while it runs".into()];
    deploy.code = vec![CodeBlock {
        line: 2,
        lang: "bash".into(),
        code: "kubectl -n prod set image deployment/api api=registry.example.test/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef --record\n# Expected: deployment.apps/api image updated\n".into(),
        expectations: vec!["deployment.apps/api image updated".into()],
    }];
    deploy.expectations = vec!["deployment.apps/api image updated".into()];
    deploy.fields = vec![field("f-p95", "Response time P95", Some("ms"))];
    deploy.children = vec![
        item("i-canary", "Canary pods healthy"),
        item("i-logs", "No new errors ✗ in the logs"),
    ];
    let mut smoke = item("i-smoke", "Smoke tests pass");
    smoke.choices = vec![Choice {
        id: "c-smoke".into(),
        line: 3,
        label: "Result".into(),
        display_label: "Result".into(),
        options: vec!["PASS".into(), "FAIL".into()],
    }];
    let mut qa = item("i-qa-sign", "QA Lead sign-off");
    qa.signature = Some(SignatureSlot {
        id: "s-qa".into(),
        line: 9,
        role: "QA Lead".into(),
        display_role: "QA Lead".into(),
        dated: true,
    });
    Template {
        title: "🚀 Sample Release Checklist".into(),
        description: "A small checklist used by the **PDF** tests.".into(),
        description_lines: Vec::new(),
        content_hash: TEMPLATE_HASH.into(),
        metadata_fields: vec![
            field("m-date", "Deployment Date", None),
            field("m-owner", "Release owner", None),
        ],
        sections: vec![
            section(
                "s-pre",
                "✅ Pre-deployment",
                2,
                vec![
                    Block::Prose {
                        line: 4,
                        markdown: "Run these before the window opens.".into(),
                        lines: Vec::new(),
                    },
                    Block::Item(item("i-backup", "Database backup taken")),
                    Block::Item(item("i-freeze", "Change freeze announced")),
                ],
                vec![section(
                    "s-pre-infra",
                    "Infrastructure",
                    3,
                    vec![Block::Item(item("i-quota", "Quotas checked"))],
                    vec![],
                )],
            ),
            section(
                "s-deploy",
                "Deployment",
                2,
                vec![
                    Block::Item(deploy),
                    Block::Item(smoke),
                    Block::Gate(Gate {
                        id: "g-go".into(),
                        line: 8,
                        title: "Go / No-Go for traffic switch".into(),
                        display_title: "Go / No-Go for traffic switch".into(),
                        authority: Some("Release Manager".into()),
                        display_authority: Some("Release Manager".into()),
                        options: vec!["GO".into(), "NO-GO".into()],
                        covers: vec!["i-deploy".into(), "i-smoke".into()],
                    }),
                ],
                vec![],
            ),
            section(
                "s-sign",
                "Sign-off",
                2,
                vec![
                    Block::Item(qa),
                    Block::Signature(SignatureSlot {
                        id: "s-rm".into(),
                        line: 10,
                        role: "Release Manager".into(),
                        display_role: "Release Manager".into(),
                        dated: true,
                    }),
                ],
                vec![],
            ),
        ],
        report: ImportReport::default(),
    }
}

/// A wavy pen stroke in normalised canvas coordinates.
pub fn squiggle(phase: f32) -> Vec<Vec<(f32, f32)>> {
    let first = (0..40).map(|i| {
        let t = i as f32 / 39.0;
        (
            0.05 + 0.6 * t,
            0.5 + 0.3 * (t * 12.0 + phase).sin() * (1.0 - t),
        )
    });
    let second = (0..10).map(|i| (0.7 + 0.025 * i as f32, 0.3 + 0.05 * i as f32));
    vec![first.collect(), second.collect()]
}

pub fn entry(state: Option<ItemState>, value: Option<&str>, actor: &str, minute: u32) -> EntryView {
    EntryView {
        state,
        value: value.map(Into::into),
        actor: actor.into(),
        at: at(10, minute),
    }
}

/// A completed record of `sample_template` with notes, evidence, a gate override and 2 signatures.
pub fn sample_record(template: &Template) -> RecordInput<'_> {
    let mut entries = BTreeMap::new();
    entries.insert(
        "i-backup".into(),
        entry(Some(ItemState::Pass), None, "alice", 1),
    );
    entries.insert(
        "i-freeze".into(),
        entry(Some(ItemState::NotApplicable), None, "alice", 2),
    );
    entries.insert(
        "i-quota".into(),
        entry(Some(ItemState::Skipped), None, "bob", 3),
    );
    entries.insert(
        "i-deploy".into(),
        entry(Some(ItemState::Pass), None, "alice", 10),
    );
    entries.insert(
        "i-canary".into(),
        entry(Some(ItemState::Pass), None, "alice", 11),
    );
    entries.insert(
        "i-logs".into(),
        entry(Some(ItemState::Fail), None, "bob", 12),
    );
    entries.insert(
        "i-smoke".into(),
        entry(Some(ItemState::Pass), None, "bob", 13),
    );
    entries.insert(
        "i-qa-sign".into(),
        entry(Some(ItemState::Pass), None, "Quinn Q. Assurance", 40),
    );
    entries.insert("f-p95".into(), entry(None, Some("182"), "alice", 14));
    entries.insert("c-smoke".into(), entry(None, Some("PASS"), "bob", 13));
    entries.insert("m-date".into(), entry(None, Some("2026-11-23"), "alice", 0));
    entries.insert(
        "m-owner".into(),
        entry(None, Some("Rita Release"), "alice", 0),
    );
    let audit_events = (1..=24)
        .map(|position| AuditLine {
            position,
            kind: if position % 3 == 0 {
                "note".into()
            } else {
                "item_state".into()
            },
            element_id: Some(format!("i-{position:03}")),
            actor: "alice".into(),
            at: at(10, position as u32),
            hash: format!("{position:02}{}", &HEAD_HASH[2..]),
        })
        .collect();
    RecordInput {
        template,
        run: RunHeader {
            id: "run-2026-11-23-001".into(),
            release_name: "Payments API".into(),
            version: "4.2.0".into(),
            environment: "production".into(),
            template_hash: template.content_hash.clone(),
            window_start: Some(at(10, 0)),
            window_end: Some(at(12, 0)),
            status: RunStatus::Completed,
            created_at: at(9, 45),
            finished_at: Some(at(11, 20)),
        },
        entries,
        notes: vec![
            NoteView {
                element_id: Some("i-logs".into()),
                is_correction: false,
                body: "Two 502s from the legacy client; ticket OPS-123.".into(),
                actor: "bob".into(),
                at: at(10, 12),
            },
            NoteView {
                element_id: Some("i-logs".into()),
                is_correction: true,
                body: "The 502s were from the staging client, not production.".into(),
                actor: "carol".into(),
                at: at(17, 5),
            },
            NoteView {
                element_id: None,
                is_correction: false,
                body: "Window closed 40 minutes early.".into(),
                actor: "alice".into(),
                at: at(11, 20),
            },
        ],
        evidence: vec![EvidenceView {
            element_id: "i-deploy".into(),
            summary: "HTTP 200 from /healthz in 84 ms".into(),
            outcome: "pass".into(),
            at: at(10, 9),
            details: vec![
                ("status".into(), "200".into()),
                ("certificate subject".into(), "CN=pay.example.com".into()),
            ],
        }],
        gate_decisions: vec![GateDecisionView {
            gate_id: "g-go".into(),
            option: "GO".into(),
            decided_by: "Rita Release".into(),
            at: at(10, 30),
            reason: Some("Error budget intact.".into()),
            override_justification: Some(
                "Log errors traced to a known client bug; accepted by the CAB.".into(),
            ),
        }],
        signatures: vec![
            SignatureView {
                slot_id: Some("s-qa".into()),
                role: "QA Lead".into(),
                name: "Quinn Q. Assurance".into(),
                signed_at: at(11, 0),
                strokes: squiggle(0.0),
                stale: false,
            },
            SignatureView {
                slot_id: Some("s-rm".into()),
                role: "Release Manager".into(),
                name: "Rita Release".into(),
                signed_at: at(11, 10),
                strokes: squiggle(1.3),
                stale: true,
            },
        ],
        preflights: vec![PreflightView {
            at: at(9, 30),
            actor: "alice".into(),
            environment: "production".into(),
            probes_checked: 4,
            problems: vec![
                "Health endpoint answers, line 14: the variable `api_base` is not defined in production"
                    .into(),
            ],
        }],
        audit: AuditSummary {
            event_count: 24,
            head_hash: HEAD_HASH.into(),
            events: audit_events,
            signed_by: String::new(),
        },
    }
}

/// A fresh temporary directory for PDFs and tool output.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

/// Whether a command-line tool is on PATH (tests that need it say so and skip when it is not).
pub fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        eprintln!(
            "skipping checks that need `{tool}`: not installed (Debian: poppler-utils / qpdf)"
        );
    }
    found
}

fn run(tool: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `pdftotext -layout` output.
pub fn pdftotext(path: &Path) -> String {
    let (ok, text) = run(
        "pdftotext",
        &["-layout", path.to_str().expect("utf-8 path"), "-"],
    );
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// Asserts `qpdf --check` passes.
pub fn assert_qpdf_ok(path: &Path) {
    let (ok, text) = run("qpdf", &["--check", path.to_str().expect("utf-8 path")]);
    assert!(ok, "qpdf --check failed for {}:\n{text}", path.display());
}

/// Asserts every font `pdffonts` lists is embedded, and returns the font names.
pub fn assert_fonts_embedded(path: &Path) -> Vec<String> {
    let (ok, text) = run("pdffonts", &[path.to_str().expect("utf-8 path")]);
    assert!(ok, "pdffonts failed: {text}");
    let mut names = Vec::new();
    for line in text.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols.len() >= 7, "unexpected pdffonts line: {line}");
        // name, type (may be two words), encoding, emb, sub, uni, object id...
        let n = cols.len();
        let emb = cols[n - 5];
        assert_eq!(emb, "yes", "font not embedded: {line}");
        names.push(cols[0].to_string());
    }
    assert!(!names.is_empty(), "no fonts listed");
    names
}

/// Whitespace collapsed to single spaces (pdftotext -layout spreads text out).
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
