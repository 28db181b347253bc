//! Test support: contexts, probe builders, a tiny HTTP(S) server, a test CA, free ports, and
//! guards that stop the servers a test started.
#![allow(dead_code)]

pub mod http_server;
pub mod pki;
pub mod servers;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::Arc;

use greenlight_probes::{
    MemoryApprovals, ProbeContext, ResolvedProbe, SystemClock, parse_spec, substitute,
};
use greenlight_secrets::MemoryStore;

/// A context with these credentials, no approvals, the system clock.
pub fn ctx(secrets: &[(&str, &str)]) -> ProbeContext {
    ProbeContext::new(
        Arc::new(MemoryStore::with(secrets)),
        Arc::new(MemoryApprovals::new()),
        Arc::new(SystemClock),
        "template-test",
    )
}

/// Parses and resolves a spec that has no variables.
pub fn probe(toml: &str) -> ResolvedProbe {
    let spec = parse_spec(toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    substitute(&spec, &BTreeMap::new()).unwrap()
}

/// A port nobody listens on right now (bound, then released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The evidence value labelled `label`, if any.
pub fn evidence<'a>(r: &'a greenlight_probes::ProbeResult, label: &str) -> Option<&'a str> {
    r.evidence
        .iter()
        .find(|l| l.label == label)
        .map(|l| l.value.as_str())
}

/// Whether a program is on PATH (or an absolute path that exists).
pub fn have(program: &str) -> bool {
    if program.starts_with('/') {
        return std::path::Path::new(program).exists();
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(program).exists()))
        .unwrap_or(false)
}

pub fn skip(test: &str, reason: &str) {
    println!("SKIPPED {test}: {reason}");
}

/// The result of a probe whose client certificate the server turned down.
pub fn assert_client_certificate_refused(r: &greenlight_probes::ProbeResult) {
    assert_eq!(r.outcome, greenlight_probes::Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_client_cert_refused"));
    assert!(
        r.summary.contains("refused the client certificate"),
        "{}",
        r.summary
    );
}
