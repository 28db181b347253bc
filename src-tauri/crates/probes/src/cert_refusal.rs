//! Saying clearly when a server turned a TLS connection down over client certificates: from the
//! alert in an error's chain, or, when the alert was lost (with TLS 1.3 the client considers the
//! handshake done before the server has checked its certificate, so an HTTP client may see only
//! a closed connection), from a handshake of our own made only to explain the failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::client::ResolvesClientCert;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{
    AlertDescription, ClientConfig, Error as TlsError, SignatureScheme, sign, version,
};

use crate::client_cert::ClientIdentity;
use crate::result::Finding;
use crate::tls_config;

/// Longest a diagnostic connection may take (and the probe's own timeout, if shorter).
pub(crate) const DIAGNOSIS_TIME: Duration = Duration::from_secs(3);

/// The server wants a client certificate and got none, or refused the one it got.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refusal {
    pub code: &'static str,
    pub text: String,
}

impl Refusal {
    pub(crate) fn new(alert: Option<AlertDescription>, presented: bool) -> Self {
        let alert = alert.map_or_else(String::new, |a| format!(" (TLS alert {a:?})"));
        if presented {
            Self {
                code: "tls_client_cert_refused",
                text: format!("the server refused the client certificate{alert}"),
            }
        } else {
            Self {
                code: "tls_client_cert_required",
                text: format!(
                    "the server requires a client certificate{alert}: set client_cert_file and client_key_file"
                ),
            }
        }
    }

    /// A failed probe result saying so, after `target`.
    pub(crate) fn finding(self, target: &str) -> Finding {
        Finding::fail(self.code, format!("{target}: {}", self.text), vec![])
    }
}

/// Alerts a server sends about the client certificate it was shown, or did not get.
pub(crate) fn refuses_a_certificate(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::UnknownCA
            | AlertDescription::BadCertificate
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRequired
            | AlertDescription::AccessDenied
    )
}

/// Such an alert anywhere in an error's chain (rustls errors travel inside I/O errors, whose
/// `source()` skips them, so those are opened too).
pub(crate) fn certificate_alert(e: &(dyn std::error::Error + 'static)) -> Option<AlertDescription> {
    let mut next = Some(e);
    while let Some(error) = next {
        let tls = error.downcast_ref::<TlsError>().or_else(|| {
            error
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<TlsError>())
        });
        if let Some(TlsError::AlertReceived(alert)) = tls
            && refuses_a_certificate(*alert)
        {
            return Some(*alert);
        }
        next = error.source();
    }
    None
}

/// Connects to `host:port` once more to find out whether client certificates were the reason a
/// connection failed: without `identity`, whether the server asks for one and then closes the
/// connection; with it, whether the server answers it with a certificate alert. `None`: not a
/// certificate problem (the connection stayed open for `within`). Nothing is sent beyond the
/// handshake.
pub(crate) async fn diagnose(
    host: &str,
    port: u16,
    ca_file: Option<&str>,
    identity: Option<&ClientIdentity>,
    within: Duration,
) -> Option<Refusal> {
    let asked = Arc::new(AskRecorder::default());
    let config = match identity {
        Some(_) => tls_config::client_config(ca_file, identity).ok()?,
        None => {
            let verifier = tls_config::verifier(ca_file).ok()?;
            let config = ClientConfig::builder_with_provider(tls_config::provider())
                .with_protocol_versions(&[&version::TLS13, &version::TLS12])
                .ok()?
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_client_cert_resolver(asked.clone());
            Arc::new(config)
        }
    };
    let name = ServerName::try_from(host.to_string()).ok()?;
    let attempt = async {
        let tcp = TcpStream::connect((host, port)).await.ok()?;
        let mut tls = match TlsConnector::from(config).connect(name, tcp).await {
            Ok(tls) => tls,
            Err(e) => return Some(Ending::of(&e)),
        };
        // TLS 1.3: the server's verdict on our certificate arrives after the handshake.
        let mut byte = [0_u8; 1];
        match tls.read(&mut byte).await {
            Err(e) => Some(Ending::of(&e)),
            Ok(0) => Some(Ending::Closed),
            Ok(_) => None,
        }
    };
    // No answer within `within` means the server kept the connection open: not refused.
    let ending = tokio::time::timeout(within, attempt).await.ok().flatten()?;
    match ending {
        Ending::Alert(alert) => Some(Refusal::new(Some(alert), identity.is_some())),
        Ending::Closed if identity.is_none() && asked.0.load(Ordering::SeqCst) => {
            Some(Refusal::new(None, false))
        }
        Ending::Closed => None,
    }
}

/// How the diagnostic connection ended.
enum Ending {
    Alert(AlertDescription),
    Closed,
}

impl Ending {
    fn of(e: &std::io::Error) -> Self {
        certificate_alert(e).map_or(Self::Closed, Self::Alert)
    }
}

/// Presents no certificate, and remembers that the server asked for one.
#[derive(Debug, Default)]
struct AskRecorder(AtomicBool);

impl ResolvesClientCert for AskRecorder {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<sign::CertifiedKey>> {
        self.0.store(true, Ordering::SeqCst);
        None
    }

    fn has_certs(&self) -> bool {
        true
    }
}
