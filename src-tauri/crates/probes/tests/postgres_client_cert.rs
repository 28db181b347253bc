//! PostgreSQL probes that log in with a client certificate, against a real server started by the
//! tests whose pg_hba.conf accepts TCP logins by certificate only (`hostssl … cert`). Skipped
//! (with the reason printed) when the PostgreSQL binaries are missing.

mod support;

use std::path::PathBuf;

use greenlight_probes::{Outcome, ProbeResult, run_probe};
use support::pki::{Leaf, TestCa};
use support::servers::Postgres;
use support::{ctx, evidence, probe, skip};

const PG_PW: &str = "pg-cert-Sëcret-3";

/// A certificate-login server, the CA behind its certificate and the client certificates, and
/// a folder for client files.
struct CertLogin {
    ca: TestCa,
    pg: Postgres,
    dir: tempfile::TempDir,
}

impl CertLogin {
    fn start() -> Result<Self, String> {
        let ca = TestCa::new("PostgreSQL");
        let pg = Postgres::start_tls_client_cert("greenlight", PG_PW, &ca.leaf(90), &ca)?;
        Ok(Self {
            ca,
            pg,
            dir: tempfile::tempdir().map_err(|e| e.to_string())?,
        })
    }

    /// Writes `leaf`'s certificate and key as `<name>.crt` / `<name>.key`, the key with `mode`.
    fn client_files(&self, name: &str, leaf: &Leaf, mode: u32) -> (PathBuf, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let cert = self.dir.path().join(format!("{name}.crt"));
        let key = self.dir.path().join(format!("{name}.key"));
        std::fs::write(&cert, &leaf.cert_pem).unwrap();
        std::fs::write(&key, &leaf.key_pem).unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(mode)).unwrap();
        (cert, key)
    }

    /// A verify-full spec for role `greenlight` with `extra` lines.
    fn spec(&self, extra: &str) -> String {
        format!(
            "kind = \"postgres\"\nhost = \"127.0.0.1\"\nport = {}\ndatabase = \"postgres\"\n\
             user = \"greenlight\"\nsslmode = \"verify-full\"\nca_file = \"{}\"\ntimeout_ms = 5000\n\
             expect = {{ equals = 1 }}\n{extra}",
            self.pg.port,
            self.ca.ca_file()
        )
    }
}

fn with_client_cert(cert: &std::path::Path, key: &std::path::Path) -> String {
    format!(
        "client_cert_file = \"{}\"\nclient_key_file = \"{}\"",
        cert.display(),
        key.display()
    )
}

async fn run(spec: &str, key_pem: Option<&str>) -> ProbeResult {
    let r = run_probe(&probe(spec), &ctx(&[("pg", PG_PW)])).await;
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(!all.contains(PG_PW), "the password leaked: {all}");
    if let Some(key_body) = key_pem.and_then(|pem| pem.lines().nth(1)) {
        assert!(!all.contains(key_body), "the private key leaked: {all}");
    }
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_certificate_logs_in_without_a_password_and_the_evidence_names_it() {
    let server = match CertLogin::start() {
        Ok(s) => s,
        Err(reason) => return skip("postgres client certificate", &reason),
    };
    let client = server.ca.client_leaf("greenlight");
    let (cert, key) = server.client_files("greenlight", &client, 0o600);

    let r = run(
        &server.spec(&with_client_cert(&cert, &key)),
        Some(&client.key_pem),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let described = evidence(&r, "client certificate").unwrap();
    assert!(
        described.starts_with("CN=greenlight, valid until "),
        "{described}"
    );
    assert!(
        described.contains(&cert.display().to_string()),
        "{described}"
    );
    assert!(evidence(&r, "encryption").unwrap().starts_with("TLS: "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_certificate_or_with_one_from_another_ca_the_server_refuses_the_login() {
    let server = match CertLogin::start() {
        Ok(s) => s,
        Err(reason) => return skip("postgres client certificate refusals", &reason),
    };

    // A password alone does not do: the server asks for a certificate.
    let r = run(&server.spec("credential = \"pg\""), None).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("login_failed"));
    assert!(r.summary.contains("certificate"), "{}", r.summary);
    assert!(r.summary.contains("client_cert_file"), "{}", r.summary);
    assert_eq!(evidence(&r, "client certificate"), None);

    // A certificate the server's CA did not issue is refused during the handshake.
    let stranger = TestCa::new("someone else's").client_leaf("greenlight");
    let (cert, key) = server.client_files("stranger", &stranger, 0o600);
    let r = run(
        &server.spec(&with_client_cert(&cert, &key)),
        Some(&stranger.key_pem),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_client_cert_refused"));
    assert!(
        r.summary.contains("refused the client certificate"),
        "{}",
        r.summary
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_others_may_read_or_a_missing_file_is_an_error_that_names_the_file() {
    let server = match CertLogin::start() {
        Ok(s) => s,
        Err(reason) => return skip("postgres client key checks", &reason),
    };
    let client = server.ca.client_leaf("greenlight");

    let (cert, key) = server.client_files("open", &client, 0o644);
    let r = run(
        &server.spec(&with_client_cert(&cert, &key)),
        Some(&client.key_pem),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("probe_setup"));
    assert!(
        r.summary.contains(&key.display().to_string()),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("chmod 600"), "{}", r.summary);

    let missing = server.dir.path().join("missing.key");
    let r = run(
        &server.spec(&with_client_cert(&cert, &missing)),
        Some(&client.key_pem),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert!(r.summary.contains("client_key_file"), "{}", r.summary);
    assert!(
        r.summary.contains(&missing.display().to_string()),
        "{}",
        r.summary
    );

    // A certificate where the key should be: said without quoting the file.
    let (_, not_a_key) = server.client_files("swapped", &client, 0o600);
    std::fs::write(&not_a_key, &client.cert_pem).unwrap();
    let r = run(
        &server.spec(&with_client_cert(&cert, &not_a_key)),
        Some(&client.key_pem),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert!(r.summary.contains("no PEM private key"), "{}", r.summary);
}
