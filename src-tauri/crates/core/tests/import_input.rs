//! Input handling: line endings, BOM, encodings, binary and oversized input, empty and item-less text.

mod common;

use common::*;
use greenlight_core::{ImportError, MAX_TEMPLATE_BYTES, import_markdown};

const SMALL: &str =
    "# Small\n\n## Steps\n\n- [ ] First step\n  - [ ] Nested step\n- [ ] Second: ____ ms\n";

#[test]
fn crlf_line_endings_give_the_same_items_as_lf() {
    let lf = import(SMALL);
    let crlf = import(&SMALL.replace('\n', "\r\n"));
    assert_eq!(crlf.sections, lf.sections);
    assert_eq!(crlf.content_hash, lf.content_hash);
}

#[test]
fn lone_cr_and_mixed_line_endings_give_the_same_template_as_lf() {
    let lf = import(SMALL);
    let mixed: String = SMALL
        .split_inclusive('\n')
        .enumerate()
        .map(|(index, line)| match index % 3 {
            0 => line.replace('\n', "\r"),
            1 => line.replace('\n', "\r\n"),
            _ => line.to_string(),
        })
        .collect();
    assert_eq!(import(&mixed), lf);
}

#[test]
fn a_utf8_bom_is_stripped_before_parsing() {
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), SMALL.as_bytes()].concat();
    let template = import_markdown(&with_bom, "x").expect("imports");
    assert_eq!(template, import(SMALL));
    assert_eq!(template.title, "Small");
}

#[test]
fn the_content_hash_is_the_sha256_of_the_normalised_text() {
    let template = import("# T\r\n- [ ] a\r\n");
    let lf = import("# T\n- [ ] a\n");
    assert_eq!(template.content_hash, lf.content_hash);
    assert_eq!(template.content_hash.len(), 64);
    assert_ne!(template.content_hash, import("# T\n- [ ] b\n").content_hash);
}

#[test]
fn invalid_utf8_is_rejected_with_line_and_offset() {
    let bytes = b"# T\n- [ ] ok\n- [ ] caf\xE9\n";
    assert_eq!(
        import_markdown(bytes, "x"),
        Err(ImportError::NotUtf8 {
            line: 3,
            byte_offset: 22
        })
    );
}

#[test]
fn binary_input_is_rejected_with_its_line() {
    assert_eq!(
        import_markdown(b"# T\n- [ ] a\x00b\n", "x"),
        Err(ImportError::Binary { line: 2 })
    );
    assert_eq!(
        import_markdown(b"\x89PNG\r\n\x1a\n\x00\x00", "x"),
        Err(ImportError::Binary { line: 2 })
    );
    assert!(import_markdown(b"# T\n\t- [ ] tabbed\x0c\n- [ ] b\n", "x").is_ok());
}

#[test]
fn input_over_five_megabytes_is_rejected_before_parsing() {
    let big = vec![b'a'; MAX_TEMPLATE_BYTES + 1];
    assert_eq!(
        import_markdown(&big, "x"),
        Err(ImportError::TooLarge {
            size: MAX_TEMPLATE_BYTES + 1,
            limit: MAX_TEMPLATE_BYTES
        })
    );
}

#[test]
fn empty_and_whitespace_only_input_is_empty() {
    assert_eq!(import_markdown(b"", "x"), Err(ImportError::Empty));
    assert_eq!(import_markdown(b"  \r\n\t\n", "x"), Err(ImportError::Empty));
    assert_eq!(
        import_markdown(b"\xEF\xBB\xBF\n", "x"),
        Err(ImportError::Empty)
    );
}

#[test]
fn text_without_checkboxes_has_no_items() {
    let prose = "# Notes\n\nJust prose.\n\n- a plain bullet\n\n```bash\n- [ ] inside code\n```\n";
    assert_eq!(
        import_markdown(prose.as_bytes(), "x"),
        Err(ImportError::NoItems)
    );
}
