//! Signing records and checking the signatures with poppler's pdfsig and our own inspector.

mod common;

use common::*;

#[test]
fn a_signed_record_is_reported_valid_and_totally_signed_by_pdfsig() {
    if !have("pdfsig", "poppler-utils") || !have("qpdf", "qpdf") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let signed = signed_record();
    let report = pdfsig(dir.path(), &signed);
    assert!(report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    qpdf_is_clean(&write(dir.path(), "signed.pdf", &signed));
}
