//! TCP connects with a deadline, and connection errors in words (refused, timed out, unknown host).

use std::io;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use crate::result::Finding;

/// Connects to `host:port` within `timeout`; the failure is already a Fail finding.
pub(crate) async fn connect(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, Duration), Finding> {
    let started = Instant::now();
    let target = format!("{}:{port}", bracket(host));
    match tokio::time::timeout(timeout, TcpStream::connect(&target)).await {
        Ok(Ok(stream)) => {
            let _ = stream.set_nodelay(true);
            Ok((stream, started.elapsed()))
        }
        Ok(Err(e)) => Err(io_failure(&target, &e)),
        Err(_) => Err(Finding::fail(
            "timeout",
            format!(
                "{target}: no connection within {} ms (blocked or unreachable)",
                timeout.as_millis()
            ),
            vec![],
        )),
    }
}

/// IPv6 literals need brackets before a port.
pub(crate) fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

pub(crate) fn io_failure(target: &str, e: &io::Error) -> Finding {
    let (code, what) = match e.kind() {
        io::ErrorKind::ConnectionRefused => (
            "unreachable",
            "connection refused (nothing listening)".to_string(),
        ),
        io::ErrorKind::TimedOut => ("timeout", "timed out".to_string()),
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::UnexpectedEof => (
            "connection_closed",
            "the server closed the connection".to_string(),
        ),
        _ if e.to_string().contains("failed to lookup address")
            || e.to_string().contains("Name or service not known") =>
        {
            ("unresolved", "the host name does not resolve".to_string())
        }
        _ => ("unreachable", e.to_string()),
    };
    Finding::fail(code, format!("{target}: {what}"), vec![])
}

/// Milliseconds with one decimal, for evidence.
pub(crate) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
