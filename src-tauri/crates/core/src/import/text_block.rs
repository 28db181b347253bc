//! A run of inline text the parser found (a paragraph, a tight list item's text, a heading),
//! split into source lines with each line's source text and plain text.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::display::{SpanBuilder, piece as plain_piece, squash};
use super::markup::squash_spaces;
use super::source::Source;
use crate::model::Span;

/// One source line of a text block.
#[derive(Debug, Clone)]
pub(crate) struct TextLine<'a> {
    pub line: u32,
    /// Source text of the line, starting after any container prefix (list marker, `>`, indent).
    pub source: &'a str,
    /// The line's text with inline markup removed (emphasis markers gone, code and link text kept).
    pub plain: String,
    /// The same text as styled runs (their text joined equals `plain`).
    pub spans: Vec<Span>,
}

/// A paragraph-like run of inline text.
#[derive(Debug, Clone)]
pub(crate) struct TextBlock<'a> {
    pub lines: Vec<TextLine<'a>>,
    /// When the text starts with bold text: that text (plain) and the plain text after it on the first line.
    pub bold_lead: Option<(String, String)>,
}

impl TextBlock<'_> {
    /// All lines' plain text joined with spaces.
    pub fn plain(&self) -> String {
        squash_spaces(
            &self
                .lines
                .iter()
                .map(|line| line.plain.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// Builds a text block from inline `events` that start at byte `start` and end at byte `end`.
/// `quote_depth` says how many `>` markers to strip from continuation lines.
pub(crate) fn text_block<'a>(
    source: &Source<'a>,
    events: &[(Event<'a>, Range<usize>)],
    start: usize,
    end: usize,
    quote_depth: usize,
) -> TextBlock<'a> {
    let first_line = source.line_of(start);
    let last_line = source.last_line_of(start, end).max(first_line);
    let count = (last_line - first_line + 1) as usize;
    let mut plains = vec![String::new(); count];
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); count];
    let mut style = SpanBuilder::default();
    for (event, range) in events {
        if let Some(span) = style.event(event) {
            let index = (source.line_of(range.start).saturating_sub(first_line)) as usize;
            if let (Some(plain), Some(line_spans)) = (plains.get_mut(index), spans.get_mut(index)) {
                plain.push_str(&span.text);
                line_spans.push(span);
            }
        }
    }
    let lines = plains
        .into_iter()
        .zip(spans)
        .enumerate()
        .map(|(index, (plain, spans))| {
            let line = first_line + index as u32;
            let text = if index == 0 {
                source.rest_of_line(start)
            } else {
                strip_container_prefix(source.line_text(line), quote_depth)
            };
            TextLine {
                line,
                source: text,
                plain: squash_spaces(&plain),
                spans: squash(spans),
            }
        })
        .collect();
    TextBlock {
        lines,
        bold_lead: bold_lead(source, events, first_line),
    }
}

/// Plain text of a heading's inline events.
pub(crate) fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let joined: String = events
        .iter()
        .filter_map(|(event, _)| plain_piece(event))
        .collect();
    squash_spaces(&joined)
}

/// Bold text at the very start of the block, and the plain text after it on the same line.
fn bold_lead(
    source: &Source<'_>,
    events: &[(Event<'_>, Range<usize>)],
    first_line: u32,
) -> Option<(String, String)> {
    let mut rest = events
        .iter()
        .skip_while(|(event, _)| matches!(event, Event::TaskListMarker(_)));
    let (first, _) = rest.next()?;
    if !matches!(first, Event::Start(Tag::Strong)) {
        return None;
    }
    let mut depth = 1usize;
    let mut title = String::new();
    let mut after = String::new();
    for (event, range) in rest {
        if depth > 0 {
            match event {
                Event::Start(Tag::Strong) => depth += 1,
                Event::End(TagEnd::Strong) => depth -= 1,
                _ => title.push_str(&plain_piece(event).unwrap_or_default()),
            }
        } else if source.line_of(range.start) == first_line {
            after.push_str(&plain_piece(event).unwrap_or_default());
        }
    }
    Some((squash_spaces(&title), squash_spaces(&after)))
}

/// A continuation line without its indentation and up to `quote_depth` block-quote markers.
pub(crate) fn strip_container_prefix(line: &str, quote_depth: usize) -> &str {
    let mut rest = line.trim_start();
    for _ in 0..quote_depth {
        match rest.strip_prefix('>') {
            Some(after) => rest = after.trim_start(),
            None => break,
        }
    }
    rest
}
