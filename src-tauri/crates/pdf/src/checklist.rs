//! The checklist body shared by blank and record printouts: sections (nested headings), items
//! with checkboxes (nested items indented), details, notes, code, expectations, fields, choices,
//! gates and signature slots. With a `Filled` record every element also shows what was recorded.

use greenlight_core::{Block, Item, Section, Template};

use crate::fonts::Face;
use crate::format_time;
use crate::layout::{Chunk, Draw, Flow, baseline, segment};
use crate::record::Filled;
use crate::signature::signature_box;
use crate::style::{
    self, BODY, BODY_LEAD, BOX, BOX_GAP, NEST_INDENT, SMALL, SMALL_LEAD, TINY, TINY_LEAD,
    heading_size,
};
use crate::table::{cells, is_rule, table};
use crate::widgets::{self, box_top, checkbox, state_label, state_mark};

/// Every section of the template, in order.
pub(crate) fn body(flow: &mut Flow, template: &Template, filled: Option<&Filled<'_>>) {
    for section in &template.sections {
        render_section(flow, section, 0, filled);
    }
}

/// A section heading: bold, sized by depth, kept with what follows it.
pub(crate) fn heading(flow: &mut Flow, title: &str, depth: usize) {
    let size = heading_size(depth);
    let lead = size * 1.35;
    let space = match depth {
        0 => 16.0,
        1 => 10.0,
        _ => 7.0,
    };
    let lines = flow.wrap(Face::Bold, size, title, flow.width);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let mut draws = vec![Draw::Text {
            x: 0.0,
            y: baseline(lead, size),
            face: Face::Bold,
            size,
            colour: style::HEADING,
            text: line,
        }];
        let mut height = lead;
        if depth == 0 && i + 1 == count {
            draws.push(segment(
                (0.0, lead + 1.0),
                (flow.width, lead + 1.0),
                0.8,
                style::HEADING,
            ));
            height += 4.0;
        }
        flow.push(
            Chunk::new(height, draws)
                .space(if i == 0 { space } else { 0.0 })
                .keep(),
        );
    }
}

fn render_section(flow: &mut Flow, section: &Section, depth: usize, filled: Option<&Filled<'_>>) {
    heading(flow, &section.title, depth);
    for block in &section.blocks {
        render_block(flow, block, 0.0, filled);
    }
    for child in &section.children {
        render_section(flow, child, depth + 1, filled);
    }
}

fn render_block(flow: &mut Flow, block: &Block, x: f32, filled: Option<&Filled<'_>>) {
    match block {
        Block::Prose { markdown, .. } => prose(flow, x, markdown),
        Block::Code(code) => widgets::code(flow, x, code),
        Block::Item(item) => render_item(flow, item, x, filled),
        Block::Field(field) => {
            widgets::field(flow, x, field, filled.and_then(|f| f.value(&field.id)))
        }
        Block::Choice(choice) => {
            widgets::choice(
                flow,
                x,
                &choice.label,
                &choice.options,
                filled.and_then(|f| f.value(&choice.id)),
            );
        }
        Block::Signature(slot) => {
            signature_box(
                flow,
                x,
                &slot.role,
                slot.dated,
                filled.and_then(|f| f.signature(&slot.id)),
                filled.is_some(),
            );
        }
        Block::Gate(gate) => widgets::gate(
            flow,
            x,
            gate,
            filled.and_then(|f| f.gate(&gate.id)),
            filled.is_some(),
        ),
    }
}

/// One checklist item and everything under it.
fn render_item(flow: &mut Flow, item: &Item, x: f32, filled: Option<&Filled<'_>>) {
    let text_x = x + BOX + BOX_GAP;
    let title = if item.title.trim().is_empty() {
        item.detail.as_str()
    } else {
        item.title.as_str()
    };
    let lines = flow.wrap(Face::Regular, BODY, title, flow.width - text_x);
    let entry = filled.and_then(|f| f.entry(&item.id));
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let mut draws = Vec::new();
        if i == 0 {
            let top = box_top(BODY_LEAD, BOX);
            draws.push(checkbox(x, top, BOX));
            if let Some(state) = entry.and_then(|e| e.state) {
                draws.extend(state_mark(state, x, top));
            }
        }
        draws.push(Draw::Text {
            x: text_x,
            y: baseline(BODY_LEAD, BODY),
            face: Face::Regular,
            size: BODY,
            colour: style::TEXT,
            text: line,
        });
        let space = if i == 0 {
            if x == 0.0 { 5.0 } else { 2.0 }
        } else {
            0.0
        };
        let mut chunk = Chunk::new(BODY_LEAD, draws).space(space);
        chunk.keep_with_next = i + 1 < count;
        flow.push(chunk);
    }
    // The title's last line stays with the item's first line of content (detail, note, code...).
    let last_title_line = flow.chunks.len() - 1;
    if !item.title.trim().is_empty() && !item.detail.trim().is_empty() {
        flow.paragraph(
            text_x,
            Face::Regular,
            SMALL,
            SMALL_LEAD,
            style::MUTED,
            &item.detail,
            0.0,
        );
    }
    if let Some(filled) = filled {
        status_line(flow, text_x, filled, &item.id);
    }
    for note in &item.notes {
        bullet(flow, text_x, note);
    }
    for code in &item.code {
        widgets::code(flow, text_x, code);
    }
    widgets::expectations(flow, text_x, &item.expectations);
    for field in &item.fields {
        widgets::field(flow, text_x, field, filled.and_then(|f| f.value(&field.id)));
    }
    for choice in &item.choices {
        widgets::choice(
            flow,
            text_x,
            &choice.label,
            &choice.options,
            filled.and_then(|f| f.value(&choice.id)),
        );
    }
    if let Some(slot) = &item.signature {
        signature_box(
            flow,
            text_x,
            &slot.role,
            slot.dated,
            filled.and_then(|f| f.signature(&slot.id)),
            filled.is_some(),
        );
    }
    if let Some(filled) = filled {
        annotations(flow, text_x, filled, &item.id);
    }
    if flow.chunks.len() > last_title_line + 1 {
        flow.chunks[last_title_line].keep_with_next = true;
    }
    for child in &item.children {
        render_item(flow, child, x + NEST_INDENT, filled);
    }
}

/// `✓ PASS — alice, 2026-11-23 10:32 UTC` (plus a recorded value) under an item.
fn status_line(flow: &mut Flow, x: f32, filled: &Filled<'_>, id: &str) {
    let Some(entry) = filled.entry(id) else {
        flow.paragraph(
            x,
            Face::Regular,
            SMALL,
            SMALL_LEAD,
            style::MUTED,
            "Not recorded",
            0.0,
        );
        return;
    };
    let mut text = String::new();
    let mut colour = style::MUTED;
    if let Some(state) = entry.state {
        let (word, c) = state_label(state);
        text.push_str(word);
        colour = c;
    }
    if let Some(value) = entry.value.as_deref().filter(|v| !v.trim().is_empty()) {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&format!("Value: {value}"));
    }
    text.push_str(&format!(" — {}, {}", entry.actor, format_time(entry.at)));
    flow.paragraph(
        x,
        Face::Regular,
        SMALL,
        SMALL_LEAD,
        colour,
        text.trim_start_matches(" — "),
        0.0,
    );
}

/// Run notes and evidence recorded against an element.
pub(crate) fn annotations(flow: &mut Flow, x: f32, filled: &Filled<'_>, id: &str) {
    for note in filled.notes(id) {
        let (label, colour) = if note.is_correction {
            ("CORRECTION", style::CORRECTION)
        } else {
            ("Note", style::TEXT)
        };
        let text = format!(
            "{label} ({}, {}): {}",
            note.actor,
            format_time(note.at),
            note.body.trim()
        );
        flow.paragraph(x, Face::Regular, SMALL, SMALL_LEAD, colour, &text, 1.0);
    }
    for evidence in filled.evidence(id) {
        let colour = match evidence.outcome.to_ascii_lowercase().as_str() {
            "pass" | "ok" | "passed" => style::PASS,
            "fail" | "failed" | "error" => style::FAIL,
            _ => style::TEXT,
        };
        let text = format!(
            "Evidence ({}, {}): {}",
            evidence.outcome.to_uppercase(),
            format_time(evidence.at),
            evidence.summary.trim()
        );
        flow.paragraph(x, Face::Regular, SMALL, SMALL_LEAD, colour, &text, 1.0);
        for (label, value) in &evidence.details {
            let text = format!("{label}: {}", value.trim());
            flow.paragraph(
                x + 10.0,
                Face::Mono,
                TINY,
                TINY_LEAD,
                style::MUTED,
                &text,
                0.5,
            );
        }
    }
}

/// A Markdown note line under an item, as a bullet.
fn bullet(flow: &mut Flow, x: f32, markdown: &str) {
    let text = plain(markdown);
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let stripped = text.trim_start_matches(['-', '*', '+']).trim_start();
    let lines = flow.wrap(Face::Regular, SMALL, stripped, flow.width - x - 10.0);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let mut draws = Vec::new();
        if i == 0 {
            draws.push(flow.text(
                x + 1.0,
                baseline(SMALL_LEAD, SMALL),
                Face::Regular,
                SMALL,
                style::MUTED,
                "•",
            ));
        }
        draws.push(Draw::Text {
            x: x + 10.0,
            y: baseline(SMALL_LEAD, SMALL),
            face: Face::Regular,
            size: SMALL,
            colour: style::MUTED,
            text: line,
        });
        let mut chunk = Chunk::new(SMALL_LEAD, draws);
        chunk.keep_with_next = i + 1 < count;
        flow.push(chunk);
    }
}

/// Section prose kept as Markdown: paragraphs, list lines and tables, markup removed.
pub(crate) fn prose(flow: &mut Flow, x: f32, markdown: &str) {
    let mut first = true;
    let mut table_rows: Vec<Vec<String>> = Vec::new();
    let mut has_header = false;
    for raw in markdown.lines() {
        let line = raw.trim();
        if line.starts_with('|') {
            if is_rule(line) {
                has_header |= table_rows.len() == 1;
            } else {
                table_rows.push(cells(line));
            }
            continue;
        }
        if !table_rows.is_empty() {
            table(
                flow,
                x,
                &std::mem::take(&mut table_rows),
                std::mem::take(&mut has_header),
            );
            first = false;
        }
        if line.is_empty() || is_thematic_break(line) {
            continue;
        }
        let text = if let Some(rest) = line.strip_prefix("> ") {
            format!("“{}”", plain(rest))
        } else if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            format!("• {}", plain(rest))
        } else {
            plain(line)
        };
        flow.paragraph(
            x,
            Face::Regular,
            SMALL,
            SMALL_LEAD,
            style::TEXT,
            &text,
            if first { 4.0 } else { 1.0 },
        );
        first = false;
    }
    if !table_rows.is_empty() {
        table(flow, x, &table_rows, has_header);
    }
}

fn is_thematic_break(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '))
}

/// Inline Markdown to plain text: emphasis and code markers removed, `[text](url)` -> `text (url)`.
pub(crate) fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        if let Some(close) = after.find("](")
            && let Some(end) = after[close..].find(')')
        {
            let text = &after[1..close];
            let url = &after[close + 2..close + end];
            out.push_str(text);
            if !url.is_empty() && url != text {
                out.push_str(&format!(" ({url})"));
            }
            rest = &after[close + end + 1..];
        } else {
            out.push('[');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_becomes_plain_text() {
        assert_eq!(plain("**Bold** and `code`"), "Bold and code");
        assert_eq!(
            plain("see [the runbook](https://x.test/r)"),
            "see the runbook (https://x.test/r)"
        );
        assert_eq!(plain("[ ] not a link"), "[ ] not a link");
    }
}
