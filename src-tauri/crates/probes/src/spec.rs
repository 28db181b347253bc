//! Probe specs: what a ```` ```probe ```` block under a checklist item declares, as TOML.
//! [`parse_spec`] reads one (errors name the line), [`ProbeSpec::to_toml`] writes it back.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::check::{Scalar, ValueCheck};
use crate::error::ProbeError;

/// Timeout of a probe whose spec sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One probe, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ProbeSpec {
    Http(HttpProbe),
    Tls(TlsProbe),
    Dns(DnsProbe),
    Tcp(TcpProbe),
    Redis(RedisProbe),
    Postgres(PostgresProbe),
    Prometheus(PrometheusProbe),
    Command(CommandProbe),
}

/// A reference to a named credential in the keychain: `{ credential = "api-token" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CredentialRef {
    pub credential: String,
}

/// How an HTTP request carries its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuthScheme {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic`; the secret is the password when `username` is set, else `user:password`.
    Basic,
    /// The secret as the value of the header named by `header`.
    Header,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct HttpAuth {
    pub credential: String,
    pub scheme: AuthScheme,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Header name for `scheme = "header"` (e.g. `X-Api-Key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

/// `{ path = "status", equals = "ok" }` or `{ path = "a.b[0].c", op = "<", value = 3 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct JsonCheck {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<Scalar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<crate::check::CompareOp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
}

impl JsonCheck {
    pub fn check(&self) -> ValueCheck {
        ValueCheck {
            equals: self.equals.clone(),
            op: self.op,
            value: self.value.clone(),
        }
    }
}

/// A response header that must be present, optionally with an exact or partial value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct HeaderCheck {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct HttpExpect {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Latency bound; with `samples` it bounds the p95.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_latency_ms: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
    /// Simple glob over the whole body: `*` any run of characters, `?` one character.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_glob: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_regex: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub json: Vec<JsonCheck>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<HeaderCheck>,
    /// With `samples`: how many failed requests are tolerated (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_errors: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct HttpProbe {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<HttpAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Extra trusted root(s), PEM, on top of the OS trust store (internal CAs, tests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Client certificate, PEM, for servers that require one (mutual TLS). Goes with
    /// `client_key_file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_file: Option<String>,
    /// Its private key, PEM: read when the probe runs, never copied; refused when group or
    /// others may read it, as libpq refuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<String>,
    /// Send this many requests; report p50/p95/max latency and the error count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<u32>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub expect: HttpExpect,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct TlsProbe {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Server name sent and checked; defaults to `host`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_days_valid: Option<u32>,
    /// Whether a certificate not valid for the name fails the probe (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_hostname: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RecordType {
    A,
    #[serde(rename = "AAAA")]
    Aaaa,
    #[serde(rename = "CNAME")]
    Cname,
    #[serde(rename = "TXT")]
    Txt,
    #[serde(rename = "MX")]
    Mx,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct DnsProbe {
    pub name: String,
    /// Default `A`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
    /// Every listed value must be among the answers (`"10 mail.example.com"` for MX).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_ttl: Option<u32>,
    /// `ip` or `ip:port` of the DNS server to ask; the OS resolvers when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolver: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct TcpProbe {
    pub host: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct RedisProbe {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// ACL user for `AUTH user password`; plain `AUTH password` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Credential holding the password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Client certificate, PEM, for servers that require one (mutual TLS; Redis asks for one by
    /// default when `tls` is on). Goes with `client_key_file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_file: Option<String>,
    /// Its private key, PEM: read when the probe runs, never copied; refused when group or
    /// others may read it, as libpq refuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct PostgresProbe {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub database: String,
    /// Login role; when absent the credential holds `user:password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The keychain credential with the password (or `user:password`). May be left out only when
    /// the server logs in by client certificate alone (`cert` in pg_hba.conf); `user` is then
    /// required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// Run inside `BEGIN READ ONLY`; the first column of the first row is compared. Default `SELECT 1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub expect: ValueCheck,
    /// libpq's `sslmode`, with libpq's meanings and its default, `prefer`: a spec copied from a
    /// connection string behaves as `psql` would, plain servers keep working, and servers that
    /// refuse plain connections (RDS with `rds.force_ssl`, Azure, Cloud SQL's encrypted-only
    /// mode) work without a setting. `prefer` does not authenticate the server and falls back to plain TCP when the
    /// server offers no TLS, so the evidence always says whether the session was encrypted;
    /// write `verify-full` (with `ca_file` for a private CA) to be sure it is the real server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sslmode: Option<SslMode>,
    /// Extra trusted root(s), PEM, on top of the OS trust store and Mozilla's roots (a private
    /// CA, RDS's bundle). Only with `require` (which then verifies the chain, as libpq does),
    /// `verify-ca` or `verify-full`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Client certificate, PEM (libpq's `sslcert`), for servers that require one
    /// (`clientcert=verify-full` or `cert` in pg_hba.conf). Goes with `client_key_file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_file: Option<String>,
    /// Its private key, PEM (libpq's `sslkey`): read when the probe runs, never copied; refused
    /// when group or others may read it, as libpq refuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

impl PostgresProbe {
    /// The mode the probe uses: `sslmode`, or `prefer` when unset.
    pub fn sslmode(&self) -> SslMode {
        self.sslmode.unwrap_or_default()
    }
}

/// A PostgreSQL probe's `sslmode`: libpq's words and meanings (`allow` is not offered).
// Deserialised by hand so that a wrong word names the field (serde's message would not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum SslMode {
    /// Plain TCP only; a server that accepts only TLS refuses the login.
    Disable,
    /// TLS when the server offers it, else plain; the certificate is not checked.
    #[default]
    Prefer,
    /// TLS or fail; the certificate is not checked unless `ca_file` is set.
    Require,
    /// TLS, with the chain verified against the trusted roots; the host name is not checked.
    VerifyCa,
    /// TLS, with the chain and the host name verified.
    VerifyFull,
}

impl<'de> Deserialize<'de> for SslMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        SslMode::from_word(&word).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`sslmode` must be one of disable, prefer, require, verify-ca, verify-full (not “{word}”)"
                ))
            })
    }
}

impl SslMode {
    const ALL: [SslMode; 5] = [
        Self::Disable,
        Self::Prefer,
        Self::Require,
        Self::VerifyCa,
        Self::VerifyFull,
    ];

    /// The mode for a word as written in specs and libpq connection strings.
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == word)
    }

    /// The mode as written in specs (`verify-full`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct PrometheusProbe {
    /// Base URL of the server, e.g. `http://prometheus:9090`.
    pub url: String,
    /// PromQL for `/api/v1/query`; every returned series must satisfy `expect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub expect: ValueCheck,
    /// Check `/api/v1/targets`: every active target must be `up`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_targets_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<HttpAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Client certificate, PEM, for servers that require one (mutual TLS). Goes with
    /// `client_key_file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cert_file: Option<String>,
    /// Its private key, PEM: read when the probe runs, never copied; refused when group or
    /// others may read it, as libpq refuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct CommandExpect {
    /// Default 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdout_contains: Option<String>,
}

/// Runs a program directly (no shell), only once its exact text has been approved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct CommandProbe {
    pub program: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Environment variables, each set from a credential: `{ TOKEN = { credential = "k8s" } }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, CredentialRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub expect: CommandExpect,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl ProbeSpec {
    /// The kind as written in specs (`http`, `tls`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Http(_) => "http",
            Self::Tls(_) => "tls",
            Self::Dns(_) => "dns",
            Self::Tcp(_) => "tcp",
            Self::Redis(_) => "redis",
            Self::Postgres(_) => "postgres",
            Self::Prometheus(_) => "prometheus",
            Self::Command(_) => "command",
        }
    }

    /// The probe's own timeout ([`DEFAULT_TIMEOUT`] when unset).
    pub fn timeout(&self) -> Duration {
        let ms = match self {
            Self::Http(p) => p.timeout_ms,
            Self::Tls(p) => p.timeout_ms,
            Self::Dns(p) => p.timeout_ms,
            Self::Tcp(p) => p.timeout_ms,
            Self::Redis(p) => p.timeout_ms,
            Self::Postgres(p) => p.timeout_ms,
            Self::Prometheus(p) => p.timeout_ms,
            Self::Command(p) => p.timeout_ms,
        };
        ms.map(|ms| Duration::from_millis(u64::from(ms)))
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    /// Whether the probe asserts a latency (`max_latency_ms`) or measures one over `samples`:
    /// such probes run alone, after the others (see [`crate::run_many`]).
    pub fn measures_latency(&self) -> bool {
        match self {
            Self::Http(p) => p.expect.max_latency_ms.is_some() || p.samples.unwrap_or(1) > 1,
            _ => false,
        }
    }

    /// Names of every credential the probe reads.
    pub fn credentials(&self) -> Vec<String> {
        match self {
            Self::Http(p) => p.auth.iter().map(|a| a.credential.clone()).collect(),
            Self::Prometheus(p) => p.auth.iter().map(|a| a.credential.clone()).collect(),
            Self::Redis(p) => p.credential.iter().cloned().collect(),
            Self::Postgres(p) => p.credential.iter().cloned().collect(),
            Self::Command(p) => p.env.values().map(|c| c.credential.clone()).collect(),
            Self::Tls(_) | Self::Dns(_) | Self::Tcp(_) => vec![],
        }
    }

    /// The spec as TOML, the body of a ```` ```probe ```` block; [`parse_spec`] reads it back equal.
    pub fn to_toml(&self) -> String {
        // Serialising plain data (strings, numbers, tables) cannot fail.
        toml::to_string(self).unwrap_or_default()
    }
}

/// Parses the TOML body of a probe block and checks what serde cannot (one expectation per
/// check, sensible numbers). Errors carry the 1-based line within the block.
pub fn parse_spec(source: &str) -> Result<ProbeSpec, ProbeError> {
    let spec: ProbeSpec = toml::from_str(source).map_err(|e| toml_error(source, &e))?;
    crate::validate::validate(&spec)?;
    Ok(spec)
}

/// Every probe block (`lang == "probe"`) under an item, parsed, with the block's line.
pub fn item_probes(item: &greenlight_core::Item) -> Vec<(u32, Result<ProbeSpec, ProbeError>)> {
    item.code
        .iter()
        .filter(|b| b.lang.trim().eq_ignore_ascii_case("probe"))
        .map(|b| (b.line, parse_spec(&b.code)))
        .collect()
}

fn toml_error(source: &str, e: &toml::de::Error) -> ProbeError {
    let message = e.message().trim().to_string();
    let line = match e.span() {
        Some(span) => line_of(source, span.start),
        None => guess_line(source, &message),
    };
    ProbeError::Toml { line, message }
}

fn line_of(source: &str, offset: usize) -> u32 {
    let offset = offset.min(source.len());
    source.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// When the parser gives no position, point at the line of the key the message names.
fn guess_line(source: &str, message: &str) -> u32 {
    let key = message.split('`').nth(1).unwrap_or("");
    if key.is_empty() {
        return 1;
    }
    source
        .lines()
        .position(|l| l.trim_start().starts_with(key) || l.contains(&format!(" {key} =")))
        .map(|i| i as u32 + 1)
        .unwrap_or(1)
}
