//! PostgreSQL probes that log in with a client certificate, against a real server started by the
//! tests whose pg_hba.conf accepts TCP logins by certificate only (`hostssl … cert`). Skipped
//! (with the reason printed) when the PostgreSQL binaries are missing.

mod support;

use greenlight_probes::{Outcome, ProbeResult, run_probe};
use support::pki::{ClientFiles, TestCa};
use support::servers::Postgres;
use support::{assert_client_certificate_refused, ctx, evidence, probe, skip};

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
    let files = client.write_client_files(server.dir.path(), "greenlight", 0o600);

    let r = run(&server.spec(&files.spec_lines()), Some(&client.key_pem)).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let described = evidence(&r, "client certificate").unwrap();
    assert!(
        described.starts_with("CN=greenlight, valid until "),
        "{described}"
    );
    assert!(
        described.contains(&files.cert.display().to_string()),
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
    let files = stranger.write_client_files(server.dir.path(), "stranger", 0o600);
    let r = run(&server.spec(&files.spec_lines()), Some(&stranger.key_pem)).await;
    assert_client_certificate_refused(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_others_may_read_or_a_missing_file_is_an_error_that_names_the_file() {
    let server = match CertLogin::start() {
        Ok(s) => s,
        Err(reason) => return skip("postgres client key checks", &reason),
    };
    let client = server.ca.client_leaf("greenlight");

    let files = client.write_client_files(server.dir.path(), "open", 0o644);
    let r = run(&server.spec(&files.spec_lines()), Some(&client.key_pem)).await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("probe_setup"));
    assert!(
        r.summary.contains(&files.key.display().to_string()),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("chmod 600"), "{}", r.summary);

    let missing = ClientFiles {
        cert: files.cert.clone(),
        key: server.dir.path().join("missing.key"),
    };
    let r = run(&server.spec(&missing.spec_lines()), Some(&client.key_pem)).await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert!(r.summary.contains("client_key_file"), "{}", r.summary);
    assert!(
        r.summary.contains(&missing.key.display().to_string()),
        "{}",
        r.summary
    );

    // A certificate where the key should be: said without quoting the file.
    let swapped = client.write_client_files(server.dir.path(), "swapped", 0o600);
    std::fs::write(&swapped.key, &client.cert_pem).unwrap();
    let r = run(&server.spec(&swapped.spec_lines()), Some(&client.key_pem)).await;
    assert_eq!(r.outcome, Outcome::Error, "{r:#?}");
    assert!(r.summary.contains("no PEM private key"), "{}", r.summary);
}
