//! The look of the printout in one place: page geometry, type sizes, spacing and colours.

use crate::Paper;

/// An RGB colour, components 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour(pub f32, pub f32, pub f32);

pub(crate) const BLACK: Colour = Colour(0.0, 0.0, 0.0);
pub(crate) const TEXT: Colour = Colour(0.1, 0.1, 0.12);
pub(crate) const MUTED: Colour = Colour(0.38, 0.40, 0.44);
pub(crate) const RULE: Colour = Colour(0.55, 0.57, 0.60);
pub(crate) const LIGHT_RULE: Colour = Colour(0.80, 0.81, 0.83);
pub(crate) const CODE_BG: Colour = Colour(0.95, 0.95, 0.96);
pub(crate) const HEADING: Colour = Colour(0.08, 0.20, 0.35);
pub(crate) const PASS: Colour = Colour(0.05, 0.50, 0.20);
pub(crate) const FAIL: Colour = Colour(0.78, 0.10, 0.10);
pub(crate) const EXPECT: Colour = Colour(0.10, 0.35, 0.55);
pub(crate) const CORRECTION: Colour = Colour(0.72, 0.35, 0.0);
pub(crate) const INK: Colour = Colour(0.05, 0.12, 0.45);
pub(crate) const GATE_BG: Colour = Colour(0.96, 0.97, 0.99);
pub(crate) const OVERRIDE_BG: Colour = Colour(1.0, 0.95, 0.95);

/// Body text size and leading, in points.
pub(crate) const BODY: f32 = 9.5;
pub(crate) const BODY_LEAD: f32 = 13.0;
/// Small text (details, notes, record annotations).
pub(crate) const SMALL: f32 = 8.5;
pub(crate) const SMALL_LEAD: f32 = 11.5;
/// Code snippets.
pub(crate) const CODE: f32 = 7.8;
pub(crate) const CODE_LEAD: f32 = 10.0;
/// Footer and audit table.
pub(crate) const TINY: f32 = 7.5;
pub(crate) const TINY_LEAD: f32 = 10.0;
/// Indent per level of item nesting.
pub(crate) const NEST_INDENT: f32 = 16.0;
/// Checkbox side and the gap between the box and the item text.
pub(crate) const BOX: f32 = 8.5;
pub(crate) const BOX_GAP: f32 = 6.5;

/// Heading size by depth in the section tree (0 = top-level section).
pub(crate) fn heading_size(depth: usize) -> f32 {
    match depth {
        0 => 14.0,
        1 => 11.5,
        _ => 10.0,
    }
}

/// Page size and margins, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
}

impl Geometry {
    pub(crate) fn for_paper(paper: Paper) -> Geometry {
        let (width, height) = match paper {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        };
        Geometry {
            width,
            height,
            margin_x: 54.0,
            margin_top: 54.0,
            margin_bottom: 66.0,
        }
    }

    /// Width of the text column.
    pub(crate) fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }

    /// Height available for flowing content on one page.
    pub(crate) fn content_height(&self) -> f32 {
        self.height - self.margin_top - self.margin_bottom
    }
}
