//! Failures in words a release manager can act on, against real local TLS servers with test
//! certificates: a certificate from an authority the machine does not trust says to set
//! `ca_file` (not the TLS library's error chain), for HTTPS and TLS probes alike; with
//! `ca_file` set the same server passes.

mod support;

use std::sync::Arc;

use greenlight_probes::{Outcome, run_probe};
use support::http_server::{Reply, serve};
use support::pki::TestCa;
use support::{ctx, probe};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_probe_to_a_private_ca_says_to_set_ca_file_in_plain_words() {
    let ca = TestCa::new("private");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(90))).await;
    let url = server.url("https", "/health");
    let r = run_probe(
        &probe(&format!("kind = \"http\"\nurl = \"{url}\"")),
        &ctx(&[]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_untrusted"));
    assert_eq!(
        r.summary,
        "request failed: certificate not issued by a trusted authority: set `ca_file` to your \
         internal CA (or install it in the OS trust store)"
    );
    assert!(
        !r.summary.contains("error sending request"),
        "{}",
        r.summary
    );

    let trusted = format!(
        "kind = \"http\"\nurl = \"{url}\"\nca_file = \"{}\"",
        ca.ca_file()
    );
    let r = run_probe(&probe(&trusted), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_probe_to_a_private_ca_says_to_set_ca_file_too() {
    let ca = TestCa::new("private");
    let server = serve(Arc::new(|_| Reply::json(200, "{}")), Some(&ca.leaf(90))).await;
    let spec = format!(
        "kind = \"tls\"\nhost = \"127.0.0.1\"\nport = {}\nsni = \"localhost\"",
        server.addr.port()
    );
    let r = run_probe(&probe(&spec), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(
        r.summary
            .contains("certificate not issued by a trusted authority")
            && r.summary.contains("set `ca_file` to your internal CA"),
        "{}",
        r.summary
    );
}
