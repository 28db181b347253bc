//! A probe's client certificate (`client_cert_file` + `client_key_file`, as libpq's `sslcert`
//! and `sslkey`), for HTTPS, Prometheus and PostgreSQL servers that require one: both files are
//! read when the probe runs and never copied anywhere; the key is refused when others may read
//! it, as libpq refuses it; the certificate's subject and expiry become evidence. No message ever
//! quotes the key file's content.

use chrono::{DateTime, Utc};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::context::ProbeContext;
use crate::result::Finding;
use crate::spec_path;

/// The PEM files to hand to the TLS client, and what the evidence says about the certificate.
pub(crate) struct ClientIdentity {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
    pub description: String,
}

impl ClientIdentity {
    /// The chain and key as rustls takes them (both were checked when loaded).
    pub(crate) fn rustls_parts(
        &self,
    ) -> Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
        let chain: Vec<_> = CertificateDer::pem_slice_iter(&self.cert_pem)
            .collect::<Result<_, _>>()
            .ok()?;
        let key = PrivateKeyDer::from_pem_slice(&self.key_pem).ok()?;
        Some((chain, key))
    }
}

/// Loads the pair a spec names, on a blocking thread; `None` when it names none. A file that
/// cannot be used ends the probe with a `probe_setup` error.
pub(crate) async fn load_for(
    cert: &Option<String>,
    key: &Option<String>,
    ctx: &ProbeContext,
) -> Result<Option<ClientIdentity>, Finding> {
    let (Some(cert), Some(key)) = (cert.clone(), key.clone()) else {
        return Ok(None);
    };
    let now = ctx.clock.now();
    tokio::task::spawn_blocking(move || load(&cert, &key, now))
        .await
        .map_err(|e| format!("reading the client certificate: {e}"))
        .and_then(|loaded| loaded)
        .map(Some)
        .map_err(|e| Finding::error("probe_setup", e))
}

/// Reads and checks both files (blocking file reads: call from a blocking thread).
pub(crate) fn load(
    cert_path: &str,
    key_path: &str,
    now: DateTime<Utc>,
) -> Result<ClientIdentity, String> {
    let cert_pem = std::fs::read(spec_path::resolve(cert_path))
        .map_err(|e| format!("client_cert_file {cert_path}: {e}"))?;
    let first = CertificateDer::pem_slice_iter(&cert_pem)
        .next()
        .and_then(Result::ok)
        .ok_or_else(|| format!("client_cert_file {cert_path}: no PEM certificate in it"))?;
    let description = describe(&first, now)
        .ok_or_else(|| format!("client_cert_file {cert_path}: the certificate cannot be read"))?;

    key_is_private(key_path)?;
    let key_pem = std::fs::read(spec_path::resolve(key_path))
        .map_err(|e| format!("client_key_file {key_path}: {e}"))?;
    // The parser's own errors may quote a line of the file: say only what is wrong.
    if PrivateKeyDer::from_pem_slice(&key_pem).is_err() {
        return Err(format!(
            "client_key_file {key_path}: no PEM private key in it"
        ));
    }
    Ok(ClientIdentity {
        cert_pem,
        key_pem,
        description: format!("{description} ({cert_path})"),
    })
}

/// "CN=…, valid until …" and whether it has expired.
fn describe(der: &CertificateDer<'_>, now: DateTime<Utc>) -> Option<String> {
    let (_, cert) = X509Certificate::from_der(der.as_ref()).ok()?;
    let not_after = DateTime::<Utc>::from_timestamp(cert.validity().not_after.timestamp(), 0)?;
    let until = not_after.format("%Y-%m-%d %H:%M UTC");
    let state = if not_after < now {
        format!("EXPIRED {until}")
    } else {
        format!("valid until {until}")
    };
    Some(format!("{}, {state}", cert.subject()))
}

/// libpq's rule: a key its owner holds must not be readable by group or others; a key owned by
/// root may be group-readable (0640), as system packages install them.
#[cfg(unix)]
pub(crate) fn key_is_private(key_path: &str) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(spec_path::resolve(key_path))
        .map_err(|e| format!("client_key_file {key_path}: {e}"))?;
    let mode = meta.mode() & 0o777;
    let too_open = if meta.uid() == 0 {
        mode & 0o037 != 0
    } else {
        mode & 0o077 != 0
    };
    if too_open {
        return Err(format!(
            "client_key_file {key_path}: others may read it (mode {mode:03o}); \
             make it readable by its owner only (chmod 600), as libpq requires"
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn key_is_private(_key_path: &str) -> Result<(), String> {
    Ok(())
}
