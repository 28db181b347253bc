//! Trusted time: an RFC 3161 token from a real (openssl) time-stamp authority in the signature.

mod common;

use std::path::Path;

use common::*;
use greenlight_seal::{inspect_pdf, prepare_signature};

/// A throw-away TSA: a self-signed certificate with critical extendedKeyUsage timeStamping and
/// an `openssl ts` configuration using it.
fn test_tsa(dir: &Path) -> std::path::PathBuf {
    let d = dir.to_str().expect("path");
    let made = run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{d}/tsa.key"),
            "-out",
            &format!("{d}/tsa.crt"),
            "-days",
            "30",
            "-subj",
            "/CN=Greenlight Test TSA",
            "-addext",
            "extendedKeyUsage=critical,timeStamping",
            "-addext",
            "keyUsage=critical,digitalSignature",
        ],
    );
    assert!(made.status.success(), "{}", text(&made));
    write(dir, "serial", b"01\n");
    let config = format!(
        "[ tsa ]\ndefault_tsa = tsa_config1\n\n[ tsa_config1 ]\ndir = {d}\nserial = $dir/serial\n\
         crypto_device = builtin\nsigner_cert = $dir/tsa.crt\nsigner_key = $dir/tsa.key\n\
         signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\n\
         accuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\n\
         ess_cert_id_alg = sha256\n"
    );
    write(dir, "tsa.cnf", config.as_bytes())
}

fn tsa_reply(dir: &Path, config: &Path, request: &[u8], name: &str) -> Vec<u8> {
    let query = write(dir, &format!("{name}.tsq"), request);
    let reply = dir.join(format!("{name}.tsr"));
    let out = run(
        "openssl",
        &[
            "ts",
            "-reply",
            "-config",
            config.to_str().expect("path"),
            "-queryfile",
            query.to_str().expect("path"),
            "-out",
            reply.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    std::fs::read(reply).expect("reply")
}

#[test]
fn a_time_stamped_signature_is_valid_for_pdfsig_and_reports_the_tsa_time() {
    if !have("openssl", "openssl") || !have("pdfsig", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let config = test_tsa(dir.path());
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
    let reply = tsa_reply(dir.path(), &config, prepared.tsa_request(), "sig");
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
    let config = test_tsa(dir.path());
    let pdf = one_page_pdf();
    let first = prepare_signature(&pdf, &identity(), &options()).expect("prepare");
    let second = prepare_signature(&pdf, &identity(), &options()).expect("prepare");
    let reply = tsa_reply(dir.path(), &config, second.tsa_request(), "other");
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
