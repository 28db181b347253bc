//! Walks pulldown-cmark events in one pass, without recursion: headings become sections,
//! checkbox list items become items (nested ones children), and paragraphs, plain bullets,
//! code, tables and HTML become prose, code, fields, choices, signatures and gates.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::display::{SpanBuilder, literal, squash};
use super::items::{ItemBuilder, field};
use super::ledger::{Ledger, Mark};
use super::line_kind::{LineContext, LineKind, classify_line, code_expectations};
use super::sections::{Assembled, SectionsBuilder};
use super::source::Source;
use super::text_block::{TextBlock, plain_text, text_block};
use crate::model::{Block, CodeBlock, DisplayLine, LineStyle, SignatureSlot, Span};

/// Deepest item nesting kept; deeper items are attached at this depth (with a warning).
pub const MAX_ITEM_DEPTH: usize = 64;

/// The walk's result.
pub(crate) struct Walked {
    pub assembled: Assembled,
    pub ledger: Ledger,
    pub warnings: Vec<String>,
    /// First line -> last non-blank line of every checkbox item.
    pub item_ends: HashMap<u32, u32>,
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// A list item the walker is inside.
struct ItemFrame {
    task: bool,
    /// Some child block has started, so a later paragraph is not the item's own text.
    children_started: bool,
    range: Range<usize>,
}

struct Walker<'s, 'a> {
    source: &'s Source<'a>,
    sections: SectionsBuilder,
    frames: Vec<ItemFrame>,
    items: Vec<ItemBuilder>,
    ledger: Ledger,
    item_ends: HashMap<u32, u32>,
    quote_depth: usize,
    list_depth: usize,
    flattened: usize,
    warnings: Vec<String>,
}

pub(crate) fn walk(source: &Source<'_>, fallback_title: &str) -> Walked {
    let options =
        Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Spanned<'_>> = Parser::new_ext(source.text, options)
        .into_offset_iter()
        .collect();
    let mut walker = Walker {
        source,
        sections: SectionsBuilder::new(),
        frames: Vec::new(),
        items: Vec::new(),
        ledger: Ledger::new(source.line_count()),
        item_ends: HashMap::new(),
        quote_depth: 0,
        list_depth: 0,
        flattened: 0,
        warnings: Vec::new(),
    };
    let mut index = 0;
    while index < events.len() {
        index = walker.step(&events, index);
    }
    walker.finish(fallback_title)
}

impl<'a> Walker<'_, 'a> {
    /// Handles the event at `index` (and any events it owns); returns the next index.
    fn step(&mut self, events: &[Spanned<'a>], index: usize) -> usize {
        let (event, range) = &events[index];
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let end = matching_end(events, index);
                self.heading(
                    *level as u8,
                    events.get(index + 1..end).unwrap_or(&[]),
                    range.clone(),
                );
                end + 1
            }
            Event::Start(Tag::Paragraph) => {
                let end = matching_end(events, index);
                let inner = events.get(index + 1..end).unwrap_or(&[]);
                self.text(inner, range.start, range.end, None);
                end + 1
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = matching_end(events, index);
                self.code(
                    kind,
                    events.get(index + 1..end).unwrap_or(&[]),
                    range.clone(),
                );
                end + 1
            }
            Event::Start(Tag::List(_)) => {
                self.child_started();
                self.list_depth += 1;
                index + 1
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                index + 1
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.child_started();
                self.quote_depth += 1;
                index + 1
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.quote_depth = self.quote_depth.saturating_sub(1);
                index + 1
            }
            Event::Start(Tag::Item) => {
                self.item_starts(events, index, range.clone());
                index + 1
            }
            Event::End(TagEnd::Item) => {
                self.item_ends();
                index + 1
            }
            Event::Rule => {
                self.sections.flush_prose(self.source);
                let line = self.source.line_of(range.start);
                self.ledger.mark(line, Mark::Ignored);
                index + 1
            }
            event if is_inline(event) => {
                let end = index
                    + events[index..]
                        .iter()
                        .take_while(|(event, _)| is_inline(event))
                        .count();
                let run = &events[index..end];
                let text_events: Vec<&Spanned<'a>> = run
                    .iter()
                    .filter(|(event, _)| !matches!(event, Event::TaskListMarker(_)))
                    .collect();
                if let (Some(first), Some(last)) = (text_events.first(), text_events.last()) {
                    let (start, stop) = (first.1.start, last.1.end.max(first.1.start));
                    self.text(run, start, stop, None);
                }
                end
            }
            Event::Start(tag) => {
                let end = matching_end(events, index);
                let comment = matches!(tag, Tag::HtmlBlock)
                    && is_html_comment(self.source.text.get(range.clone()));
                let table = matches!(tag, Tag::Table(_))
                    .then(|| table_lines(events.get(index + 1..end).unwrap_or(&[])));
                self.opaque(range.clone(), comment, table);
                end + 1
            }
            _ => index + 1,
        }
    }

    fn child_started(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            frame.children_started = true;
        }
    }

    fn heading(&mut self, level: u8, inner: &[Spanned<'a>], range: Range<usize>) {
        if self.list_depth > 0 || !self.items.is_empty() {
            self.text(inner, range.start, range.end, Some(LineStyle::Heading));
            return;
        }
        let first = self.source.line_of(range.start);
        let last = self
            .source
            .last_non_blank(first, self.source.last_line_of(range.start, range.end));
        self.ledger.mark_range(first, last, Mark::Structured);
        self.sections
            .heading(self.source, level, plain_text(inner), first);
    }

    /// A paragraph or inline run at byte range `start..end`; `style` overrides how its display
    /// lines are styled (a heading inside a list).
    fn text(&mut self, inner: &[Spanned<'a>], start: usize, end: usize, style: Option<LineStyle>) {
        let block = text_block(self.source, inner, start, end, self.quote_depth);
        let own_text = self
            .frames
            .last()
            .is_some_and(|frame| frame.task && !frame.children_started);
        let list_item_text = self
            .frames
            .last()
            .is_some_and(|frame| !frame.children_started);
        if let Some(frame) = self.frames.last_mut() {
            frame.children_started = true;
        }
        let fillers = match self.items.last_mut() {
            Some(builder) if own_text => builder.set_own_text(&block),
            Some(builder) => {
                let full: Vec<&str> = block
                    .lines
                    .iter()
                    .map(|line| self.source.line_text(line.line))
                    .collect();
                builder.add_nested_text(&block, &full)
            }
            None => {
                let style = style.unwrap_or(if list_item_text {
                    LineStyle::Bullet
                } else if self.quote_depth > 0 {
                    LineStyle::Quote
                } else {
                    LineStyle::Paragraph
                });
                self.section_text(&block, style);
                Vec::new()
            }
        };
        for (line, _) in fillers {
            self.ledger.mark(line, Mark::Ignored);
        }
    }

    /// Text outside any item: each line is prose, fields, a signature, a choice or a gate.
    /// `style` is how its first prose line shows (a bullet's continuation lines are paragraphs).
    fn section_text(&mut self, block: &TextBlock<'_>, style: LineStyle) {
        let depth = u8::try_from(self.list_depth.saturating_sub(1)).unwrap_or(u8::MAX);
        for (index, line) in block.lines.iter().enumerate() {
            let context = LineContext {
                sign_off: self.sections.sign_off_context(),
                in_item: false,
            };
            let (kind, shown) = classify_line(line.source, &line.plain, context);
            let mut shown = shown.into_iter();
            let mark = match kind {
                LineKind::Filler(_) => {
                    self.sections.flush_prose(self.source);
                    Mark::Ignored
                }
                LineKind::Fields(fields) => {
                    for spec in fields {
                        let field = field(line.line, spec, shown.next());
                        self.sections.push_field(self.source, field);
                    }
                    Mark::Structured
                }
                LineKind::Signature(spec) => {
                    let slot = SignatureSlot {
                        id: String::new(),
                        line: line.line,
                        display_role: shown.next().unwrap_or_else(|| spec.role.clone()),
                        role: spec.role,
                        dated: spec.dated,
                    };
                    self.sections
                        .push_block(self.source, Block::Signature(slot));
                    Mark::Structured
                }
                LineKind::Choice(choice) => {
                    self.sections
                        .push_choice(self.source, line.line, choice, shown.next());
                    Mark::Structured
                }
                LineKind::Expectation(_) | LineKind::Text => {
                    let style = match style {
                        LineStyle::Bullet if index > 0 => LineStyle::Paragraph,
                        style => style,
                    };
                    let display = DisplayLine {
                        style,
                        depth,
                        spans: line.spans.clone(),
                        cells: Vec::new(),
                    };
                    self.sections.prose_line(line.line, line.source, display);
                    Mark::Prose
                }
            };
            self.ledger.mark(line.line, mark);
        }
    }

    fn code(&mut self, kind: &CodeBlockKind<'_>, inner: &[Spanned<'a>], range: Range<usize>) {
        self.child_started();
        let code: String = inner
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Text(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let first = self.source.line_of(range.start);
        let last = self
            .source
            .last_non_blank(first, self.source.last_line_of(range.start, range.end));
        let expectations = code_expectations(&code);
        let block = CodeBlock {
            line: first,
            lang,
            code,
            expectations,
        };
        match self.items.last_mut() {
            Some(builder) => builder.add_code(block),
            None => {
                self.sections.push_block(self.source, Block::Code(block));
                self.ledger.mark_range(first, last, Mark::Code);
            }
        }
    }

    /// Tables, HTML blocks and anything else kept verbatim. `table` holds a table's display
    /// rows; anything else displays as its literal source lines.
    fn opaque(&mut self, range: Range<usize>, html_comment: bool, table: Option<Vec<DisplayLine>>) {
        self.child_started();
        let first = self.source.line_of(range.start);
        let last = self
            .source
            .last_non_blank(first, self.source.last_line_of(range.start, range.end));
        let lines: Vec<&str> = (first..=last)
            .map(|line| self.source.line_text(line))
            .collect();
        let display = table.unwrap_or_else(|| verbatim_lines(&lines));
        if let Some(builder) = self.items.last_mut() {
            builder.add_note_lines(&lines, display);
        } else if html_comment {
            self.sections.flush_prose(self.source);
            self.ledger.mark_range(first, last, Mark::Ignored);
        } else {
            self.sections.prose_lines(first, last, display);
            self.ledger.mark_range(first, last, Mark::Prose);
        }
    }

    fn item_starts(&mut self, events: &[Spanned<'a>], index: usize, range: Range<usize>) {
        self.child_started();
        let marker = |at: usize| match events.get(at) {
            Some((Event::TaskListMarker(checked), _)) => Some(*checked),
            _ => None,
        };
        let checked = marker(index + 1).or_else(|| match events.get(index + 1) {
            Some((Event::Start(Tag::Paragraph), _)) => marker(index + 2),
            _ => None,
        });
        let task = checked.is_some();
        if let Some(checked) = checked {
            if self.items.is_empty() {
                self.sections.item_starts(self.source);
            }
            let inherited = match self.items.last() {
                Some(parent) => parent.sign_off_for_children(),
                None => self.sections.sign_off_context(),
            };
            let line = self.source.line_of(range.start);
            self.items.push(ItemBuilder::new(line, checked, inherited));
        }
        self.frames.push(ItemFrame {
            task,
            children_started: false,
            range,
        });
    }

    fn item_ends(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if !frame.task {
            return;
        }
        let Some(builder) = self.items.pop() else {
            return;
        };
        let first = builder.line();
        let last = self.source.last_non_blank(
            first,
            self.source.last_line_of(frame.range.start, frame.range.end),
        );
        self.item_ends.insert(
            first,
            last.max(self.item_ends.get(&first).copied().unwrap_or(0)),
        );
        self.ledger.mark_range(first, last, Mark::Structured);
        let item = builder.finish();
        if item.title.is_empty() {
            self.warnings
                .push(format!("line {first}: checkbox item has no text"));
        }
        let ancestors = self.items.len();
        if ancestors == 0 {
            self.sections.push_block(self.source, Block::Item(item));
            return;
        }
        let parent = ancestors - 1;
        let target = parent.min(MAX_ITEM_DEPTH - 2);
        let flattened = target != parent;
        self.flattened += usize::from(flattened);
        if let Some(builder) = self.items.get_mut(target) {
            builder.add_child(item, flattened);
        }
    }

    fn finish(mut self, fallback_title: &str) -> Walked {
        if self.flattened > 0 {
            self.warnings.push(format!(
                "{} items nested deeper than {MAX_ITEM_DEPTH} levels were kept at level {MAX_ITEM_DEPTH}",
                self.flattened
            ));
        }
        let mut warnings = std::mem::take(&mut self.sections.warnings);
        warnings.append(&mut self.warnings);
        Walked {
            assembled: self.sections.finish(self.source, fallback_title),
            ledger: self.ledger,
            warnings,
            item_ends: self.item_ends,
        }
    }
}

/// Source lines shown literally (HTML is text, never markup), blank lines dropped.
fn verbatim_lines(lines: &[&str]) -> Vec<DisplayLine> {
    lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| DisplayLine {
            style: LineStyle::Verbatim,
            depth: 0,
            spans: literal(line),
            cells: Vec::new(),
        })
        .collect()
}

/// A table's rows (the events between its `Start` and `End`): each cell's display text.
fn table_lines(events: &[Spanned<'_>]) -> Vec<DisplayLine> {
    let mut rows = Vec::new();
    let mut cells: Vec<Vec<Span>> = Vec::new();
    let mut cell: Vec<Span> = Vec::new();
    let mut style = SpanBuilder::default();
    for (event, _) in events {
        match event {
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => cells.push(squash(std::mem::take(&mut cell))),
            Event::End(end @ (TagEnd::TableHead | TagEnd::TableRow)) => rows.push(DisplayLine {
                style: if matches!(end, TagEnd::TableHead) {
                    LineStyle::TableHeader
                } else {
                    LineStyle::TableRow
                },
                depth: 0,
                spans: Vec::new(),
                cells: std::mem::take(&mut cells),
            }),
            event => cell.extend(style.event(event)),
        }
    }
    rows
}

/// Index of the `End` event matching the `Start` at `start` (or the last event).
fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Inline-level events: the text of a paragraph, heading or tight list item.
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

fn is_html_comment(html: Option<&str>) -> bool {
    html.is_some_and(|html| {
        let trimmed = html.trim();
        trimmed.starts_with("<!--") && trimmed.ends_with("-->")
    })
}
