//! Export timings: blank and completed-record PDFs for every seed checklist and for a synthetic
//! 1,000-item run with 10 signatures. Run with `cargo bench -p greenlight-pdf`; prints a table
//! (best of a few runs, so the one-off font parse is not counted). With `GREENLIGHT_PDF_OUT=dir`
//! set, the PDFs are also written there for a visual check.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_core::{Block, SignatureSlot, Template, import_markdown};
use greenlight_pdf::{AuditLine, Paper, RecordInput, SignatureView, render_blank, render_record};

const RUNS: usize = 5;

fn best_of<F: FnMut() -> Vec<u8>>(mut f: F) -> (Duration, Vec<u8>) {
    let mut best = Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        out = f();
        best = best.min(start.elapsed());
    }
    (best, out)
}

fn pages(pdf: &[u8]) -> usize {
    pdf.windows(10).filter(|w| w == b"/Type/Page").count()
        - pdf.windows(11).filter(|w| w == b"/Type/Pages").count()
}

/// Every item passed, every field filled, `signatures` signers, one audit event per item.
fn completed<'a>(template: &'a Template, signatures: usize) -> RecordInput<'a> {
    let mut record = sample_record(template);
    record.entries = BTreeMap::new();
    record.notes.truncate(1);
    record.notes[0].element_id = None;
    record.evidence.clear();
    record.gate_decisions.clear();
    let items = items_in_order(template);
    for (i, item) in items.iter().enumerate() {
        let state = if i % 17 == 5 {
            ItemState::NotApplicable
        } else {
            ItemState::Pass
        };
        record.entries.insert(
            item.id.clone(),
            entry(Some(state), None, "alice", (i % 60) as u32),
        );
        for field in &item.fields {
            record.entries.insert(
                field.id.clone(),
                entry(None, Some("42"), "alice", (i % 60) as u32),
            );
        }
    }
    record.signatures = (0..signatures)
        .map(|i| SignatureView {
            slot_id: None,
            role: format!("Approver {}", i + 1),
            name: format!("Signer Number{}", i + 1),
            signed_at: at(11, i as u32),
            strokes: squiggle(i as f32),
            stale: false,
        })
        .collect();
    record.audit.events = items
        .iter()
        .enumerate()
        .map(|(i, item)| AuditLine {
            position: i as u64 + 1,
            kind: "item_state".into(),
            element_id: Some(item.id.clone()),
            actor: "alice".into(),
            at: at(10, (i % 60) as u32),
            hash: format!("{:064x}", i * 7919),
        })
        .collect();
    record.audit.event_count = record.audit.events.len() as u64;
    record
}

fn synthetic_thousand() -> Template {
    let mut template = sample_template();
    template.sections = (0..20)
        .map(|s| {
            let mut blocks: Vec<Block> = (0..50)
                .map(|i| {
                    Block::Item(item(
                        &format!("i-{s}-{i}"),
                        &format!(
                            "Synthetic check {s}.{i}: the service answers within its latency budget"
                        ),
                    ))
                })
                .collect();
            if s % 2 == 0 {
                let id = format!("sig-{s}");
                blocks.push(Block::Signature(SignatureSlot {
                    id,
                    line: 1,
                    role: format!("Section {s} owner"),
                    display_role: format!("Section {s} owner"),
                    dated: true,
                }));
            }
            section(
                &format!("s-{s}"),
                &format!("Synthetic section {s}"),
                2,
                blocks,
                vec![],
            )
        })
        .collect();
    template
}

fn row(case: &str, kind: &str, time: Duration, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("GREENLIGHT_PDF_OUT") {
        let file = PathBuf::from(dir).join(format!("{}-{kind}.pdf", case.replace([' ', ','], "_")));
        if let Err(e) = std::fs::write(&file, pdf) {
            eprintln!("could not write {}: {e}", file.display());
        }
    }
    println!(
        "{case:<32} {kind:<8} {:>9.1} {:>7} {:>9.1}",
        time.as_secs_f64() * 1000.0,
        pages(pdf),
        pdf.len() as f64 / 1024.0
    );
}

fn main() {
    // Parse the fonts once up front so the first row is not charged for it.
    let warm = sample_template();
    let _ = render_blank(&warm, &blank_options(Paper::A4));

    println!(
        "{:<32} {:<8} {:>9} {:>7} {:>9}",
        "case", "kind", "ms (best)", "pages", "KiB"
    );
    let seeds = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/seeds"
    ));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .map(|read| {
            read.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        eprintln!(
            "no seeds at {}: only the synthetic case runs",
            seeds.display()
        );
    }
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(template) = import_markdown(&std::fs::read(&path).unwrap_or_default(), &name) else {
            eprintln!("{name}: import failed, skipped");
            continue;
        };
        let (t, pdf) =
            best_of(|| render_blank(&template, &blank_options(Paper::A4)).expect("blank"));
        row(&name, "blank", t, &pdf);
        let record = completed(&template, 2);
        let (t, pdf) =
            best_of(|| render_record(&record, &record_options(Paper::A4)).expect("record"));
        row(&name, "record", t, &pdf);
    }
    let template = synthetic_thousand();
    let (t, pdf) = best_of(|| render_blank(&template, &blank_options(Paper::A4)).expect("blank"));
    row("synthetic 1,000 items", "blank", t, &pdf);
    let mut record = completed(&template, 0);
    record.signatures = (0..10)
        .map(|i| SignatureView {
            slot_id: Some(format!("sig-{}", i * 2)),
            role: format!("Section {} owner", i * 2),
            name: format!("Owner {}", i * 2),
            signed_at: at(11, i),
            strokes: squiggle(i as f32),
            stale: i == 3,
        })
        .collect();
    let (t, pdf) = best_of(|| render_record(&record, &record_options(Paper::A4)).expect("record"));
    row("synthetic 1,000 items, 10 sigs", "record", t, &pdf);
}
