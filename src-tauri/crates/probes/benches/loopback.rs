//! Loopback benchmark: 200 HTTP and TCP probes against a local server (each HTTP reply held
//! 20 ms), run through `run_many` at several concurrency limits. Prints total wall time against
//! the slowest single probe: with enough concurrency the wall should approach the slowest probe,
//! not the sum. Plain `main` (harness = false), std `Instant`, loopback only, bounded in count.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use greenlight_probes::{
    MemoryApprovals, Outcome, ProbeContext, ResolvedProbe, RunControl, SystemClock, parse_spec,
    run_many, substitute,
};
use greenlight_secrets::MemoryStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PROBES: usize = 200;
const HOLD: Duration = Duration::from_millis(20);

async fn server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 2048];
                let mut seen = Vec::new();
                while let Ok(n) = stream.read(&mut buf).await {
                    if n == 0 {
                        return; // A TCP probe: connect and close.
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                tokio::time::sleep(HOLD).await;
                let body = r#"{"status":"ok"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    port
}

fn probes(port: u16) -> Vec<ResolvedProbe> {
    (0..PROBES)
        .map(|i| {
            let toml = if i % 2 == 0 {
                format!(
                    "kind = \"http\"\nurl = \"http://127.0.0.1:{port}/health?i={i}\"\ntimeout_ms = 10000\nexpect = {{ status = 200, json = [{{ path = \"status\", equals = \"ok\" }}] }}"
                )
            } else {
                format!("kind = \"tcp\"\nhost = \"127.0.0.1\"\nport = {port}\ntimeout_ms = 10000")
            };
            let spec = parse_spec(&toml).expect("spec");
            substitute(&spec, &BTreeMap::new()).expect("resolve")
        })
        .collect()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let port = server().await;
        let ctx = Arc::new(ProbeContext::new(
            Arc::new(MemoryStore::new()),
            Arc::new(MemoryApprovals::new()),
            Arc::new(SystemClock),
            "bench",
        ));
        println!("{PROBES} loopback probes (half HTTP with a {HOLD:?} hold, half TCP connect)");
        println!(
            "{:>11} | {:>10} | {:>12} | {:>12} | {:>9} | {:>6}",
            "concurrency", "wall ms", "slowest ms", "sum ms", "wall/slow", "passed"
        );
        for limit in [1, 8, 32, 64, 200] {
            let started = Instant::now();
            let results = run_many(
                probes(port),
                ctx.clone(),
                limit,
                Arc::new(RunControl::new()),
                |_, _| {},
            )
            .await;
            let wall = started.elapsed().as_secs_f64() * 1000.0;
            let slowest = results.iter().map(|r| r.duration_ms).max().unwrap_or(0);
            let sum: u64 = results.iter().map(|r| r.duration_ms).sum();
            let passed = results
                .iter()
                .filter(|r| r.outcome == Outcome::Pass)
                .count();
            println!(
                "{limit:>11} | {wall:>10.0} | {slowest:>12} | {sum:>12} | {:>9.2} | {passed:>6}",
                wall / slowest.max(1) as f64
            );
        }
    });
}
