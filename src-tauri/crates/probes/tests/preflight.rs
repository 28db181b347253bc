//! Preflight of the files a probe names, with real certificates from a test CA: an expired
//! certificate, a key others may read, a missing key, and a clean pair that passes. Nothing is
//! contacted.

mod support;

use std::collections::BTreeMap;

use chrono::Utc;
use greenlight_probes::{
    BlockPlace, FixTarget, MemoryApprovals, ProblemKind, check_block, parse_spec,
};
use support::pki::TestCa;

fn check(toml: &str) -> greenlight_probes::BlockCheck {
    check_block(
        &parse_spec(toml),
        &BTreeMap::new(),
        &MemoryApprovals::new(),
        &BlockPlace {
            item_id: "item",
            line: 3,
            environment: "staging",
            template_id: "tpl",
        },
        Utc::now(),
    )
}

fn https(extra: &str) -> String {
    format!("kind = \"http\"\nurl = \"https://127.0.0.1:1/health\"\n{extra}")
}

#[cfg(unix)]
#[test]
fn a_clean_client_pair_and_ca_file_pass_and_nothing_is_contacted() {
    let ca = TestCa::new("preflight");
    let dir = tempfile::tempdir().unwrap();
    let files = ca
        .client_leaf("app")
        .write_client_files(dir.path(), "app", 0o600);
    let c = check(&https(&format!(
        "ca_file = \"{}\"\n{}",
        ca.ca_file(),
        files.spec_lines()
    )));
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.targets.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_key_others_may_read_is_named_with_the_chmod_that_fixes_it() {
    let ca = TestCa::new("preflight");
    let dir = tempfile::tempdir().unwrap();
    let files = ca
        .client_leaf("app")
        .write_client_files(dir.path(), "app", 0o644);
    let c = check(&https(&files.spec_lines()));
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    let p = &c.problems[0];
    assert_eq!(p.kind, ProblemKind::KeyPermissions);
    assert!(p.message.contains("mode 644"), "{}", p.message);
    assert_eq!(p.fix, format!("run `chmod 600 {}`", files.key.display()));
    let key = std::fs::read_to_string(&files.key).unwrap();
    let body = key.lines().nth(1).unwrap();
    assert!(
        !p.message.contains(body),
        "the key's content is never quoted"
    );
}

#[cfg(unix)]
#[test]
fn a_missing_key_file_is_named_with_its_field() {
    let ca = TestCa::new("preflight");
    let dir = tempfile::tempdir().unwrap();
    let files = ca
        .client_leaf("app")
        .write_client_files(dir.path(), "app", 0o600);
    std::fs::remove_file(&files.key).unwrap();
    let c = check(&https(&files.spec_lines()));
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    assert_eq!(c.problems[0].kind, ProblemKind::FileProblem);
    assert!(
        c.problems[0].message.contains("`client_key_file`")
            && c.problems[0].message.contains("does not exist"),
        "{}",
        c.problems[0].message
    );
    assert_eq!(
        c.problems[0].target,
        FixTarget::File {
            path: files.key.display().to_string()
        }
    );
}

#[test]
fn an_expired_certificate_in_ca_file_is_a_problem_and_a_valid_one_is_not() {
    let ca = TestCa::new("preflight");
    let dir = tempfile::tempdir().unwrap();
    let expired = dir.path().join("expired.pem");
    std::fs::write(&expired, ca.leaf(-3).cert_pem).unwrap();
    let c = check(&format!(
        "kind = \"tls\"\nhost = \"localhost\"\nca_file = \"{}\"",
        expired.display()
    ));
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    assert_eq!(c.problems[0].kind, ProblemKind::CertificateExpired);
    assert!(
        c.problems[0].message.contains("expired on"),
        "{}",
        c.problems[0].message
    );

    let fresh = dir.path().join("fresh.pem");
    std::fs::write(&fresh, ca.leaf(30).cert_pem).unwrap();
    let c = check(&format!(
        "kind = \"tls\"\nhost = \"localhost\"\nca_file = \"{}\"",
        fresh.display()
    ));
    assert!(c.problems.is_empty(), "{:?}", c.problems);
}
