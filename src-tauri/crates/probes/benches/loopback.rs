//! Loopback benchmark: 200 HTTP and TCP probes against a local server (each HTTP reply held
//! 20 ms), run through `run_many` at several concurrency limits. Prints total wall time against
//! the slowest single probe: with enough concurrency the wall should approach the slowest probe,
//! not the sum. Then, against the same server, 100 HTTP-only probes compared with curl: a shell
//! loop (one at a time) and `xargs -P 32` (skipped, with the reason, when curl is missing).
//! Plain `main` (harness = false), std `Instant`, loopback only, bounded in count.

#[path = "support/curl.rs"]
mod curl;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use greenlight_probes::{
    MemoryApprovals, Outcome, ProbeContext, ProbeResult, ResolvedProbe, RunControl, SystemClock,
    parse_spec, run_many, substitute,
};
use greenlight_secrets::MemoryStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;
use tokio::runtime::Runtime;

const PROBES: usize = 200;
const HOLD: Duration = Duration::from_millis(20);
/// HTTP targets in the curl comparison, and how many times each row runs (best is kept).
const COMPARED: usize = 100;
const ROUNDS: usize = 3;

async fn server() -> u16 {
    // A listen queue of 1,024 rather than `TcpListener::bind`'s 128: with 200 connects at once the
    // accept loop fell behind, the queue overflowed and the kernel's one-second SYN retry showed
    // up as a one-second probe (seen as `TcpExtListenOverflows` in `nstat`).
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let listener = socket.listen(1024).expect("listen");
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

fn url(port: u16, i: usize) -> String {
    format!("http://127.0.0.1:{port}/health?i={i}")
}

/// An HTTP probe that wants a 200 *and* `"status": "ok"` in the JSON body.
fn http_probe(port: u16, i: usize) -> ResolvedProbe {
    resolve(&format!(
        "kind = \"http\"\nurl = \"{}\"\ntimeout_ms = 10000\nexpect = {{ status = 200, json = [{{ path = \"status\", equals = \"ok\" }}] }}",
        url(port, i)
    ))
}

fn tcp_probe(port: u16) -> ResolvedProbe {
    resolve(&format!(
        "kind = \"tcp\"\nhost = \"127.0.0.1\"\nport = {port}\ntimeout_ms = 10000"
    ))
}

fn resolve(toml: &str) -> ResolvedProbe {
    let spec = parse_spec(toml).expect("spec");
    substitute(&spec, &BTreeMap::new()).expect("resolve")
}

/// Runs the probes through `run_many`; wall ms and the results.
fn run(
    rt: &Runtime,
    ctx: &Arc<ProbeContext>,
    probes: Vec<ResolvedProbe>,
    limit: usize,
) -> (f64, Vec<ProbeResult>) {
    let started = Instant::now();
    let results = rt.block_on(run_many(
        probes,
        ctx.clone(),
        limit,
        Arc::new(RunControl::new()),
        |_, _| {},
    ));
    (started.elapsed().as_secs_f64() * 1000.0, results)
}

fn passed(results: &[ProbeResult]) -> usize {
    results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .count()
}

fn scaling(rt: &Runtime, ctx: &Arc<ProbeContext>, port: u16) {
    println!("{PROBES} loopback probes (half HTTP with a {HOLD:?} hold, half TCP connect)");
    println!(
        "{:>11} | {:>10} | {:>12} | {:>12} | {:>9} | {:>6}",
        "concurrency", "wall ms", "slowest ms", "sum ms", "wall/slow", "passed"
    );
    for limit in [1, 8, 32, 64, 200] {
        let probes = (0..PROBES)
            .map(|i| {
                if i % 2 == 0 {
                    http_probe(port, i)
                } else {
                    tcp_probe(port)
                }
            })
            .collect();
        let (wall, results) = run(rt, ctx, probes, limit);
        let slowest = results.iter().map(|r| r.duration_ms).max().unwrap_or(0);
        let sum: u64 = results.iter().map(|r| r.duration_ms).sum();
        println!(
            "{limit:>11} | {wall:>10.0} | {slowest:>12} | {sum:>12} | {:>9.2} | {:>6}",
            wall / slowest.max(1) as f64,
            passed(&results)
        );
    }
}

fn compare_row(tool: &str, limit: usize, best_ms: f64, ok: usize) {
    println!(
        "{tool:<26} | {limit:>11} | {best_ms:>14.0} | {:>13.1} | {ok:>3}/{COMPARED}",
        best_ms / COMPARED as f64
    );
}

/// Greenlight and curl fetching the same `COMPARED` URLs, one at a time and 32 at once.
fn against_curl(rt: &Runtime, ctx: &Arc<ProbeContext>, port: u16) {
    println!();
    println!(
        "{COMPARED} HTTP GETs of the same loopback server ({HOLD:?} hold), best of {ROUNDS}; \
         Greenlight also checks each JSON body, curl only the status"
    );
    println!(
        "{:<26} | {:>11} | {:>14} | {:>13} | {:>7}",
        "tool", "concurrency", "wall ms (best)", "ms per target", "200s"
    );
    for limit in [1, 32] {
        let mut best = f64::MAX;
        let mut ok = COMPARED;
        for _ in 0..ROUNDS {
            let probes = (0..COMPARED).map(|i| http_probe(port, i)).collect();
            let (wall, results) = run(rt, ctx, probes, limit);
            best = best.min(wall);
            ok = ok.min(passed(&results));
        }
        compare_row("greenlight run_many", limit, best, ok);
    }
    if let Some(reason) = curl::unavailable() {
        println!("curl rows skipped: {reason}");
        return;
    }
    let urls: Vec<String> = (0..COMPARED).map(|i| url(port, i)).collect();
    for (tool, parallel) in [("curl, sh for-loop", 1), ("curl, xargs -P 32", 32)] {
        let mut best = f64::MAX;
        let mut ok = COMPARED;
        for _ in 0..ROUNDS {
            match curl::fetch_all(&urls, parallel) {
                Ok((wall, answered)) => {
                    best = best.min(wall.as_secs_f64() * 1000.0);
                    ok = ok.min(answered);
                }
                Err(e) => {
                    println!("{tool}: skipped, {e}");
                    break;
                }
            }
        }
        if best < f64::MAX {
            compare_row(tool, parallel, best, ok);
        }
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // The server's tasks keep running on the runtime's workers between `block_on` calls, so the
    // curl processes can hit it while `main` just waits for them.
    let port = rt.block_on(server());
    let ctx = Arc::new(ProbeContext::new(
        Arc::new(MemoryStore::new()),
        Arc::new(MemoryApprovals::new()),
        Arc::new(SystemClock),
        "bench",
    ));
    scaling(&rt, &ctx, port);
    against_curl(&rt, &ctx, port);
}
