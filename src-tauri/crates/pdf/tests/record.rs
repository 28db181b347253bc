//! A completed record prints states, values, notes, the gate override, both signatures and the
//! audit page, and is a valid PDF.

mod common;

use common::*;
use greenlight_pdf::{Paper, render_record};

#[test]
fn a_completed_record_shows_signers_the_override_the_audit_head_hash_and_page_numbers() {
    let template = sample_template();
    let record = sample_record(&template);
    let pdf = render_record(&record, &record_options(Paper::A4)).expect("render record");
    assert!(pdf.starts_with(b"%PDF-"));
    if !(have("pdftotext") && have("qpdf") && have("pdffonts")) {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "record.pdf", &pdf);
    assert_qpdf_ok(&file);
    assert_fonts_embedded(&file);
    let text = normalise(&pdftotext(&file));
    for needle in [
        "Quinn Q. Assurance",
        "Rita Release",
        "OVERRIDE: Log errors traced to a known client bug",
        HEAD_HASH,
        "Page 1 of",
        "STALE — re-sign required",
        "CORRECTION (carol",
        "Response time P95: 182",
        "✗ FAIL — bob",
        "✓ PASS — alice",
        "Evidence (PASS",
        "certificate subject: CN=pay.example.com",
        "Audit trail",
        "run-2026-11-23-001",
        "Window closed 40 minutes early",
    ] {
        assert!(
            text.contains(needle),
            "record text lacks {needle:?}\n{text}"
        );
    }
}

#[test]
fn the_record_carries_title_author_subject_and_the_print_time_as_creation_date() {
    let template = sample_template();
    let record = sample_record(&template);
    let pdf = render_record(&record, &record_options(Paper::A4)).expect("render record");
    if !have("pdfinfo") {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "record.pdf", &pdf);
    let out = std::process::Command::new("pdfinfo")
        .arg(&file)
        .env("TZ", "UTC")
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout);
    assert!(
        info.contains("Sample Release Checklist — Payments API"),
        "{info}"
    );
    assert!(
        info.contains("Author:") && info.contains("Rita Release"),
        "{info}"
    );
    assert!(
        info.contains("Release run record run-2026-11-23-001"),
        "{info}"
    );
    assert!(
        info.contains("2026") && !info.contains("1970"),
        "creation date is the print time: {info}"
    );
    assert!(!info.contains("PDF/X"), "no conformance is claimed: {info}");
}

#[test]
fn a_recorded_preflight_prints_when_by_whom_and_its_problems() {
    let template = sample_template();
    let record = sample_record(&template);
    let pdf = render_record(&record, &record_options(Paper::A4)).expect("render record");
    if !have("pdftotext") {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "record.pdf", &pdf);
    let text = normalise(&pdftotext(&file));
    for needle in [
        "Preflight: 2026-11-23 09:30 UTC by alice in production, 4 probes checked: 1 problem",
        "Health endpoint answers, line 14: the variable `api_base` is not defined in production",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}
