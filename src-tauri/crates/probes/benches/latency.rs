//! Latency not distorted by concurrency: one HTTPS probe asserting `max_latency_ms` against a
//! loopback server that holds each reply 30 ms, run alone and then in a section with 60 other
//! HTTPS probes (each its own client, TLS handshake and trust-store load) through `run_many`,
//! and the same for a `samples = 20` probe's p95. Prints the latency each reports, best and
//! median of several rounds; the section figure should be within 10% of the lone one.
//! Plain `main` (harness = false), release build, loopback only.

/// The test CA and server, at the paths their `use super::pki` expects.
#[allow(dead_code)]
mod support {
    #[path = "../../tests/support/http_server.rs"]
    pub mod http_server;
    #[path = "../../tests/support/pki.rs"]
    pub mod pki;
}

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use greenlight_probes::{
    MemoryApprovals, ProbeContext, ProbeDuration, ProbeResult, ResolvedProbe, RunControl,
    SAMPLES_P95, SystemClock, parse_spec, run_many, substitute,
};
use greenlight_secrets::MemoryStore;
use support::http_server::{Reply, serve};
use support::pki;

const HOLD: Duration = Duration::from_millis(30);
const OTHERS: usize = 60;
const ROUNDS: usize = 5;

fn resolve(toml: &str) -> ResolvedProbe {
    substitute(&parse_spec(toml).expect("spec"), &BTreeMap::new()).expect("resolved")
}

fn ctx() -> Arc<ProbeContext> {
    Arc::new(ProbeContext::new(
        Arc::new(MemoryStore::new()),
        Arc::new(MemoryApprovals::new()),
        Arc::new(SystemClock),
        "bench",
    ))
}

/// The figure named `label`: the probe's response time (its one duration, whole milliseconds)
/// or an evidence line such as the samples' p95.
fn evidence_ms(result: &ProbeResult, label: &str) -> f64 {
    if label == ProbeDuration::RESPONSE_TIME {
        let duration = result.duration();
        assert_eq!(duration.label, label, "{result:?}");
        return duration.ms as f64;
    }
    let value = result
        .evidence
        .iter()
        .find(|l| l.label == label)
        .unwrap_or_else(|| panic!("no {label} in {result:?}"))
        .value
        .clone();
    value
        .trim_end_matches(" ms")
        .parse()
        .expect("a number of ms")
}

async fn measured(probes: Vec<ResolvedProbe>, label: &str) -> f64 {
    let results = run_many(probes, ctx(), 32, Arc::new(RunControl::new()), |_, _| {}).await;
    evidence_ms(&results[0], label)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let ca = pki::TestCa::new("bench");
        let leaf = ca.leaf(90);
        let server = serve(
            Arc::new(|_| Reply::json(200, r#"{"status":"ok"}"#).after(HOLD)),
            Some(&leaf),
        )
        .await;
        let url = server.url("https", "/health");
        let ca_file = ca.ca_file();
        let single = format!(
            "kind = \"http\"\nurl = \"{url}\"\nca_file = \"{ca_file}\"\nexpect = {{ status = 200, max_latency_ms = 500 }}"
        );
        let sampled = format!(
            "kind = \"http\"\nurl = \"{url}\"\nca_file = \"{ca_file}\"\nsamples = 20\nexpect = {{ status = 200, max_latency_ms = 500 }}"
        );
        let other = format!(
            "kind = \"http\"\nurl = \"{url}\"\nca_file = \"{ca_file}\"\nexpect = {{ status = 200 }}"
        );
        println!(
            "| probe | alone (median / best of {ROUNDS}) | in a section with {OTHERS} HTTPS probes (median / best) | difference (medians) |"
        );
        println!("|---|---|---|---|");
        for (name, spec, label) in [
            ("HTTPS, max_latency_ms", &single, ProbeDuration::RESPONSE_TIME),
            ("HTTPS, samples = 20, p95", &sampled, SAMPLES_P95),
        ] {
            let mut alone = Vec::new();
            let mut section = Vec::new();
            for _ in 0..ROUNDS {
                alone.push(measured(vec![resolve(spec)], label).await);
                let mut probes = vec![resolve(spec)];
                probes.extend((0..OTHERS).map(|_| resolve(&other)));
                section.push(measured(probes, label).await);
            }
            let best = |v: &Vec<f64>| v.iter().copied().fold(f64::INFINITY, f64::min);
            let (a, s) = (median(alone.clone()), median(section.clone()));
            println!(
                "| {name} | {a:.1} / {:.1} ms | {s:.1} / {:.1} ms | {:+.1}% |",
                best(&alone),
                best(&section),
                (s - a) / a * 100.0
            );
        }
    });
}
