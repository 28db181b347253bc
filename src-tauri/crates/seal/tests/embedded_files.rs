//! Attaching the machine-readable record to the PDF.

mod common;

use common::*;

#[test]
fn an_embedded_record_round_trips_through_pdfdetach_and_qpdf_stays_clean() {
    if !have("pdfdetach", "poppler-utils") || !have("qpdf", "qpdf") {
        return;
    }
    let file = record_json("r-42");
    let sealed = greenlight_seal::embed_file(&one_page_pdf(), &file).expect("embed");
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = write(dir.path(), "record.pdf", &sealed);
    qpdf_is_clean(&pdf);

    let list = text(&run("pdfdetach", &["-list", pdf.to_str().expect("path")]));
    assert!(list.contains("1 embedded files"), "{list}");
    assert!(list.contains("record.json"), "{list}");

    let out = dir.path().join("out.json");
    let saved = run(
        "pdfdetach",
        &[
            "-save",
            "1",
            "-o",
            out.to_str().expect("path"),
            pdf.to_str().expect("path"),
        ],
    );
    assert!(saved.status.success(), "{}", text(&saved));
    assert_eq!(std::fs::read(&out).expect("read detached"), file.bytes);
}

#[test]
fn embedding_keeps_the_original_bytes_and_is_deterministic() {
    let original = one_page_pdf();
    let a = greenlight_seal::embed_file(&original, &record_json("x")).expect("embed");
    let b = greenlight_seal::embed_file(&original, &record_json("x")).expect("embed");
    assert_eq!(a, b, "same input gives same bytes");
    assert!(
        a.starts_with(&original),
        "an incremental update keeps the original as a prefix"
    );
    let id = b"greenlight-test-0001";
    let tail = &a[original.len()..];
    assert!(
        tail.windows(id.len()).any(|w| w == id),
        "the trailer /ID is preserved"
    );
}

#[test]
fn embedding_under_the_same_name_replaces_the_file() {
    let once = greenlight_seal::embed_file(&one_page_pdf(), &record_json("old")).expect("embed");
    let twice = greenlight_seal::embed_file(&once, &record_json("new")).expect("embed");
    let inspection = greenlight_seal::inspect_pdf(&twice).expect("inspect");
    assert_eq!(inspection.embedded_files.len(), 1);
    assert_eq!(inspection.embedded_files[0], record_json("new"));
}
