//! The section tree: headings open sections, blocks land in the innermost open section, prose
//! lines are gathered into prose blocks, and content before the first section becomes the
//! template's title, description and metadata fields.

use super::choices::ChoiceSpec;
use super::items::choice_at;
use super::markup::strip_markup;
use super::signatures::mentions_sign_off;
use super::source::Source;
use crate::model::{Block, DisplayLine, Field, Gate, Section};

/// A section still open for content.
struct OpenSection {
    section: Section,
    sign_off: bool,
    /// The latest `**Decision Authority:** X` seen in this section, and its display text.
    authority: Option<(String, String)>,
}

/// What the importer knows about the document once all blocks are placed.
pub(crate) struct Assembled {
    pub title: String,
    pub description: String,
    pub description_lines: Vec<DisplayLine>,
    pub metadata_fields: Vec<Field>,
    pub sections: Vec<Section>,
}

/// Collects blocks into sections in source order.
pub(crate) struct SectionsBuilder {
    /// `stack[0]` is the preamble before the first section (level 0); the rest are open sections.
    stack: Vec<OpenSection>,
    title: Option<(String, u32)>,
    seen_heading: bool,
    seen_item: bool,
    pending_prose: Option<(u32, u32)>,
    /// Display lines of the pending prose block.
    pending_lines: Vec<DisplayLine>,
    metadata_fields: Vec<Field>,
    pub warnings: Vec<String>,
}

impl SectionsBuilder {
    pub fn new() -> Self {
        Self {
            stack: vec![open(String::new(), 0, 0, false)],
            title: None,
            seen_heading: false,
            seen_item: false,
            pending_prose: None,
            pending_lines: Vec::new(),
            metadata_fields: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A heading: the first H1 names the template (and opens no section when it is the first
    /// heading); any other heading closes sections of the same or deeper level and opens one.
    pub fn heading(&mut self, source: &Source<'_>, level: u8, title: String, line: u32) {
        self.flush_prose(source);
        let first_heading = !self.seen_heading;
        self.seen_heading = true;
        if level == 1 && self.title.is_none() {
            self.title = Some((title.clone(), line));
            if first_heading {
                return;
            }
        }
        self.close_to_level(level);
        let sign_off =
            self.stack.last().is_some_and(|parent| parent.sign_off) || mentions_sign_off(&title);
        self.stack.push(open(title, level, line, sign_off));
    }

    fn close_to_level(&mut self, level: u8) {
        while self.stack.len() > 1
            && self
                .stack
                .last()
                .is_some_and(|top| top.section.level >= level)
        {
            if let Some(closed) = self.stack.pop()
                && let Some(parent) = self.stack.last_mut()
            {
                parent.section.children.push(closed.section);
            }
        }
    }

    /// Whether the innermost section is about sign-off (heading or a paragraph such as `Signatures:`).
    pub fn sign_off_context(&self) -> bool {
        self.stack.last().is_some_and(|top| top.sign_off)
    }

    /// A line of section prose (`text` its source, `display` its display line): remembered for
    /// the next prose block. Also notes decision authorities and sign-off wording for the
    /// recognisers that follow.
    pub fn prose_line(&mut self, line: u32, text: &str, display: DisplayLine) {
        self.note_prose_text(text, &display.text());
        self.prose_lines(line, line, vec![display]);
    }

    /// Prose lines that need no inspection (tables, HTML, headings inside lists), with their
    /// display lines.
    pub fn prose_lines(&mut self, first: u32, last: u32, display: Vec<DisplayLine>) {
        self.pending_lines.extend(display);
        self.pending_prose = Some(match self.pending_prose {
            Some((start, end)) => (start, end.max(last)),
            None => (first, last),
        });
    }

    fn note_prose_text(&mut self, text: &str, display: &str) {
        let plain = strip_markup(text);
        let trimmed = plain.trim();
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        if mentions_sign_off(trimmed) {
            top.sign_off = true;
        }
        if let Some(authority) = authority_of(trimmed) {
            let shown = authority_of(display.trim()).unwrap_or(authority);
            top.authority = Some((authority.to_string(), shown.to_string()));
        }
    }

    /// Closes the pending prose block (before a structured block, an ignored line or a heading).
    pub fn flush_prose(&mut self, source: &Source<'_>) {
        if let Some((first, last)) = self.pending_prose.take() {
            let markdown = source.lines_text(first, last);
            if let Some(top) = self.stack.last_mut() {
                top.section.blocks.push(Block::Prose {
                    line: first,
                    markdown,
                    lines: std::mem::take(&mut self.pending_lines),
                });
            }
        }
    }

    pub fn push_block(&mut self, source: &Source<'_>, block: Block) {
        self.flush_prose(source);
        if let Some(top) = self.stack.last_mut() {
            top.section.blocks.push(block);
        }
    }

    /// A checkbox item is about to start: earlier prose is complete.
    pub fn item_starts(&mut self, source: &Source<'_>) {
        self.flush_prose(source);
        self.seen_item = true;
    }

    /// A write-in blank outside any item: run metadata when it comes before the first section or
    /// before the first checkbox item, otherwise a field block in its section.
    pub fn push_field(&mut self, source: &Source<'_>, field: Field) {
        if self.stack.len() == 1 || !self.seen_item {
            self.flush_prose(source);
            self.metadata_fields.push(field);
        } else {
            self.push_block(source, Block::Field(field));
        }
    }

    /// A choice outside any item; a `Decision:` choice is a gate for the enclosing section.
    /// `shown` is the choice label's display text.
    pub fn push_choice(
        &mut self,
        source: &Source<'_>,
        line: u32,
        choice: ChoiceSpec,
        shown: Option<String>,
    ) {
        if !choice.is_decision() {
            self.push_block(source, Block::Choice(choice_at(line, choice, shown)));
            return;
        }
        let (title, authority) = match self.stack.last() {
            Some(top) if self.stack.len() > 1 => (top.section.title.clone(), top.authority.clone()),
            _ => (
                self.title
                    .as_ref()
                    .map(|(title, _)| title.clone())
                    .unwrap_or_default(),
                None,
            ),
        };
        // A section title is already display text; a choice label has its own.
        let (title, display_title) = if title.is_empty() {
            let shown = shown.unwrap_or_else(|| choice.label.clone());
            (choice.label.clone(), shown)
        } else {
            (title.clone(), title)
        };
        let (authority, display_authority) = match authority {
            Some((authority, shown)) => (Some(authority), Some(shown)),
            None => (None, None),
        };
        if authority.is_none() {
            self.warnings.push(format!(
                "line {line}: decision gate \"{title}\" has no `Decision Authority:` line before it"
            ));
        }
        let gate = Gate {
            id: String::new(),
            line,
            title,
            display_title,
            authority,
            display_authority,
            options: choice.options,
            covers: Vec::new(),
        };
        self.push_block(source, Block::Gate(gate));
    }

    /// Closes every section. The preamble's leading prose is the description; anything else in
    /// it (items, choices, code) goes into a first section named after the template.
    pub fn finish(mut self, source: &Source<'_>, fallback_title: &str) -> Assembled {
        self.flush_prose(source);
        self.close_to_level(0);
        let fallback = fallback_title.trim();
        let (title, title_line) = match self.title.take() {
            Some((title, line)) if !title.is_empty() => (title, line),
            Some((_, line)) => (fallback.to_string(), line),
            None => (fallback.to_string(), 0),
        };
        let title = if title.is_empty() {
            "Untitled checklist".to_string()
        } else {
            title
        };
        let root = self.stack.pop().map(|root| root.section);
        let (blocks, children) = root
            .map(|root| (root.blocks, root.children))
            .unwrap_or_default();
        let leading_prose = blocks
            .iter()
            .take_while(|block| matches!(block, Block::Prose { .. }))
            .count();
        let mut blocks = blocks.into_iter();
        let mut description_lines = Vec::new();
        let description: Vec<String> = blocks
            .by_ref()
            .take(leading_prose)
            .filter_map(|block| match block {
                Block::Prose {
                    markdown, lines, ..
                } => {
                    description_lines.extend(lines);
                    Some(markdown)
                }
                _ => None,
            })
            .collect();
        let rest: Vec<Block> = blocks.collect();
        let mut sections = Vec::with_capacity(children.len() + 1);
        if !rest.is_empty() {
            let line = if title_line > 0 {
                title_line
            } else {
                first_line(&rest)
            };
            let mut section = open(title.clone(), 1, line, false).section;
            section.blocks = rest;
            sections.push(section);
        }
        sections.extend(children);
        Assembled {
            title,
            description: description.join("\n\n"),
            description_lines,
            metadata_fields: self.metadata_fields,
            sections,
        }
    }
}

fn open(title: String, level: u8, line: u32, sign_off: bool) -> OpenSection {
    let section = Section {
        id: String::new(),
        title,
        level,
        line,
        blocks: Vec::new(),
        children: Vec::new(),
    };
    OpenSection {
        section,
        sign_off,
        authority: None,
    }
}

fn first_line(blocks: &[Block]) -> u32 {
    match blocks.first() {
        Some(Block::Prose { line, .. }) => *line,
        Some(Block::Code(code)) => code.line,
        Some(Block::Item(item)) => item.line,
        Some(Block::Field(field)) => field.line,
        Some(Block::Choice(choice)) => choice.line,
        Some(Block::Signature(slot)) => slot.line,
        Some(Block::Gate(gate)) => gate.line,
        None => 1,
    }
}

/// The name after `Decision Authority:` (any case), when the line starts with it.
fn authority_of(text: &str) -> Option<&str> {
    const AUTHORITY: &str = "decision authority:";
    let is_authority = text
        .get(..AUTHORITY.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(AUTHORITY));
    let authority = text.get(AUTHORITY.len()..).unwrap_or("").trim();
    (is_authority && !authority.is_empty()).then_some(authority)
}
