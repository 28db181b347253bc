//! `printable`: characters a font lacks are replaced by readable fallbacks, never dropped silently.

use std::borrow::Cow;

use greenlight_pdf::{Face, FontCoverage, fallback_name, printable};

fn ascii() -> FontCoverage {
    FontCoverage::from_chars((' '..='~').chain(['✓', '→']))
}

#[test]
fn text_the_font_covers_is_borrowed_unchanged() {
    let out = printable("Deploy → verify ✓", &ascii());
    assert!(matches!(out, Cow::Borrowed(_)));
    assert_eq!(out, "Deploy → verify ✓");
}

#[test]
fn common_emoji_become_short_names_in_brackets() {
    assert_eq!(printable("🚀 Launch", &ascii()), "[rocket] Launch");
    assert_eq!(
        printable("📊 Metrics 🧪", &ascii()),
        "[chart] Metrics [test]"
    );
    assert_eq!(fallback_name('🚀'), Some("rocket"));
}

#[test]
fn unknown_characters_become_their_code_point() {
    assert_eq!(printable("a🧿b", &ascii()), "a[U+1F9FF]b");
    assert_eq!(printable("≥ 5", &ascii()), "[U+2265] 5");
}

#[test]
fn variation_selectors_and_joiners_are_dropped_and_tabs_become_spaces() {
    assert_eq!(
        printable(
            "⚠\u{FE0F} Warning",
            &FontCoverage::from_chars((' '..='~').chain(['⚠']))
        ),
        "⚠ Warning"
    );
    assert_eq!(printable("a\tb", &ascii()), "a    b");
    assert_eq!(printable("a\u{7}b", &ascii()), "a b");
}

#[test]
fn the_bundled_sans_prints_checklist_symbols_itself_and_replaces_colour_emoji() {
    let sans = FontCoverage::of(Face::Regular);
    assert_eq!(printable("✓ ✗ ≥ → ⚠", &sans), "✓ ✗ ≥ → ⚠");
    assert_eq!(printable("🚀 Deploy", &sans), "[rocket] Deploy");
    assert_eq!(printable("🛡️ Security", &sans), "[shield] Security");
}
