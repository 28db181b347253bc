//! `tls` probes: handshake with the server, record the presented chain and the verification
//! verdict (OS trust store, plus `ca_file`), then check days left, hostname and protocol. The
//! verifier is wrapped so an expired or untrusted certificate still yields its evidence: the
//! handshake is allowed to finish (nothing is sent over it) and the verdict decides the outcome.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{
    CertificateError, DigitallySignedStruct, Error as TlsError, SignatureScheme,
};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use crate::context::ProbeContext;
use crate::kinds::net;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{ProbeSpec, TlsProbe};
use crate::tls_config;

#[derive(Default)]
struct Seen {
    chain: Vec<CertificateDer<'static>>,
    verdict: Option<Result<(), TlsError>>,
}

/// Delegates to the real verifier, but records the chain and its verdict and lets the
/// handshake continue so the probe can report what the server presented.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Arc<Mutex<Seen>>,
}

impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seen({} certificates)", self.chain.len())
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        seen.verdict = Some(verdict);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

pub(crate) async fn run(p: &TlsProbe, ctx: &ProbeContext) -> Finding {
    let timeout = ProbeSpec::Tls(p.clone()).timeout();
    let port = p.port.unwrap_or(443);
    let name = p.sni.clone().unwrap_or_else(|| p.host.clone());
    let target = format!("{}:{port}", net::bracket(&p.host));
    let Ok(server_name) = ServerName::try_from(name.clone()) else {
        return Finding::error(
            "probe_spec_invalid",
            format!("“{name}” is not a valid server name"),
        );
    };
    let seen = Arc::new(Mutex::new(Seen::default()));
    let config = match tls_config::verifier(p.ca_file.as_deref()).and_then(|inner| {
        tls_config::config_with(Arc::new(RecordingVerifier {
            inner,
            seen: seen.clone(),
        }))
    }) {
        Ok(c) => c,
        Err(e) => return Finding::error("probe_setup", e),
    };
    let (stream, _) = match net::connect(&p.host, port, timeout).await {
        Ok(s) => s,
        Err(f) => return f,
    };
    let handshake = tokio::time::timeout(
        timeout,
        TlsConnector::from(Arc::new(config)).connect(server_name, stream),
    )
    .await;
    let (protocol, handshake_error) = match handshake {
        Ok(Ok(tls)) => (
            tls.get_ref().1.protocol_version().map(|v| format!("{v:?}")),
            None,
        ),
        Ok(Err(e)) => (None, Some(e.to_string())),
        Err(_) => (
            None,
            Some(format!(
                "no TLS handshake within {} ms",
                timeout.as_millis()
            )),
        ),
    };
    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()));
    let Some(leaf) = seen.chain.first() else {
        let why = handshake_error.unwrap_or_else(|| "no certificate presented".into());
        return Finding::fail(
            "tls_handshake",
            format!("{target}: TLS handshake failed: {why}"),
            vec![],
        );
    };
    let mut ev = describe_chain(leaf, &seen.chain, ctx.clock.now());
    ev.push(EvidenceLine::new(
        "protocol",
        protocol
            .clone()
            .unwrap_or_else(|| "none (handshake failed)".into()),
    ));
    let mut failures = Vec::new();
    match &seen.verdict {
        Some(Ok(())) | None => ev.push(EvidenceLine::new("chain", "trusted")),
        Some(Err(e)) => {
            let hostname_only = is_name_mismatch(e);
            ev.push(EvidenceLine::new("chain", format!("NOT trusted: {e}")));
            if !(hostname_only && p.check_hostname == Some(false)) {
                failures.push(verdict_text(e, &name));
            }
        }
    }
    if let Some(e) = handshake_error {
        failures.push(format!("handshake failed: {e}"));
    }
    if let Some(min) = p.min_days_valid
        && let Some(days) = days_left(leaf, ctx.clock.now())
        && days < i64::from(min)
    {
        failures.push(format!(
            "certificate expires in {days} days (at least {min} required)"
        ));
    }
    Finding::from_checks(&format!("TLS {target} ({name})"), failures, ev)
}

fn is_name_mismatch(e: &TlsError) -> bool {
    matches!(
        e,
        TlsError::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        )
    )
}

pub(crate) fn verdict_text(e: &TlsError, name: &str) -> String {
    match e {
        TlsError::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "the certificate has expired".into(),
        TlsError::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "certificate not issued by a trusted authority (the chain does not verify: unknown \
             issuer): set `ca_file` to your internal CA (or install it in the OS trust store)"
                .into()
        }
        _ if is_name_mismatch(e) => format!("the certificate is not valid for {name}"),
        other => format!("the chain does not verify: {other}"),
    }
}

/// Days left on the certificate: whole days after today (UTC) on which it is still valid, so
/// a certificate valid until 23:59 thirty days from now has 30 days left at any hour of today
/// (counting elapsed hours would say 29, a day fewer than it has). Negative once expired.
fn days_left(der: &CertificateDer<'_>, now: DateTime<Utc>) -> Option<i64> {
    let (_, cert) = X509Certificate::from_der(der.as_ref()).ok()?;
    let not_after = DateTime::<Utc>::from_timestamp(cert.validity().not_after.timestamp(), 0)?;
    Some(days_until(not_after, now))
}

/// [`days_left`] for a notAfter instant: the last second it is valid falls on some day; the
/// days from today to that day.
fn days_until(not_after: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    if not_after <= now {
        return (not_after - now).num_days().min(-1);
    }
    let last_valid_day = (not_after - chrono::Duration::seconds(1)).date_naive();
    (last_valid_day - now.date_naive()).num_days()
}

fn describe_chain(
    leaf: &CertificateDer<'_>,
    chain: &[CertificateDer<'_>],
    now: DateTime<Utc>,
) -> Vec<EvidenceLine> {
    let mut ev = Vec::new();
    let fingerprint = hex::encode(Sha256::digest(leaf.as_ref()));
    match X509Certificate::from_der(leaf.as_ref()) {
        Ok((_, cert)) => {
            ev.push(EvidenceLine::new("subject", cert.subject().to_string()));
            let sans: Vec<String> = cert
                .subject_alternative_name()
                .ok()
                .flatten()
                .map(|ext| {
                    ext.value
                        .general_names
                        .iter()
                        .filter_map(general_name)
                        .collect()
                })
                .unwrap_or_default();
            ev.push(EvidenceLine::new(
                "SANs",
                if sans.is_empty() {
                    "none".into()
                } else {
                    sans.join(", ")
                },
            ));
            ev.push(EvidenceLine::new("issuer", cert.issuer().to_string()));
            let when = |t: i64| {
                DateTime::<Utc>::from_timestamp(t, 0)
                    .map(|d| d.to_rfc3339())
                    .unwrap_or_default()
            };
            ev.push(EvidenceLine::new(
                "not_before",
                when(cert.validity().not_before.timestamp()),
            ));
            ev.push(EvidenceLine::new(
                "not_after",
                when(cert.validity().not_after.timestamp()),
            ));
            if let Some(days) = days_left(leaf, now) {
                ev.push(EvidenceLine::new("days left", days.to_string()));
            }
        }
        Err(e) => ev.push(EvidenceLine::new("certificate", format!("unreadable: {e}"))),
    }
    ev.push(EvidenceLine::new("sha256 fingerprint", fingerprint));
    ev.push(EvidenceLine::new("chain length", chain.len().to_string()));
    ev
}

fn general_name(n: &GeneralName<'_>) -> Option<String> {
    match n {
        GeneralName::DNSName(d) => Some(format!("DNS:{d}")),
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => Some(format!(
                "IP:{}",
                std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])
            )),
            16 => <[u8; 16]>::try_from(*bytes)
                .ok()
                .map(|b| format!("IP:{}", std::net::Ipv6Addr::from(b))),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod days_tests {
    use chrono::{TimeZone, Utc};

    use super::days_until;

    #[test]
    fn days_left_count_calendar_days_not_elapsed_hours() {
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 1, 0).unwrap();
        // Valid until the end of 1 December: 30 days after today, whatever the hour.
        let late = Utc.with_ymd_and_hms(2026, 12, 1, 23, 59, 0).unwrap();
        assert_eq!(days_until(late, now), 30);
        let evening = Utc.with_ymd_and_hms(2026, 11, 1, 23, 0, 0).unwrap();
        assert_eq!(days_until(late, evening), 30);
        // notAfter at midnight: the day before is the last valid one.
        let midnight = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
        assert_eq!(days_until(midnight, now), 30);
        // Valid for the rest of today only.
        let tonight = Utc.with_ymd_and_hms(2026, 11, 1, 22, 0, 0).unwrap();
        assert_eq!(days_until(tonight, now), 0);
        let yesterday = Utc.with_ymd_and_hms(2026, 10, 30, 12, 0, 0).unwrap();
        assert!(days_until(yesterday, now) < 0);
    }
}
