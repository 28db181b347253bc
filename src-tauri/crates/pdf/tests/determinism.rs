//! Same input, same print time and same document id give byte-identical PDFs (records are hashed).

mod common;

use common::*;
use greenlight_pdf::{Paper, render_blank, render_record};

#[test]
fn the_same_input_time_and_document_id_give_identical_bytes() {
    let template = sample_template();
    let first = render_blank(&template, &blank_options(Paper::A4)).expect("first");
    let second = render_blank(&template, &blank_options(Paper::A4)).expect("second");
    assert_eq!(first, second, "blank output differs between runs");

    let record = sample_record(&template);
    let first = render_record(&record, &record_options(Paper::Letter)).expect("first");
    let second = render_record(&record, &record_options(Paper::Letter)).expect("second");
    assert_eq!(first, second, "record output differs between runs");
}

#[test]
fn a_different_document_id_or_print_time_changes_the_bytes() {
    let template = sample_template();
    let base = render_blank(&template, &blank_options(Paper::A4)).expect("base");
    let mut other_id = blank_options(Paper::A4);
    other_id.document_id = "doc-test-0002".into();
    assert_ne!(base, render_blank(&template, &other_id).expect("other id"));
    let mut later = blank_options(Paper::A4);
    later.printed_at = at(9, 1);
    assert_ne!(base, render_blank(&template, &later).expect("later"));
}

#[test]
fn an_empty_document_id_is_refused() {
    let mut options = blank_options(Paper::A4);
    options.document_id = "  ".into();
    assert!(render_blank(&sample_template(), &options).is_err());
}
