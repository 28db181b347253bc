//! The blank printout: a template to tick, fill in and sign by hand.

use greenlight_core::Template;

use crate::checklist::{body, heading};
use crate::fonts::fonts;
use crate::footer::paginate_with_footers;
use crate::header;
use crate::layout::{Chunk, Flow, segment};
use crate::pdf::{DocMeta, write_pdf};
use crate::style::{self, Geometry};
use crate::{BlankOptions, PdfError, author_or_app, check_document_id, format_time, short_hash};

/// Ruled lines in the notes area at the end.
const NOTE_LINES: usize = 10;

pub(crate) fn render(template: &Template, options: &BlankOptions) -> Result<Vec<u8>, PdfError> {
    check_document_id(&options.document_id)?;
    let fonts = fonts()?;
    let geometry = Geometry::for_paper(options.paper);
    let mut flow = Flow::new(fonts, geometry.content_width());

    let subtitle = format!(
        "Blank checklist · printed {}",
        format_time(options.printed_at)
    );
    header::title(&mut flow, template, &subtitle);
    header::description(&mut flow, template);
    header::metadata_fields(&mut flow, template, None);
    body(&mut flow, template, None);
    notes_area(&mut flow);

    let footer_suffix = format!("template {}", short_hash(&template.content_hash));
    let pages = paginate_with_footers(
        &mut flow,
        geometry,
        &template.title,
        &footer_suffix,
        options.printed_at,
    );
    let meta = DocMeta {
        title: &template.title,
        author: author_or_app(&options.author),
        subject: "Blank release checklist",
        keywords: vec![
            "checklist".into(),
            format!("template:{}", template.content_hash),
        ],
        printed_at: options.printed_at,
        document_id: &options.document_id,
    };
    write_pdf(fonts, pages, geometry, &meta)
}

/// "Notes" and ruled lines to write on.
fn notes_area(flow: &mut Flow) {
    heading(flow, "Notes", 0);
    for _ in 0..NOTE_LINES {
        let rule = segment((0.0, 20.0), (flow.width, 20.0), 0.5, style::LIGHT_RULE);
        flow.push(Chunk::new(22.0, vec![rule]));
    }
}
