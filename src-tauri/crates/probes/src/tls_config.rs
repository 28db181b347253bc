//! rustls client configuration shared by the HTTP, TLS, Redis and Prometheus probes: one crypto
//! provider (aws-lc-rs) chosen explicitly, chains verified against the OS trust store with
//! rustls-platform-verifier, plus the roots of a spec's `ca_file` when it names one.

use std::sync::{Arc, OnceLock};

use rustls_platform_verifier::Verifier;
use tokio_rustls::rustls::client::danger::ServerCertVerifier;
use tokio_rustls::rustls::crypto::{CryptoProvider, aws_lc_rs};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::{ClientConfig, version};

/// The one crypto provider, never the process default (two compiled-in providers make
/// `ClientConfig::builder()` panic).
pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(aws_lc_rs::default_provider()))
        .clone()
}

/// PEM certificates from a file (a spec's `ca_file`).
pub(crate) fn load_ca_file(path: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("cannot read ca_file {path}: {e}"))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("ca_file {path} is not PEM certificates: {e}"))?;
    if certs.is_empty() {
        return Err(format!("ca_file {path} holds no certificate"));
    }
    Ok(certs)
}

/// The OS trust store, plus `ca_file`'s roots when given.
pub(crate) fn verifier(ca_file: Option<&str>) -> Result<Arc<Verifier>, String> {
    let extra = match ca_file {
        Some(path) => load_ca_file(path)?,
        None => vec![],
    };
    Verifier::new_with_extra_roots(extra, provider())
        .map(Arc::new)
        .map_err(|e| format!("cannot load the OS trust store: {e}"))
}

/// A client config (TLS 1.2 and 1.3 only) with the given verifier.
pub(crate) fn config_with(verifier: Arc<dyn ServerCertVerifier>) -> Result<ClientConfig, String> {
    Ok(ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&version::TLS13, &version::TLS12])
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// A verifying client config for `ca_file` (cached for the common no-`ca_file` case).
pub(crate) fn client_config(ca_file: Option<&str>) -> Result<Arc<ClientConfig>, String> {
    static DEFAULT: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    match ca_file {
        None => DEFAULT
            .get_or_init(|| config_with(verifier(None)?).map(Arc::new))
            .clone(),
        Some(_) => config_with(verifier(ca_file)?).map(Arc::new),
    }
}
