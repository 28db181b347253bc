//! HTTP, TLS, DNS and TCP probes against real servers the tests start on 127.0.0.1, plus
//! concurrency, cancellation and the secret-leak check.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use greenlight_probes::{
    Outcome, ProbeDuration, ProbeResult, RunControl, SAMPLES_MAX, SAMPLES_P50, SAMPLES_P95,
    run_many, run_probe,
};
use support::http_server::{Handler, Reply, serve, silent};
use support::pki::TestCa;
use support::{ctx, evidence, free_port, probe};

fn health_handler(token: &'static str) -> Handler {
    Arc::new(move |req| {
        if req.header("authorization") != Some(&format!("Bearer {token}")) {
            return Reply::json(401, r#"{"error":"unauthorized"}"#);
        }
        Reply::json(200, r#"{"status":"ok","version":"2.1.0","checks":{"db":{"lag_ms":42}},"nodes":[{"name":"a"},{"name":"b"}]}"#)
            .with_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
            .with_header("Access-Control-Allow-Origin", "https://app.example.com")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_probe_reports_90_days_left_and_passes_min_days_valid_30() {
    let ca = TestCa::new("days");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(90))).await;
    let spec = format!(
        "kind = \"tls\"\nhost = \"127.0.0.1\"\nport = {}\nsni = \"localhost\"\nmin_days_valid = 30\nca_file = \"{}\"",
        server.addr.port(),
        ca.ca_file()
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "days left"), Some("90"));
    assert_eq!(evidence(&r, "chain"), Some("trusted"));
    assert!(evidence(&r, "SANs").unwrap().contains("DNS:localhost"));
    assert!(evidence(&r, "SANs").unwrap().contains("IP:127.0.0.1"));
    assert!(
        evidence(&r, "issuer")
            .unwrap()
            .contains("Greenlight days CA")
    );
    assert_eq!(evidence(&r, "sha256 fingerprint").unwrap().len(), 64);
    assert_eq!(evidence(&r, "protocol"), Some("TLSv1_3"));
    assert!(evidence(&r, "not_after").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_probe_fails_min_days_valid_30_for_a_certificate_with_10_days_left() {
    let ca = TestCa::new("short");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(10))).await;
    let spec = format!(
        "kind = \"tls\"\nhost = \"localhost\"\nport = {}\nmin_days_valid = 30\nca_file = \"{}\"",
        server.addr.port(),
        ca.ca_file()
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(evidence(&r, "days left"), Some("10"));
    assert!(r.summary.contains("expires in 10 days"), "{}", r.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_ca_fails_chain_verification_and_still_gives_the_certificate_evidence() {
    let ca = TestCa::new("unknown");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(90))).await;
    let spec = format!(
        "kind = \"tls\"\nhost = \"localhost\"\nport = {}",
        server.addr.port()
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("does not verify"), "{}", r.summary);
    assert!(evidence(&r, "chain").unwrap().starts_with("NOT trusted"));
    assert_eq!(evidence(&r, "subject"), Some("CN=localhost"));
    assert_eq!(evidence(&r, "days left"), Some("90"));
    assert!(evidence(&r, "sha256 fingerprint").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_mismatch_fails_unless_check_hostname_is_off() {
    let ca = TestCa::new("names");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(90))).await;
    let base = format!(
        "kind = \"tls\"\nhost = \"127.0.0.1\"\nport = {}\nsni = \"api.example.com\"\nca_file = \"{}\"",
        server.addr.port(),
        ca.ca_file()
    );
    let r = run_probe(&probe(&base), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(
        r.summary.contains("not valid for api.example.com"),
        "{}",
        r.summary
    );
    let r = run_probe(
        &probe(&format!("{base}\ncheck_hostname = false")),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_probe_with_a_bearer_credential_checks_status_json_headers_and_latency() {
    let ca = TestCa::new("https");
    let server = serve(health_handler("tok-ABC"), Some(&ca.leaf(90))).await;
    let spec = format!(
        r#"kind = "http"
url = "{}"
ca_file = "{}"
timeout_ms = 3000
auth = {{ credential = "api-token", scheme = "bearer" }}
expect = {{ status = 200, max_latency_ms = 2000, body_contains = "2.1.0", body_glob = "*\"status\":\"ok\"*", body_regex = "\"lag_ms\":\\s*\\d+", json = [{{ path = "status", equals = "ok" }}, {{ path = "checks.db.lag_ms", op = "<", value = 100 }}, {{ path = "nodes[1].name", equals = "b" }}], headers = [{{ name = "Strict-Transport-Security", contains = "max-age=" }}, {{ name = "Access-Control-Allow-Origin", equals = "https://app.example.com" }}] }}"#,
        server
            .url("https", "/health")
            .replace("127.0.0.1", "localhost"),
        ca.ca_file()
    );
    let r = run_probe(&probe(&spec), &ctx(&[("api-token", "tok-ABC")])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "status"), Some("200"));
    assert_eq!(evidence(&r, "json checks.db.lag_ms"), Some("42"));
    assert!(
        evidence(&r, "header Strict-Transport-Security")
            .unwrap()
            .contains("max-age")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_or_a_failed_json_comparison_fails_with_the_reason() {
    let server = serve(health_handler("right"), None).await;
    let spec = format!(
        "kind = \"http\"\nurl = \"{}\"\nauth = {{ credential = \"t\", scheme = \"bearer\" }}\nexpect = {{ status = 200 }}",
        server.url("http", "/health")
    );
    let r = run_probe(&probe(&spec), &ctx(&[("t", "wrong")])).await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.summary.contains("status 401 (expected 200)"),
        "{}",
        r.summary
    );

    let spec = format!(
        "kind = \"http\"\nurl = \"{}\"\nauth = {{ credential = \"t\", scheme = \"bearer\" }}\nexpect = {{ json = [{{ path = \"checks.db.lag_ms\", op = \"<\", value = 10 }}] }}",
        server.url("http", "/health")
    );
    let r = run_probe(&probe(&spec), &ctx(&[("t", "right")])).await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.summary.contains("checks.db.lag_ms is 42 (expected < 10)"),
        "{}",
        r.summary
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_credential_is_an_error_not_a_failure() {
    let server = serve(health_handler("x"), None).await;
    let spec = format!(
        "kind = \"http\"\nurl = \"{}\"\nauth = {{ credential = \"nope\", scheme = \"bearer\" }}",
        server.url("http", "/health")
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Error);
    assert_eq!(r.code.as_deref(), Some("secret_not_found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sampled_http_probe_reports_p50_p95_max_and_asserts_the_p95() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    // Every 10th request is slow: p95 of 20 samples lands on a slow one.
    let server = serve(
        Arc::new(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let delay = if n % 10 == 9 { 250 } else { 5 };
            Reply::json(200, "{}").after(Duration::from_millis(delay))
        }),
        None,
    )
    .await;
    let url = server.url("http", "/");
    let r = run_probe(&probe(&format!("kind = \"http\"\nurl = \"{url}\"\nsamples = 20\nexpect = {{ status = 200, max_latency_ms = 1000 }}")), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "samples"), Some("20"));
    assert_eq!(evidence(&r, "errors"), Some("0"));
    let p95: f64 = evidence(&r, SAMPLES_P95)
        .unwrap()
        .trim_end_matches(" ms")
        .parse()
        .unwrap();
    let p50: f64 = evidence(&r, SAMPLES_P50)
        .unwrap()
        .trim_end_matches(" ms")
        .parse()
        .unwrap();
    assert!(p95 >= 250.0 && p50 < 200.0, "p50 {p50} p95 {p95}");
    assert!(evidence(&r, SAMPLES_MAX).is_some());
    // The percentiles are statistics, not the probe's duration: that is its check time.
    assert_eq!(r.duration().label, ProbeDuration::CHECK_TIME);
    assert_only_the_samples_percentiles_are_timings(&r);
    let r = run_probe(
        &probe(&format!(
            "kind = \"http\"\nurl = \"{url}\"\nsamples = 20\nexpect = {{ max_latency_ms = 100 }}"
        )),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.summary.contains("samples' p95 response time"),
        "{}",
        r.summary
    );
    assert_eq!(hits.load(Ordering::SeqCst), 40);
}

/// No evidence line is a duration but a sampled probe's percentiles (each result has one
/// duration, `ProbeResult::duration`).
fn assert_only_the_samples_percentiles_are_timings(r: &ProbeResult) {
    for line in &r.evidence {
        let timing = line.value.ends_with(" ms")
            || ["latency", "time", "took", "round trip"]
                .iter()
                .any(|word| line.label.contains(word));
        let percentile = [SAMPLES_P50, SAMPLES_P95, SAMPLES_MAX].contains(&line.label.as_str());
        assert!(
            !timing || percentile,
            "a second duration {line:?} in {r:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_probe_asserting_latency_has_its_response_time_as_its_one_duration() {
    // The headers come after 150 ms; the body 300 ms later is not part of the response time.
    let server = serve(
        Arc::new(|_| {
            Reply::json(200, r#"{"status":"ok"}"#)
                .after(Duration::from_millis(150))
                .body_after(Duration::from_millis(300))
        }),
        None,
    )
    .await;
    let url = server.url("http", "/health");
    let r = run_probe(
        &probe(&format!(
            "kind = \"http\"\nurl = \"{url}\"\nexpect = {{ status = 200, max_latency_ms = 400 }}"
        )),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let duration = r.duration();
    assert_eq!(duration.label, ProbeDuration::RESPONSE_TIME);
    assert_eq!(Some(duration.ms), r.response_time_ms);
    assert!((150..450).contains(&duration.ms), "{r:#?}");
    assert!(
        r.duration_ms >= 450,
        "the check time includes the body: {r:#?}"
    );
    assert_only_the_samples_percentiles_are_timings(&r);

    // Without a latency assertion the probe's duration is its check time.
    let r = run_probe(
        &probe(&format!(
            "kind = \"http\"\nurl = \"{url}\"\nexpect = {{ status = 200 }}"
        )),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(r.response_time_ms, None);
    assert_eq!(
        r.duration(),
        ProbeDuration {
            label: ProbeDuration::CHECK_TIME,
            ms: r.duration_ms
        }
    );
    assert_only_the_samples_percentiles_are_timings(&r);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_probe_passes_on_an_open_port_and_fails_fast_on_a_closed_one() {
    let server = silent().await;
    let r = run_probe(
        &probe(&format!(
            "kind = \"tcp\"\nhost = \"127.0.0.1\"\nport = {}",
            server.addr.port()
        )),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(r.duration().label, ProbeDuration::CHECK_TIME);
    assert_only_the_samples_percentiles_are_timings(&r);
    let started = Instant::now();
    let r = run_probe(
        &probe(&format!(
            "kind = \"tcp\"\nhost = \"127.0.0.1\"\nport = {}",
            free_port()
        )),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.code.as_deref(), Some("unreachable"));
    assert!(r.summary.contains("refused"), "{}", r.summary);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_probe_against_a_listener_that_never_answers_times_out_within_its_timeout() {
    let server = silent().await;
    let started = Instant::now();
    let spec = format!(
        "kind = \"http\"\nurl = \"{}\"\ntimeout_ms = 500",
        server.url("http", "/")
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    let took = started.elapsed();
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("timeout"));
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_millis(1500),
        "{took:?}"
    );
}

/// Answers every A query for any name with 127.0.0.5, TTL `ttl`; other types get no answer.
async fn dns_responder(ttl: u32) -> (u16, tokio::task::JoinHandle<()>) {
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = sock.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut buf = [0u8; 512];
        while let Ok((n, peer)) = sock.recv_from(&mut buf).await {
            let q = &buf[..n];
            let mut i = 12;
            while i < n && q[i] != 0 {
                i += q[i] as usize + 1;
            }
            let qend = i + 5;
            if qend > n {
                continue;
            }
            let qtype = u16::from_be_bytes([q[i + 1], q[i + 2]]);
            let answer = qtype == 1;
            let mut r = Vec::new();
            r.extend_from_slice(&q[..2]);
            r.extend_from_slice(&[0x81, 0x80, 0, 1, 0, u8::from(answer), 0, 0, 0, 0]);
            r.extend_from_slice(&q[12..qend]);
            if answer {
                r.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1]);
                r.extend_from_slice(&ttl.to_be_bytes());
                r.extend_from_slice(&[0, 4, 127, 0, 0, 5]);
            }
            let _ = sock.send_to(&r, peer).await;
        }
    });
    (port, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dns_probe_reads_the_ttl_from_the_named_resolver_and_checks_the_bound() {
    let (port, task) = dns_responder(60).await;
    let spec = |max: u32| {
        format!(
            "kind = \"dns\"\nname = \"api.example.test.\"\nvalues = [\"127.0.0.5\"]\nmax_ttl = {max}\nresolver = \"127.0.0.1:{port}\"\ntimeout_ms = 2000"
        )
    };
    let r = run_probe(&probe(&spec(60)), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "A (TTL 60s)"), Some("127.0.0.5"));
    let r = run_probe(&probe(&spec(30)), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("TTL 60s is over 30s"), "{}", r.summary);
    let wrong = spec(60).replace("127.0.0.5", "127.0.0.9");
    let r = run_probe(&probe(&wrong), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.summary.contains("127.0.0.9 is not among the answers"),
        "{}",
        r.summary
    );
    task.abort();
}

fn slow_server_probes(delay_ms: u64, n: usize, url: &str) -> Vec<greenlight_probes::ResolvedProbe> {
    let _ = delay_ms;
    (0..n).map(|i| probe(&format!("kind = \"http\"\nurl = \"{url}?i={i}\"\ntimeout_ms = 5000\nexpect = {{ status = 200 }}"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_slow_probes_run_concurrently_in_about_the_time_of_one() {
    let server = serve(
        Arc::new(|_| Reply::json(200, "{}").after(Duration::from_millis(300))),
        None,
    )
    .await;
    let probes = slow_server_probes(300, 20, &server.url("http", "/slow"));
    let reported = Arc::new(Mutex::new(Vec::new()));
    let sink = reported.clone();
    let started = Instant::now();
    let results = run_many(
        probes,
        Arc::new(ctx(&[])),
        20,
        Arc::new(RunControl::new()),
        move |i, r| {
            sink.lock().unwrap().push((i, r.outcome));
        },
    )
    .await;
    let wall = started.elapsed();
    assert_eq!(results.len(), 20);
    assert!(
        results.iter().all(|r| r.outcome == Outcome::Pass),
        "{results:#?}"
    );
    assert!(results.iter().all(|r| r.duration_ms >= 300));
    assert_eq!(
        reported.lock().unwrap().len(),
        20,
        "each result is reported as it finishes"
    );
    assert!(
        wall < Duration::from_millis(2000),
        "wall {wall:?} for 20 × 300 ms (sequential would be 6 s)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_stops_the_remaining_probes_and_one_probe_can_be_cancelled_alone() {
    let server = serve(
        Arc::new(|_| Reply::json(200, "{}").after(Duration::from_millis(2000))),
        None,
    )
    .await;
    let probes = slow_server_probes(2000, 10, &server.url("http", "/slow"));
    let control = Arc::new(RunControl::new());
    let c = control.clone();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        c.cancel_all();
    });
    let started = Instant::now();
    let results = run_many(probes, Arc::new(ctx(&[])), 2, control, |_, _| {}).await;
    canceller.await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        results
            .iter()
            .all(|r| r.code.as_deref() == Some("cancelled")),
        "{results:#?}"
    );

    let fast = serve(Arc::new(|_| Reply::json(200, "{}")), None).await;
    let probes = slow_server_probes(0, 3, &fast.url("http", "/"));
    let control = Arc::new(RunControl::new());
    control.cancel(1);
    let results = run_many(probes, Arc::new(ctx(&[])), 3, control, |_, _| {}).await;
    let outcomes: Vec<_> = results.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Pass, Outcome::Error, Outcome::Pass]);
    assert_eq!(results[1].code.as_deref(), Some("cancelled"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_used_by_a_probe_appears_nowhere_in_its_results_json_or_debug() {
    const SECRET: &str = "s3cr3t-Tök€n";
    // The server echoes what it received, in the body and a header, and fails the check so the
    // body excerpt lands in the evidence.
    let server = serve(
        Arc::new(|req| {
            let auth = req.header("authorization").unwrap_or("").to_string();
            let key = req.header("x-api-key").unwrap_or("").to_string();
            Reply::json(500, &format!("{{\"you_sent\":\"{auth} {key}\"}}"))
                .with_header("X-Echo", &format!("{auth} {key}"))
        }),
        None,
    )
    .await;
    let url = server.url("http", "/echo");
    let specs = [
        format!(
            "kind = \"http\"\nurl = \"{url}\"\nauth = {{ credential = \"c\", scheme = \"bearer\" }}\nexpect = {{ status = 200, headers = [{{ name = \"X-Echo\", equals = \"x\" }}] }}"
        ),
        format!(
            "kind = \"http\"\nurl = \"{url}\"\nauth = {{ credential = \"c\", scheme = \"basic\", username = \"ops\" }}\nexpect = {{ status = 200, headers = [{{ name = \"X-Echo\", equals = \"x\" }}] }}"
        ),
        format!(
            "kind = \"http\"\nurl = \"{url}\"\nauth = {{ credential = \"c\", scheme = \"header\", header = \"X-Api-Key\" }}\nexpect = {{ body_contains = \"nope\", headers = [{{ name = \"X-Echo\", equals = \"x\" }}] }}"
        ),
        format!(
            "kind = \"http\"\nurl = \"{url}\"\nsamples = 3\nauth = {{ credential = \"c\", scheme = \"bearer\" }}\nexpect = {{ status = 200 }}"
        ),
    ];
    let context = ctx(&[("c", SECRET)]);
    for spec in &specs {
        let r = run_probe(&probe(spec), &context).await;
        assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
        let json = serde_json::to_string(&r).unwrap();
        let debug = format!("{r:?} {r:#?}");
        for text in [&json, &debug] {
            assert!(!text.contains(SECRET), "secret leaked: {text}");
            assert!(
                !text.contains("s3cr3t"),
                "part of the secret leaked: {text}"
            );
            assert!(
                !text.contains("b3BzOnMzY3IzdC1U"),
                "basic-auth base64 leaked: {text}"
            );
        }
        assert!(
            json.contains("«redacted»"),
            "the echo should show a redaction: {json}"
        );
    }
}
