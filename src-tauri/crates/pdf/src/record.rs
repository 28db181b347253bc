//! The record printout: the checklist filled from a finished run, run notes and extra
//! signatures, then the audit page.

use std::collections::{BTreeMap, BTreeSet};

use greenlight_core::run::{ItemState, progress};
use greenlight_core::{Block, Item, Section, Template};

use crate::audit_page::audit_page;
use crate::checklist::{body, heading};
use crate::fonts::{Face, fonts};
use crate::footer::paginate_with_footers;
use crate::header;
use crate::input::{
    EntryView, EvidenceView, GateDecisionView, NoteView, RecordInput, SignatureView,
};
use crate::layout::{Chunk, Draw, Flow, baseline};
use crate::pdf::{DocMeta, write_pdf};
use crate::signature::signature_box;
use crate::style::{self, Geometry, SMALL, SMALL_LEAD};
use crate::{PdfError, RecordOptions, author_or_app, check_document_id, format_time, short_hash};

/// The record indexed by element id, for the checklist walker.
pub(crate) struct Filled<'a> {
    entries: &'a BTreeMap<String, EntryView>,
    notes: BTreeMap<&'a str, Vec<&'a NoteView>>,
    evidence: BTreeMap<&'a str, Vec<&'a EvidenceView>>,
    gates: BTreeMap<&'a str, &'a GateDecisionView>,
    signatures: BTreeMap<&'a str, &'a SignatureView>,
}

impl<'a> Filled<'a> {
    fn new(record: &'a RecordInput<'a>) -> Filled<'a> {
        let mut notes: BTreeMap<&str, Vec<&NoteView>> = BTreeMap::new();
        for note in &record.notes {
            if let Some(id) = &note.element_id {
                notes.entry(id.as_str()).or_default().push(note);
            }
        }
        let mut evidence: BTreeMap<&str, Vec<&EvidenceView>> = BTreeMap::new();
        for item in &record.evidence {
            evidence
                .entry(item.element_id.as_str())
                .or_default()
                .push(item);
        }
        // The last decision per gate and the last signature per slot win.
        let gates = record
            .gate_decisions
            .iter()
            .map(|d| (d.gate_id.as_str(), d))
            .collect();
        let signatures = record
            .signatures
            .iter()
            .filter_map(|s| s.slot_id.as_deref().map(|id| (id, s)))
            .collect();
        Filled {
            entries: &record.entries,
            notes,
            evidence,
            gates,
            signatures,
        }
    }

    pub(crate) fn entry(&self, id: &str) -> Option<&'a EntryView> {
        self.entries.get(id)
    }

    pub(crate) fn value(&self, id: &str) -> Option<&'a str> {
        self.entries.get(id).and_then(|e| e.value.as_deref())
    }

    pub(crate) fn notes(&self, id: &str) -> &[&'a NoteView] {
        self.notes.get(id).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn evidence(&self, id: &str) -> &[&'a EvidenceView] {
        self.evidence.get(id).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn gate(&self, id: &str) -> Option<&'a GateDecisionView> {
        self.gates.get(id).copied()
    }

    pub(crate) fn signature(&self, slot_id: &str) -> Option<&'a SignatureView> {
        self.signatures.get(slot_id).copied()
    }
}

pub(crate) fn render(
    record: &RecordInput<'_>,
    options: &RecordOptions,
) -> Result<Vec<u8>, PdfError> {
    check_document_id(&options.document_id)?;
    let fonts = fonts()?;
    let geometry = Geometry::for_paper(options.paper);
    let mut flow = Flow::new(fonts, geometry.content_width());
    let template = record.template;
    let filled = Filled::new(record);
    let run = &record.run;

    let mut subtitle = format!("Run record · {}", run.release_name);
    for extra in [&run.version, &run.environment] {
        if !extra.trim().is_empty() {
            subtitle.push_str(&format!(" · {extra}"));
        }
    }
    header::title(&mut flow, template, &subtitle);
    run_details(&mut flow, record);
    preflights(&mut flow, record);
    header::description(&mut flow, template);
    header::metadata_fields(&mut flow, template, Some(&filled));
    body(&mut flow, template, Some(&filled));
    loose_notes(&mut flow, record);
    extra_signatures(&mut flow, record);
    audit_page(&mut flow, record);

    let footer_suffix = format!(
        "template {} · run …{}",
        short_hash(&run.template_hash),
        run.id
            .get(run.id.len().saturating_sub(12)..)
            .unwrap_or(&run.id)
    );
    let pages = paginate_with_footers(
        &mut flow,
        geometry,
        &template.title,
        &footer_suffix,
        options.printed_at,
    );
    let meta = DocMeta {
        title: &format!("{} — {}", template.title, run.release_name),
        author: author_or_app(&options.author),
        subject: &format!("Release run record {} ({})", run.id, run.status.as_str()),
        keywords: vec![
            "checklist".into(),
            "run record".into(),
            format!("run:{}", run.id),
            format!("audit-head:{}", record.audit.head_hash),
        ],
        printed_at: options.printed_at,
        document_id: &options.document_id,
    };
    write_pdf(fonts, pages, geometry, &meta)
}

/// Two-column key/value table of the run header plus a progress summary.
fn run_details(flow: &mut Flow, record: &RecordInput<'_>) {
    let run = &record.run;
    let window = match (run.window_start, run.window_end) {
        (None, None) => "—".to_string(),
        (start, end) => format!(
            "{} → {}",
            start.map_or("…".into(), format_time),
            end.map_or("…".into(), format_time)
        ),
    };
    let rows = [
        ("Release", run.release_name.clone()),
        ("Version", or_dash(&run.version)),
        ("Environment", or_dash(&run.environment)),
        ("Run id", run.id.clone()),
        ("Status", run.status.as_str().to_uppercase()),
        ("Window", window),
        ("Created", format_time(run.created_at)),
        ("Finished", run.finished_at.map_or("—".into(), format_time)),
    ];
    let key_w = 70.0;
    for (i, (key, value)) in rows.iter().enumerate() {
        let base = baseline(SMALL_LEAD, SMALL);
        let value = flow.truncate(Face::Regular, SMALL, value, flow.width - key_w);
        let draws = vec![
            flow.text(0.0, base, Face::Bold, SMALL, style::MUTED, key),
            Draw::Text {
                x: key_w,
                y: base,
                face: Face::Regular,
                size: SMALL,
                colour: style::TEXT,
                text: value,
            },
        ];
        flow.push(Chunk::new(SMALL_LEAD, draws).space(if i == 0 { 6.0 } else { 0.0 }));
    }
    let states: std::collections::HashMap<String, ItemState> = record
        .entries
        .iter()
        .filter_map(|(id, e)| e.state.map(|s| (id.clone(), s)))
        .collect();
    let (p, _) = progress(record.template, &states);
    let summary = format!(
        "{} items: {} passed, {} failed, {} N/A, {} skipped, {} pending",
        p.total,
        p.passed,
        p.failed,
        p.not_applicable,
        p.skipped,
        p.total - p.done
    );
    let colour = if p.failed > 0 {
        style::FAIL
    } else {
        style::PASS
    };
    flow.paragraph(0.0, Face::Bold, SMALL, SMALL_LEAD, colour, &summary, 4.0);
    if run.template_hash != record.template.content_hash {
        let warning = format!(
            "Template hash mismatch: the run was made from {}, this layout is from {}.",
            short_hash(&run.template_hash),
            short_hash(&record.template.content_hash)
        );
        flow.paragraph(
            0.0,
            Face::Bold,
            SMALL,
            SMALL_LEAD,
            style::FAIL,
            &warning,
            2.0,
        );
    }
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".into()
    } else {
        text.to_string()
    }
}

/// Every element id in the template, to find notes and signatures that point nowhere.
fn element_ids(template: &Template) -> BTreeSet<&str> {
    fn walk_item<'t>(item: &'t Item, out: &mut BTreeSet<&'t str>) {
        out.insert(&item.id);
        out.extend(item.fields.iter().map(|f| f.id.as_str()));
        out.extend(item.choices.iter().map(|c| c.id.as_str()));
        if let Some(slot) = &item.signature {
            out.insert(&slot.id);
        }
        for child in &item.children {
            walk_item(child, out);
        }
    }
    fn walk_section<'t>(section: &'t Section, out: &mut BTreeSet<&'t str>) {
        out.insert(&section.id);
        for block in &section.blocks {
            match block {
                Block::Item(i) => walk_item(i, out),
                Block::Field(f) => _ = out.insert(&f.id),
                Block::Choice(c) => _ = out.insert(&c.id),
                Block::Signature(s) => _ = out.insert(&s.id),
                Block::Gate(g) => _ = out.insert(&g.id),
                Block::Prose { .. } | Block::Code(_) => {}
            }
        }
        for child in &section.children {
            walk_section(child, out);
        }
    }
    let mut out: BTreeSet<&str> = template
        .metadata_fields
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    for s in &template.sections {
        walk_section(s, &mut out);
    }
    out
}

/// Notes on the whole run (or on elements the template no longer has).
fn loose_notes(flow: &mut Flow, record: &RecordInput<'_>) {
    let ids = element_ids(record.template);
    let loose: Vec<&NoteView> = record
        .notes
        .iter()
        .filter(|n| n.element_id.as_deref().is_none_or(|id| !ids.contains(id)))
        .collect();
    if loose.is_empty() {
        return;
    }
    heading(flow, "Run notes", 0);
    for note in loose {
        let label = if note.is_correction {
            "CORRECTION"
        } else {
            "Note"
        };
        let colour = if note.is_correction {
            style::CORRECTION
        } else {
            style::TEXT
        };
        let on = note
            .element_id
            .as_deref()
            .map(|id| format!(" on {id}"))
            .unwrap_or_default();
        let text = format!(
            "{label}{on} ({}, {}): {}",
            note.actor,
            format_time(note.at),
            note.body.trim()
        );
        flow.paragraph(0.0, Face::Regular, SMALL, SMALL_LEAD, colour, &text, 3.0);
    }
}

/// A short "Preflight" block: when, by whom, and its problems or "no problems".
fn preflights(flow: &mut Flow, record: &RecordInput<'_>) {
    for check in &record.preflights {
        let verdict = match check.problems.len() {
            0 => "no problems".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        };
        let line = format!(
            "Preflight: {} by {} in {}, {} probes checked: {verdict}",
            format_time(check.at),
            check.actor,
            check.environment,
            check.probes_checked
        );
        let colour = if check.problems.is_empty() {
            style::PASS
        } else {
            style::FAIL
        };
        flow.paragraph(0.0, Face::Bold, SMALL, SMALL_LEAD, colour, &line, 2.0);
        for problem in &check.problems {
            flow.paragraph(
                10.0,
                Face::Regular,
                SMALL,
                SMALL_LEAD,
                style::TEXT,
                &format!("• {problem}"),
                0.0,
            );
        }
    }
}

/// Signatures not tied to a slot of the template.
fn extra_signatures(flow: &mut Flow, record: &RecordInput<'_>) {
    let ids = element_ids(record.template);
    let extra: Vec<&SignatureView> = record
        .signatures
        .iter()
        .filter(|s| s.slot_id.as_deref().is_none_or(|id| !ids.contains(id)))
        .collect();
    if extra.is_empty() {
        return;
    }
    heading(flow, "Additional signatures", 0);
    for signature in extra {
        signature_box(flow, 0.0, &signature.role, true, Some(signature), true);
    }
}
