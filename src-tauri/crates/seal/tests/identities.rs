//! Signing identities: self-signed certificates naming the person, checked against openssl.

mod common;

use common::*;
use greenlight_seal::{SigningIdentity, certificate_info, certificate_pem};

#[test]
fn the_private_key_is_not_printed_by_debug() {
    let id = identity();
    let printed = format!("{id:?} {id:#?}");
    assert!(printed.contains("redacted"), "{printed}");
    assert!(printed.contains("Ann Lee"), "{printed}");
    let key_hex = hex::encode(id.private_key_pkcs8_der().as_slice());
    assert!(
        !printed
            .to_lowercase()
            .contains(&key_hex[key_hex.len() - 32..])
    );
    let key_bytes = format!("{:?}", id.private_key_pkcs8_der().as_slice());
    assert!(!printed.contains(&key_bytes[1..40]), "no raw key bytes");
}

#[test]
fn an_identity_round_trips_through_its_key_and_certificate() {
    let id = identity();
    let again = SigningIdentity::from_pkcs8_and_cert(
        id.private_key_pkcs8_der().clone(),
        id.certificate_der().to_vec(),
    )
    .expect("same key and certificate");
    assert_eq!(again.certificate_der(), id.certificate_der());
    let other = identity();
    let err = SigningIdentity::from_pkcs8_and_cert(
        other.private_key_pkcs8_der().clone(),
        id.certificate_der().to_vec(),
    )
    .expect_err("mismatch");
    assert_eq!(err.code(), "key_mismatch");
    assert_eq!(
        certificate_info(b"nonsense").expect_err("bad").code(),
        "invalid_certificate"
    );
}

#[test]
fn certificate_info_matches_what_openssl_says() {
    if !have("openssl", "openssl") {
        return;
    }
    let id = identity();
    let info = certificate_info(id.certificate_der()).expect("info");
    assert!(info.self_signed);
    assert_eq!(info.subject, info.issuer);
    assert_eq!(info.not_before, time(2025, 1, 1, 9));

    let dir = tempfile::tempdir().expect("tempdir");
    let pem = certificate_pem(id.certificate_der()).expect("pem");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    let path = write(dir.path(), "cert.pem", pem.as_bytes());
    let out = run(
        "openssl",
        &[
            "x509",
            "-noout",
            "-fingerprint",
            "-sha256",
            "-subject",
            "-serial",
            "-ext",
            "keyUsage,subjectAltName",
            "-in",
            path.to_str().expect("path"),
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let line = |prefix: &str| {
        said.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {said}"))
            .trim()
            .to_string()
    };
    assert_eq!(line("sha256 Fingerprint="), info.fingerprint_sha256);
    assert_eq!(line("subject=").replace(" = ", "="), info.subject);
    assert_eq!(line("serial="), info.serial_hex);
    assert_eq!(
        info.subject,
        "CN=Ann Lee, title=Release manager, O=Example Ltd, emailAddress=ann@example.com"
    );
    assert!(
        said.contains("Digital Signature, Non Repudiation"),
        "{said}"
    );
    assert!(said.contains("email:ann@example.com"), "{said}");
}
