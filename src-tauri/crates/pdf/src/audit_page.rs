//! The last page of a record: run id, template hash, event count, the audit chain's head hash
//! and the list of events (position, time, actor, kind, element, short hash). Every page the
//! event table runs onto starts with an "Audit trail (continued)" line and the column headers.

use std::sync::Arc;

use crate::checklist::heading;
use crate::fonts::Face;
use crate::input::RecordInput;
use crate::layout::{Chunk, Draw, Flow, baseline, segment};
use crate::style::{self, SMALL, SMALL_LEAD, TINY, TINY_LEAD};
use crate::{format_time, short_hash};

/// The line above the column headers on every page the event table runs onto.
const CONTINUED: &str = "Audit trail (continued)";

/// Column starts (fractions of the column width) and headers of the event table.
const COLUMNS: [(f32, &str); 6] = [
    (0.0, "#"),
    (0.07, "Time"),
    (0.30, "Actor"),
    (0.47, "Kind"),
    (0.64, "Element"),
    (0.86, "Hash"),
];

pub(crate) fn audit_page(flow: &mut Flow, record: &RecordInput<'_>) {
    let start = flow.chunks.len();
    heading(flow, "Audit trail", 0);
    if let Some(first) = flow.chunks.get_mut(start) {
        first.break_before = true;
    }
    let audit = &record.audit;
    let mut rows = vec![
        ("Run id", record.run.id.clone()),
        ("Template hash", record.run.template_hash.clone()),
        ("Events", audit.event_count.to_string()),
        ("Head hash", audit.head_hash.clone()),
    ];
    for (index, line) in audit.signed_by.lines().enumerate() {
        rows.push((if index == 0 { "Signed by" } else { "" }, line.to_string()));
    }
    for (key, value) in rows {
        // Hashes fit on one line; a signer's name and fingerprint may take several.
        let lines = flow.wrap(Face::Mono, SMALL, &value, flow.width - 80.0);
        for (index, line) in lines.into_iter().enumerate() {
            let base = baseline(SMALL_LEAD, SMALL);
            let mut draws = vec![Draw::Text {
                x: 80.0,
                y: base,
                face: Face::Mono,
                size: SMALL,
                colour: style::TEXT,
                text: line,
            }];
            if index == 0 {
                draws.push(flow.text(0.0, base, Face::Bold, SMALL, style::MUTED, key));
            }
            flow.push(Chunk::new(SMALL_LEAD, draws));
        }
    }
    flow.paragraph(
        0.0,
        Face::Regular,
        TINY,
        TINY_LEAD,
        style::MUTED,
        "Each event's hash covers the previous event's hash; the head hash fixes the whole chain. \
         The complete record (every event, the template source) is attached to this PDF as \
         greenlight-record.json; verify it on any machine with `greenlight verify --record FILE.pdf`.",
        4.0,
    );
    let header = table_row(flow, &COLUMNS.map(|(_, h)| h.to_string()), true);
    let continued = Chunk::new(
        SMALL_LEAD,
        vec![flow.text(
            0.0,
            baseline(SMALL_LEAD, SMALL),
            Face::Bold,
            SMALL,
            style::MUTED,
            CONTINUED,
        )],
    );
    let continuation: Arc<[Chunk]> = vec![continued, header.clone().space(2.0)].into();
    flow.push(header.space(6.0).keep());
    if audit.events.is_empty() {
        flow.paragraph(
            0.0,
            Face::Regular,
            TINY,
            TINY_LEAD,
            style::MUTED,
            "No events listed.",
            2.0,
        );
    }
    for event in &audit.events {
        let cells = [
            event.position.to_string(),
            format_time(event.at),
            event.actor.clone(),
            event.kind.clone(),
            event.element_id.clone().unwrap_or_else(|| "—".into()),
            short_hash(&event.hash).to_string(),
        ];
        let mut row = table_row(flow, &cells, false);
        row.continuation = Some(Arc::clone(&continuation));
        flow.push(row);
    }
}

/// One line of the event table (the header row when `header`), without spacing.
fn table_row(flow: &Flow, cells: &[String; 6], header: bool) -> Chunk {
    let base = baseline(TINY_LEAD, TINY);
    let mut draws = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let x = COLUMNS[i].0 * flow.width;
        let next = COLUMNS.get(i + 1).map_or(flow.width, |c| c.0 * flow.width);
        let face = if header {
            Face::Bold
        } else if i == 5 {
            Face::Mono
        } else {
            Face::Regular
        };
        let text = flow.truncate(face, TINY, cell, next - x - 4.0);
        draws.push(Draw::Text {
            x,
            y: base,
            face,
            size: TINY,
            colour: style::TEXT,
            text,
        });
    }
    let rule = if header {
        style::RULE
    } else {
        style::LIGHT_RULE
    };
    draws.push(segment(
        (0.0, TINY_LEAD),
        (flow.width, TINY_LEAD),
        if header { 0.7 } else { 0.3 },
        rule,
    ));
    Chunk::new(TINY_LEAD, draws)
}
