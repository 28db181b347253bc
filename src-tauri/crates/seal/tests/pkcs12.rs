//! Company certificates from PKCS#12 files (made with openssl) sign records that verify.

mod common;

use std::path::Path;

use common::*;
use greenlight_seal::{identity_from_pkcs12, inspect_pdf, sign_pdf};

/// A key + self-signed certificate exported as .p12 with password `secret`.
fn make_p12(dir: &Path, key_args: &[&str], legacy: bool) -> Vec<u8> {
    let d = dir.to_str().expect("path");
    let mut args = vec!["req", "-x509", "-newkey"];
    args.extend_from_slice(key_args);
    let key = format!("{d}/company.key");
    let cert = format!("{d}/company.crt");
    args.extend_from_slice(&[
        "-nodes",
        "-keyout",
        &key,
        "-out",
        &cert,
        "-days",
        "30",
        "-subj",
        "/CN=Carla Diaz/O=Example Corp",
    ]);
    let made = run("openssl", &args);
    assert!(made.status.success(), "{}", text(&made));
    let p12 = format!("{d}/company.p12");
    let mut export = vec![
        "pkcs12",
        "-export",
        "-inkey",
        &key,
        "-in",
        &cert,
        "-out",
        &p12,
        "-passout",
        "pass:secret",
    ];
    if legacy {
        export.push("-legacy");
    }
    let out = run("openssl", &export);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::read(&p12).expect("p12")
}

fn signs_and_verifies(p12: &[u8]) {
    let identity = identity_from_pkcs12(p12, "secret").expect("open p12");
    let info = identity.certificate_info().expect("info");
    assert_eq!(info.subject, "CN=Carla Diaz, O=Example Corp");
    let signed = sign_pdf(&one_page_pdf(), &identity, &options()).expect("sign");
    let inspection = inspect_pdf(&signed).expect("inspect");
    assert!(
        inspection.signatures[0].is_intact(),
        "{:?}",
        inspection.signatures[0]
    );
    if !have("pdfsig", "poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let report = pdfsig(dir.path(), &signed);
    assert!(report.contains("Signature is Valid."), "{report}");
}

#[test]
fn an_rsa_company_certificate_from_pkcs12_signs_a_record_that_verifies() {
    if !have("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    signs_and_verifies(&make_p12(dir.path(), &["rsa:2048"], false));
}

#[test]
fn an_ecdsa_company_certificate_from_a_legacy_pkcs12_signs_a_record_that_verifies() {
    if !have("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let p12 = make_p12(
        dir.path(),
        &["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
        true,
    );
    signs_and_verifies(&p12);
}

#[test]
fn a_wrong_pkcs12_password_is_a_clear_error() {
    if !have("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let p12 = make_p12(
        dir.path(),
        &["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
        false,
    );
    let err = identity_from_pkcs12(&p12, "wrong").expect_err("wrong password");
    assert_eq!(err.code(), "pkcs12");
}
