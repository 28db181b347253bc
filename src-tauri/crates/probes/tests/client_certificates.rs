//! Client certificates (mutual TLS) for HTTP, Prometheus and Redis probes, against servers on
//! loopback that complete the handshake only for a certificate their CA issued: an in-process
//! HTTPS server and a real redis-server with `tls-auth-clients yes` (skipped, with the reason
//! printed, when redis-server is missing). Also: where the fields are refused before anything
//! runs.

mod support;

use std::sync::Arc;

use greenlight_probes::{Outcome, ProbeError, ProbeResult, parse_spec, run_probe};
use support::http_server::{Reply, serve_mutual_tls};
use support::pki::{ClientFiles, Leaf, TestCa};
use support::servers::Redis;
use support::{assert_client_certificate_refused, ctx, evidence, probe, skip};

const REDIS_PW: &str = "redis-mTLS-Pw-81";

async fn run(spec: &str, leaf: &Leaf) -> ProbeResult {
    let r = run_probe(&probe(spec), &ctx(&[("redis", REDIS_PW)])).await;
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    let key_body = leaf.key_pem.lines().nth(1).unwrap();
    assert!(!all.contains(key_body), "the private key leaked: {all}");
    assert!(!all.contains(REDIS_PW), "the password leaked: {all}");
    r
}

/// A client certificate `ca` issued for CN=release-laptop, in files in a temporary folder.
struct Client {
    leaf: Leaf,
    files: ClientFiles,
    dir: tempfile::TempDir,
}

impl Client {
    fn of(ca: &TestCa) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let leaf = ca.client_leaf("release-laptop");
        let files = leaf.write_client_files(dir.path(), "laptop", 0o600);
        Self { leaf, files, dir }
    }

    /// Runs `spec` with `files` added: it must pass and name the certificate. Then without any
    /// certificate: it must fail, saying one is required. Returns the passing result.
    async fn passes_only_with(&self, spec: &str) -> ProbeResult {
        let with = run(&format!("{spec}\n{}", self.files.spec_lines()), &self.leaf).await;
        assert_eq!(with.outcome, Outcome::Pass, "{with:#?}");
        let described = evidence(&with, "client certificate").unwrap();
        assert!(
            described.starts_with("CN=release-laptop, valid until "),
            "{described}"
        );
        let without = run(spec, &self.leaf).await;
        assert_eq!(without.outcome, Outcome::Fail, "{without:#?}");
        assert_eq!(without.code.as_deref(), Some("tls_client_cert_required"));
        assert!(
            without.summary.contains("requires a client certificate"),
            "{}",
            without.summary
        );
        assert!(
            without.summary.contains("client_cert_file"),
            "{}",
            without.summary
        );
        with
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_probe_presents_its_client_certificate_and_is_refused_without_one() {
    let ca = TestCa::new("mutual TLS");
    let server = serve_mutual_tls(
        Arc::new(|_| Reply::json(200, r#"{"status":"ok"}"#)),
        &ca.leaf(90),
        &ca,
    )
    .await;
    let client = Client::of(&ca);
    let spec = format!(
        "kind = \"http\"\nurl = \"{}\"\nca_file = \"{}\"\ntimeout_ms = 3000",
        server.url("https", "/health"),
        ca.ca_file()
    );
    client.passes_only_with(&spec).await;

    // Paths may start with ~/, as in the shell snippets they come from.
    let home = std::env::home_dir().expect("a home folder");
    let in_home = tempfile::tempdir_in(&home).unwrap();
    let files = client
        .leaf
        .write_client_files(in_home.path(), "laptop", 0o600);
    let relative =
        |path: &std::path::Path| format!("~/{}", path.strip_prefix(&home).unwrap().display());
    let tilde = format!(
        "{spec}\nclient_cert_file = \"{}\"\nclient_key_file = \"{}\"",
        relative(&files.cert),
        relative(&files.key)
    );
    assert!(tilde.contains("client_key_file = \"~/"), "{tilde}");
    let r = run(&tilde, &client.leaf).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");

    // A certificate from another CA is refused too, and said so.
    let stranger = TestCa::new("someone else's").client_leaf("release-laptop");
    let files = stranger.write_client_files(client.dir.path(), "stranger", 0o600);
    let r = run(&format!("{spec}\n{}", files.spec_lines()), &stranger).await;
    assert_client_certificate_refused(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prometheus_probe_behind_mutual_tls_presents_its_client_certificate() {
    let ca = TestCa::new("Prometheus gateway");
    let server = serve_mutual_tls(
        Arc::new(|req| {
            assert_eq!(req.path, "/api/v1/targets");
            Reply::json(
                200,
                r#"{"status":"success","data":{"activeTargets":[{"health":"up","labels":{"job":"api"}}]}}"#,
            )
        }),
        &ca.leaf(90),
        &ca,
    )
    .await;
    let spec = format!(
        "kind = \"prometheus\"\nurl = \"{}\"\nall_targets_up = true\nca_file = \"{}\"\ntimeout_ms = 3000",
        server.url("https", ""),
        ca.ca_file()
    );
    let passed = Client::of(&ca).passes_only_with(&spec).await;
    assert_eq!(evidence(&passed, "targets up"), Some("1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_probe_over_tls_logs_in_with_a_client_certificate_and_its_password() {
    let ca = TestCa::new("Redis");
    let redis = match Redis::start_mutual_tls(REDIS_PW, &ca.leaf(90), &ca) {
        Ok(r) => r,
        Err(reason) => return skip("redis mutual tls", &reason),
    };
    let spec = format!(
        "kind = \"redis\"\nhost = \"127.0.0.1\"\nport = {}\ncredential = \"redis\"\ntls = true\nca_file = \"{}\"\ntimeout_ms = 3000",
        redis.port,
        ca.ca_file()
    );
    let passed = Client::of(&ca).passes_only_with(&spec).await;
    assert_eq!(evidence(&passed, "AUTH"), Some("+OK"));
    assert_eq!(evidence(&passed, "PING"), Some("+PONG"));
}

#[test]
fn client_certificate_fields_are_refused_where_no_tls_would_carry_them() {
    let pair = "client_cert_file = \"/c.crt\"\nclient_key_file = \"/c.key\"";
    for (source, says) in [
        (
            format!("kind = \"http\"\nurl = \"http://api.internal/health\"\n{pair}"),
            "https",
        ),
        (
            format!(
                "kind = \"prometheus\"\nurl = \"http://prom:9090\"\nall_targets_up = true\n{pair}"
            ),
            "https",
        ),
        (
            format!("kind = \"redis\"\nhost = \"cache\"\n{pair}"),
            "tls = true",
        ),
        (
            "kind = \"http\"\nurl = \"https://api.internal/health\"\nclient_cert_file = \"/c.crt\""
                .to_string(),
            "client_cert_file",
        ),
    ] {
        let err = parse_spec(&source).unwrap_err();
        let ProbeError::Invalid { message, .. } = &err else {
            panic!("{err:?}\n{source}")
        };
        assert!(message.contains(says), "{message}\n{source}");
    }
    // A variable may stand for an https base URL.
    parse_spec(&format!(
        "kind = \"http\"\nurl = \"{{{{api_base}}}}/health\"\n{pair}"
    ))
    .unwrap();
}
