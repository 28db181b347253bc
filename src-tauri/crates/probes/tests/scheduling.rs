//! Probes that assert latency run alone, after the others: in a section run, the server sees
//! the latency probe's request only once every other probe has had its (slow) answer, so their
//! work cannot inflate the time it measures.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use greenlight_probes::{Outcome, RunControl, run_many};
use support::http_server::{Reply, serve};
use support::{ctx, probe};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_latency_probe_in_a_section_starts_after_the_other_probes_have_finished() {
    let seen: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let log = seen.clone();
    let server = serve(
        Arc::new(move |req| {
            log.lock().unwrap().push((req.path.clone(), Instant::now()));
            if req.path.starts_with("/slow") {
                Reply::json(200, "{}").after(Duration::from_millis(300))
            } else {
                Reply::json(200, "{}")
            }
        }),
        None,
    )
    .await;
    let latency = probe(&format!(
        "kind = \"http\"\nurl = \"{}\"\nexpect = {{ status = 200, max_latency_ms = 250 }}",
        server.url("http", "/fast")
    ));
    let mut probes = vec![latency];
    for i in 0..6 {
        probes.push(probe(&format!(
            "kind = \"http\"\nurl = \"{}\"",
            server.url("http", &format!("/slow{i}"))
        )));
    }
    let results = run_many(
        probes,
        Arc::new(ctx(&[])),
        32,
        Arc::new(RunControl::new()),
        |_, _| {},
    )
    .await;
    assert!(
        results.iter().all(|r| r.outcome == Outcome::Pass),
        "{results:#?}"
    );
    let seen = seen.lock().unwrap();
    let first_slow = seen
        .iter()
        .filter(|(p, _)| p.starts_with("/slow"))
        .map(|(_, t)| *t)
        .min()
        .unwrap();
    let fast = seen
        .iter()
        .find(|(p, _)| p == "/fast")
        .map(|(_, t)| *t)
        .unwrap();
    assert!(
        fast.duration_since(first_slow) >= Duration::from_millis(300),
        "the latency probe was sent {:?} after the first slow one",
        fast.duration_since(first_slow)
    );
}
