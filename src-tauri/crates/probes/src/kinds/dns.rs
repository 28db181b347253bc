//! `dns` probes: ask a resolver (the OS's, or the one named in the spec) for one record type,
//! with the resolver's cache off so TTLs are the server's, then check values and the TTL bound.

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType as HRecordType};
use hickory_resolver::{Resolver, TokioResolver};

use crate::result::{EvidenceLine, Finding};
use crate::spec::{DnsProbe, ProbeSpec, RecordType};

pub(crate) async fn run(p: &DnsProbe) -> Finding {
    let timeout = ProbeSpec::Dns(p.clone()).timeout();
    let record_type = p.record_type.unwrap_or(RecordType::A);
    let mut builder = match &p.resolver {
        Some(addr) => match parse_server(addr) {
            Some(server) => {
                let mut ns = NameServerConfig::udp_and_tcp(server.ip());
                for c in &mut ns.connections {
                    c.port = server.port();
                }
                Resolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![ns]),
                    TokioRuntimeProvider::default(),
                )
            }
            None => {
                return Finding::error(
                    "probe_spec_invalid",
                    format!("resolver “{addr}” is not ip or ip:port"),
                );
            }
        },
        None => match TokioResolver::builder_tokio() {
            Ok(b) => b,
            Err(e) => {
                return Finding::error(
                    "probe_setup",
                    format!("cannot read the system DNS configuration: {e}"),
                );
            }
        },
    };
    let opts = builder.options_mut();
    opts.cache_size = 0;
    opts.timeout = timeout;
    opts.attempts = 1;
    let resolver = match builder.build() {
        Ok(r) => r,
        Err(e) => return Finding::error("probe_setup", format!("cannot start the resolver: {e}")),
    };
    let what = format!("DNS {} {}", p.name, type_name(record_type));
    let lookup = match tokio::time::timeout(
        timeout,
        resolver.lookup(p.name.as_str(), hickory_type(record_type)),
    )
    .await
    {
        Ok(Ok(l)) => l,
        Ok(Err(e)) => return Finding::fail("dns_no_answer", format!("{what}: {e}"), vec![]),
        Err(_) => {
            return Finding::fail(
                "timeout",
                format!("{what}: no answer within {} ms", timeout.as_millis()),
                vec![],
            );
        }
    };
    let mut answers = Vec::new();
    let mut max_seen_ttl = 0u32;
    for record in lookup.answers() {
        if let Some(value) = render(&record.data, record_type) {
            max_seen_ttl = max_seen_ttl.max(record.ttl);
            answers.push((value, record.ttl));
        }
    }
    let mut ev: Vec<EvidenceLine> = answers
        .iter()
        .map(|(v, ttl)| {
            EvidenceLine::new(
                format!("{} (TTL {ttl}s)", type_name(record_type)),
                v.clone(),
            )
        })
        .collect();
    if let Some(server) = &p.resolver {
        ev.push(EvidenceLine::new("resolver", server.clone()));
    }
    let mut failures = Vec::new();
    if answers.is_empty() {
        failures.push("no records of that type".to_string());
    }
    for want in &p.values {
        let want_n = normalise(want);
        if !answers.iter().any(|(v, _)| normalise(v) == want_n) {
            failures.push(format!("{want} is not among the answers"));
        }
    }
    if let Some(max) = p.max_ttl
        && !answers.is_empty()
        && max_seen_ttl > max
    {
        failures.push(format!("TTL {max_seen_ttl}s is over {max}s"));
    }
    Finding::from_checks(&what, failures, ev)
}

fn parse_server(addr: &str) -> Option<SocketAddr> {
    addr.parse::<SocketAddr>().ok().or_else(|| {
        addr.parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, 53))
    })
}

fn hickory_type(t: RecordType) -> HRecordType {
    match t {
        RecordType::A => HRecordType::A,
        RecordType::Aaaa => HRecordType::AAAA,
        RecordType::Cname => HRecordType::CNAME,
        RecordType::Txt => HRecordType::TXT,
        RecordType::Mx => HRecordType::MX,
    }
}

fn type_name(t: RecordType) -> &'static str {
    match t {
        RecordType::A => "A",
        RecordType::Aaaa => "AAAA",
        RecordType::Cname => "CNAME",
        RecordType::Txt => "TXT",
        RecordType::Mx => "MX",
    }
}

/// The record's value as text, only for the asked type (a CNAME chain's links are skipped).
fn render(data: &RData, t: RecordType) -> Option<String> {
    match (data, t) {
        (RData::A(a), RecordType::A) => Some(a.to_string()),
        (RData::AAAA(a), RecordType::Aaaa) => Some(a.to_string()),
        (RData::CNAME(c), RecordType::Cname) => Some(c.to_string()),
        (RData::TXT(txt), RecordType::Txt) => Some(
            txt.txt_data
                .iter()
                .map(|part| String::from_utf8_lossy(part).into_owned())
                .collect::<Vec<_>>()
                .join(""),
        ),
        (RData::MX(mx), RecordType::Mx) => Some(mx.to_string()),
        _ => None,
    }
}

/// Names compare without the trailing dot and case-insensitively.
fn normalise(v: &str) -> String {
    v.trim().trim_end_matches('.').to_ascii_lowercase()
}
