//! Passes over the built template once ids exist: what each gate covers, the report's counts,
//! item line spans, warnings about duplicates, and the line-by-line account of unstructured text.

use std::collections::HashMap;

use super::blocks::Walked;
use super::source::Source;
use crate::model::{Block, ImportReport, Item, ItemSpan, Section, Template};

/// Fills in gate coverage and the import report.
pub(crate) fn finish(
    template: &mut Template,
    source: &Source<'_>,
    walked: &Walked,
    mut warnings: Vec<String>,
) {
    let mut report = ImportReport {
        fields: template.metadata_fields.len() as u32,
        ..ImportReport::default()
    };
    let mut stack: Vec<&mut Section> = template.sections.iter_mut().collect();
    stack.reverse();
    while let Some(section) = stack.pop() {
        cover_gates(section);
        count_section(section, &walked.item_ends, &mut report, &mut warnings);
        stack.extend(section.children.iter_mut().rev());
    }
    report.item_spans.sort_by_key(|span| span.first_line);
    let (unstructured, unclaimed) = walked.ledger.report(source);
    if let Some(first) = unclaimed.first() {
        warnings.push(format!(
            "{} line(s) were not recognised and are not shown (first: line {first}); check the source",
            unclaimed.len()
        ));
    }
    report.unstructured = unstructured;
    report.warnings = warnings;
    template.report = report;
}

/// Every gate covers the ids of all checkbox items (any depth) in its own section.
fn cover_gates(section: &mut Section) {
    let mut ids = Vec::new();
    for block in &section.blocks {
        if let Block::Item(item) = block {
            collect_item_ids(item, &mut ids);
        }
    }
    for block in &mut section.blocks {
        if let Block::Gate(gate) = block {
            gate.covers.clone_from(&ids);
        }
    }
}

fn collect_item_ids(item: &Item, ids: &mut Vec<String>) {
    ids.push(item.id.clone());
    for child in &item.children {
        collect_item_ids(child, ids);
    }
}

fn count_section(
    section: &Section,
    ends: &HashMap<u32, u32>,
    report: &mut ImportReport,
    warnings: &mut Vec<String>,
) {
    report.sections += 1;
    let mut seen: HashMap<String, Vec<u32>> = HashMap::new();
    for block in &section.blocks {
        match block {
            Block::Prose { .. } => {}
            Block::Code(_) => report.code_blocks += 1,
            Block::Item(item) => count_item(item, ends, report, &mut seen),
            Block::Field(_) => report.fields += 1,
            Block::Choice(_) => report.choices += 1,
            Block::Signature(_) => report.signatures += 1,
            Block::Gate(_) => report.gates += 1,
        }
    }
    let mut duplicates: Vec<(String, Vec<u32>)> = seen
        .into_iter()
        .filter(|(_, lines)| lines.len() > 1)
        .collect();
    duplicates.sort_by_key(|(_, lines)| lines.first().copied());
    for (title, lines) in duplicates {
        let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
        warnings.push(format!(
            "section \"{}\": item \"{title}\" appears {} times (lines {})",
            section.title,
            lines.len(),
            lines.join(", ")
        ));
    }
}

/// Items nest at most `MAX_ITEM_DEPTH` levels, so this recursion is bounded.
fn count_item(
    item: &Item,
    ends: &HashMap<u32, u32>,
    report: &mut ImportReport,
    seen: &mut HashMap<String, Vec<u32>>,
) {
    report.items += 1;
    report.fields += item.fields.len() as u32;
    report.choices += item.choices.len() as u32;
    report.signatures += u32::from(item.signature.is_some());
    report.code_blocks += item.code.len() as u32;
    let last_line = ends.get(&item.line).copied().unwrap_or(item.line);
    report.item_spans.push(ItemSpan {
        item_id: item.id.clone(),
        first_line: item.line,
        last_line,
    });
    if !item.title.is_empty() {
        let text = if item.detail.is_empty() {
            item.title.clone()
        } else {
            format!("{} {}", item.title, item.detail)
        };
        seen.entry(text).or_default().push(item.line);
    }
    for child in &item.children {
        count_item(child, ends, report, seen);
    }
}
