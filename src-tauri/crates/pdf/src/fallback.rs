//! `printable`: makes text safe for a font by replacing characters it has no glyph for.
//!
//! Rule, per character:
//! 1. Invisible joiners and selectors (U+FE00..FE0F variation selectors, U+200B..200D zero-width
//!    space/joiners, U+1F3FB..1F3FF skin tones, U+E0020..E007F tags) are dropped: they only modify
//!    the character before them and print nothing on their own.
//! 2. A tab becomes four spaces; other control characters become one space.
//! 3. A character the font covers is kept.
//! 4. A common emoji or symbol the font lacks becomes its short name in brackets (`🚀` -> `[rocket]`).
//! 5. Anything else the font lacks becomes its code point in brackets (`[U+1F9FF]`).
//!
//! So nothing the font cannot draw reaches the PDF, and nothing visible vanishes silently.

use std::borrow::Cow;

use crate::fonts::FontCoverage;

/// Short readable names for symbols that colour-emoji fonts have and DejaVu does not.
/// Sorted by character (binary search).
const NAMES: &[(char, &str)] = &[
    ('\u{2705}', "done"),
    ('\u{274C}', "x"),
    ('\u{2B50}', "star"),
    ('\u{1F195}', "new"),
    ('\u{1F198}', "SOS"),
    ('\u{1F310}', "globe"),
    ('\u{1F389}', "party"),
    ('\u{1F3AF}', "target"),
    ('\u{1F3C1}', "finish"),
    ('\u{1F3D7}', "construction"),
    ('\u{1F41B}', "bug"),
    ('\u{1F440}', "eyes"),
    ('\u{1F44D}', "thumbs up"),
    ('\u{1F44E}', "thumbs down"),
    ('\u{1F454}', "manager"),
    ('\u{1F465}', "people"),
    ('\u{1F4A1}', "idea"),
    ('\u{1F4AC}', "comment"),
    ('\u{1F4BB}', "computer"),
    ('\u{1F4BE}', "disk"),
    ('\u{1F4C1}', "folder"),
    ('\u{1F4C4}', "document"),
    ('\u{1F4C5}', "calendar"),
    ('\u{1F4C8}', "trend up"),
    ('\u{1F4C9}', "trend down"),
    ('\u{1F4CA}', "chart"),
    ('\u{1F4CB}', "clipboard"),
    ('\u{1F4CC}', "pin"),
    ('\u{1F4DA}', "books"),
    ('\u{1F4DD}', "memo"),
    ('\u{1F4DE}', "phone"),
    ('\u{1F4E3}', "announce"),
    ('\u{1F4E6}', "package"),
    ('\u{1F4E7}', "email"),
    ('\u{1F504}', "cycle"),
    ('\u{1F50D}', "search"),
    ('\u{1F510}', "locked key"),
    ('\u{1F511}', "key"),
    ('\u{1F512}', "locked"),
    ('\u{1F513}', "unlocked"),
    ('\u{1F514}', "bell"),
    ('\u{1F517}', "link"),
    ('\u{1F525}', "fire"),
    ('\u{1F527}', "wrench"),
    ('\u{1F534}', "red"),
    ('\u{1F5A5}', "desktop"),
    ('\u{1F5C4}', "cabinet"),
    ('\u{1F680}', "rocket"),
    ('\u{1F6A6}', "traffic light"),
    ('\u{1F6A8}', "alert"),
    ('\u{1F6D1}', "stop"),
    ('\u{1F6E0}', "tools"),
    ('\u{1F6E1}', "shield"),
    ('\u{1F7E0}', "orange"),
    ('\u{1F7E1}', "yellow"),
    ('\u{1F7E2}', "green"),
    ('\u{1F9D1}', "person"),
    ('\u{1F9EA}', "test"),
    ('\u{1F9F9}', "cleanup"),
];

/// The short name used for `ch` when a font lacks it, if it is one of the common ones.
pub fn fallback_name(ch: char) -> Option<&'static str> {
    NAMES
        .binary_search_by_key(&ch, |(c, _)| *c)
        .ok()
        .map(|i| NAMES[i].1)
}

fn is_invisible_modifier(ch: char) -> bool {
    matches!(ch,
        '\u{FE00}'..='\u{FE0F}'
        | '\u{200B}'..='\u{200D}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}')
}

fn needs_change(ch: char, coverage: &FontCoverage) -> bool {
    ch.is_control() || is_invisible_modifier(ch) || !coverage.covers(ch)
}

/// `text` with every character `coverage` cannot print replaced (see the module docs for the rule).
/// Borrows when nothing needs replacing.
pub fn printable<'a>(text: &'a str, coverage: &FontCoverage) -> Cow<'a, str> {
    if !text.chars().any(|ch| needs_change(ch, coverage)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        if is_invisible_modifier(ch) {
            continue;
        }
        if ch == '\t' {
            out.push_str("    ");
        } else if ch.is_control() {
            out.push(' ');
        } else if coverage.covers(ch) {
            out.push(ch);
        } else if let Some(name) = fallback_name(ch) {
            out.push('[');
            out.push_str(name);
            out.push(']');
        } else {
            out.push_str(&format!("[U+{:04X}]", ch as u32));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_is_sorted_for_binary_search() {
        assert!(NAMES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
