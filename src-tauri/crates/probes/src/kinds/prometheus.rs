//! `prometheus` probes: an instant PromQL query through `/api/v1/query` (every series must satisfy
//! the expectation), or `all_targets_up` through `/api/v1/targets`.

use serde_json::Value;

use crate::check::{Scalar, ValueCheck};
use crate::client_cert;
use crate::context::ProbeContext;
use crate::kinds::http::{auth_header, chain, with_client_certificate};
use crate::redact::Redactor;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{ProbeSpec, PrometheusProbe};
use crate::tls_config;

/// Series or targets listed in the evidence at most.
const MAX_LISTED: usize = 10;

pub(crate) async fn run(p: &PrometheusProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let timeout = ProbeSpec::Prometheus(p.clone()).timeout();
    let identity = match client_cert::load_for(&p.client_cert_file, &p.client_key_file, ctx).await {
        Ok(identity) => identity,
        Err(f) => return f,
    };
    let client =
        match tls_config::client_config(p.ca_file.as_deref(), identity.as_ref()).and_then(|tls| {
            reqwest::Client::builder()
                .tls_backend_preconfigured((*tls).clone())
                .timeout(timeout)
                .connect_timeout(timeout)
                .build()
                .map_err(|e| chain(&e))
        }) {
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
    let get = |path: &str, query: Option<&str>| {
        let base = p.url.trim_end_matches('/');
        let mut url = match reqwest::Url::parse(&format!("{base}/{path}")) {
            Ok(u) => u,
            Err(e) => {
                return Err(Finding::error(
                    "probe_spec_invalid",
                    format!("bad url {base}: {e}"),
                ));
            }
        };
        if let Some(q) = query {
            url.query_pairs_mut().append_pair("query", q);
        }
        let mut req = client.get(url);
        if let Some((name, value)) = &auth {
            req = req.header(name.clone(), value.clone());
        }
        Ok(req)
    };
    let checked = async {
        let mut ev = Vec::new();
        let mut failures = Vec::new();
        if let Some(query) = &p.query {
            let doc = match get("api/v1/query", Some(query)) {
                Ok(req) => api_call(req).await,
                Err(f) => return f,
            };
            match doc {
                Ok(doc) => check_query(&doc, query, &p.expect, &mut ev, &mut failures),
                Err(f) => return f,
            }
        }
        if p.all_targets_up == Some(true) {
            let doc = match get("api/v1/targets", None) {
                Ok(req) => api_call(req).await,
                Err(f) => return f,
            };
            match doc {
                Ok(doc) => check_targets(&doc, &mut ev, &mut failures),
                Err(f) => return f,
            }
        }
        Finding::from_checks(&format!("Prometheus {}", p.url), failures, ev)
    };
    with_client_certificate(
        checked.await,
        &p.url,
        p.ca_file.as_deref(),
        identity,
        timeout,
        "Prometheus request failed",
    )
    .await
}

async fn api_call(req: reqwest::RequestBuilder) -> Result<Value, Finding> {
    let resp = req.send().await.map_err(|e| {
        let code = if e.is_timeout() {
            "timeout"
        } else {
            "unreachable"
        };
        Finding::fail(
            code,
            format!("Prometheus request failed: {}", chain(&e)),
            vec![],
        )
    })?;
    let status = resp.status();
    let doc: Value = resp.json_value().await.map_err(|e| {
        Finding::fail(
            "http_error",
            format!("Prometheus answered {status} without JSON: {e}"),
            vec![],
        )
    })?;
    if doc.get("status").and_then(Value::as_str) != Some("success") {
        let error = doc
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        return Err(Finding::fail(
            "prometheus_error",
            format!("Prometheus answered {status}: {error}"),
            vec![],
        ));
    }
    Ok(doc)
}

trait JsonValue {
    async fn json_value(self) -> Result<Value, String>;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Result<Value, String> {
        let bytes = self.bytes().await.map_err(|e| chain(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    }
}

fn check_query(
    doc: &Value,
    query: &str,
    expect: &ValueCheck,
    ev: &mut Vec<EvidenceLine>,
    failures: &mut Vec<String>,
) {
    ev.push(EvidenceLine::new("query", query));
    let data = &doc["data"];
    let mut samples: Vec<(String, String)> = Vec::new();
    match data["resultType"].as_str() {
        Some("vector") => {
            for series in data["result"].as_array().into_iter().flatten() {
                let labels = series["metric"].as_object().map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(",")
                });
                let value = series["value"][1].as_str().unwrap_or("").to_string();
                samples.push((format!("{{{}}}", labels.unwrap_or_default()), value));
            }
        }
        Some("scalar") => samples.push((
            "scalar".into(),
            data["result"][1].as_str().unwrap_or("").to_string(),
        )),
        other => failures.push(format!(
            "result type {} is not an instant vector or scalar",
            other.unwrap_or("?")
        )),
    }
    if samples.is_empty() && failures.is_empty() {
        failures.push("the query returned no series".into());
    }
    ev.push(EvidenceLine::new("series", samples.len().to_string()));
    for (i, (labels, value)) in samples.iter().enumerate() {
        let actual = Scalar::Text(value.clone());
        let ok = expect.holds(&actual);
        if i < MAX_LISTED {
            ev.push(EvidenceLine::new(labels.clone(), value.clone()));
        }
        if !ok {
            failures.push(format!(
                "{labels} is {value} (expected {})",
                expect.describe()
            ));
        }
    }
}

fn check_targets(doc: &Value, ev: &mut Vec<EvidenceLine>, failures: &mut Vec<String>) {
    let targets = doc["data"]["activeTargets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let down: Vec<&Value> = targets
        .iter()
        .filter(|t| t["health"].as_str() != Some("up"))
        .collect();
    ev.push(EvidenceLine::new(
        "active targets",
        targets.len().to_string(),
    ));
    ev.push(EvidenceLine::new(
        "targets up",
        (targets.len() - down.len()).to_string(),
    ));
    if targets.is_empty() {
        failures.push("no active targets".into());
    }
    for t in down.iter().take(MAX_LISTED) {
        let job = t["labels"]["job"].as_str().unwrap_or("?");
        let url = t["scrapeUrl"].as_str().unwrap_or("?");
        let health = t["health"].as_str().unwrap_or("unknown");
        let error = t["lastError"].as_str().unwrap_or("");
        ev.push(EvidenceLine::new(
            format!("target {job} {url}"),
            format!("{health} {error}").trim().to_string(),
        ));
    }
    if !down.is_empty() {
        failures.push(format!(
            "{} of {} targets are not up",
            down.len(),
            targets.len()
        ));
    }
}
