//! `tcp` probes: can a connection be opened to host:port within the timeout?

use crate::kinds::net;
use crate::result::{EvidenceLine, Finding};
use crate::spec::TcpProbe;

pub(crate) async fn run(p: &TcpProbe) -> Finding {
    let target = format!("{}:{}", net::bracket(&p.host), p.port);
    match net::connect(
        &p.host,
        p.port,
        crate::spec::ProbeSpec::Tcp(p.clone()).timeout(),
    )
    .await
    {
        Ok((stream, _)) => {
            let peer = stream
                .peer_addr()
                .map(|a| a.to_string())
                .unwrap_or_default();
            Finding::pass(
                format!("{target} accepts connections"),
                vec![EvidenceLine::new("connected to", peer)],
            )
        }
        Err(finding) => finding,
    }
}
