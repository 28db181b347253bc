//! Checks on a parsed spec that serde's types cannot express (one expectation per check, a
//! usable URL scheme, sane numbers), so a bad spec fails at import, not mid-deployment.

use crate::check::ValueCheck;
use crate::error::ProbeError;
use crate::spec::{AuthScheme, HttpAuth, PostgresProbe, ProbeSpec, SslMode};

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MAX_TIMEOUT_MS: u64 = 600_000;
const MAX_SAMPLES: u32 = 1000;

pub(crate) fn validate(spec: &ProbeSpec) -> Result<(), ProbeError> {
    let timeout = spec.timeout().as_millis() as u64;
    if timeout == 0 || timeout > MAX_TIMEOUT_MS {
        return Err(ProbeError::invalid(
            "timeout_ms",
            "must be between 1 and 600000",
        ));
    }
    match spec {
        ProbeSpec::Http(p) => {
            http_url("url", &p.url)?;
            if let Some(m) = &p.method
                && !METHODS.contains(&m.to_ascii_uppercase().as_str())
            {
                return Err(ProbeError::invalid(
                    "method",
                    format!("unknown method “{m}”"),
                ));
            }
            auth(p.auth.as_ref())?;
            https_client_cert(&p.client_cert_file, &p.client_key_file, &p.url)?;
            if let Some(n) = p.samples
                && (n == 0 || n > MAX_SAMPLES)
            {
                return Err(ProbeError::invalid("samples", "must be between 1 and 1000"));
            }
            if let Some(re) = &p.expect.body_regex {
                regex::Regex::new(re)
                    .map_err(|e| ProbeError::invalid("expect.body_regex", e.to_string()))?;
            }
            for j in &p.expect.json {
                value_check(&format!("expect.json[{}]", j.path), &j.check())?;
            }
        }
        ProbeSpec::Tls(p) => non_empty("host", &p.host)?,
        ProbeSpec::Dns(p) => non_empty("name", &p.name)?,
        ProbeSpec::Tcp(p) => non_empty("host", &p.host)?,
        ProbeSpec::Redis(p) => {
            non_empty("host", &p.host)?;
            client_cert(
                p.client_cert_file.as_deref(),
                p.client_key_file.as_deref(),
                p.tls == Some(true),
                "set tls = true",
            )?;
        }
        ProbeSpec::Postgres(p) => {
            non_empty("host", &p.host)?;
            non_empty("database", &p.database)?;
            value_check("expect", &p.expect)?;
            postgres_login(p)?;
            if let Some(ca) = &p.ca_file {
                non_empty("ca_file", ca)?;
                if matches!(p.sslmode(), SslMode::Disable | SslMode::Prefer) {
                    return Err(ProbeError::invalid(
                        "ca_file",
                        format!(
                            "is not used with sslmode = \"{}\": set sslmode = \"verify-full\" (or \"verify-ca\")",
                            p.sslmode().as_str()
                        ),
                    ));
                }
            }
        }
        ProbeSpec::Prometheus(p) => {
            http_url("url", &p.url)?;
            auth(p.auth.as_ref())?;
            https_client_cert(&p.client_cert_file, &p.client_key_file, &p.url)?;
            value_check("expect", &p.expect)?;
            if p.query.is_none() && p.all_targets_up != Some(true) {
                return Err(ProbeError::invalid(
                    "query",
                    "set `query` or `all_targets_up = true`",
                ));
            }
        }
        ProbeSpec::Command(p) => {
            non_empty("program", &p.program)?;
            for name in p.env.keys() {
                let ok = !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok {
                    return Err(ProbeError::invalid(
                        "env",
                        format!("“{name}” is not a variable name"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Who logs in and how: a credential, a client certificate (with its key, over TLS), or both.
fn postgres_login(p: &PostgresProbe) -> Result<(), ProbeError> {
    client_cert(
        p.client_cert_file.as_deref(),
        p.client_key_file.as_deref(),
        p.sslmode() != SslMode::Disable,
        "it is not used with sslmode = \"disable\"",
    )?;
    match &p.credential {
        Some(name) => non_empty("credential", name),
        None if p.client_cert_file.is_none() => Err(ProbeError::invalid(
            "credential",
            "must name the keychain credential with the password (or set client_cert_file and \
             client_key_file for a server that logs in by certificate)",
        )),
        None if p.user.is_none() => Err(ProbeError::invalid(
            "user",
            "must be set when there is no credential",
        )),
        None => Ok(()),
    }
}

/// `client_cert_file` and `client_key_file` come together, and only where TLS is in use
/// (`without_tls` says why it is not).
fn client_cert(
    cert: Option<&str>,
    key: Option<&str>,
    tls_in_use: bool,
    without_tls: &str,
) -> Result<(), ProbeError> {
    match (cert, key) {
        (Some(cert), Some(key)) => {
            non_empty("client_cert_file", cert)?;
            non_empty("client_key_file", key)?;
            if !tls_in_use {
                return Err(ProbeError::invalid(
                    "client_cert_file",
                    format!("needs TLS: {without_tls}"),
                ));
            }
            Ok(())
        }
        (Some(_), None) => Err(ProbeError::invalid(
            "client_key_file",
            "must be set with client_cert_file (the certificate's private key)",
        )),
        (None, Some(_)) => Err(ProbeError::invalid(
            "client_cert_file",
            "must be set with client_key_file",
        )),
        (None, None) => Ok(()),
    }
}

/// A client certificate for an HTTP(S) URL: only with https, or a `{{variable}}` that may
/// stand for it.
fn https_client_cert(
    cert: &Option<String>,
    key: &Option<String>,
    url: &str,
) -> Result<(), ProbeError> {
    let may_use_tls = url.starts_with("https://") || url.contains("{{");
    client_cert(
        cert.as_deref(),
        key.as_deref(),
        may_use_tls,
        "the url is not https://",
    )
}

fn non_empty(field: &str, v: &str) -> Result<(), ProbeError> {
    if v.trim().is_empty() {
        Err(ProbeError::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

fn http_url(field: &str, url: &str) -> Result<(), ProbeError> {
    // `{{var}}` may stand for the scheme and host: only check URLs without variables here.
    if url.contains("{{") {
        return Ok(());
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(ProbeError::invalid(
            field,
            "must start with http:// or https://",
        ))
    }
}

fn auth(a: Option<&HttpAuth>) -> Result<(), ProbeError> {
    if let Some(a) = a {
        non_empty("auth.credential", &a.credential)?;
        if a.scheme == AuthScheme::Header && a.header.as_deref().is_none_or(str::is_empty) {
            return Err(ProbeError::invalid(
                "auth.header",
                "scheme \"header\" needs `header`",
            ));
        }
    }
    Ok(())
}

fn value_check(field: &str, c: &ValueCheck) -> Result<(), ProbeError> {
    match c.problem() {
        Some(p) => Err(ProbeError::invalid(field, p)),
        None => Ok(()),
    }
}
