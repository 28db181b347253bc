//! The network failing under a probe: a connection cut mid-response, a DNS server that never
//! answers. Each gives a clear failed result within the probe's timeout, never a hang.

mod support;

use std::time::{Duration, Instant};

use greenlight_probes::{Outcome, run_probe};
use support::{ctx, probe};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_in_the_middle_of_the_response_fails_clearly_and_fast() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0_u8; 2048];
            let _ = socket.read(&mut buffer).await;
            // Headers promise 1,000 bytes; 10 arrive, then the network is gone.
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"status\":")
                .await;
            drop(socket);
        }
    });
    let spec = format!(
        "kind = \"http\"\nurl = \"http://127.0.0.1:{port}/health\"\ntimeout_ms = 3000\nexpect = {{ status = 200, json = [{{ path = \"status\", equals = \"ok\" }}] }}"
    );
    let started = Instant::now();
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_ne!(r.outcome, Outcome::Pass, "{r:#?}");
    assert!(!r.summary.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "no waiting for bytes that never come"
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dns_server_that_never_answers_fails_within_the_probe_timeout() {
    // A UDP socket that receives queries and says nothing.
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let spec = format!(
        "kind = \"dns\"\nname = \"api.example.test.\"\nvalues = [\"127.0.0.5\"]\nresolver = \"127.0.0.1:{port}\"\ntimeout_ms = 800"
    );
    let started = Instant::now();
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    let took = started.elapsed();
    assert_ne!(r.outcome, Outcome::Pass, "{r:#?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(!r.summary.is_empty());
    drop(silent);
}
