//! Tables in section prose (their cells' display text from the importer), drawn as a ruled grid: a bold header row, wrapped cells,
//! and empty cells tall enough to write in by hand. A table that runs over a page break repeats
//! its header row at the top of the next page.

use std::sync::Arc;

use crate::fonts::Face;
use crate::layout::{Chunk, Draw, Flow, baseline, segment};
use crate::style::{self, SMALL, SMALL_LEAD};

const CELL_PAD: f32 = 4.0;
/// Least height of a row with an empty cell (a row to fill in by hand).
const WRITE_IN_ROW: f32 = 18.0;

/// Draws `rows` (the first is the header when `has_header`) as a grid at indent `x`.
pub(crate) fn table(flow: &mut Flow, x: f32, rows: &[Vec<String>], has_header: bool) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return;
    }
    let width = flow.width - x;
    // Column widths: proportional to the widest content, each at least a fair minimum.
    let natural: Vec<f32> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| flow.measure(Face::Regular, SMALL, cell) + 2.0 * CELL_PAD)
                .fold(40.0_f32, f32::max)
        })
        .collect();
    let total: f32 = natural.iter().sum();
    let minimum = width / columns as f32 * 0.5;
    let mut widths: Vec<f32> = natural
        .iter()
        .map(|n| (n / total * width).max(minimum))
        .collect();
    let scale = width / widths.iter().sum::<f32>();
    widths.iter_mut().for_each(|w| *w *= scale);

    let mut continuation: Option<Arc<[Chunk]>> = None;
    for (index, row) in rows.iter().enumerate() {
        let header = has_header && index == 0;
        let face = if header { Face::Bold } else { Face::Regular };
        let wrapped: Vec<Vec<String>> = (0..columns)
            .map(|c| {
                let cell = row.get(c).map_or("", String::as_str);
                if cell.is_empty() {
                    Vec::new()
                } else {
                    flow.wrap(face, SMALL, cell, widths[c] - 2.0 * CELL_PAD)
                }
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(0);
        // A row with an empty cell is a row to fill in: give it room for handwriting.
        let has_blank = (0..columns).any(|c| row.get(c).is_none_or(String::is_empty));
        let text_height = lines as f32 * SMALL_LEAD + 4.0;
        let height = if has_blank && !header {
            text_height.max(WRITE_IN_ROW)
        } else {
            text_height
        };
        let mut draws = Vec::new();
        if header {
            draws.push(Draw::Rect {
                x,
                y: 0.0,
                w: width,
                h: height,
                stroke: None,
                fill: Some(style::CODE_BG),
            });
        }
        let mut cx = x;
        for (c, cell_lines) in wrapped.into_iter().enumerate() {
            for (l, text) in cell_lines.into_iter().enumerate() {
                let y = 2.0 + l as f32 * SMALL_LEAD + baseline(SMALL_LEAD, SMALL);
                draws.push(Draw::Text {
                    x: cx + CELL_PAD,
                    y,
                    face,
                    size: SMALL,
                    colour: style::TEXT,
                    text,
                });
            }
            draws.push(segment((cx, 0.0), (cx, height), 0.4, style::LIGHT_RULE));
            cx += widths[c];
        }
        draws.push(segment(
            (x + width, 0.0),
            (x + width, height),
            0.4,
            style::LIGHT_RULE,
        ));
        draws.push(segment(
            (x, height),
            (x + width, height),
            if header { 0.8 } else { 0.4 },
            if header {
                style::RULE
            } else {
                style::LIGHT_RULE
            },
        ));
        if index == 0 {
            draws.push(segment((x, 0.0), (x + width, 0.0), 0.4, style::LIGHT_RULE));
        }
        let mut chunk = Chunk::new(height, draws);
        if header {
            continuation = Some(vec![chunk.clone()].into());
            chunk.keep_with_next = true;
        } else {
            chunk.continuation = continuation.clone();
        }
        flow.push(chunk.space(if index == 0 { 4.0 } else { 0.0 }));
    }
}
