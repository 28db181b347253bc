//! Signing records and checking the signatures with poppler's pdfsig and our own inspector.

mod common;

use common::*;
use greenlight_seal::{ChangesAfter, inspect_pdf, sign_pdf};

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

#[test]
fn our_inspector_reports_the_signature_intact_with_signer_and_time() {
    let id = identity();
    let with_json =
        greenlight_seal::embed_file(&one_page_pdf(), &record_json("r-42")).expect("embed");
    let signed = sign_pdf(&with_json, &id, &options()).expect("sign");
    assert!(
        signed.starts_with(&with_json),
        "the original bytes stay a prefix"
    );

    let inspection = inspect_pdf(&signed).expect("inspect");
    assert_eq!(inspection.signatures.len(), 1);
    let sig = &inspection.signatures[0];
    assert!(sig.is_intact(), "{sig:?}");
    assert!(sig.covers_whole_document);
    assert_eq!(sig.changes_after, ChangesAfter::None);
    assert_eq!(sig.field_name, "Signature1");
    assert_eq!(sig.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    assert_eq!(sig.signing_time, Some(time(2025, 3, 1, 12)));
    assert_eq!(sig.timestamp, None);
    let signer = sig.signer.as_ref().expect("signer certificate");
    assert_eq!(
        signer.fingerprint_sha256,
        id.certificate_info().expect("info").fingerprint_sha256
    );
    assert!(!inspection.attachment_changed_since(0, "record.json"));
    assert_eq!(
        inspection
            .embedded_file("record.json")
            .map(|f| f.bytes.clone()),
        Some(record_json("r-42").bytes)
    );
}

#[test]
fn signing_is_deterministic_for_the_same_identity_input_and_time() {
    let id = identity();
    let pdf = one_page_pdf();
    assert_eq!(
        sign_pdf(&pdf, &id, &options()).expect("sign"),
        sign_pdf(&pdf, &id, &options()).expect("sign")
    );
}

#[test]
fn one_flipped_byte_in_the_signed_range_is_a_digest_mismatch_for_pdfsig_and_inspect() {
    let mut signed = signed_record();
    let text = b"Deployment record";
    let at = signed
        .windows(text.len())
        .position(|w| w == text)
        .expect("page text");
    signed[at] = b'E';

    let inspection = inspect_pdf(&signed).expect("inspect");
    let sig = &inspection.signatures[0];
    assert!(!sig.digest_matches, "{sig:?}");
    assert!(!sig.is_intact());
    assert!(
        sig.signature_valid,
        "the signed attributes themselves are untouched"
    );

    if !have("pdfsig", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let report = pdfsig(dir.path(), &signed);
    assert!(!report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Digest Mismatch"), "{report}");
}

#[test]
fn a_counter_signature_keeps_both_signatures_valid() {
    let first = signed_record();
    let bob = greenlight_seal::new_self_signed_identity(
        &greenlight_seal::IdentitySubject {
            name: "Bob Ng".into(),
            email: None,
            organisation: None,
            role: Some("Auditor".into()),
        },
        time(2025, 1, 1, 9),
        30,
    )
    .expect("identity");
    let mut opts = options();
    opts.signer_name = "Bob Ng".into();
    opts.reason = "Counter-signed".into();
    opts.signing_time = time(2025, 3, 2, 8);
    let both = sign_pdf(&first, &bob, &opts).expect("counter-sign");

    let inspection = inspect_pdf(&both).expect("inspect");
    assert_eq!(inspection.signatures.len(), 2);
    let (ann_sig, bob_sig) = (&inspection.signatures[0], &inspection.signatures[1]);
    assert!(ann_sig.is_intact() && bob_sig.is_intact());
    assert_eq!(ann_sig.field_name, "Signature1");
    assert_eq!(bob_sig.field_name, "Signature2");
    assert!(!ann_sig.covers_whole_document);
    assert_eq!(ann_sig.changes_after, ChangesAfter::OnlySignatures);
    assert!(bob_sig.covers_whole_document);
    assert!(
        bob_sig
            .signer
            .as_ref()
            .is_some_and(|s| s.subject == "CN=Bob Ng, title=Auditor")
    );
    assert!(!inspection.attachment_changed_since(0, "record.json"));

    if !have("pdfsig", "poppler-utils") || !have("qpdf", "qpdf") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let report = pdfsig(dir.path(), &both);
    assert!(report.contains("Signature #1"), "{report}");
    assert!(report.contains("Signature #2"), "{report}");
    assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
    qpdf_is_clean(&write(dir.path(), "both.pdf", &both));
}

#[test]
fn an_attachment_replaced_after_signing_is_reported_as_differing_from_the_signed_revision() {
    let signed = signed_record();
    let tampered =
        greenlight_seal::embed_file(&signed, &record_json("forged")).expect("replace attachment");

    let inspection = inspect_pdf(&tampered).expect("inspect");
    let sig = &inspection.signatures[0];
    assert!(sig.is_intact(), "the old revision is still validly signed");
    assert!(!sig.covers_whole_document);
    assert_eq!(sig.changes_after, ChangesAfter::Other);
    assert!(inspection.attachment_changed_since(0, "record.json"));
    assert_eq!(
        inspection
            .embedded_file("record.json")
            .map(|f| f.bytes.clone()),
        Some(record_json("forged").bytes)
    );
    assert_ne!(
        inspection.signed_revision_embedded(0, "record.json"),
        None,
        "the signed revision had the attachment"
    );

    if !have("pdfsig", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let report = pdfsig(dir.path(), &tampered);
    assert!(!report.contains("Total document signed"), "{report}");
}

#[test]
fn bytes_appended_after_signing_mean_the_signature_no_longer_covers_the_document() {
    let signed = signed_record();
    let mut extra = record_json("notes");
    extra.name = "notes.txt".into();
    let appended = greenlight_seal::embed_file(&signed, &extra).expect("append");
    let inspection = inspect_pdf(&appended).expect("inspect");
    let sig = &inspection.signatures[0];
    assert!(sig.is_intact());
    assert!(!sig.covers_whole_document);
    assert_eq!(sig.changes_after, ChangesAfter::Other);
    assert!(
        inspection.attachment_changed_since(0, "notes.txt"),
        "added later"
    );
    assert!(!inspection.attachment_changed_since(0, "record.json"));
}

#[test]
fn an_attacker_re_signing_with_another_key_shows_a_different_fingerprint() {
    let ann = identity();
    let forger = identity(); // same name and e-mail, different key pair
    let forged_record =
        greenlight_seal::embed_file(&one_page_pdf(), &record_json("forged")).expect("embed");
    let forged = sign_pdf(&forged_record, &forger, &options()).expect("sign");

    let inspection = inspect_pdf(&forged).expect("inspect");
    let sig = &inspection.signatures[0];
    assert!(
        sig.is_intact(),
        "a self-signed forgery is cryptographically valid"
    );
    let signer = sig.signer.as_ref().expect("signer");
    let genuine = ann.certificate_info().expect("info");
    assert_eq!(signer.subject, genuine.subject, "the names look the same");
    assert_ne!(signer.fingerprint_sha256, genuine.fingerprint_sha256);
}

#[test]
fn a_truncated_file_and_a_non_pdf_give_clear_errors() {
    let not_pdf = inspect_pdf(b"PK\x03\x04 this is a zip").expect_err("not a pdf");
    assert_eq!(not_pdf.code(), "not_a_pdf");
    assert!(!not_pdf.to_string().is_empty());

    let signed = signed_record();
    for cut in [signed.len() - 3, signed.len() / 2, 200, 5] {
        let err = inspect_pdf(&signed[..cut]).expect_err("truncated");
        assert_eq!(err.code(), "damaged", "cut at {cut}: {err}");
    }
    assert_eq!(
        sign_pdf(b"", &identity(), &options())
            .expect_err("empty")
            .code(),
        "not_a_pdf"
    );
}
