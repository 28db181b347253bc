//! Form widgets drawn as chunks: checkboxes and state marks, write-in lines, choice boxes,
//! GO/NO-GO gate boxes and code snippets.

use greenlight_core::run::ItemState;
use greenlight_core::{CodeBlock, Field, Gate, shown};

use crate::fonts::Face;
use crate::input::GateDecisionView;
use crate::layout::{Chunk, Draw, Flow, baseline, frame, segment};
use crate::style::{self, BODY, BODY_LEAD, BOX, CODE, CODE_LEAD, SMALL, SMALL_LEAD};
use crate::{format_time, style::Colour};

/// An empty checkbox whose top-left corner is at (x, y).
pub(crate) fn checkbox(x: f32, y: f32, size: f32) -> Draw {
    frame(x, y, size, size, style::BLACK, 0.8)
}

/// A tick drawn inside a box of `size` at (x, y).
pub(crate) fn tick(x: f32, y: f32, size: f32, colour: Colour) -> Draw {
    Draw::Line {
        points: vec![
            (x + size * 0.18, y + size * 0.52),
            (x + size * 0.42, y + size * 0.78),
            (x + size * 0.86, y + size * 0.16),
        ],
        width: 1.4,
        colour,
    }
}

/// The mark an item state puts in its checkbox (vector strokes, no glyphs).
pub(crate) fn state_mark(state: ItemState, x: f32, y: f32) -> Vec<Draw> {
    let s = BOX;
    match state {
        ItemState::Pending => Vec::new(),
        ItemState::Pass => vec![tick(x, y, s, style::PASS)],
        ItemState::Fail => vec![
            segment(
                (x + 1.6, y + 1.6),
                (x + s - 1.6, y + s - 1.6),
                1.4,
                style::FAIL,
            ),
            segment(
                (x + s - 1.6, y + 1.6),
                (x + 1.6, y + s - 1.6),
                1.4,
                style::FAIL,
            ),
        ],
        ItemState::NotApplicable => vec![
            Draw::Rect {
                x,
                y,
                w: s,
                h: s,
                stroke: None,
                fill: Some(style::LIGHT_RULE),
            },
            segment((x, y + s), (x + s, y), 0.9, style::MUTED),
        ],
        ItemState::Skipped => vec![segment(
            (x + 1.8, y + s / 2.0),
            (x + s - 1.8, y + s / 2.0),
            1.4,
            style::MUTED,
        )],
    }
}

/// Word and colour for a state in the record's status lines.
pub(crate) fn state_label(state: ItemState) -> (&'static str, Colour) {
    match state {
        ItemState::Pending => ("PENDING", style::MUTED),
        ItemState::Pass => ("✓ PASS", style::PASS),
        ItemState::Fail => ("✗ FAIL", style::FAIL),
        ItemState::NotApplicable => ("N/A", style::MUTED),
        ItemState::Skipped => ("SKIPPED", style::MUTED),
    }
}

/// Top of a checkbox on a line of body text whose box is `lead` tall.
pub(crate) fn box_top(lead: f32, size: f32) -> f32 {
    baseline(lead, BODY) - size + 1.0
}

/// A write-in line: `Label: ______ unit`, with `value` written on the line when given.
pub(crate) fn field(flow: &mut Flow, x: f32, field: &Field, value: Option<&str>) {
    let label = shown(&field.display_label, &field.label).trim();
    let label = if label.is_empty() {
        "Value".to_string()
    } else {
        format!("{label}:")
    };
    let avail = flow.width - x;
    let unit = field.unit.as_deref().unwrap_or("").trim();
    let unit_w = if unit.is_empty() {
        0.0
    } else {
        flow.measure(Face::Regular, BODY, unit) + 6.0
    };
    let mut label_w = flow.measure(Face::Regular, BODY, &label);
    let lead = BODY_LEAD + 5.0;
    let mut line_x = x;
    if label_w > avail * 0.55 {
        // Long label: print it wrapped, the line goes underneath.
        flow.paragraph(x, Face::Regular, BODY, BODY_LEAD, style::TEXT, &label, 3.0);
        flow.keep_last_with_next();
        label_w = 0.0;
    } else {
        line_x = x + label_w + 6.0;
    }
    let base = baseline(lead, BODY) + 2.0;
    let line_end = (x + avail - unit_w).max(line_x + 60.0).min(x + avail);
    let mut draws = vec![segment(
        (line_x, base + 2.0),
        (line_end, base + 2.0),
        0.6,
        style::RULE,
    )];
    if label_w > 0.0 {
        draws.push(flow.text(x, base, Face::Regular, BODY, style::TEXT, &label));
    }
    if !unit.is_empty() {
        draws.push(flow.text(
            line_end + 4.0,
            base,
            Face::Regular,
            BODY,
            style::MUTED,
            unit,
        ));
    }
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        // A value the field's kind refuses (stored before values were checked) is not printed as
        // if it were one: the line says so, and the record's log keeps what was typed.
        let (value, colour) = match greenlight_core::values::check_value(field, value) {
            Ok(()) => (value, style::INK),
            Err(_) => (
                "(not printed: not a valid value for this field)",
                style::MUTED,
            ),
        };
        let text = flow.truncate(Face::Regular, BODY, value, line_end - line_x - 6.0);
        draws.push(Draw::Text {
            x: line_x + 3.0,
            y: base,
            face: Face::Regular,
            size: BODY,
            colour,
            text,
        });
    }
    flow.push(Chunk::new(lead, draws).space(2.0));
}

/// A choice set: `Label:` then a small box per option; `chosen` is ticked.
pub(crate) fn choice(
    flow: &mut Flow,
    x: f32,
    label: &str,
    options: &[String],
    chosen: Option<&str>,
) {
    let lead = BODY_LEAD + 2.0;
    let small_box = 7.5;
    let mut draws = Vec::new();
    let mut cursor = x;
    let base = baseline(lead, BODY);
    if !label.trim().is_empty() {
        let text = format!("{}:", label.trim().trim_end_matches(':'));
        let w = flow.measure(Face::Regular, BODY, &text);
        let text = flow.truncate(Face::Regular, BODY, &text, (flow.width - x) * 0.5);
        draws.push(Draw::Text {
            x,
            y: base,
            face: Face::Regular,
            size: BODY,
            colour: style::TEXT,
            text,
        });
        cursor += w.min((flow.width - x) * 0.5) + 8.0;
    }
    let mut lines = Vec::new();
    for option in options {
        let w = small_box + 4.0 + flow.measure(Face::Regular, BODY, option) + 12.0;
        if cursor + w > flow.width && cursor > x + 20.0 {
            lines.push(std::mem::take(&mut draws));
            cursor = x + 12.0;
        }
        let top = base - small_box + 0.8;
        draws.push(checkbox(cursor, top, small_box));
        if chosen.is_some_and(|c| c.trim().eq_ignore_ascii_case(option.trim())) {
            draws.push(tick(cursor, top, small_box, style::INK));
        }
        draws.push(flow.text(
            cursor + small_box + 4.0,
            base,
            Face::Regular,
            BODY,
            style::TEXT,
            option,
        ));
        cursor += w;
    }
    lines.push(draws);
    let count = lines.len();
    for (i, draws) in lines.into_iter().enumerate() {
        let mut chunk = Chunk::new(lead, draws).space(if i == 0 { 2.0 } else { 0.0 });
        chunk.keep_with_next = i + 1 < count;
        flow.push(chunk);
    }
}

/// A code snippet in the monospaced face on a shaded band; long lines wrap and the continuation
/// starts with a `↪` mark.
pub(crate) fn code(flow: &mut Flow, x: f32, block: &CodeBlock) {
    const PAD: f32 = 4.0;
    let inner = flow.width - x - 2.0 * PAD;
    let mark = "↪ ";
    let mark_w = flow.measure(Face::Mono, CODE, mark);
    let mut rows: Vec<(bool, String)> = Vec::new();
    for line in block.code.trim_end_matches('\n').lines() {
        let line = line.replace('\t', "    ");
        let pieces = flow.break_chars(
            Face::Mono,
            CODE,
            &crate::printable(&line, &crate::FontCoverage::of(Face::Mono)),
            inner,
            inner - mark_w,
        );
        for (i, piece) in pieces.into_iter().enumerate() {
            rows.push((i > 0, piece));
        }
    }
    let count = rows.len();
    for (i, (continued, text)) in rows.into_iter().enumerate() {
        let top_pad = if i == 0 { 3.0 } else { 0.0 };
        let bottom_pad = if i + 1 == count { 3.0 } else { 0.0 };
        let height = CODE_LEAD + top_pad + bottom_pad;
        let base = top_pad + baseline(CODE_LEAD, CODE);
        let mut draws = vec![Draw::Rect {
            x,
            y: 0.0,
            w: flow.width - x,
            h: height,
            stroke: None,
            fill: Some(style::CODE_BG),
        }];
        let mut text_x = x + PAD;
        if continued {
            draws.push(flow.text(text_x, base, Face::Mono, CODE, style::MUTED, mark));
            text_x += mark_w;
        }
        draws.push(Draw::Text {
            x: text_x,
            y: base,
            face: Face::Mono,
            size: CODE,
            colour: style::TEXT,
            text,
        });
        let mut chunk = Chunk::new(height, draws).space(if i == 0 { 3.0 } else { 0.0 });
        chunk.keep_with_next = i + 1 < count && (count <= 8 || i == 0 || i + 2 == count);
        flow.push(chunk);
    }
}

/// `Expected: …` lines.
pub(crate) fn expectations(flow: &mut Flow, x: f32, expectations: &[String]) {
    for expected in expectations {
        flow.paragraph(
            x,
            Face::Regular,
            SMALL,
            SMALL_LEAD,
            style::EXPECT,
            &format!("Expected: {}", expected.trim()),
            1.0,
        );
    }
}

/// A framed GO/NO-GO gate: title, authority, option boxes, and either blank "decided by" lines
/// or the recorded decision (an override gets a red frame and its justification).
pub(crate) fn gate(
    flow: &mut Flow,
    x: f32,
    gate: &Gate,
    decision: Option<&GateDecisionView>,
    record: bool,
) {
    let w = flow.width - x;
    let mut card = Card::new(x, w);
    card.line(
        flow,
        Face::Bold,
        SMALL,
        SMALL_LEAD,
        style::MUTED,
        "GO / NO-GO GATE",
    );
    let title = shown(&gate.display_title, &gate.title);
    card.line(flow, Face::Bold, BODY, BODY_LEAD, style::HEADING, title);
    if let Some(authority) = gate.display_authority.as_ref().or(gate.authority.as_ref()) {
        let text = format!("Decision authority: {authority}");
        card.line(flow, Face::Regular, SMALL, SMALL_LEAD, style::TEXT, &text);
    }
    gate_options(flow, &mut card, gate, decision);
    match decision {
        None if record => {
            let text = "No decision recorded.";
            card.line(flow, Face::Regular, SMALL, SMALL_LEAD, style::MUTED, text);
        }
        None => blank_decision_lines(flow, &mut card),
        Some(d) => decision_lines(flow, &mut card, d),
    }
    let is_override = decision.is_some_and(|d| d.override_justification.is_some());
    let (pen, fill) = if is_override {
        ((style::FAIL, 1.8), style::OVERRIDE_BG)
    } else {
        ((style::HEADING, 0.9), style::GATE_BG)
    };
    let (height, draws) = card.framed(w, pen, fill);
    flow.push(Chunk::new(height, draws).space(6.0));
}

/// A framed card of wrapped lines, laid out top-down inside padding.
struct Card {
    x: f32,
    inner: f32,
    y: f32,
    draws: Vec<Draw>,
}

impl Card {
    const PAD: f32 = 8.0;

    fn new(x: f32, w: f32) -> Card {
        Card {
            x,
            inner: w - 2.0 * Card::PAD,
            y: Card::PAD,
            draws: Vec::new(),
        }
    }

    /// Adds `text`, wrapped to the card's inner width.
    fn line(&mut self, flow: &Flow, face: Face, size: f32, lead: f32, colour: Colour, text: &str) {
        for row in flow.wrap(face, size, text, self.inner) {
            self.draws.push(Draw::Text {
                x: self.x + Card::PAD,
                y: self.y + baseline(lead, size),
                face,
                size,
                colour,
                text: row,
            });
            self.y += lead;
        }
    }

    /// The card's height and its draws, behind a frame of `pen` filled with `fill`.
    fn framed(mut self, w: f32, pen: (Colour, f32), fill: Colour) -> (f32, Vec<Draw>) {
        let height = self.y + Card::PAD - 2.0;
        self.draws.insert(
            0,
            Draw::Rect {
                x: self.x,
                y: 0.0,
                w,
                h: height,
                stroke: Some(pen),
                fill: Some(fill),
            },
        );
        (height, self.draws)
    }
}

/// A gate's option boxes in a row, the chosen one ticked.
fn gate_options(flow: &Flow, card: &mut Card, gate: &Gate, decision: Option<&GateDecisionView>) {
    card.y += 3.0;
    let mut cursor = card.x + Card::PAD;
    let size = 10.0;
    let chosen = decision.map(|d| d.option.trim());
    for option in &gate.options {
        card.draws
            .push(frame(cursor, card.y, size, size, style::BLACK, 1.0));
        if chosen.is_some_and(|c| c.eq_ignore_ascii_case(option.trim())) {
            card.draws.push(tick(cursor, card.y, size, style::INK));
        }
        card.draws.push(flow.text(
            cursor + size + 5.0,
            card.y + size - 1.5,
            Face::Bold,
            BODY,
            style::TEXT,
            option,
        ));
        cursor += size + 5.0 + flow.measure(Face::Bold, BODY, option) + 22.0;
    }
    card.y += size + 8.0;
}

/// "Decided by" and "Date / time" blanks to fill in by hand on a blank printout.
fn blank_decision_lines(flow: &Flow, card: &mut Card) {
    let base = card.y + 12.0;
    let half = card.inner / 2.0;
    for (i, label) in ["Decided by:", "Date / time:"].into_iter().enumerate() {
        let lx = card.x + Card::PAD + i as f32 * (half + 6.0);
        let lw = flow.measure(Face::Regular, SMALL, label);
        card.draws
            .push(flow.text(lx, base, Face::Regular, SMALL, style::TEXT, label));
        card.draws.push(segment(
            (lx + lw + 4.0, base + 2.0),
            (lx + half - 6.0, base + 2.0),
            0.6,
            style::RULE,
        ));
    }
    card.y += 18.0;
}

/// Who decided what and when, the reason, and an override's justification in red.
fn decision_lines(flow: &Flow, card: &mut Card, d: &GateDecisionView) {
    let by = format!(
        "Decided {} by {} at {}",
        d.option,
        d.decided_by,
        format_time(d.at)
    );
    card.line(flow, Face::Regular, SMALL, SMALL_LEAD, style::INK, &by);
    if let Some(reason) = d.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        let text = format!("Reason: {reason}");
        card.line(flow, Face::Regular, SMALL, SMALL_LEAD, style::TEXT, &text);
    }
    if let Some(why) = &d.override_justification {
        let text = format!("OVERRIDE: {why}");
        card.line(flow, Face::Bold, BODY, BODY_LEAD, style::FAIL, &text);
    }
}
