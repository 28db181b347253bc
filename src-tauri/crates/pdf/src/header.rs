//! The top of the first page: title, what kind of printout this is, the template hash and
//! description, and the run metadata write-ins (`Template.metadata_fields`).

use greenlight_core::Template;

use crate::checklist::{heading, prose};
use crate::fonts::Face;
use crate::layout::{Chunk, Draw, Flow, baseline};
use crate::record::Filled;
use crate::style::{self, TINY, TINY_LEAD};
use crate::widgets;

const TITLE: f32 = 18.0;

/// Title (wrapped), a subtitle line and the full template hash.
pub(crate) fn title(flow: &mut Flow, template: &Template, subtitle: &str) {
    let lead = TITLE * 1.3;
    for line in flow.wrap(Face::Bold, TITLE, &template.title, flow.width) {
        let draw = Draw::Text {
            x: 0.0,
            y: baseline(lead, TITLE),
            face: Face::Bold,
            size: TITLE,
            colour: style::BLACK,
            text: line,
        };
        flow.push(Chunk::new(lead, vec![draw]).keep());
    }
    flow.paragraph(0.0, Face::Regular, 10.0, 14.0, style::MUTED, subtitle, 2.0);
    let hash = format!("Template SHA-256 {}", template.content_hash);
    let draw = flow.text(
        0.0,
        baseline(TINY_LEAD, TINY),
        Face::Mono,
        TINY,
        style::MUTED,
        &hash,
    );
    flow.push(Chunk::new(TINY_LEAD, vec![draw]));
}

/// The template's description prose, when it has one.
pub(crate) fn description(flow: &mut Flow, template: &Template) {
    if !template.description.trim().is_empty() {
        prose(
            flow,
            0.0,
            &template.description_lines,
            &template.description,
        );
    }
}

/// "Run details": one write-in line per metadata field, filled from the record when given.
pub(crate) fn metadata_fields(flow: &mut Flow, template: &Template, filled: Option<&Filled<'_>>) {
    if template.metadata_fields.is_empty() {
        return;
    }
    heading(flow, "Run details", 1);
    for field in &template.metadata_fields {
        widgets::field(flow, 0.0, field, filled.and_then(|f| f.value(&field.id)));
    }
}
