//! Client certificates (mutual TLS) for HTTP, Prometheus and Redis probes, against servers on
//! loopback that complete the handshake only for a certificate their CA issued: an in-process
//! HTTPS server and a real redis-server with `tls-auth-clients yes` (skipped, with the reason
//! printed, when redis-server is missing). Also: where the fields are refused before anything
//! runs.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use greenlight_probes::{Outcome, ProbeError, ProbeResult, parse_spec, run_probe};
use support::http_server::{Reply, serve_mutual_tls};
use support::pki::{Leaf, TestCa};
use support::servers::Redis;
use support::{ctx, evidence, probe, skip};

const REDIS_PW: &str = "redis-mTLS-Pw-81";

/// Writes a client certificate and its owner-only key into `dir`.
fn client_files(dir: &Path, name: &str, leaf: &Leaf) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let (cert, key) = (
        dir.join(format!("{name}.crt")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&cert, &leaf.cert_pem).unwrap();
    std::fs::write(&key, &leaf.key_pem).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    (cert, key)
}

fn cert_lines(cert: &Path, key: &Path) -> String {
    format!(
        "client_cert_file = \"{}\"\nclient_key_file = \"{}\"",
        cert.display(),
        key.display()
    )
}

async fn run(spec: &str, leaf: &Leaf) -> ProbeResult {
    let r = run_probe(&probe(spec), &ctx(&[("redis", REDIS_PW)])).await;
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    let key_body = leaf.key_pem.lines().nth(1).unwrap();
    assert!(!all.contains(key_body), "the private key leaked: {all}");
    assert!(!all.contains(REDIS_PW), "the password leaked: {all}");
    r
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
    let dir = tempfile::tempdir().unwrap();
    let client = ca.client_leaf("release-laptop");
    let (cert, key) = client_files(dir.path(), "laptop", &client);
    let base = format!(
        "kind = \"http\"\nurl = \"{}\"\nca_file = \"{}\"\ntimeout_ms = 3000\n[expect]\nstatus = 200",
        server.url("https", "/health"),
        ca.ca_file()
    );
    let with_cert = base.replace(
        "timeout_ms = 3000",
        &format!("timeout_ms = 3000\n{}", cert_lines(&cert, &key)),
    );

    let r = run(&with_cert, &client).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let described = evidence(&r, "client certificate").unwrap();
    assert!(
        described.starts_with("CN=release-laptop, valid until "),
        "{described}"
    );

    let r = run(&base, &client).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_client_cert_required"));
    assert!(
        r.summary.contains("requires a client certificate"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("client_cert_file"), "{}", r.summary);

    // A certificate from another CA is refused too, and said so.
    let stranger = TestCa::new("someone else's").client_leaf("release-laptop");
    let (cert, key) = client_files(dir.path(), "stranger", &stranger);
    let r = run(
        &base.replace(
            "timeout_ms = 3000",
            &format!("timeout_ms = 3000\n{}", cert_lines(&cert, &key)),
        ),
        &stranger,
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
    let dir = tempfile::tempdir().unwrap();
    let client = ca.client_leaf("release-laptop");
    let (cert, key) = client_files(dir.path(), "laptop", &client);
    let base = format!(
        "kind = \"prometheus\"\nurl = \"{}\"\nall_targets_up = true\nca_file = \"{}\"\ntimeout_ms = 3000",
        server.url("https", ""),
        ca.ca_file()
    );

    let r = run(&format!("{base}\n{}", cert_lines(&cert, &key)), &client).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "targets up"), Some("1"));
    assert!(
        evidence(&r, "client certificate")
            .unwrap()
            .starts_with("CN=release-laptop")
    );

    let r = run(&base, &client).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_probe_over_tls_logs_in_with_a_client_certificate_and_its_password() {
    let ca = TestCa::new("Redis");
    let redis = match Redis::start_mutual_tls(REDIS_PW, &ca.leaf(90), &ca) {
        Ok(r) => r,
        Err(reason) => return skip("redis mutual tls", &reason),
    };
    let dir = tempfile::tempdir().unwrap();
    let client = ca.client_leaf("release-laptop");
    let (cert, key) = client_files(dir.path(), "laptop", &client);
    let base = format!(
        "kind = \"redis\"\nhost = \"127.0.0.1\"\nport = {}\ncredential = \"redis\"\ntls = true\nca_file = \"{}\"\ntimeout_ms = 3000",
        redis.port,
        ca.ca_file()
    );

    let r = run(&format!("{base}\n{}", cert_lines(&cert, &key)), &client).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "PING"), Some("+PONG"));
    assert!(
        evidence(&r, "client certificate")
            .unwrap()
            .starts_with("CN=release-laptop")
    );

    let r = run(&base, &client).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_client_cert_required"));
    assert!(r.summary.contains("client_cert_file"), "{}", r.summary);
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
