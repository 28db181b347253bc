//! A small flowing-layout engine: content is a list of chunks (atomic horizontal strips such as
//! one wrapped text line, a checkbox line, a gate box), laid top to bottom and broken into pages.
//!
//! * Coordinates here are points from the top-left of the chunk (y grows downwards); `pdf.rs`
//!   flips them into PDF space.
//! * Wrapping measures every word with the font's glyph advances (`Fonts::width`).
//! * Pagination: a chunk that does not fit starts a new page. A chunk marked `keep_with_next`
//!   is placed only if it and the chunks chained to it fit on the page, otherwise the chain moves
//!   to the next page: a heading is never the last line of a page. Chains taller than a page are
//!   laid greedily. `space_before` is dropped at the top of a page.
//! * Continuation: a chunk may carry chunks (a table's "continued" line and header row) that are
//!   drawn above it when it is moved to a new page, so a table running over a page break starts
//!   the next page with its header again.

use std::sync::Arc;

use crate::fallback::printable;
use crate::fonts::{Face, FontCoverage, Fonts};
use crate::style::Colour;

/// A drawing primitive, positioned relative to its chunk (or, after pagination, its page).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Draw {
    /// Text whose left end of the baseline is at (x, y). The text is already printable.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Colour,
        text: String,
    },
    /// A rectangle with its top-left corner at (x, y).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        stroke: Option<(Colour, f32)>,
        fill: Option<Colour>,
    },
    /// An open polyline.
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Colour,
    },
}

impl Draw {
    fn shifted(self, dx: f32, dy: f32) -> Draw {
        match self {
            Draw::Text {
                x,
                y,
                face,
                size,
                colour,
                text,
            } => Draw::Text {
                x: x + dx,
                y: y + dy,
                face,
                size,
                colour,
                text,
            },
            Draw::Rect {
                x,
                y,
                w,
                h,
                stroke,
                fill,
            } => Draw::Rect {
                x: x + dx,
                y: y + dy,
                w,
                h,
                stroke,
                fill,
            },
            Draw::Line {
                points,
                width,
                colour,
            } => Draw::Line {
                points: points.into_iter().map(|(x, y)| (x + dx, y + dy)).collect(),
                width,
                colour,
            },
        }
    }
}

/// A straight line segment.
pub(crate) fn segment(from: (f32, f32), to: (f32, f32), width: f32, colour: Colour) -> Draw {
    Draw::Line {
        points: vec![from, to],
        width,
        colour,
    }
}

/// An outlined rectangle.
pub(crate) fn frame(x: f32, y: f32, w: f32, h: f32, colour: Colour, width: f32) -> Draw {
    Draw::Rect {
        x,
        y,
        w,
        h,
        stroke: Some((colour, width)),
        fill: None,
    }
}

/// Baseline of text of `size` centred in a line box `lead` tall.
pub(crate) fn baseline(lead: f32, size: f32) -> f32 {
    lead / 2.0 + size * 0.36
}

/// An atomic strip of content: never split across pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Chunk {
    /// Gap above the chunk; dropped when the chunk starts a page.
    pub space_before: f32,
    pub height: f32,
    pub draws: Vec<Draw>,
    /// Place this chunk only if the next one fits on the same page too.
    pub keep_with_next: bool,
    /// Start a new page before this chunk.
    pub break_before: bool,
    /// Drawn at the top of the page, above this chunk, when a page break falls just before it
    /// (not when the chunk asks for `break_before`): a table row carries its table's header.
    pub continuation: Option<Arc<[Chunk]>>,
}

impl Chunk {
    pub(crate) fn new(height: f32, draws: Vec<Draw>) -> Chunk {
        Chunk {
            height,
            draws,
            ..Chunk::default()
        }
    }

    pub(crate) fn space(mut self, space_before: f32) -> Chunk {
        self.space_before = space_before;
        self
    }

    pub(crate) fn keep(mut self) -> Chunk {
        self.keep_with_next = true;
        self
    }
}

/// Builds the chunk list: measuring and wrapping helpers over the bundled fonts.
pub(crate) struct Flow {
    pub fonts: &'static Fonts,
    /// Width of the text column.
    pub width: f32,
    pub chunks: Vec<Chunk>,
}

impl Flow {
    pub(crate) fn new(fonts: &'static Fonts, width: f32) -> Flow {
        Flow {
            fonts,
            width,
            chunks: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, chunk: Chunk) {
        self.chunks.push(chunk);
    }

    /// Marks the last chunk so it stays with the one pushed next.
    pub(crate) fn keep_last_with_next(&mut self) {
        if let Some(last) = self.chunks.last_mut() {
            last.keep_with_next = true;
        }
    }

    /// Width of `text` as printed (after the fallback replacements).
    pub(crate) fn measure(&self, face: Face, size: f32, text: &str) -> f32 {
        self.fonts
            .width(face, size, &printable(text, &FontCoverage::of(face)))
    }

    /// A text primitive; the text is made printable for the face.
    pub(crate) fn text(
        &self,
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Colour,
        text: &str,
    ) -> Draw {
        let text = printable(text, &FontCoverage::of(face)).into_owned();
        Draw::Text {
            x,
            y,
            face,
            size,
            colour,
            text,
        }
    }

    /// `text` shortened with an ellipsis so it fits in `max` points.
    pub(crate) fn truncate(&self, face: Face, size: f32, text: &str, max: f32) -> String {
        let text = printable(text, &FontCoverage::of(face));
        if self.fonts.width(face, size, &text) <= max {
            return text.into_owned();
        }
        let budget = max - self.fonts.width(face, size, "…");
        let mut out = String::new();
        let mut used = 0.0;
        for ch in text.chars() {
            let w = self.fonts.width(face, size, ch.encode_utf8(&mut [0; 4]));
            if used + w > budget {
                break;
            }
            used += w;
            out.push(ch);
        }
        out.push('…');
        out
    }

    /// Greedy word wrap of `text` (whitespace collapsed) into lines at most `max` points wide.
    /// A word longer than a line is broken between characters.
    pub(crate) fn wrap(&self, face: Face, size: f32, text: &str, max: f32) -> Vec<String> {
        let text = printable(text, &FontCoverage::of(face));
        let space = self.fonts.width(face, size, " ");
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in text.split_whitespace() {
            let word_w = self.fonts.width(face, size, word);
            let needed = if line.is_empty() {
                word_w
            } else {
                line_w + space + word_w
            };
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = needed;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_w <= max {
                line = word.to_string();
                line_w = word_w;
            } else {
                let mut pieces = self.break_chars(face, size, word, max, max);
                let last = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                line_w = self.fonts.width(face, size, &last);
                line = last;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Splits `text` between characters: the first piece at most `first` wide, the rest `rest`.
    pub(crate) fn break_chars(
        &self,
        face: Face,
        size: f32,
        text: &str,
        first: f32,
        rest: f32,
    ) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        let mut used = 0.0;
        for ch in text.chars() {
            let w = self.fonts.width(face, size, ch.encode_utf8(&mut [0; 4]));
            let limit = if pieces.is_empty() { first } else { rest };
            if used + w > limit && !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
                used = 0.0;
            }
            piece.push(ch);
            used += w;
        }
        pieces.push(piece);
        pieces
    }

    /// A wrapped paragraph starting at `x`: one chunk per line. Short paragraphs (up to four
    /// lines) are kept on one page; longer ones keep their first and last two lines together.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        face: Face,
        size: f32,
        lead: f32,
        colour: Colour,
        text: &str,
        space_before: f32,
    ) {
        let lines = self.wrap(face, size, text, self.width - x);
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let draw = Draw::Text {
                x,
                y: baseline(lead, size),
                face,
                size,
                colour,
                text: line,
            };
            let keep = i + 1 < count && (count <= 4 || i == 0 || i + 2 == count);
            self.push(Chunk {
                space_before: if i == 0 { space_before } else { 0.0 },
                height: lead,
                draws: vec![draw],
                keep_with_next: keep,
                ..Chunk::default()
            });
        }
    }
}

/// Lays the chunks onto pages of `content_height` and returns each page's primitives, offset by
/// the top-left corner of the text column (`origin`). Always returns at least one page.
pub(crate) fn paginate(
    chunks: Vec<Chunk>,
    content_height: f32,
    origin: (f32, f32),
) -> Vec<Vec<Draw>> {
    let mut pages = Pages {
        pages: vec![Vec::new()],
        y: 0.0,
        has_content: false,
        origin,
    };
    let heights: Vec<(f32, f32, bool)> = chunks
        .iter()
        .map(|c| (c.space_before, c.height, c.keep_with_next))
        .collect();
    for (index, chunk) in chunks.into_iter().enumerate() {
        let mut new_page = chunk.break_before && pages.has_content;
        if !new_page && pages.has_content {
            let chain = chain_height(&heights, index);
            let own = chunk.space_before + chunk.height;
            let chain_fits_a_page = chain - chunk.space_before <= content_height;
            if pages.y + own > content_height
                || (pages.y + chain > content_height && chain_fits_a_page)
            {
                new_page = true;
            }
        }
        if new_page {
            pages.start_page();
            if !chunk.break_before
                && let Some(head) = &chunk.continuation
            {
                // Repeat the header only where it leaves room for the chunk itself.
                let head_height: f32 = head.iter().map(|c| c.space_before + c.height).sum();
                if head_height + chunk.height <= content_height {
                    for c in head.iter() {
                        pages.place(c.clone());
                    }
                }
            }
        }
        pages.place(chunk);
    }
    pages.pages
}

/// The pages laid so far and the cursor on the last one.
struct Pages {
    pages: Vec<Vec<Draw>>,
    /// Height used on the last page.
    y: f32,
    has_content: bool,
    origin: (f32, f32),
}

impl Pages {
    fn start_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = 0.0;
        self.has_content = false;
    }

    /// Puts `chunk` below what the last page holds (its gap dropped at the top of a page).
    fn place(&mut self, chunk: Chunk) {
        if self.has_content {
            self.y += chunk.space_before;
        }
        let (dx, dy) = (self.origin.0, self.origin.1 + self.y);
        let page = self.pages.last_mut().expect("at least one page");
        page.extend(chunk.draws.into_iter().map(|d| d.shifted(dx, dy)));
        self.y += chunk.height;
        self.has_content = true;
    }
}

/// Height of the chunk at `index` plus every chunk chained to it by `keep_with_next`.
fn chain_height(heights: &[(f32, f32, bool)], index: usize) -> f32 {
    let mut total = 0.0;
    for (space, height, keep) in &heights[index..] {
        total += space + height;
        if !*keep {
            break;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(keep: bool) -> Chunk {
        Chunk {
            height: 10.0,
            keep_with_next: keep,
            ..Chunk::default()
        }
    }

    fn tagged(tag: f32, keep: bool) -> Chunk {
        let mut chunk = line(keep);
        chunk
            .draws
            .push(frame(tag, 0.0, 1.0, 1.0, crate::style::BLACK, 1.0));
        chunk
    }

    fn tags(page: &[Draw]) -> Vec<f32> {
        page.iter()
            .filter_map(|d| match d {
                Draw::Rect { x, .. } => Some(*x),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn chunks_flow_onto_a_new_page_when_the_page_is_full() {
        let chunks = (0..25).map(|i| tagged(i as f32, false)).collect();
        let pages = paginate(chunks, 100.0, (0.0, 0.0));
        assert_eq!(pages.len(), 3);
        assert_eq!(tags(&pages[0]).len(), 10);
        assert_eq!(tags(&pages[2]).len(), 5);
    }

    #[test]
    fn a_heading_at_the_bottom_of_a_page_moves_to_the_next_page_with_its_first_item() {
        let mut chunks: Vec<Chunk> = (0..9).map(|i| tagged(i as f32, false)).collect();
        chunks.push(tagged(100.0, true)); // heading: would be the 10th (last) line of page 1
        chunks.push(tagged(101.0, false)); // its first item
        let pages = paginate(chunks, 100.0, (0.0, 0.0));
        assert_eq!(pages.len(), 2);
        assert!(!tags(&pages[0]).contains(&100.0));
        assert_eq!(tags(&pages[1]), vec![100.0, 101.0]);
    }

    #[test]
    fn wrapped_lines_fit_the_measured_width_and_overlong_words_are_broken() {
        let flow = Flow::new(crate::fonts::fonts().expect("fonts"), 120.0);
        let text = "Verify that the canary deployment answers within budget \
                    https://status.example.test/a/very/long/path/that/cannot/fit/on/one/line ok";
        let lines = flow.wrap(Face::Regular, 9.5, text, 120.0);
        assert!(lines.len() > 3);
        for line in &lines {
            let width = flow.fonts.width(Face::Regular, 9.5, line);
            assert!(width <= 120.0 + 0.01, "{line:?} is {width} pt wide");
        }
        let joined: String = lines.concat().split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original, "no text lost");
    }

    #[test]
    fn a_row_moved_to_a_new_page_brings_its_table_header_along() {
        let header: Arc<[Chunk]> = vec![tagged(900.0, false), tagged(901.0, false)].into();
        let chunks: Vec<Chunk> = (0..25)
            .map(|i| {
                let mut row = tagged(i as f32, false);
                row.continuation = Some(Arc::clone(&header));
                row
            })
            .collect();
        let pages = paginate(chunks, 100.0, (0.0, 0.0));
        assert_eq!(
            tags(&pages[0]),
            (0..10).map(|i| i as f32).collect::<Vec<_>>()
        );
        assert_eq!(
            tags(&pages[1]),
            [900.0, 901.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]
        );
        assert_eq!(
            tags(&pages[2]),
            [900.0, 901.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0]
        );
        assert_eq!(pages.len(), 3);
    }

    #[test]
    fn a_chunk_that_asks_for_a_fresh_page_gets_no_continuation_header() {
        let header: Arc<[Chunk]> = vec![tagged(900.0, false)].into();
        let mut fresh = tagged(1.0, false);
        fresh.break_before = true;
        fresh.continuation = Some(header);
        let pages = paginate(vec![tagged(0.0, false), fresh], 100.0, (0.0, 0.0));
        assert_eq!(tags(&pages[1]), vec![1.0]);
    }

    #[test]
    fn space_before_is_dropped_at_the_top_of_a_page() {
        let chunks = vec![tagged(1.0, false), tagged(2.0, false).space(95.0)];
        let pages = paginate(chunks, 100.0, (0.0, 0.0));
        assert_eq!(pages.len(), 2);
        assert!(matches!(pages[1][0], Draw::Rect { y, .. } if y == 0.0));
    }
}
