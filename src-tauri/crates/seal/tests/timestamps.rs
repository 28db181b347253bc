//! Trusted time: an RFC 3161 token from a real (openssl) time-stamp authority in the signature.

mod common;
#[path = "common/tsa.rs"]
mod tsa;

use common::*;
use greenlight_seal::{inspect_pdf, prepare_signature};
use tsa::{test_tsa, tsa_reply};

#[test]
fn a_time_stamped_signature_is_valid_for_pdfsig_and_reports_the_tsa_time() {
    if !have("openssl", "openssl") || !have("pdfsig", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let config = test_tsa(dir.path()).expect("a test TSA");
    let record = greenlight_seal::embed_file(&one_page_pdf(), &record_json("r-7")).expect("embed");
    let prepared = prepare_signature(&record, &identity(), &options()).expect("prepare");

    let check = run(
        "openssl",
        &[
            "asn1parse",
            "-inform",
            "DER",
            "-in",
            write(dir.path(), "req.der", prepared.tsa_request())
                .to_str()
                .expect("path"),
        ],
    );
    assert!(
        check.status.success(),
        "the request is DER: {}",
        text(&check)
    );

    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    let reply = tsa_reply(dir.path(), &config, prepared.tsa_request(), "sig").expect("a reply");
    let sealed = prepared.finish(Some(&reply)).expect("finish with token");
    let after = chrono::Utc::now() + chrono::Duration::seconds(5);

    let inspection = inspect_pdf(&sealed).expect("inspect");
    let sig = &inspection.signatures[0];
    assert!(sig.is_intact(), "{sig:?}");
    let stamped = sig.timestamp.expect("timestamp reported");
    assert!(stamped >= before && stamped <= after, "{stamped}");
    assert!(sig.timestamp_matches_signature);

    let report = pdfsig(dir.path(), &sealed);
    assert!(report.contains("Signature is Valid."), "{report}");
    assert!(report.contains("Total document signed"), "{report}");
}

#[test]
fn a_token_for_another_signature_is_refused() {
    if !have("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let config = test_tsa(dir.path()).expect("a test TSA");
    let pdf = one_page_pdf();
    let first = prepare_signature(&pdf, &identity(), &options()).expect("prepare");
    let second = prepare_signature(&pdf, &identity(), &options()).expect("prepare");
    let reply = tsa_reply(dir.path(), &config, second.tsa_request(), "other").expect("a reply");
    let err = first.finish(Some(&reply)).expect_err("wrong token");
    assert_eq!(err.code(), "invalid_timestamp");
    assert_eq!(
        prepare_signature(&pdf, &identity(), &options())
            .expect("prepare")
            .finish(Some(b"not a token"))
            .expect_err("garbage")
            .code(),
        "invalid_timestamp"
    );
}
