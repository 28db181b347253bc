//! The rules behind [`crate::suggest`]: shell-word splitting of snippet lines and one reader per
//! tool (curl, redis-cli, psql), plus title phrasings for certificates, DNS TTLs and Prometheus.

use std::sync::LazyLock;

use greenlight_core::Item;
use regex::Regex;

use crate::check::{CompareOp, Scalar, ValueCheck};
use crate::spec::{
    AuthScheme, DnsProbe, HttpAuth, HttpExpect, HttpProbe, JsonCheck, PostgresProbe, ProbeSpec,
    PrometheusProbe, RecordType, RedisProbe, SslMode, TlsProbe,
};
use crate::suggest::{InlineCredential, InlineCredentialKind as Kind, Suggestion};

/// One shell command from a snippet: its words and the line it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Cmd {
    pub line: u32,
    pub words: Vec<String>,
}

static CERT_DAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)certificates?\b.*\bvalid\b.*?(\d{1,4})\s*days")
        .unwrap_or_else(|_| unreachable!())
});
static DNS_TTL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bdns\s+ttl\b.*?(\d{1,6})\s*(s\b|sec|seconds)")
        .unwrap_or_else(|_| unreachable!())
});
static STATUS_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bHTTP\s*([1-5]\d\d)\b|^\s*([1-5]\d\d)\s+[A-Z][a-z]+)")
        .unwrap_or_else(|_| unreachable!())
});
static FIELD_EQUALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_][A-Za-z0-9_.\[\]]*)\s*[=:]\s*"([^"]*)""#)
        .unwrap_or_else(|_| unreachable!())
});

/// Commands in a snippet: `\`-continued lines joined, comments and blank lines dropped, a leading
/// `docker exec NAME` or env assignments kept as words (the readers look past them).
pub(crate) fn commands(code: &str, first_line: u32) -> Vec<Cmd> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (i, raw) in code.lines().enumerate() {
        let line_no = first_line + i as u32;
        let trimmed = raw.trim();
        if pending.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (start, mut text) = pending.take().unwrap_or((line_no, String::new()));
        if let Some(cont) = trimmed.strip_suffix('\\') {
            text.push_str(cont);
            text.push(' ');
            pending = Some((start, text));
            continue;
        }
        text.push_str(trimmed);
        for part in text.split(" | ").take(1) {
            out.push(Cmd {
                line: start,
                words: words(part),
            });
        }
    }
    if let Some((start, text)) = pending {
        out.push(Cmd {
            line: start,
            words: words(&text),
        });
    }
    out
}

/// Shell-like word splitting: spaces separate, single and double quotes group, `\` escapes.
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => cur.extend(chars.next()),
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has = true;
            }
            (None, '\\') => cur.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                has = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The words from the tool name on (after `docker exec X`, `sudo`, `VAR=value` prefixes).
fn tool<'a>(cmd: &'a Cmd, name: &str) -> Option<&'a [String]> {
    let i = cmd
        .words
        .iter()
        .position(|w| w == name || w.ends_with(&format!("/{name}")))?;
    Some(&cmd.words[i + 1..])
}

/// `-x value`, `-xvalue`, `--long value` or `--long=value`.
fn flag(args: &[String], short: &[&str], long: &[&str]) -> Option<String> {
    for (i, a) in args.iter().enumerate() {
        if short.contains(&a.as_str()) || long.contains(&a.as_str()) {
            return args.get(i + 1).cloned();
        }
        for l in long {
            if let Some(v) = a.strip_prefix(&format!("{l}=")) {
                return Some(v.to_string());
            }
        }
        for s in short {
            if a.len() > s.len() && a.starts_with(s) && !a.starts_with("--") {
                return Some(a[s.len()..].to_string());
            }
        }
    }
    None
}

/// `--cacert`, `--cert` and `--key` files (curl, redis-cli), kept only when the command uses
/// TLS; the certificate and key only as a pair of plain paths (curl's `--cert file:password`
/// form, an encrypted key, is left out).
#[derive(Default)]
struct TlsFiles {
    ca_file: Option<String>,
    client_cert_file: Option<String>,
    client_key_file: Option<String>,
}

impl TlsFiles {
    fn from_args(args: &[String], cert_short: &[&str], uses_tls: bool) -> Self {
        if !uses_tls {
            return Self::default();
        }
        let path =
            |short: &[&str], long: &str| flag(args, short, &[long]).filter(|f| !is_variable(f));
        let cert = path(cert_short, "--cert").filter(|c| !c.contains(':'));
        let (client_cert_file, client_key_file) = match (cert, path(&[], "--key")) {
            (Some(cert), Some(key)) => (Some(cert), Some(key)),
            _ => (None, None),
        };
        Self {
            ca_file: path(&[], "--cacert"),
            client_cert_file,
            client_key_file,
        }
    }
}

fn is_variable(v: &str) -> bool {
    v.starts_with('$') || v.starts_with("{{") || v == "..." || v.starts_with('<')
}

/// A keychain name from a host and a role: `blue-redis-password`.
fn cred_name(host: &str, role: &str) -> String {
    let host: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let host = host.trim_matches('-');
    if host.is_empty() {
        role.to_string()
    } else {
        format!("{host}-{role}")
    }
}

fn url_host(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or("");
    hostport.split(':').next().unwrap_or("").to_string()
}

/// Inline credentials in one command.
pub(crate) fn credentials_in(cmd: &Cmd) -> Vec<InlineCredential> {
    let mut out = Vec::new();
    let mut push = |kind, name: String| {
        out.push(InlineCredential {
            line: cmd.line,
            kind,
            suggested_name: name,
        })
    };
    let url = cmd
        .words
        .iter()
        .find(|w| w.contains("://"))
        .cloned()
        .unwrap_or_default();
    if let Some(args) = tool(cmd, "curl") {
        if let Some(up) = flag(args, &["-u"], &["--user"])
            && let Some((_, pw)) = up.split_once(':')
            && !pw.is_empty()
            && !is_variable(pw)
        {
            push(
                Kind::CurlUserPassword,
                cred_name(&url_host(&url), "basic-auth"),
            );
        }
        for h in header_values(args) {
            if let Some(v) = h
                .strip_prefix("Authorization:")
                .or_else(|| h.strip_prefix("authorization:"))
            {
                let token = v.split_whitespace().last().unwrap_or("");
                if !token.is_empty() && !is_variable(token) {
                    push(
                        Kind::AuthorizationHeader,
                        cred_name(&url_host(&url), "token"),
                    );
                }
            }
        }
    }
    if let Some(args) = tool(cmd, "redis-cli")
        && let Some(pw) = flag(args, &["-a"], &["--pass"])
        && !is_variable(&pw)
    {
        let host = flag(args, &["-h"], &[]).unwrap_or_else(|| "redis".into());
        push(Kind::RedisPassword, cred_name(&host, "redis-password"));
    }
    if let Some(pw) = cmd.words.iter().find_map(|w| w.strip_prefix("PGPASSWORD="))
        && !pw.is_empty()
        && !is_variable(pw)
    {
        let host = tool(cmd, "psql")
            .and_then(|a| flag(a, &["-h"], &["--host"]))
            .unwrap_or_else(|| "db".into());
        push(Kind::PgPasswordEnv, cred_name(&host, "postgres"));
    }
    if let Some(args) = tool(cmd, "psql") {
        for conninfo in args.iter().filter(|a| !a.contains("://")) {
            if let Some(pw) = conninfo_value(conninfo, "password")
                && !is_variable(pw)
            {
                let host = conninfo_value(conninfo, "host").unwrap_or("db");
                push(Kind::ConninfoPassword, cred_name(host, "postgres"));
            }
        }
    }
    for w in &cmd.words {
        if let Some((scheme, rest)) = w.split_once("://")
            && let Some(userinfo) = rest
                .split('/')
                .next()
                .and_then(|a| a.rsplit_once('@'))
                .map(|(u, _)| u)
            && let Some((_, pw)) = userinfo.split_once(':')
            && !pw.is_empty()
            && !is_variable(pw)
        {
            let role = if scheme.starts_with("postgres") {
                "postgres"
            } else {
                "password"
            };
            push(Kind::UrlPassword, cred_name(&url_host(w), role));
        }
    }
    out
}

fn header_values(args: &[String]) -> Vec<String> {
    args.windows(2)
        .filter(|w| w[0] == "-H" || w[0] == "--header")
        .map(|w| w[1].clone())
        .collect()
}

/// A probe for one command, when its tool and arguments are understood.
pub(crate) fn from_command(cmd: &Cmd, expectations: &[String]) -> Option<Suggestion> {
    let creds = credentials_in(cmd);
    let cred_for = |kind: Kind| {
        creds
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.suggested_name.clone())
    };
    let (spec, reason) = if let Some(args) = tool(cmd, "curl") {
        curl(args, expectations, &cred_for)?
    } else if let Some(args) = tool(cmd, "redis-cli") {
        redis(args, &cred_for)?
    } else if let Some(args) = tool(cmd, "psql") {
        psql(cmd, args, expectations, &cred_for)?
    } else {
        return None;
    };
    let reason = if creds.is_empty() {
        reason
    } else {
        format!("{reason}; the snippet spells out a credential: store it in the keychain instead")
    };
    Some(Suggestion {
        spec,
        reason,
        source_line: cmd.line,
        inline_credentials: creds,
    })
}

fn curl(
    args: &[String],
    expectations: &[String],
    cred_for: &dyn Fn(Kind) -> Option<String>,
) -> Option<(ProbeSpec, String)> {
    let method = flag(args, &["-X"], &["--request"])
        .unwrap_or_else(|| "GET".into())
        .to_ascii_uppercase();
    let has_data = args
        .iter()
        .any(|a| a.starts_with("-d") || a.starts_with("--data") || a == "-F");
    if !(method == "GET" || method == "HEAD") || has_data {
        return None; // Never suggest a probe that changes something.
    }
    let raw_url = args
        .iter()
        .find(|a| a.starts_with("http://") || a.starts_with("https://"))?;
    let url = strip_userinfo(raw_url);
    let mut expect = HttpExpect::default();
    for e in expectations {
        if let Some(c) = STATUS_CODE.captures(e) {
            expect.status = c.get(1).or(c.get(2)).and_then(|m| m.as_str().parse().ok());
            if expect.status.is_some() {
                break;
            }
        }
    }
    for e in expectations
        .iter()
        .take(expectations.len().saturating_sub(1))
    {
        for c in FIELD_EQUALS.captures_iter(e) {
            expect.json.push(JsonCheck {
                path: c[1].to_string(),
                equals: Some(Scalar::Text(c[2].to_string())),
                op: None,
                value: None,
            });
        }
    }
    let fail_flag = args.iter().any(|a| {
        a == "-f"
            || a == "--fail"
            || (a.starts_with('-') && !a.starts_with("--") && a.contains('f') && a.len() <= 4)
    });
    if expect.status.is_none() && (fail_flag || url.contains("/health") || !expect.json.is_empty())
    {
        expect.status = Some(200);
    }
    let mut auth = None;
    if let Some(up) = flag(args, &["-u"], &["--user"]) {
        let user = up.split(':').next().unwrap_or("").to_string();
        let credential = cred_for(Kind::CurlUserPassword)
            .unwrap_or_else(|| cred_name(&url_host(&url), "basic-auth"));
        auth = Some(HttpAuth {
            credential,
            scheme: AuthScheme::Basic,
            username: Some(user),
            header: None,
        });
    } else if let Some(h) = header_values(args)
        .into_iter()
        .find(|h| h.to_ascii_lowercase().starts_with("authorization:"))
    {
        let token = h.split_whitespace().last().unwrap_or("");
        let credential = if is_variable(token) {
            token
                .trim_start_matches('$')
                .trim_matches(|c| c == '{' || c == '}')
                .to_ascii_lowercase()
                .replace('_', "-")
        } else {
            cred_for(Kind::AuthorizationHeader).unwrap_or_else(|| "api-token".into())
        };
        auth = Some(HttpAuth {
            credential,
            scheme: AuthScheme::Bearer,
            username: None,
            header: None,
        });
    }
    let mut what = vec![];
    if let Some(s) = expect.status {
        what.push(format!("HTTP {s}"));
    }
    what.extend(expect.json.iter().map(|j| {
        format!(
            "{} = {}",
            j.path,
            j.equals.as_ref().map(|v| v.to_string()).unwrap_or_default()
        )
    }));
    let reason = format!(
        "curl {method} {url}, expecting {}",
        if what.is_empty() {
            "a response".into()
        } else {
            what.join(", ")
        }
    );
    let files = TlsFiles::from_args(args, &["-E"], url.starts_with("https://"));
    let spec = HttpProbe {
        url,
        method: None,
        headers: Default::default(),
        body: None,
        auth,
        timeout_ms: Some(5000),
        ca_file: files.ca_file,
        client_cert_file: files.client_cert_file,
        client_key_file: files.client_key_file,
        samples: None,
        expect,
    };
    Some((ProbeSpec::Http(spec), reason))
}

fn strip_userinfo(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_string(),
    }
}

fn redis(
    args: &[String],
    cred_for: &dyn Fn(Kind) -> Option<String>,
) -> Option<(ProbeSpec, String)> {
    if !args.iter().any(|a| a.eq_ignore_ascii_case("ping")) {
        return None;
    }
    let host = flag(args, &["-h"], &[]).unwrap_or_else(|| "127.0.0.1".into());
    let port = flag(args, &["-p"], &[]).and_then(|p| p.parse().ok());
    let credential = flag(args, &["-a"], &["--pass"]).map(|pw| {
        if is_variable(&pw) {
            pw.trim_start_matches('$')
                .to_ascii_lowercase()
                .replace('_', "-")
        } else {
            cred_for(Kind::RedisPassword).unwrap_or_else(|| cred_name(&host, "redis-password"))
        }
    });
    let tls = args.iter().any(|a| a == "--tls");
    let files = TlsFiles::from_args(args, &[], tls);
    let spec = RedisProbe {
        host: host.clone(),
        port,
        user: flag(args, &[], &["--user"]),
        credential,
        tls: tls.then_some(true),
        ca_file: files.ca_file,
        client_cert_file: files.client_cert_file,
        client_key_file: files.client_key_file,
        timeout_ms: Some(3000),
    };
    Some((
        ProbeSpec::Redis(spec),
        format!("redis-cli PING to {host}, expecting PONG"),
    ))
}

fn psql(
    cmd: &Cmd,
    args: &[String],
    expectations: &[String],
    cred_for: &dyn Fn(Kind) -> Option<String>,
) -> Option<(ProbeSpec, String)> {
    let sql = flag(args, &["-c"], &["--command"])?;
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    if !(first == "SELECT" || first == "SHOW" || first == "WITH") {
        return None;
    }
    let url = args
        .iter()
        .find(|a| a.starts_with("postgres://") || a.starts_with("postgresql://"));
    let (mut host, mut port, mut user, mut database) = (
        flag(args, &["-h"], &["--host"]),
        flag(args, &["-p"], &["--port"]).and_then(|p| p.parse().ok()),
        flag(args, &["-U"], &["--username"]),
        flag(args, &["-d"], &["--dbname"]),
    );
    if let Some(url) = url {
        let rest = url.split("://").nth(1).unwrap_or("");
        let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
        let (h, p) = hostport.split_once(':').unwrap_or((hostport, ""));
        host = host.or(Some(h.to_string()));
        port = port.or(p.parse().ok());
        user = user.or(userinfo
            .split(':')
            .next()
            .filter(|u| !u.is_empty())
            .map(str::to_string));
        database = database
            .or(Some(db.split('?').next().unwrap_or("").to_string()).filter(|d| !d.is_empty()));
    }
    // A conninfo string: `psql "host=db dbname=orders user=deploy sslmode=verify-full"`.
    if let Some(conninfo) = args
        .iter()
        .find(|a| !a.contains("://") && conninfo_value(a, "host").is_some())
    {
        let value = |key: &str| conninfo_value(conninfo, key).map(str::to_string);
        host = host.or(value("host"));
        port = port.or(value("port").and_then(|p| p.parse().ok()));
        user = user.or(value("user"));
        database = database.or(value("dbname"));
    }
    let host = host?; // Without a host the snippet runs inside a container or on the DB box.
    let user = user.unwrap_or_else(|| "postgres".into());
    let database = database.unwrap_or_else(|| user.clone());
    let credential = cred_for(Kind::PgPasswordEnv)
        .or_else(|| cred_for(Kind::UrlPassword))
        .or_else(|| cred_for(Kind::ConninfoPassword))
        .unwrap_or_else(|| cred_name(&host, "postgres"));
    let expect = expectations
        .first()
        .map(|e| e.trim().trim_matches('"').trim())
        .filter(|e| !e.is_empty() && e.split_whitespace().count() == 1)
        .map(|e| ValueCheck {
            equals: Some(
                e.parse::<i64>()
                    .map(Scalar::Int)
                    .unwrap_or_else(|_| Scalar::Text(e.to_string())),
            ),
            op: None,
            value: None,
        })
        .unwrap_or_default();
    let query = sql.trim().trim_end_matches(';').trim().to_string();
    let reason = format!(
        "psql query on {host}/{database} as {user}, expecting {}",
        expect.describe()
    );
    let _ = cmd;
    let spec = PostgresProbe {
        host,
        port,
        database,
        user: Some(user),
        credential: Some(credential),
        query: Some(query),
        expect,
        sslmode: None,
        ca_file: None,
        client_cert_file: None,
        client_key_file: None,
        timeout_ms: Some(5000),
    };
    Some((ProbeSpec::Postgres(with_conninfo_tls(spec, args)), reason))
}

/// libpq's TLS settings from a connection URL's query or a conninfo string
/// (`"host=db sslmode=verify-full sslrootcert=/etc/ca.pem"`), kept only where the probe would use
/// them: a root certificate with a verifying mode, a client certificate with its key over TLS.
fn with_conninfo_tls(mut spec: PostgresProbe, args: &[String]) -> PostgresProbe {
    let setting = |key: &str| args.iter().find_map(|a| conninfo_value(a, key));
    spec.sslmode = setting("sslmode").and_then(SslMode::from_word);
    let mode = spec.sslmode();
    if matches!(
        mode,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
    ) {
        spec.ca_file = setting("sslrootcert").map(str::to_string);
    }
    if let (Some(cert), Some(key)) = (setting("sslcert"), setting("sslkey"))
        && mode != SslMode::Disable
    {
        spec.client_cert_file = Some(cert.to_string());
        spec.client_key_file = Some(key.to_string());
    }
    spec
}

/// The value of `key=` in a URL query (`?sslmode=require&…`) or a conninfo string.
fn conninfo_value<'a>(arg: &'a str, key: &str) -> Option<&'a str> {
    let at = arg
        .match_indices(&format!("{key}="))
        .map(|(i, _)| i)
        .find(|&i| i == 0 || arg[..i].ends_with(['?', '&', ' ']))?;
    let rest = &arg[at + key.len() + 1..];
    rest.split(['&', ' ', '\'', '"'])
        .next()
        .filter(|v| !v.is_empty())
}

/// Suggestions from the item's wording alone.
pub(crate) fn from_title(item: &Item) -> Vec<Suggestion> {
    let text = format!("{} {}", item.title, item.detail);
    let mut out = Vec::new();
    if let Some(c) = CERT_DAYS.captures(&text)
        && let Ok(days) = c[1].parse::<u32>()
    {
        let spec = TlsProbe {
            host: "{{tls_host}}".into(),
            port: Some(443),
            sni: None,
            min_days_valid: Some(days),
            check_hostname: None,
            ca_file: None,
            timeout_ms: Some(5000),
        };
        out.push(Suggestion {
            spec: ProbeSpec::Tls(spec),
            reason: format!("the item asks for certificates valid for {days} days or more: checks the chain, the host name and the days left"),
            source_line: item.line,
            inline_credentials: vec![],
        });
    }
    if let Some(c) = DNS_TTL.captures(&text)
        && let Ok(ttl) = c[1].parse::<u32>()
    {
        let spec = DnsProbe {
            name: "{{dns_name}}".into(),
            record_type: Some(RecordType::A),
            values: vec![],
            max_ttl: Some(ttl),
            resolver: None,
            timeout_ms: Some(5000),
        };
        out.push(Suggestion {
            spec: ProbeSpec::Dns(spec),
            reason: format!("the item asks for a DNS TTL of {ttl} seconds: checks the record's TTL is at most {ttl}"),
            source_line: item.line,
            inline_credentials: vec![],
        });
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("prometheus") && (lower.contains("target") || lower.contains("scraping")) {
        let spec = PrometheusProbe {
            url: "{{prometheus_url}}".into(),
            query: None,
            expect: ValueCheck {
                equals: None,
                op: None,
                value: None,
            },
            all_targets_up: Some(true),
            auth: None,
            ca_file: None,
            client_cert_file: None,
            client_key_file: None,
            timeout_ms: Some(5000),
        };
        out.push(Suggestion {
            spec: ProbeSpec::Prometheus(spec),
            reason: "the item is about Prometheus targets: checks every active target is up".into(),
            source_line: item.line,
            inline_credentials: vec![],
        });
    }
    let _ = CompareOp::Eq;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell_with_quotes_and_escapes() {
        assert_eq!(
            words(r#"psql -h db -c "SELECT 1;" 'a b' c\ d"#),
            ["psql", "-h", "db", "-c", "SELECT 1;", "a b", "c d"]
        );
    }

    #[test]
    fn continued_lines_join_into_one_command_on_their_first_line() {
        let cmds = commands(
            "# comment\ncurl -X POST https://x \\\n  -d '{}'\nredis-cli ping",
            10,
        );
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].line, 11);
        assert!(cmds[0].words.contains(&"-d".to_string()));
        assert_eq!(cmds[1].line, 13);
    }

    #[test]
    fn flags_are_read_in_short_long_and_glued_forms() {
        let a: Vec<String> = ["-h", "db", "-p5433", "--user=app"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(flag(&a, &["-h"], &[]), Some("db".into()));
        assert_eq!(flag(&a, &["-p"], &[]), Some("5433".into()));
        assert_eq!(flag(&a, &[], &["--user"]), Some("app".into()));
    }
}
