//! Preflight's optional second step: do the probes' host names resolve and do their ports
//! answer? A TCP connect (closed at once, nothing sent) per target, all at once, each bounded
//! by a timeout. No assertion of any probe runs.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use ts_rs::TS;

use crate::kinds::net::bracket;
use crate::preflight::Target;

/// Default bound on each target's name lookup plus connect.
pub const CONTACT_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether one target answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TargetCheck {
    pub target: Target,
    pub reachable: bool,
    /// "resolves to 10.0.0.4, port answers in 3 ms" or why not.
    pub detail: String,
}

/// Looks up and connects to every target concurrently, each within `timeout`.
pub async fn contact(targets: Vec<Target>, timeout: Duration) -> Vec<TargetCheck> {
    let mut set = JoinSet::new();
    let count = targets.len();
    for (index, target) in targets.into_iter().enumerate() {
        set.spawn(async move {
            let checked = match tokio::time::timeout(timeout, contact_one(&target)).await {
                Ok(Ok(detail)) => (true, detail),
                Ok(Err(why)) => (false, why),
                Err(_) => (
                    false,
                    format!("no answer within {} ms", timeout.as_millis()),
                ),
            };
            (
                index,
                TargetCheck {
                    target,
                    reachable: checked.0,
                    detail: checked.1,
                },
            )
        });
    }
    let mut out: Vec<Option<TargetCheck>> = vec![None; count];
    while let Some(Ok((index, check))) = set.join_next().await {
        out[index] = Some(check);
    }
    out.into_iter().flatten().collect()
}

async fn contact_one(target: &Target) -> Result<String, String> {
    let port = target.port.unwrap_or(0);
    let addresses: Vec<_> = tokio::net::lookup_host(format!("{}:{port}", bracket(&target.host)))
        .await
        .map_err(|e| format!("the name {} does not resolve ({e})", target.host))?
        .collect();
    let Some(first) = addresses.first() else {
        return Err(format!("the name {} resolves to no address", target.host));
    };
    if target.port.is_none() {
        return Ok(format!("resolves to {}", first.ip()));
    }
    let started = Instant::now();
    let mut last_error = String::new();
    for address in &addresses {
        match tokio::net::TcpStream::connect(address).await {
            Ok(_) => {
                return Ok(format!(
                    "{address} answers ({} ms)",
                    started.elapsed().as_millis()
                ));
            }
            Err(e) => last_error = format!("{address}: {e}"),
        }
    }
    Err(format!("port {port} does not answer ({last_error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listening_port_answers_and_a_closed_one_does_not() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap().port();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let at = |port| Target {
            host: "127.0.0.1".into(),
            port: Some(port),
        };
        let checks = contact(vec![at(open), at(closed)], CONTACT_TIMEOUT).await;
        assert!(checks[0].reachable, "{:?}", checks[0]);
        assert!(!checks[1].reachable, "{:?}", checks[1]);
        assert!(
            checks[1].detail.contains("does not answer"),
            "{:?}",
            checks[1]
        );
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_said_so() {
        let checks = contact(
            vec![Target {
                host: "no-such-host.invalid".into(),
                port: Some(443),
            }],
            CONTACT_TIMEOUT,
        )
        .await;
        assert!(!checks[0].reachable);
        assert!(
            checks[0].detail.contains("does not resolve") || checks[0].detail.contains("no answer"),
            "{:?}",
            checks[0]
        );
    }
}
