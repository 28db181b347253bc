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
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// What a probe kind returns before timing and redaction are applied by the runner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub outcome: Outcome,
    pub summary: String,
    pub code: Option<String>,
    pub evidence: Vec<EvidenceLine>,
}

impl Finding {
    pub fn pass(summary: impl Into<String>, evidence: Vec<EvidenceLine>) -> Self {
        Self {
            outcome: Outcome::Pass,
            summary: summary.into(),
            code: None,
            evidence,
        }
    }

    pub fn fail(code: &str, summary: impl Into<String>, evidence: Vec<EvidenceLine>) -> Self {
        Self {
            outcome: Outcome::Fail,
            summary: summary.into(),
            code: Some(code.into()),
            evidence,
        }
    }

    pub fn error(code: &str, summary: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Error,
            summary: summary.into(),
            code: Some(code.into()),
            evidence: vec![],
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
