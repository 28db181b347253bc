//! The three bundled DejaVu faces: loading (once per process), glyph coverage and text measuring.
//!
//! The TTFs live in `fonts/` (licence: `fonts/LICENSE`, Bitstream Vera / DejaVu terms) and are
//! compiled in with `include_bytes!`; printpdf subsets them to the glyphs a document uses.
//! Widths come from each glyph's advance in the font's `hmtx` table, scaled by the em size.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PdfError;

static SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");

/// One of the bundled typefaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// DejaVu Sans: body text.
    Regular,
    /// DejaVu Sans Bold: title, headings, labels.
    Bold,
    /// DejaVu Sans Mono: code snippets and hashes.
    Mono,
}

impl Face {
    pub(crate) const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Mono];

    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Mono => 2,
        }
    }

    /// The resource name of the face inside the PDF (fixed, so output is deterministic).
    pub(crate) fn resource_name(self) -> &'static str {
        match self {
            Face::Regular => "GLREGU",
            Face::Bold => "GLBOLD",
            Face::Mono => "GLMONO",
        }
    }
}

/// A parsed face plus what measuring needs quickly.
pub(crate) struct LoadedFace {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    /// Advances of the printable ASCII range, in font units (most text is ASCII).
    ascii_advance: [u16; 128],
}

impl LoadedFace {
    fn load(bytes: &[u8], name: &'static str) -> Result<LoadedFace, &'static str> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(name)?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        let mut ascii_advance = [0u16; 128];
        for (code, slot) in ascii_advance.iter_mut().enumerate() {
            if let Some(gid) = glyph(&parsed, code as u32) {
                *slot = parsed.get_horizontal_advance(gid);
            }
        }
        Ok(LoadedFace {
            parsed,
            units_per_em,
            ascii_advance,
        })
    }

    fn covers(&self, ch: char) -> bool {
        glyph(&self.parsed, ch as u32).is_some()
    }

    /// Advance of one character in font units (0 for characters the face lacks).
    fn advance(&self, ch: char) -> u16 {
        let code = ch as u32;
        if code < 128 {
            return self.ascii_advance[code as usize];
        }
        glyph(&self.parsed, code).map_or(0, |gid| self.parsed.get_horizontal_advance(gid))
    }
}

/// Glyph id for a code point; glyph 0 (`.notdef`) counts as missing.
fn glyph(font: &ParsedFont, code: u32) -> Option<u16> {
    font.lookup_glyph_index(code).filter(|gid| *gid != 0)
}

/// The three faces, parsed once per process.
pub(crate) struct Fonts {
    faces: [LoadedFace; 3],
}

static FONTS: OnceLock<Result<Fonts, &'static str>> = OnceLock::new();

/// The bundled fonts (parsed on first use).
pub(crate) fn fonts() -> Result<&'static Fonts, PdfError> {
    FONTS
        .get_or_init(|| {
            Ok(Fonts {
                faces: [
                    LoadedFace::load(SANS, "DejaVuSans.ttf")?,
                    LoadedFace::load(SANS_BOLD, "DejaVuSans-Bold.ttf")?,
                    LoadedFace::load(MONO, "DejaVuSansMono.ttf")?,
                ],
            })
        })
        .as_ref()
        .map_err(|name| PdfError::Font(name))
}

impl Fonts {
    pub(crate) fn face(&self, face: Face) -> &LoadedFace {
        &self.faces[face.index()]
    }

    /// Width of `text` set in `face` at `size` points, from the glyph advances.
    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let loaded = self.face(face);
        let units: u32 = text.chars().map(|ch| u32::from(loaded.advance(ch))).sum();
        units as f32 * size / loaded.units_per_em
    }

    pub(crate) fn covers(&self, face: Face, ch: char) -> bool {
        self.face(face).covers(ch)
    }
}

/// Which characters a font can print; `printable` replaces the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontCoverage {
    source: CoverageSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum CoverageSource {
    Face(Face),
    Chars(BTreeSet<char>),
}

impl FontCoverage {
    /// The characters one of the bundled faces has glyphs for.
    pub fn of(face: Face) -> FontCoverage {
        FontCoverage {
            source: CoverageSource::Face(face),
        }
    }

    /// An explicit character set (for tests and callers with their own fonts).
    pub fn from_chars(chars: impl IntoIterator<Item = char>) -> FontCoverage {
        FontCoverage {
            source: CoverageSource::Chars(chars.into_iter().collect()),
        }
    }

    /// Whether the character has a glyph. A bundled face that failed to load covers nothing.
    pub fn covers(&self, ch: char) -> bool {
        match &self.source {
            CoverageSource::Face(face) => fonts().is_ok_and(|fonts| fonts.covers(*face, ch)),
            CoverageSource::Chars(set) => set.contains(&ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_faces_load_and_cover_the_symbols_checklists_use() {
        let fonts = fonts().expect("fonts load");
        for ch in ['✓', '✗', '≥', '→', '⚠', '☐', '☑', 'é', 'ß'] {
            assert!(fonts.covers(Face::Regular, ch), "DejaVu Sans lacks {ch}");
        }
        for ch in ['↪', '$', '|'] {
            assert!(fonts.covers(Face::Mono, ch), "DejaVu Sans Mono lacks {ch}");
        }
        assert!(!fonts.covers(Face::Regular, '🚀'));
    }

    #[test]
    fn widths_come_from_glyph_advances_not_character_counts() {
        let fonts = fonts().expect("fonts load");
        let narrow = fonts.width(Face::Regular, 10.0, "iiii");
        let wide = fonts.width(Face::Regular, 10.0, "WWWW");
        assert!(
            wide > narrow * 2.0,
            "W is much wider than i: {wide} vs {narrow}"
        );
        let mono_i = fonts.width(Face::Mono, 10.0, "iiii");
        let mono_w = fonts.width(Face::Mono, 10.0, "WWWW");
        assert!((mono_i - mono_w).abs() < 0.01, "mono advances are equal");
        assert!(
            (fonts.width(Face::Regular, 20.0, "abc")
                - 2.0 * fonts.width(Face::Regular, 10.0, "abc"))
            .abs()
                < 0.01
        );
    }
}
