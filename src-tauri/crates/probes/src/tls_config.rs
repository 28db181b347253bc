//! rustls client configuration shared by the HTTP, TLS, Redis and Prometheus probes: one crypto
//! provider (aws-lc-rs) chosen explicitly, chains verified against the OS trust store with
//! rustls-platform-verifier, plus the roots of a spec's `ca_file` when it names one, and the spec's
//! client certificate when it names one. For sqlx,
//! which takes roots but no verifier, the OS store's roots (and `ca_file`'s) as PEM.

use std::sync::{Arc, OnceLock};

use rustls_platform_verifier::Verifier;
use tokio_rustls::rustls::client::danger::ServerCertVerifier;
use tokio_rustls::rustls::crypto::{CryptoProvider, aws_lc_rs};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, version};

use crate::client_cert::ClientIdentity;
use crate::spec_path;

/// The one crypto provider, never the process default (two compiled-in providers make
/// `ClientConfig::builder()` panic).
pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(aws_lc_rs::default_provider()))
        .clone()
}

/// Installs aws-lc-rs as the process-wide provider unless one is installed: sqlx builds its
/// `verify-ca` verifier from the process default, and with two providers compiled in, rustls
/// would panic there instead of picking one.
pub(crate) fn install_process_default() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = aws_lc_rs::default_provider().install_default();
    });
}

/// PEM certificates from a file (a spec's `ca_file`).
pub(crate) fn load_ca_file(path: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<_> = CertificateDer::pem_file_iter(spec_path::resolve(path))
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
    config_with_identity(verifier, None)
}

/// Like [`config_with`], presenting `identity` when the server asks for a client certificate.
fn config_with_identity(
    verifier: Arc<dyn ServerCertVerifier>,
    identity: Option<&ClientIdentity>,
) -> Result<ClientConfig, String> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&version::TLS13, &version::TLS12])
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match identity {
        None => Ok(builder.with_no_client_auth()),
        Some(identity) => {
            let (chain, key) = identity
                .rustls_parts()
                .ok_or("the client certificate or key cannot be read")?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("the client certificate cannot be used: {e}"))
        }
    }
}

/// A verifying client config for `ca_file`, presenting `identity` if given (cached for the
/// common case of neither).
pub(crate) fn client_config(
    ca_file: Option<&str>,
    identity: Option<&ClientIdentity>,
) -> Result<Arc<ClientConfig>, String> {
    static DEFAULT: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    match (ca_file, identity) {
        (None, None) => DEFAULT
            .get_or_init(|| config_with(verifier(None)?).map(Arc::new))
            .clone(),
        _ => config_with_identity(verifier(ca_file)?, identity).map(Arc::new),
    }
}

/// The OS trust store's root certificates as PEM, read once; certificates rustls cannot use as
/// trust anchors are left out (one would make sqlx refuse the whole bundle).
pub(crate) fn os_roots_pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .filter(|cert| RootCertStore::empty().add((*cert).clone()).is_ok())
            .map(|cert| to_pem(cert))
            .collect()
    })
}

/// One certificate as a PEM block.
pub(crate) fn to_pem(cert: &CertificateDer<'_>) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
