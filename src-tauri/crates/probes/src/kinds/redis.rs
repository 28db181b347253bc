//! `redis` probes: connect (optionally over TLS, with a client certificate), `AUTH` with a
//! credential, `PING` and expect `PONG`, in raw RESP — no client library needed for two commands.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::AlertDescription;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::cert_refusal::{self, Refusal};
use crate::client_cert;
use crate::context::ProbeContext;
use crate::kinds::net;
use crate::redact::Redactor;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{ProbeSpec, RedisProbe};
use crate::tls_config;

/// Longest reply line read (an error line or `+PONG`).
const MAX_LINE: u64 = 4096;

pub(crate) async fn run(p: &RedisProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let timeout = ProbeSpec::Redis(p.clone()).timeout();
    let port = p.port.unwrap_or(6379);
    let password = match &p.credential {
        Some(name) => match ctx.secret(name, red).await {
            Ok(s) => Some(s),
            Err(f) => return f,
        },
        None => None,
    };
    let identity = match client_cert::load_for(&p.client_cert_file, &p.client_key_file, ctx).await {
        Ok(identity) => identity,
        Err(f) => return f,
    };
    let auth: Option<Vec<&str>> = password.as_ref().map(|pw| match &p.user {
        Some(user) => vec!["AUTH", user.as_str(), pw.expose()],
        None => vec!["AUTH", pw.expose()],
    });
    let target = format!("{}:{port}", net::bracket(&p.host));
    let (stream, _) = match net::connect(&p.host, port, timeout).await {
        Ok(s) => s,
        Err(f) => return f,
    };
    let presented = identity.is_some();
    let talk = async {
        if p.tls == Some(true) {
            let config = tls_config::client_config(p.ca_file.as_deref(), identity.as_ref())
                .map_err(|e| Finding::error("probe_setup", e))?;
            let name = ServerName::try_from(p.host.clone()).map_err(|_| {
                Finding::error("probe_spec_invalid", format!("bad host {}", p.host))
            })?;
            let tls = TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map_err(|e| match cert_refusal::certificate_alert(&e) {
                    Some(alert) => refused(&target, alert, presented),
                    None => Finding::fail(
                        "tls_handshake",
                        format!("{target}: TLS failed: {e}"),
                        vec![],
                    ),
                })?;
            converse(tls, auth.as_deref(), &target, presented).await
        } else {
            converse(stream, auth.as_deref(), &target, presented).await
        }
    };
    let (auth_reply, ping_reply) = match tokio::time::timeout(timeout, talk).await {
        Ok(Ok(replies)) => replies,
        Ok(Err(f))
            if p.tls == Some(true)
                && matches!(f.code.as_deref(), Some("connection_closed" | "unreachable")) =>
        {
            // The server's alert may have been lost: ask the server directly.
            let diagnosis = cert_refusal::diagnose(
                &p.host,
                port,
                p.ca_file.as_deref(),
                identity.as_ref(),
                timeout.min(cert_refusal::DIAGNOSIS_TIME),
            );
            return match diagnosis.await {
                Some(refusal) => refusal.finding(&target),
                None => f,
            };
        }
        Ok(Err(f)) => return f,
        Err(_) => {
            return Finding::fail(
                "timeout",
                format!("{target}: no reply within {} ms", timeout.as_millis()),
                vec![],
            );
        }
    };
    let mut ev = vec![EvidenceLine::new("server", target.clone())];
    if let Some(r) = &auth_reply {
        ev.push(EvidenceLine::new("AUTH", r.clone()));
    }
    if let Some(identity) = identity {
        ev.push(EvidenceLine::new(
            "client certificate",
            identity.description,
        ));
    }
    ev.push(EvidenceLine::new("PING", ping_reply.clone()));
    let mut failures = Vec::new();
    if let Some(r) = &auth_reply
        && r != "+OK"
    {
        failures.push(format!("AUTH refused: {}", r.trim_start_matches('-')));
    }
    if ping_reply != "+PONG" {
        failures.push(format!("PING answered {ping_reply} (expected +PONG)"));
    }
    Finding::from_checks(&format!("Redis {target}"), failures, ev)
}

/// The server turned the TLS session down over the client certificate (with TLS 1.3 that
/// arrives on the first read, after the handshake looked complete).
fn refused(target: &str, alert: AlertDescription, presented: bool) -> Finding {
    Refusal::new(Some(alert), presented).finding(target)
}

async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    auth: Option<&[&str]>,
    target: &str,
    presented: bool,
) -> Result<(Option<String>, String), Finding> {
    let mut stream = BufReader::new(stream);
    let auth_reply = match auth {
        Some(args) => Some(command(&mut stream, args, target, presented).await?),
        None => None,
    };
    let ping = command(&mut stream, &["PING"], target, presented).await?;
    Ok((auth_reply, ping))
}

/// Sends one RESP command and reads its one-line reply.
async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
    args: &[&str],
    target: &str,
    presented: bool,
) -> Result<String, Finding> {
    let mut frame = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        frame.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        frame.extend_from_slice(a.as_bytes());
        frame.extend_from_slice(b"\r\n");
    }
    let io = |e: std::io::Error| match cert_refusal::certificate_alert(&e) {
        Some(alert) => refused(target, alert, presented),
        None => net::io_failure(target, &e),
    };
    stream.get_mut().write_all(&frame).await.map_err(io)?;
    stream.get_mut().flush().await.map_err(io)?;
    let mut line = String::new();
    let n = AsyncReadExt::take(&mut *stream, MAX_LINE)
        .read_line(&mut line)
        .await
        .map_err(io)?;
    if n == 0 {
        return Err(Finding::fail(
            "connection_closed",
            format!("{target}: the server closed the connection"),
            vec![],
        ));
    }
    Ok(line.trim_end().to_string())
}
