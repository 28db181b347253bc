//! `postgres` probes: log in with a credential and/or a client certificate (over TLS as
//! `sslmode` says), run the spec's query inside `BEGIN READ ONLY`, compare the first column of
//! the first row, roll back. The evidence says whether the session was encrypted, with the TLS
//! version the server reports.

use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow, PgSslMode};
use sqlx::{AssertSqlSafe, Column, ConnectOptions, Connection, Row, TypeInfo};
use tokio_rustls::rustls::Error as TlsError;

use crate::cert_refusal::{self, Refusal};
use crate::check::Scalar;
use crate::client_cert;
use crate::context::ProbeContext;
use crate::kinds::{net, tls};
use crate::redact::Redactor;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{PostgresProbe, ProbeSpec, SslMode};
use crate::tls_config;

pub(crate) async fn run(p: &PostgresProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let timeout = ProbeSpec::Postgres(p.clone()).timeout();
    let port = p.port.unwrap_or(5432);
    let (user, password) = match login(p, ctx, red).await {
        Ok(login) => login,
        Err(f) => return f,
    };
    let target = format!("{}:{port}/{}", net::bracket(&p.host), p.database);
    let query = p.query.clone().unwrap_or_else(|| "SELECT 1".to_string());
    let mode = sqlx_mode(p);
    let mut options = PgConnectOptions::new()
        .host(&p.host)
        .port(port)
        .database(&p.database)
        .username(&user)
        .application_name("greenlight-probe")
        .ssl_mode(mode);
    if let Some(password) = &password {
        options = options.password(password);
    }
    let client_cert =
        match client_cert::load_for(&p.client_cert_file, &p.client_key_file, ctx).await {
            Ok(identity) => identity,
            Err(f) => return f,
        };
    if let Some(identity) = &client_cert {
        options = options
            .ssl_client_cert_from_pem(&identity.cert_pem)
            .ssl_client_key_from_pem(&identity.key_pem);
    }
    if matches!(mode, PgSslMode::VerifyCa | PgSslMode::VerifyFull) {
        // Reading the OS store (once) and `ca_file` are blocking file and keychain reads.
        let ca_file = p.ca_file.clone();
        match tokio::task::spawn_blocking(move || trusted_roots(ca_file.as_deref())).await {
            Ok(Ok(pem)) => options = options.ssl_root_cert_from_pem(pem),
            Ok(Err(e)) => return Finding::error("probe_setup", e),
            Err(e) => return Finding::error("probe_setup", format!("reading trusted roots: {e}")),
        }
        tls_config::install_process_default();
    }
    let work = async {
        let mut conn = options
            .connect()
            .await
            .map_err(|e| db_failure(&target, &e, true, p))?;
        let encryption = encryption(&mut conn, p.sslmode()).await;
        let value = {
            let mut tx = conn
                .begin_with("BEGIN READ ONLY")
                .await
                .map_err(|e| db_failure(&target, &e, false, p))?;
            let row = sqlx::query(AssertSqlSafe(query.clone()))
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_failure(&target, &e, false, p))?;
            let value = row.as_ref().map(first_column).transpose()?;
            let _ = tx.rollback().await;
            value
        };
        let _ = conn.close().await;
        Ok::<_, Finding>((value, encryption))
    };
    let (value, encryption) = match tokio::time::timeout(timeout, work).await {
        Ok(Ok(v)) => v,
        Ok(Err(f)) => return f,
        Err(_) => {
            return Finding::fail(
                "timeout",
                format!("{target}: no answer within {} ms", timeout.as_millis()),
                vec![],
            );
        }
    };
    let mut ev = vec![
        EvidenceLine::new("server", target.clone()),
        EvidenceLine::new("sslmode", sslmode_text(p)),
        EvidenceLine::new("server certificate", certificate_text(mode, &encryption)),
        EvidenceLine::new("encryption", encryption.text),
        EvidenceLine::new("user", user.clone()),
        EvidenceLine::new(
            "client certificate",
            client_cert.map_or_else(|| "none".to_string(), |c| c.description),
        ),
        EvidenceLine::new("query", query.clone()),
    ];
    let mut failures = Vec::new();
    match value {
        Some(v) => {
            ev.push(EvidenceLine::new("result", v.to_string()));
            if !p.expect.holds(&v) {
                failures.push(format!("result {v} (expected {})", p.expect.describe()));
            }
        }
        None => {
            ev.push(EvidenceLine::new("result", "no rows"));
            if p.expect.expected().is_some() {
                failures.push("the query returned no rows".into());
            }
        }
    }
    Finding::from_checks(&format!("PostgreSQL {target}"), failures, ev)
}

/// The login role and, when the spec names a credential, the password from the keychain.
async fn login(
    p: &PostgresProbe,
    ctx: &ProbeContext,
    red: &mut Redactor,
) -> Result<(String, Option<String>), Finding> {
    let Some(credential) = &p.credential else {
        // Certificate login: validation requires `user` then.
        return Ok((p.user.clone().unwrap_or_default(), None));
    };
    let secret = ctx.secret(credential, red).await?;
    match &p.user {
        Some(user) => Ok((user.clone(), Some(secret.expose().to_string()))),
        None => match secret.expose().split_once(':') {
            Some((user, password)) => Ok((user.to_string(), Some(password.to_string()))),
            None => Err(Finding::error(
                "credential_unusable",
                format!("set `user`, or store credential “{credential}” as user:password"),
            )),
        },
    }
}

/// The first column as a scalar; NUMERIC and other types must be cast in the query.
fn first_column(row: &PgRow) -> Result<Scalar, Finding> {
    if row.columns().is_empty() {
        return Ok(Scalar::Text(String::new()));
    }
    let type_name = row.column(0).type_info().name().to_string();
    let value = match type_name.as_str() {
        "INT2" => row
            .try_get::<Option<i16>, _>(0)
            .map(|v| v.map(|v| Scalar::Int(v.into()))),
        "INT4" => row
            .try_get::<Option<i32>, _>(0)
            .map(|v| v.map(|v| Scalar::Int(v.into()))),
        "INT8" => row.try_get::<Option<i64>, _>(0).map(|v| v.map(Scalar::Int)),
        "FLOAT4" => row
            .try_get::<Option<f32>, _>(0)
            .map(|v| v.map(|v| Scalar::Float(v.into()))),
        "FLOAT8" => row
            .try_get::<Option<f64>, _>(0)
            .map(|v| v.map(Scalar::Float)),
        "BOOL" => row
            .try_get::<Option<bool>, _>(0)
            .map(|v| v.map(Scalar::Bool)),
        "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => row
            .try_get::<Option<String>, _>(0)
            .map(|v| v.map(Scalar::Text)),
        other => {
            return Err(Finding::error(
                "unsupported_result_type",
                format!("the query's first column is {other}: cast it (`::float8` or `::text`)"),
            ));
        }
    };
    value
        .map(|v| v.unwrap_or_else(|| Scalar::Text("NULL".into())))
        .map_err(|e| {
            Finding::error(
                "unsupported_result_type",
                format!("cannot read the result: {e}"),
            )
        })
}

/// sqlx's mode for the spec's: libpq's `require` verifies the chain when given a root
/// certificate, so `require` with `ca_file` is `verify-ca`.
fn sqlx_mode(p: &PostgresProbe) -> PgSslMode {
    match p.sslmode() {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require if p.ca_file.is_some() => PgSslMode::VerifyCa,
        SslMode::Require => PgSslMode::Require,
        SslMode::VerifyCa => PgSslMode::VerifyCa,
        SslMode::VerifyFull => PgSslMode::VerifyFull,
    }
}

/// The roots the verify modes trust besides Mozilla's (which sqlx always adds): the OS trust
/// store's and `ca_file`'s, as PEM.
fn trusted_roots(ca_file: Option<&str>) -> Result<Vec<u8>, String> {
    let mut pem = tls_config::os_roots_pem().to_string();
    if let Some(path) = ca_file {
        for cert in tls_config::load_ca_file(path)? {
            pem.push_str(&tls_config::to_pem(&cert));
        }
    }
    Ok(pem.into_bytes())
}

fn sslmode_text(p: &PostgresProbe) -> String {
    match p.sslmode {
        None => format!("{} (default)", p.sslmode().as_str()),
        Some(SslMode::Require) if p.ca_file.is_some() => {
            "require (with ca_file: chain verified, as libpq does)".into()
        }
        Some(mode) => mode.as_str().into(),
    }
}

fn certificate_text(mode: PgSslMode, encryption: &Encryption) -> &'static str {
    match mode {
        PgSslMode::VerifyFull => "verified: chain and host name",
        PgSslMode::VerifyCa => "verified: chain only (host name not checked)",
        _ if encryption.plain => "none (plain TCP)",
        _ => "not checked",
    }
}

/// What the evidence says about the session's encryption.
struct Encryption {
    text: String,
    /// Known to be plain TCP.
    plain: bool,
}

/// Whether the session is encrypted and with what, as the server reports it in `pg_stat_ssl`
/// (sqlx does not expose the TLS session). Servers without that view get what the mode implies.
async fn encryption(conn: &mut PgConnection, mode: SslMode) -> Encryption {
    let plain = |text: &str| Encryption {
        text: text.into(),
        plain: true,
    };
    if mode == SslMode::Disable {
        return plain("none (plain TCP)");
    }
    let row =
        sqlx::query("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_optional(conn)
            .await;
    let reported = row.ok().flatten().and_then(|r| {
        let ssl = r.try_get::<Option<bool>, _>("ssl").ok()??;
        let version = r.try_get::<Option<String>, _>("version").ok()?;
        let cipher = r.try_get::<Option<String>, _>("cipher").ok()?;
        Some((ssl, version, cipher))
    });
    let text = match (reported, mode) {
        (Some((true, version, cipher)), _) => {
            let version = version.unwrap_or_else(|| "TLS".into());
            match cipher {
                Some(c) => format!("TLS: {version} ({c})"),
                None => format!("TLS: {version}"),
            }
        }
        (Some((false, ..)), _) => return plain("none (plain TCP: the server offered no TLS)"),
        (None, SslMode::Prefer) => "unknown (the server does not report pg_stat_ssl)".into(),
        (None, _) => "TLS (version not reported by the server)".into(),
    };
    Encryption { text, plain: false }
}

fn db_failure(target: &str, e: &sqlx::Error, connecting: bool, p: &PostgresProbe) -> Finding {
    let mode = p.sslmode().as_str();
    if let Some(tls_error) = rustls_error(e) {
        let (code, what) = match tls_error {
            TlsError::InvalidCertificate(_) => (
                "tls_untrusted",
                format!(
                    "certificate refused: {}",
                    tls::verdict_text(tls_error, &p.host)
                ),
            ),
            TlsError::AlertReceived(alert) if cert_refusal::refuses_a_certificate(*alert) => {
                let refusal = Refusal::new(Some(*alert), p.client_cert_file.is_some());
                (refusal.code, refusal.text)
            }
            other => ("tls_handshake", format!("TLS handshake failed: {other}")),
        };
        let hint = if code == "tls_untrusted" && p.ca_file.is_none() {
            " (set ca_file to the CA's PEM if the server uses a private CA)"
        } else {
            ""
        };
        return Finding::fail(
            code,
            format!("{target}: sslmode {mode}: {what}{hint}"),
            vec![],
        );
    }
    if let sqlx::Error::Tls(inner) = e {
        let text = inner.to_string();
        let text = if text.contains("does not support TLS") {
            "the server does not offer TLS".to_string()
        } else {
            format!("TLS failed: {text}")
        };
        return Finding::fail(
            "tls_handshake",
            format!("{target}: sslmode {mode}: {text}"),
            vec![],
        );
    }
    let text = match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => crate::kinds::http::chain(other),
    };
    let code = match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "unreachable",
        sqlx::Error::Database(_) if connecting => "login_failed",
        sqlx::Error::Database(_) => "query_failed",
        sqlx::Error::PoolTimedOut => "timeout",
        _ if connecting => "unreachable",
        _ => "query_failed",
    };
    let hint = if connecting && p.sslmode() == SslMode::Disable && text.contains("no encryption") {
        // pg_hba.conf's refusal of a plain connection ends in "no encryption".
        " — the server accepts only encrypted connections: use sslmode = \"verify-full\" or \"require\""
    } else if connecting
        && p.client_cert_file.is_none()
        && text.contains("requires a valid client certificate")
    {
        " — the server logs in by client certificate: set client_cert_file and client_key_file"
    } else {
        ""
    };
    Finding::fail(code, format!("{target}: {text}{hint}"), vec![])
}

/// The rustls error behind a failed handshake (sqlx wraps it in an I/O error or its own).
fn rustls_error(e: &sqlx::Error) -> Option<&TlsError> {
    match e {
        sqlx::Error::Io(io) => io.get_ref()?.downcast_ref::<TlsError>(),
        sqlx::Error::Tls(inner) => inner.downcast_ref::<TlsError>(),
        _ => None,
    }
}
