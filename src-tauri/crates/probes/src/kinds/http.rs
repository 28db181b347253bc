//! `http` probes: one request (or `samples` of them) with optional credential, then assertions on
//! status, latency (p95 when sampled), body (substring, glob, regex), JSON paths and headers.
//! A request's response time runs from sending it to the response headers; a single request
//! with `max_latency_ms` reports it as the probe's one duration (no evidence line repeats it),
//! a sampled probe reports its samples' percentiles as evidence.

use std::time::{Duration, Instant};

use greenlight_secrets::Secret;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::cert_refusal::{self, DIAGNOSIS_TIME, Refusal};
use crate::check::scalar_of_json;
use crate::client_cert::{self, ClientIdentity};
use crate::context::ProbeContext;
use crate::kinds::net::ms;
use crate::matching::{glob, json_path};
use crate::redact::{Redactor, base64};
use crate::result::{EvidenceLine, Finding, Outcome, SAMPLES_MAX, SAMPLES_P50, SAMPLES_P95};
use crate::spec::{AuthScheme, HttpAuth, HttpExpect, HttpProbe, ProbeSpec};
use crate::tls_config;

/// Longest body kept for assertions (bigger bodies are cut; health endpoints are small).
const MAX_BODY: usize = 1024 * 1024;

struct Sample {
    status: u16,
    /// From sending the request to the response headers (the body is read afterwards).
    latency: Duration,
    headers: HeaderMap,
    body: String,
}

pub(crate) async fn run(p: &HttpProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let timeout = ProbeSpec::Http(p.clone()).timeout();
    let identity = match client_cert::load_for(&p.client_cert_file, &p.client_key_file, ctx).await {
        Ok(identity) => identity,
        Err(f) => return f,
    };
    let presented_client_cert = identity.is_some();
    let client = match client(p.ca_file.as_deref(), identity.as_ref(), timeout) {
        Ok(c) => c,
        Err(e) => return Finding::error("probe_setup", e),
    };
    let auth = match &p.auth {
        Some(a) => match auth_header(a, ctx, red).await {
            Ok(h) => Some(h),
            Err(f) => return f,
        },
        None => None,
    };
    let method = p.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
    let Ok(method) = reqwest::Method::from_bytes(method.as_bytes()) else {
        return Finding::error("probe_spec_invalid", format!("unknown method {method}"));
    };
    let send = || async {
        let mut req = client.request(method.clone(), &p.url);
        for (k, v) in &p.headers {
            req = req.header(k, v);
        }
        if let Some((name, value)) = &auth {
            req = req.header(name.clone(), value.clone());
        }
        if let Some(body) = &p.body {
            req = req.body(body.clone());
        }
        fetch(req, presented_client_cert).await
    };
    let what = format!("{} {}", method, p.url);
    let finding = match p.samples.unwrap_or(1) {
        0 | 1 => match send().await {
            Ok(sample) => {
                let (failures, evidence) = assess(&sample, &p.expect, true);
                let mut finding = Finding::from_checks(&what, failures, evidence);
                if p.expect.max_latency_ms.is_some() {
                    finding.response_time = Some(sample.latency);
                }
                finding
            }
            Err(f) => f,
        },
        n => sampled(n, send, &p.expect, &what).await,
    };
    with_client_certificate(
        finding,
        &p.url,
        p.ca_file.as_deref(),
        identity,
        timeout,
        "request failed",
    )
    .await
}

/// The last word on a request made with (or without) a client certificate: a failure to connect
/// to an https URL is explained as the server's refusal over client certificates when that is
/// what it was (`context` starts the message), and the certificate joins the evidence.
pub(crate) async fn with_client_certificate(
    mut finding: Finding,
    url: &str,
    ca_file: Option<&str>,
    identity: Option<ClientIdentity>,
    timeout: Duration,
    context: &str,
) -> Finding {
    let connection_failed = finding.outcome == Outcome::Fail
        && matches!(finding.code.as_deref(), Some("unreachable" | "http_error"));
    if let Some((host, port)) = https_host_port(url).filter(|_| connection_failed) {
        let within = timeout.min(DIAGNOSIS_TIME);
        if let Some(refusal) =
            cert_refusal::diagnose(&host, port, ca_file, identity.as_ref(), within).await
        {
            finding = refusal.finding(context);
        }
    }
    if let Some(identity) = identity {
        finding.evidence.push(EvidenceLine::new(
            "client certificate",
            identity.description,
        ));
    }
    finding
}

/// Host and port of an https URL (the only kind a client certificate can matter for).
fn https_host_port(url: &str) -> Option<(String, u16)> {
    let url = reqwest::Url::parse(url).ok()?;
    if url.scheme() != "https" {
        return None;
    }
    Some((url.host_str()?.to_string(), url.port_or_known_default()?))
}

fn client(
    ca_file: Option<&str>,
    identity: Option<&ClientIdentity>,
    timeout: Duration,
) -> Result<reqwest::Client, String> {
    let tls = tls_config::client_config(ca_file, identity)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured((*tls).clone())
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))
}

/// The credential's header, with its value registered for redaction.
pub(crate) async fn auth_header(
    a: &HttpAuth,
    ctx: &ProbeContext,
    red: &mut Redactor,
) -> Result<(HeaderName, HeaderValue), Finding> {
    let secret = ctx.secret(&a.credential, red).await?;
    let (name, value) = match a.scheme {
        AuthScheme::Bearer => (
            AUTHORIZATION,
            Secret::new(format!("Bearer {}", secret.expose())),
        ),
        AuthScheme::Basic => {
            let pair = match &a.username {
                Some(user) => {
                    red.add_pair(user, &secret);
                    Secret::new(format!("{user}:{}", secret.expose()))
                }
                None => secret.clone(),
            };
            (
                AUTHORIZATION,
                Secret::new(format!("Basic {}", base64(pair.expose().as_bytes()))),
            )
        }
        AuthScheme::Header => {
            let header = a.header.as_deref().unwrap_or("X-Api-Key");
            let Ok(name) = HeaderName::from_bytes(header.as_bytes()) else {
                return Err(Finding::error(
                    "probe_spec_invalid",
                    format!("bad header name {header}"),
                ));
            };
            (name, secret.clone())
        }
    };
    red.add(&value);
    let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
        Finding::error(
            "credential_unusable",
            format!("credential “{}” is not valid in a header", a.credential),
        )
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

async fn fetch(
    req: reqwest::RequestBuilder,
    presented_client_cert: bool,
) -> Result<Sample, Finding> {
    let started = Instant::now();
    let resp = req
        .send()
        .await
        .map_err(|e| request_failure(&e, presented_client_cert))?;
    let latency = started.elapsed();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| request_failure(&e, presented_client_cert))?;
    let body = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_BODY)]).into_owned();
    Ok(Sample {
        status,
        latency,
        headers,
        body,
    })
}

fn request_failure(e: &reqwest::Error, presented_client_cert: bool) -> Finding {
    if let Some(alert) = cert_refusal::certificate_alert(e) {
        return Refusal::new(Some(alert), presented_client_cert).finding("request failed");
    }
    let detail = chain(e);
    if let Some(plain) = plain_certificate_failure(&detail) {
        return Finding::fail("tls_untrusted", format!("request failed: {plain}"), vec![]);
    }
    let code = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        if detail.contains("certificate") || detail.contains("InvalidCertificate") {
            "tls_untrusted"
        } else {
            "unreachable"
        }
    } else {
        "http_error"
    };
    Finding::fail(code, format!("request failed: {detail}"), vec![])
}

/// The server's certificate refused by our verifier, in words that say what to do, instead
/// of the TLS library's error chain; `None` for any other failure.
pub(crate) fn plain_certificate_failure(detail: &str) -> Option<String> {
    let text = if detail.contains("UnknownIssuer") || detail.contains("unknown issuer") {
        "certificate not issued by a trusted authority: set `ca_file` to your internal CA \
         (or install it in the OS trust store)"
    } else if detail.contains("Expired") {
        "the server's certificate has expired: renew it on the server"
    } else if detail.contains("NotValidForName") {
        "the server's certificate is not valid for this host name: use the name it was issued \
         for, or reissue it with this name"
    } else if detail.contains("NotValidYet") {
        "the server's certificate is not valid yet: check the server's (or this machine's) clock"
    } else {
        return None;
    };
    Some(text.to_string())
}

/// An error with its causes, `a: b: c` (a cause already quoted by its parent is not repeated).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// Failures and evidence for one response. `with_latency`: check `max_latency_ms` per request.
fn assess(s: &Sample, x: &HttpExpect, with_latency: bool) -> (Vec<String>, Vec<EvidenceLine>) {
    let mut failures = Vec::new();
    let mut ev = vec![EvidenceLine::new("status", s.status.to_string())];
    if let Some(want) = x.status
        && s.status != want
    {
        failures.push(format!("status {} (expected {want})", s.status));
    }
    if with_latency
        && let Some(max) = x.max_latency_ms
        && s.latency > Duration::from_millis(u64::from(max))
    {
        failures.push(format!("response time {} over {max} ms", ms(s.latency)));
    }
    assess_body(&s.body, x, &mut failures);
    assess_json(&s.body, x, &mut failures, &mut ev);
    assess_headers(s, x, &mut failures, &mut ev);
    if !failures.is_empty() && !s.body.is_empty() {
        let excerpt: String = s.body.chars().take(200).collect();
        ev.push(EvidenceLine::new("body (start)", excerpt));
    }
    (failures, ev)
}

/// `body_contains`, `body_glob` and `body_regex`.
fn assess_body(body: &str, x: &HttpExpect, failures: &mut Vec<String>) {
    if let Some(needle) = &x.body_contains
        && !body.contains(needle.as_str())
    {
        failures.push(format!("body does not contain “{needle}”"));
    }
    if let Some(pattern) = &x.body_glob
        && !glob(pattern, body)
    {
        failures.push(format!("body does not match glob “{pattern}”"));
    }
    if let Some(pattern) = &x.body_regex {
        match regex::Regex::new(pattern) {
            Ok(re) if re.is_match(body) => {}
            Ok(_) => failures.push(format!("body does not match regex “{pattern}”")),
            Err(e) => failures.push(format!("bad regex: {e}")),
        }
    }
}

/// The `[[json]]` checks: each path's value is evidence, and checked.
fn assess_json(body: &str, x: &HttpExpect, failures: &mut Vec<String>, ev: &mut Vec<EvidenceLine>) {
    if x.json.is_empty() {
        return;
    }
    let doc = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(doc) => doc,
        Err(e) => {
            failures.push(format!("body is not JSON ({e})"));
            return;
        }
    };
    for j in &x.json {
        let Some(found) = json_path(&doc, &j.path) else {
            failures.push(format!("{} is missing from the JSON body", j.path));
            continue;
        };
        let check = j.check();
        let actual = scalar_of_json(found);
        ev.push(EvidenceLine::new(
            format!("json {}", j.path),
            actual.to_string(),
        ));
        if !check.holds(&actual) {
            failures.push(format!(
                "{} is {actual} (expected {})",
                j.path,
                check.describe()
            ));
        }
    }
}

/// The `[[headers]]` checks: each header's values are evidence, and checked.
fn assess_headers(
    s: &Sample,
    x: &HttpExpect,
    failures: &mut Vec<String>,
    ev: &mut Vec<EvidenceLine>,
) {
    for h in &x.headers {
        let values: Vec<String> = s
            .headers
            .get_all(h.name.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if values.is_empty() {
            failures.push(format!("header {} is missing", h.name));
            continue;
        }
        let joined = values.join(", ");
        ev.push(EvidenceLine::new(
            format!("header {}", h.name),
            joined.clone(),
        ));
        if let Some(want) = &h.equals
            && !values.iter().any(|v| v == want)
        {
            failures.push(format!(
                "header {} is “{joined}” (expected “{want}”)",
                h.name
            ));
        }
        if let Some(part) = &h.contains
            && !joined.contains(part.as_str())
        {
            failures.push(format!("header {} does not contain “{part}”", h.name));
        }
    }
}

async fn sampled<F, Fut>(n: u32, send: F, x: &HttpExpect, what: &str) -> Finding
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Sample, Finding>>,
{
    let mut latencies = Vec::new();
    let mut errors = 0u32;
    let mut first_problem: Option<String> = None;
    let mut last_evidence = Vec::new();
    for _ in 0..n {
        match send().await {
            Ok(sample) => {
                latencies.push(sample.latency);
                let (failures, ev) = assess(&sample, x, false);
                if !failures.is_empty() {
                    errors += 1;
                    first_problem.get_or_insert_with(|| failures.join("; "));
                }
                last_evidence = ev;
            }
            Err(f) => {
                errors += 1;
                first_problem.get_or_insert(f.summary);
            }
        }
    }
    latencies.sort();
    let pct = |q: f64| -> Option<Duration> {
        if latencies.is_empty() {
            return None;
        }
        let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        Some(latencies[rank - 1])
    };
    let fmt = |d: Option<Duration>| d.map(ms).unwrap_or_else(|| "n/a".into());
    let mut ev = vec![
        EvidenceLine::new("samples", n.to_string()),
        EvidenceLine::new(SAMPLES_P50, fmt(pct(0.50))),
        EvidenceLine::new(SAMPLES_P95, fmt(pct(0.95))),
        EvidenceLine::new(SAMPLES_MAX, fmt(latencies.last().copied())),
        EvidenceLine::new("errors", errors.to_string()),
    ];
    if let Some(problem) = &first_problem {
        ev.push(EvidenceLine::new("first error", problem.clone()));
    }
    ev.extend(last_evidence);
    let mut failures = Vec::new();
    if errors > x.max_errors.unwrap_or(0) {
        failures.push(format!("{errors} of {n} requests failed"));
    }
    if let (Some(max), Some(p95)) = (x.max_latency_ms, pct(0.95))
        && p95 > Duration::from_millis(u64::from(max))
    {
        failures.push(format!(
            "samples' p95 response time {} over {max} ms",
            ms(p95)
        ));
    }
    Finding::from_checks(&format!("{what} ×{n}"), failures, ev)
}
