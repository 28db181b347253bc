//! The checklist body shared by blank and record printouts: sections (nested headings), items
//! with checkboxes (nested items indented), details, notes, code, expectations, fields, choices,
//! gates and signature slots. With a `Filled` record every element also shows what was recorded.

use greenlight_core::{
    Block, DisplayLine, Item, LineStyle, Section, Template, display_lines, shown, spans_text,
};

use crate::fonts::Face;
use crate::format_time;
use crate::layout::{Chunk, Draw, Flow, baseline, segment};
use crate::record::Filled;
use crate::signature::signature_box;
use crate::style::{
    self, BODY, BODY_LEAD, BOX, BOX_GAP, NEST_INDENT, SMALL, SMALL_LEAD, TINY, TINY_LEAD,
    heading_size,
};
use crate::table::table;
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
        Block::Prose {
            markdown, lines, ..
        } => prose(flow, x, lines, markdown),
        Block::Code(code) => widgets::code(flow, x, code),
        Block::Item(item) => render_item(flow, item, x, filled),
        Block::Field(field) => {
            widgets::field(flow, x, field, filled.and_then(|f| f.value(&field.id)))
        }
        Block::Choice(choice) => {
            widgets::choice(
                flow,
                x,
                shown(&choice.display_label, &choice.label),
                &choice.options,
                filled.and_then(|f| f.value(&choice.id)),
            );
        }
        Block::Signature(slot) => {
            signature_box(
                flow,
                x,
                shown(&slot.display_role, &slot.role),
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

/// An item's checkbox (with its recorded state) and its title, wrapped; the lines stay together.
fn item_title(flow: &mut Flow, item: &Item, x: f32, filled: Option<&Filled<'_>>) {
    let text_x = x + BOX + BOX_GAP;
    let title = if item.title.trim().is_empty() {
        item.detail.as_str()
    } else {
        shown(&item.display_title, &item.title)
    };
    let lines = flow.wrap(Face::Regular, BODY, title, flow.width - text_x);
    let state = filled.and_then(|f| f.entry(&item.id)).and_then(|e| e.state);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let mut draws = Vec::new();
        if i == 0 {
            let top = box_top(BODY_LEAD, BOX);
            draws.push(checkbox(x, top, BOX));
            if let Some(state) = state {
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
        let space = match (i, x == 0.0) {
            (0, true) => 5.0,
            (0, false) => 2.0,
            _ => 0.0,
        };
        let mut chunk = Chunk::new(BODY_LEAD, draws).space(space);
        chunk.keep_with_next = i + 1 < count;
        flow.push(chunk);
    }
}

/// One checklist item and everything under it.
fn render_item(flow: &mut Flow, item: &Item, x: f32, filled: Option<&Filled<'_>>) {
    let text_x = x + BOX + BOX_GAP;
    item_title(flow, item, x, filled);
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
    for note in note_lines(item).iter() {
        bullet(flow, text_x, note);
    }
    for code in &item.code {
        widgets::code(flow, text_x, code);
    }
    let expectations = if item.display_expectations.len() == item.expectations.len() {
        &item.display_expectations
    } else {
        &item.expectations
    };
    widgets::expectations(flow, text_x, expectations);
    for field in &item.fields {
        widgets::field(flow, text_x, field, filled.and_then(|f| f.value(&field.id)));
    }
    for choice in &item.choices {
        widgets::choice(
            flow,
            text_x,
            shown(&choice.display_label, &choice.label),
            &choice.options,
            filled.and_then(|f| f.value(&choice.id)),
        );
    }
    if let Some(slot) = &item.signature {
        signature_box(
            flow,
            text_x,
            shown(&slot.display_role, &slot.role),
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

/// The item's notes as display lines (read from the Markdown when the importer gave none).
fn note_lines(item: &Item) -> std::borrow::Cow<'_, [DisplayLine]> {
    if item.note_lines.is_empty() && !item.notes.is_empty() {
        std::borrow::Cow::Owned(display_lines(&item.notes.join("\n")))
    } else {
        std::borrow::Cow::Borrowed(&item.note_lines)
    }
}

/// A note line under an item, as a bullet indented by its depth.
fn bullet(flow: &mut Flow, x: f32, note: &DisplayLine) {
    let text = note.text();
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let x = x + f32::from(note.depth.min(6)) * 10.0;
    let lines = flow.wrap(Face::Regular, SMALL, text, flow.width - x - 10.0);
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

/// Section prose as the importer's display lines (read from `markdown` when it gave none):
/// paragraphs, bullets, quotes and tables; the text is printed as it is.
pub(crate) fn prose(flow: &mut Flow, x: f32, lines: &[DisplayLine], markdown: &str) {
    let read;
    let lines = if lines.is_empty() && !markdown.trim().is_empty() {
        read = display_lines(markdown);
        read.as_slice()
    } else {
        lines
    };
    let mut first = true;
    let mut table_rows: Vec<Vec<String>> = Vec::new();
    let mut has_header = false;
    for line in lines {
        if matches!(line.style, LineStyle::TableRow | LineStyle::TableHeader) {
            has_header |= table_rows.is_empty() && line.style == LineStyle::TableHeader;
            table_rows.push(line.cells.iter().map(|cell| spans_text(cell)).collect());
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
        let text = spans_text(&line.spans);
        if text.trim().is_empty() {
            continue;
        }
        let text = match line.style {
            LineStyle::Quote => format!("“{text}”"),
            LineStyle::Bullet => format!("• {text}"),
            _ => text,
        };
        let indent = f32::from(line.depth.min(6)) * 10.0;
        flow.paragraph(
            x + indent,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_without_display_lines_are_read_from_their_markdown() {
        let mut item = greenlight_core::Item {
            id: "i".into(),
            line: 1,
            title: "t".into(),
            display_title: "t".into(),
            detail: String::new(),
            checked_in_source: false,
            notes: vec!["- **Check** the `dashboard`".into()],
            note_lines: Vec::new(),
            code: Vec::new(),
            expectations: Vec::new(),
            display_expectations: Vec::new(),
            fields: Vec::new(),
            choices: Vec::new(),
            signature: None,
            children: Vec::new(),
        };
        assert_eq!(note_lines(&item)[0].text(), "Check the dashboard");
        item.note_lines = display_lines("- shown as given");
        assert_eq!(note_lines(&item)[0].text(), "shown as given");
    }
}
