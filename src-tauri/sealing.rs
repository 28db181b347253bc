//! Sealing a record PDF: the JSON record attached to it, then a PDF digital signature by the
//! person exporting. Their signing key is created on first export and kept only in the OS
//! keychain; its self-signed certificate (public) is kept in Settings. When the keychain is
//! locked or missing the record is still exported, unsigned, and every place says so.
//! Tauri-free.

use chrono::{DateTime, Utc};
use greenlight_seal::{CertificateInfo, EmbeddedFile, SigningIdentity};
use greenlight_secrets::{Secret, SecretError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};
use crate::export::{EMBEDDED_RECORD_NAME, RunRecord};

/// The keychain entry holding the signing key (PKCS#8, base64).
pub const SIGNING_KEY_NAME: &str = "greenlight-record-signing-key";
/// The setting holding the signing certificate (DER, base64; public).
const CERTIFICATE_SETTING: &str = "signing_certificate";
/// The setting holding the time-stamp authority's URL (RFC 3161), when one is configured.
const TSA_SETTING: &str = "timestamp_authority_url";
/// How long an export waits for the time-stamp authority before signing without its time.
const TSA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Largest time-stamp reply read (real ones are a few kilobytes).
const TSA_MAX_REPLY: usize = 64 * 1024;
/// How long a self-signed signing certificate is valid.
const CERTIFICATE_DAYS: u32 = 5 * 365;

/// Who will sign an export, or why nobody can.
pub enum Signer {
    Ready {
        identity: Box<SigningIdentity>,
        info: CertificateInfo,
    },
    Unsigned {
        reason: String,
    },
}

impl Signer {
    /// What the record's audit page prints about its signature.
    pub fn printed(&self) -> String {
        match self {
            Signer::Ready { info, .. } => format!(
                "{}{}\nSHA-256 {}",
                info.subject,
                if info.self_signed {
                    " (self-signed)"
                } else {
                    ""
                },
                info.fingerprint_sha256
            ),
            Signer::Unsigned { reason } => format!("UNSIGNED: {reason}"),
        }
    }
}

/// The signing certificate as Settings shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningCertificate {
    pub subject: String,
    pub issuer: String,
    /// SHA-256 of the certificate, `AB:CD:…`.
    pub fingerprint_sha256: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub self_signed: bool,
    /// The certificate in PEM, to give to whoever keeps the organisation's list of signers.
    pub pem: String,
}

/// A sealed PDF, and whether it carries a signature.
pub struct Sealed {
    pub pdf: Vec<u8>,
    pub signed: bool,
    /// Who signed it, or why it is unsigned.
    pub message: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn unsigned_because(error: &SecretError) -> String {
    match error {
        SecretError::Locked { .. } | SecretError::Timeout => {
            "the keychain holding the signing key is locked; unlock it and export again to sign"
                .into()
        }
        other => format!("the signing key could not be read from the keychain: {other}"),
    }
}

async fn keychain_get(app: &App) -> Result<Secret, SecretError> {
    app.keychain(|secrets| secrets.get(SIGNING_KEY_NAME)).await
}

async fn keychain_set(app: &App, secret: Secret) -> Result<(), SecretError> {
    app.keychain(move |secrets| secrets.set(SIGNING_KEY_NAME, &secret))
        .await
}

async fn stored_certificate(app: &App) -> ApiResult<Option<Vec<u8>>> {
    use base64::Engine;
    let text = app.setting(CERTIFICATE_SETTING).await?;
    Ok(text.and_then(|t| b64().decode(t.trim()).ok()))
}

/// Creates a key pair and self-signed certificate for the person acting; the key goes to the
/// keychain (nowhere else), the certificate to Settings.
async fn create_identity(app: &App, now: DateTime<Utc>) -> Result<Signer, String> {
    use base64::Engine;
    let person =
        app.identity()
            .await
            .map_err(|e| e.message)?
            .unwrap_or(greenlight_store::Identity {
                name: app.actor().await.map_err(|e| e.message)?,
                email: None,
                role: None,
            });
    let subject = greenlight_seal::IdentitySubject {
        name: person.name.clone(),
        email: person.email.clone(),
        organisation: None,
        role: person.role.clone(),
    };
    let identity = greenlight_seal::new_self_signed_identity(&subject, now, CERTIFICATE_DAYS)
        .map_err(|e| format!("a signing key could not be made: {e}"))?;
    let key = Secret::new(b64().encode(identity.private_key_pkcs8_der().as_slice()));
    keychain_set(app, key)
        .await
        .map_err(|e| unsigned_because(&e))?;
    app.set_setting(
        CERTIFICATE_SETTING,
        &b64().encode(identity.certificate_der()),
    )
    .await
    .map_err(|e| e.message)?;
    let info = identity.certificate_info().map_err(|e| e.to_string())?;
    tracing::info!(fingerprint = %info.fingerprint_sha256, "created a record signing certificate");
    Ok(Signer::Ready {
        identity: Box::new(identity),
        info,
    })
}

/// The signer of an export made now: the stored key and certificate, a new pair on first
/// export, or `Unsigned` with the reason (never an error: the export goes ahead unsigned).
pub async fn signer_for_export(app: &App, now: DateTime<Utc>) -> Signer {
    match load_or_create(app, now).await {
        Ok(signer) => signer,
        Err(reason) => {
            tracing::warn!("record exported unsigned: {reason}");
            Signer::Unsigned { reason }
        }
    }
}

async fn load_or_create(app: &App, now: DateTime<Utc>) -> Result<Signer, String> {
    use base64::Engine;
    let certificate = stored_certificate(app).await.map_err(|e| e.message)?;
    match keychain_get(app).await {
        Ok(key) => {
            let Some(certificate) = certificate else {
                return create_identity(app, now).await;
            };
            let key = b64()
                .decode(key.expose().trim())
                .map_err(|_| "the signing key in the keychain is damaged".to_string())?;
            let identity =
                SigningIdentity::from_pkcs8_and_cert(zeroize::Zeroizing::new(key), certificate)
                    .map_err(|e| format!("the signing key does not fit its certificate: {e}"))?;
            let info = identity.certificate_info().map_err(|e| e.to_string())?;
            Ok(Signer::Ready {
                identity: Box::new(identity),
                info,
            })
        }
        Err(SecretError::NotFound { .. }) => create_identity(app, now).await,
        Err(error) => Err(unsigned_because(&error)),
    }
}

/// Attaches the JSON record to the PDF, then signs the result when a signer is ready, with a
/// trusted time from the configured time-stamp authority when it answers (PAdES B-T), else
/// without one (B-B), saying which.
pub async fn seal(
    app: &App,
    pdf: &[u8],
    json: &[u8],
    record: &RunRecord,
    signer: &Signer,
    now: DateTime<Utc>,
) -> ApiResult<Sealed> {
    let attached = greenlight_seal::embed_file(
        pdf,
        &EmbeddedFile {
            name: EMBEDDED_RECORD_NAME.into(),
            mime: "application/json".into(),
            description: format!(
                "Greenlight run record {} (every audit event, the template source, the derived state); chain head {}",
                record.run_id, record.head_hash
            ),
            bytes: json.to_vec(),
            modified: now,
        },
    )?;
    let (identity, info) = match signer {
        Signer::Ready { identity, info } => (identity, info),
        Signer::Unsigned { reason } => {
            return Ok(Sealed {
                pdf: attached,
                signed: false,
                message: format!("not signed: {reason}"),
            });
        }
    };
    let options = greenlight_seal::SignOptions {
        signing_time: now,
        signer_name: info.subject.clone(),
        reason: format!(
            "Greenlight run record {}; audit chain head {}",
            record.run_id, record.head_hash
        ),
        location: None,
    };
    let prepared = greenlight_seal::prepare_signature(&attached, identity, &options)?;
    let signed_by = format!("signed by {} ({})", info.subject, info.fingerprint_sha256);
    let Some(url) = timestamp_authority(app).await? else {
        return Ok(Sealed {
            pdf: prepared.finish(None)?,
            signed: true,
            message: format!("{signed_by}; no trusted timestamp (no time-stamp authority is set)"),
        });
    };
    let reply = request_timestamp(&url, prepared.tsa_request()).await;
    let (pdf, timing) = match reply {
        Ok(reply) => match prepared.clone().finish(Some(&reply)) {
            Ok(pdf) => (pdf, format!("trusted timestamp from {url}")),
            Err(error) => (
                prepared.finish(None)?,
                format!("no trusted timestamp: {url} answered with {error}"),
            ),
        },
        Err(why) => (
            prepared.finish(None)?,
            format!("no trusted timestamp: {why}"),
        ),
    };
    Ok(Sealed {
        pdf,
        signed: true,
        message: format!("{signed_by}; {timing}"),
    })
}

/// POSTs an RFC 3161 request; the reply's bytes, or why there are none (never the URL's
/// credentials: the setting refuses URLs that carry them).
async fn request_timestamp(url: &str, request: &[u8]) -> Result<Vec<u8>, String> {
    let client = reqwest::Client::builder()
        .timeout(TSA_TIMEOUT)
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))?;
    let response = client
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .body(request.to_vec())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("{url} did not answer within {} s", TSA_TIMEOUT.as_secs())
            } else {
                format!("{url} could not be reached (offline?)")
            }
        })?;
    if !response.status().is_success() {
        return Err(format!(
            "{url} answered HTTP {}",
            response.status().as_u16()
        ));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("{url} broke off its answer: {e}"))?;
    if bytes.len() > TSA_MAX_REPLY {
        return Err(format!(
            "{url} answered with {} bytes, far more than a time-stamp",
            bytes.len()
        ));
    }
    Ok(bytes.to_vec())
}

/// The time-stamp authority's URL, when one is configured.
pub async fn timestamp_authority(app: &App) -> ApiResult<Option<String>> {
    Ok(app
        .setting(TSA_SETTING)
        .await?
        .filter(|url| !url.trim().is_empty()))
}

/// Sets (or, with `None` or an empty text, clears) the time-stamp authority: an `http(s)://`
/// URL without credentials in it.
pub async fn set_timestamp_authority(app: &App, url: Option<&str>) -> ApiResult<Option<String>> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = url {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            ApiError::new(
                Code::InvalidInput,
                format!("{url:?} is not a URL ({e}); write it as https://tsa.example.com/tsr"),
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::new(
                Code::InvalidInput,
                "a time-stamp authority is reached over http:// or https://",
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(ApiError::new(
                Code::InvalidInput,
                "a URL with a user name or password in it is not stored; use an authority that needs none",
            ));
        }
    }
    app.set_setting(TSA_SETTING, url.unwrap_or("")).await?;
    timestamp_authority(app).await
}

/// The signing certificate for Settings, if one was made.
pub async fn signing_certificate(app: &App) -> ApiResult<Option<SigningCertificate>> {
    let Some(der) = stored_certificate(app).await? else {
        return Ok(None);
    };
    let info = greenlight_seal::certificate_info(&der)?;
    Ok(Some(SigningCertificate {
        subject: info.subject,
        issuer: info.issuer,
        fingerprint_sha256: info.fingerprint_sha256,
        not_before: info.not_before,
        not_after: info.not_after,
        self_signed: info.self_signed,
        pem: greenlight_seal::certificate_pem(&der)?,
    }))
}

/// Writes the signing certificate (PEM) into the export folder for the organisation's list of
/// signers; returns the file's path. The private key never leaves the keychain.
pub async fn export_signing_certificate(app: &App) -> ApiResult<String> {
    let Some(certificate) = signing_certificate(app).await? else {
        return Err(ApiError::new(
            Code::NoSigningCertificate,
            "there is no signing certificate yet: it is made at your first record export",
        ));
    };
    let short: String = certificate
        .fingerprint_sha256
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(16)
        .collect();
    let path = app
        .export_dir()
        .await?
        .join(format!("greenlight-signer-{short}.pem"));
    crate::export::write_atomically(&path, certificate.pem.as_bytes())?;
    Ok(path.display().to_string())
}

/// Uses a company certificate instead of the self-signed one: the PKCS#12 file is opened with
/// its password, and its private key goes to the keychain (replacing any earlier key; nowhere
/// else), its certificate to Settings. Neither the file nor the password is kept.
pub async fn use_company_certificate(
    app: &App,
    pkcs12: &[u8],
    password: &str,
) -> ApiResult<SigningCertificate> {
    use base64::Engine;
    let identity = greenlight_seal::identity_from_pkcs12(pkcs12, password)?;
    let key = Secret::new(b64().encode(identity.private_key_pkcs8_der().as_slice()));
    keychain_set(app, key).await.map_err(|e| {
        let code = ApiError::from(e.clone()).code;
        ApiError::new(
            code,
            format!("the certificate's key could not be put in the keychain: {e}"),
        )
    })?;
    app.set_setting(
        CERTIFICATE_SETTING,
        &b64().encode(identity.certificate_der()),
    )
    .await?;
    let info = identity.certificate_info()?;
    tracing::info!(fingerprint = %info.fingerprint_sha256, "records are now signed with a company certificate");
    signing_certificate(app)
        .await?
        .ok_or_else(|| ApiError::new(Code::NoSigningCertificate, "the certificate was not stored"))
}
