//! What a probe run reports: [`ProbeResult`] with its [`Outcome`] and evidence lines.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Pass: every assertion held. Fail: the target answered wrongly or not at all (refused,
/// timed out). Error: the probe could not be run (missing credential, not approved, bad spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    Pass,
    Fail,
    Error,
}

/// One fact the probe observed, shown under the item as proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EvidenceLine {
    pub label: String,
    pub value: String,
}

impl EvidenceLine {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProbeResult {
    /// `http`, `tls`, ... (the spec's kind).
    pub kind: String,
    pub outcome: Outcome,
    /// One sentence: what was checked and what was found.
    pub summary: String,
    /// Stable reason code for Fail/Error (`timeout`, `unreachable`, `command_not_approved`, ...).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub evidence: Vec<EvidenceLine>,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    /// The probe's own check time: from the moment it started (not while it waited for a turn)
    /// until its finding was in, credential lookups and connection set-up included.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// HTTP probes with a latency assertion (`max_latency_ms`, one request): the request's
    /// response time, from sending the request to the response headers. When present, it is the
    /// probe's one shown duration ([`ProbeResult::duration`]), not `duration_ms`.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time_ms: Option<u64>,
}

impl ProbeResult {
    /// The one duration this result shows, named for what it measures.
    pub fn duration(&self) -> ProbeDuration {
        ProbeDuration::of(self.duration_ms, self.response_time_ms)
    }
}

/// A sampled probe's statistics over its requests' response times (evidence labels): these are
/// not the probe's duration, which is its check time over all the samples.
pub const SAMPLES_P50: &str = "samples' p50 response time";
pub const SAMPLES_P95: &str = "samples' p95 response time";
pub const SAMPLES_MAX: &str = "samples' max response time";

/// A probe result's one duration, with the words for what it measures. Every reader (window,
/// CLI, record) shows this and no other duration: a probe's evidence lines carry none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProbeDuration {
    /// `response time` (an HTTP request's, from sending it to the response headers) or
    /// `check time` (the probe's own, from its start to its finding).
    pub label: &'static str,
    pub ms: u64,
}

impl ProbeDuration {
    pub const RESPONSE_TIME: &'static str = "response time";
    pub const CHECK_TIME: &'static str = "check time";

    /// From the stored fields: the response time when the result has one, else the check time
    /// (results recorded before response times were kept have only the check time).
    pub fn of(duration_ms: u64, response_time_ms: Option<u64>) -> Self {
        match response_time_ms {
            Some(ms) => Self {
                label: Self::RESPONSE_TIME,
                ms,
            },
            None => Self {
                label: Self::CHECK_TIME,
                ms: duration_ms,
            },
        }
    }
}

impl std::fmt::Display for ProbeDuration {
    /// `response time 31 ms`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ms", self.label, self.ms)
    }
}

/// What a probe kind returns before timing and redaction are applied by the runner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub outcome: Outcome,
    pub summary: String,
    pub code: Option<String>,
    pub evidence: Vec<EvidenceLine>,
    /// An HTTP request's response time, when the probe asserts one (see
    /// [`ProbeResult::response_time_ms`]).
    pub response_time: Option<std::time::Duration>,
}

impl Finding {
    pub fn pass(summary: impl Into<String>, evidence: Vec<EvidenceLine>) -> Self {
        Self {
            outcome: Outcome::Pass,
            summary: summary.into(),
            code: None,
            evidence,
            response_time: None,
        }
    }

    pub fn fail(code: &str, summary: impl Into<String>, evidence: Vec<EvidenceLine>) -> Self {
        Self {
            outcome: Outcome::Fail,
            summary: summary.into(),
            code: Some(code.into()),
            evidence,
            response_time: None,
        }
    }

    pub fn error(code: &str, summary: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Error,
            summary: summary.into(),
            code: Some(code.into()),
            evidence: vec![],
            response_time: None,
        }
    }

    /// Pass when `failures` is empty, else Fail with code `assertion_failed` and the failures joined.
    pub fn from_checks(what: &str, failures: Vec<String>, evidence: Vec<EvidenceLine>) -> Self {
        if failures.is_empty() {
            Self::pass(format!("{what}: all checks passed"), evidence)
        } else {
            Self::fail(
                "assertion_failed",
                format!("{what}: {}", failures.join("; ")),
                evidence,
            )
        }
    }
}
