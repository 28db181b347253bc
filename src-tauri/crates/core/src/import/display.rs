//! Display text from the parser's inline events: styled runs ([`Span`]) with every Markdown
//! marker gone, links as their text, HTML as literal text and entities decoded (the parser
//! already decoded them). Computed once here; the window and the paper both print it.

#[cfg(test)]
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::model::Span;

/// Tracks the inline style while walking events and collects styled runs.
#[derive(Debug, Default)]
pub(crate) struct SpanBuilder {
    strong: u32,
    emphasis: u32,
    strike: u32,
}

impl SpanBuilder {
    /// Updates the style for a tag event, or returns the run an inline event contributes.
    pub fn event(&mut self, event: &Event<'_>) -> Option<Span> {
        let counter = |builder: &mut Self, start: bool, which: fn(&mut Self) -> &mut u32| {
            let count = which(builder);
            *count = if start {
                count.saturating_add(1)
            } else {
                count.saturating_sub(1)
            };
        };
        match event {
            Event::Start(Tag::Strong) => counter(self, true, |b| &mut b.strong),
            Event::End(TagEnd::Strong) => counter(self, false, |b| &mut b.strong),
            Event::Start(Tag::Emphasis) => counter(self, true, |b| &mut b.emphasis),
            Event::End(TagEnd::Emphasis) => counter(self, false, |b| &mut b.emphasis),
            Event::Start(Tag::Strikethrough) => counter(self, true, |b| &mut b.strike),
            Event::End(TagEnd::Strikethrough) => counter(self, false, |b| &mut b.strike),
            _ => {
                let text = piece(event)?;
                return Some(Span {
                    text: text.replace('\n', " "),
                    strong: self.strong > 0,
                    emphasis: self.emphasis > 0,
                    strike: self.strike > 0,
                    code: matches!(event, Event::Code(_)),
                });
            }
        }
        None
    }
}

/// The text an inline event contributes. Inline HTML is kept verbatim as text.
pub(crate) fn piece(event: &Event<'_>) -> Option<String> {
    match event {
        Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) | Event::Html(text) => {
            Some(text.to_string())
        }
        Event::InlineMath(text) | Event::DisplayMath(text) => Some(text.to_string()),
        Event::FootnoteReference(name) => Some(format!("[^{name}]")),
        Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
        _ => None,
    }
}

/// Styled runs of inline events, whitespace squashed as in plain text.
#[cfg(test)]
pub(crate) fn spans_of<'e, 'a: 'e>(
    events: impl IntoIterator<Item = &'e (Event<'a>, Range<usize>)>,
) -> Vec<Span> {
    let mut builder = SpanBuilder::default();
    let raw: Vec<Span> = events
        .into_iter()
        .filter_map(|(event, _)| builder.event(event))
        .collect();
    squash(raw)
}

/// Collapses whitespace runs (across run boundaries too) to one space, trims both ends, drops
/// empty runs and merges neighbours of the same style. The runs' text then equals
/// `squash_spaces` of their joined text.
pub(crate) fn squash(raw: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(raw.len());
    let mut pending_space = false;
    for span in raw {
        let mut text = String::with_capacity(span.text.len());
        for c in span.text.chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_space && !text.is_empty() {
                text.push(' ');
            } else if pending_space && let Some(last) = out.last_mut() {
                // A space between runs stays out of a code span when it can.
                if span.code && !last.code {
                    last.text.push(' ');
                } else {
                    text.push(' ');
                }
            }
            pending_space = false;
            text.push(c);
        }
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if same_style(last, &span) => last.text.push_str(&text),
            _ => out.push(Span { text, ..span }),
        }
    }
    out
}

fn same_style(a: &Span, b: &Span) -> bool {
    (a.strong, a.emphasis, a.strike, a.code) == (b.strong, b.emphasis, b.strike, b.code)
}

/// One plain run (literal text, no style).
pub(crate) fn literal(text: &str) -> Vec<Span> {
    squash(vec![Span {
        text: text.to_string(),
        ..Span::default()
    }])
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;
    use crate::model::spans_text;

    fn spans(markdown: &str) -> Vec<Span> {
        let events: Vec<_> = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH)
            .into_offset_iter()
            .filter(|(event, _)| {
                !matches!(
                    event,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                )
            })
            .collect();
        spans_of(&events)
    }

    #[test]
    fn markers_go_and_styles_stay() {
        let got = spans("**bold** `code` ~~struck~~ _it_ [link](http://x) <b>html</b> &amp;");
        assert_eq!(spans_text(&got), "bold code struck it link <b>html</b> &");
        assert!(got[0].strong && got[0].text.trim() == "bold");
        assert!(got.iter().any(|s| s.code && s.text.trim() == "code"));
        assert!(got.iter().any(|s| s.strike && s.text.trim() == "struck"));
        assert!(got.iter().any(|s| s.emphasis && s.text.trim() == "it"));
    }

    #[test]
    fn literal_asterisks_and_underscores_stay() {
        assert_eq!(spans_text(&spans("2 * 3 * 4")), "2 * 3 * 4");
        assert_eq!(spans_text(&spans("snake_case_name")), "snake_case_name");
        assert_eq!(spans_text(&spans("  a \n  b  ")), "a b");
    }
}
