//! A company certificate instead of the self-signed one: a PKCS#12 file issued by a (test)
//! company CA, its password given on standard input, its key kept in the real OS keychain; the
//! records it signs name the company certificate and verify, with our verifier and pdfsig.

mod support;

use std::path::Path;

use std::process::{Command, Output};
use support::greenlight_with_input;

use greenlight_app::record_verify::{RecordVerdict, verify_record_file};

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// A company CA and an RSA signing certificate it issued to Ann, exported as `ann.p12`.
fn company_p12(dir: &Path, password: &str) -> bool {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "30",
            "-subj",
            "/O=Example Corp/CN=Example Corp Signing CA",
        ],
    ) && openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ann.key",
            "-out",
            "ann.csr",
            "-subj",
            "/O=Example Corp/CN=Ann Lee/emailAddress=ann@example.com",
        ],
    ) && openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "ann.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "ann.crt",
            "-days",
            "30",
        ],
    ) && openssl(
        dir,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "ann.key",
            "-in",
            "ann.crt",
            "-certfile",
            "ca.crt",
            "-out",
            "ann.p12",
            "-passout",
            &format!("pass:{password}"),
        ],
    )
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn a_company_pkcs12_certificate_signs_records_that_name_it_and_verify() {
    if std::env::var("GREENLIGHT_TEST_KEYRING_PASSWORD").is_err() {
        eprintln!(
            "skipped: no test keyring (run under src-tauri/crates/secrets/tests/with-keyring.sh)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let password = "corp pässword 7";
    if !company_p12(dir.path(), password) {
        eprintln!("skipped: openssl is not installed (apt-get install openssl)");
        return;
    }
    let data = dir.path().join("data");
    let p12 = dir.path().join("ann.p12").display().to_string();

    let wrong = greenlight_with_input(&data, &["identity", "use-certificate", &p12], "not it\n");
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("pkcs12") && stderr.contains("wrong password"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not it"),
        "the password is never echoed: {stderr}"
    );

    ok(greenlight_with_input(
        &data,
        &["identity", "set", "--name", "Ann Lee"],
        "",
    ));
    let used = ok(greenlight_with_input(
        &data,
        &["identity", "use-certificate", &p12],
        &format!("{password}\n"),
    ));
    assert!(
        used.contains("CN=Ann Lee") && used.contains("Example Corp Signing CA"),
        "{used}"
    );

    let run = support::completed_bundled_run_cli(&data);
    let pdf = dir.path().join("company.pdf");
    let exported = ok(greenlight_with_input(
        &data,
        &["export", "--run", &run, "--pdf", pdf.to_str().unwrap()],
        "",
    ));
    assert!(
        exported.contains("signed by") && exported.contains("Ann Lee"),
        "{exported}"
    );

    let report = verify_record_file(&std::fs::read(&pdf).unwrap(), None);
    assert_eq!(
        report.verdict,
        RecordVerdict::Intact,
        "{:?}",
        report.problems
    );
    let signature = &report.signatures[0];
    assert!(signature.valid);
    assert!(
        !signature.self_signed,
        "a CA-issued certificate is not self-signed"
    );
    assert!(
        signature.signer.contains("Example Corp"),
        "{}",
        signature.signer
    );
    if let Ok(out) = Command::new("pdfsig").arg(&pdf).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Signature is Valid."), "{text}");
    }
    // Neither the file's password nor its key is in the data folder.
    for entry in std::fs::read_dir(&data).unwrap().flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains(password));
        }
    }
}
