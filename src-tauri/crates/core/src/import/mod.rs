//! The Markdown importer: checklist Markdown in, a `Template` out.
//!
//! Steps: check and normalise the bytes (`input`), walk the pulldown-cmark events into sections
//! and items (`blocks`, with `text_block`, `line_kind` and its recognisers `blanks`, `choices`,
//! `signatures`, `markup`), assign stable ids (`ids`), then fill in gates and the report (`finish`).

mod blanks;
mod blocks;
mod choices;
mod display;
mod finish;
mod ids;
mod input;
mod items;
mod ledger;
mod line_kind;
mod markup;
mod sections;
mod signatures;
mod source;
mod text_block;

use sha2::{Digest, Sha256};

use crate::model::{Block, DisplayLine, Section, Template};

pub use blocks::MAX_ITEM_DEPTH;

/// Largest template source accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 5 * 1024 * 1024;

/// Why a template could not be imported. Nothing is stored when import fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the template is empty")]
    Empty,
    #[error("the template is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("line {line}: the file looks binary (a NUL or control byte), not Markdown text")]
    Binary { line: u32 },
    #[error("line {line}: the file is not valid UTF-8 text (byte {byte_offset})")]
    NotUtf8 { line: u32, byte_offset: usize },
    #[error("no checklist items (`- [ ]` lines) were found")]
    NoItems,
}

/// Parses checklist Markdown. `fallback_title` names the template when it has no H1.
pub fn import_markdown(bytes: &[u8], fallback_title: &str) -> Result<Template, ImportError> {
    let text = input::normalise(bytes)?;
    let source = source::Source::new(&text);
    let mut walked = blocks::walk(&source, fallback_title);
    let assembled = std::mem::replace(
        &mut walked.assembled,
        sections::Assembled {
            title: String::new(),
            description: String::new(),
            description_lines: Vec::new(),
            metadata_fields: Vec::new(),
            sections: Vec::new(),
        },
    );
    if !assembled.sections.iter().any(section_has_items) {
        return Err(ImportError::NoItems);
    }
    let mut template = Template {
        title: assembled.title,
        description: assembled.description,
        description_lines: assembled.description_lines,
        content_hash: hex::encode(Sha256::digest(text.as_bytes())),
        metadata_fields: assembled.metadata_fields,
        sections: assembled.sections,
        report: Default::default(),
    };
    ids::assign_ids(&mut template);
    let warnings = std::mem::take(&mut walked.warnings);
    finish::finish(&mut template, &source, &walked, warnings);
    Ok(template)
}

/// Display lines of a Markdown snippet read as section prose: for text that has no display
/// lines yet (a template stored before they existed, or built by hand). Headings and lines the
/// recognisers claim (write-ins, choices) are not part of the result.
pub fn display_lines(markdown: &str) -> Vec<DisplayLine> {
    let text = markdown.replace("\r\n", "\n");
    let source = source::Source::new(&text);
    let walked = blocks::walk(&source, "");
    let mut lines = walked.assembled.description_lines;
    let mut stack: Vec<Section> = walked.assembled.sections;
    stack.reverse();
    while let Some(section) = stack.pop() {
        for block in section.blocks {
            if let Block::Prose { lines: prose, .. } = block {
                lines.extend(prose);
            }
        }
        stack.extend(section.children.into_iter().rev());
    }
    lines
}

fn section_has_items(section: &Section) -> bool {
    section
        .blocks
        .iter()
        .any(|block| matches!(block, Block::Item(_)))
        || section.children.iter().any(section_has_items)
}
