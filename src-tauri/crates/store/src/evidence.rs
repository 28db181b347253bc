//! Probe evidence: each probe result kept with its run (`probe_results`) and chained in full
//! into the run's audit log as a `probe_result` event.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::audit;
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_time};
use crate::types::{EvidenceItem, ProbeEvidence, ProbeOutcome};

/// A probe result to keep as evidence (already redacted by the probe engine).
pub struct NewEvidence<'a> {
    pub element_id: &'a str,
    pub probe_line: u32,
    pub kind: &'a str,
    pub outcome: ProbeOutcome,
    pub summary: &'a str,
    pub code: Option<&'a str>,
    pub evidence: &'a [EvidenceItem],
    pub started_at: DateTime<Utc>,
    /// The probe's own check time.
    pub duration_ms: u64,
    /// An HTTP request's response time, when the probe asserts one (then its shown duration).
    pub response_time_ms: Option<u64>,
}

impl Store {
    /// Keeps a probe result with the run (and its outcome in the audit log); returns it as stored.
    pub async fn record_probe_result(
        &self,
        run_id: &str,
        result: &NewEvidence<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<ProbeEvidence> {
        let mut tx = self.write().await?;
        crate::runs::run_header(&mut tx, run_id).await?;
        let mut payload = json!({
            "kind": result.kind, "outcome": result.outcome.as_str(), "summary": result.summary,
            "code": result.code, "duration_ms": result.duration_ms,
            "probe_line": result.probe_line, "started_at": format_time(result.started_at),
            "evidence": result.evidence,
        });
        // Added, not renamed: `duration_ms` keeps its meaning (the check time) in every event;
        // only results with a response time carry the new field.
        if let Some(ms) = result.response_time_ms {
            payload["response_time_ms"] = json!(ms);
        }
        let id = sqlx::query(
            "INSERT INTO probe_results (run_id, element_id, probe_line, kind, outcome, summary, code, evidence_json, started_at, duration_ms, response_time_ms, actor)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id)
        .bind(result.element_id)
        .bind(result.probe_line)
        .bind(result.kind)
        .bind(result.outcome.as_str())
        .bind(result.summary)
        .bind(result.code)
        .bind(serde_json::to_string(result.evidence)?)
        .bind(format_time(result.started_at))
        .bind(i64::try_from(result.duration_ms).unwrap_or(i64::MAX))
        .bind(
            result
                .response_time_ms
                .map(|ms| i64::try_from(ms).unwrap_or(i64::MAX)),
        )
        .bind(actor)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        audit::append_to_run(
            &mut tx,
            run_id,
            "probe_result",
            Some(result.element_id),
            // The whole result is chained, evidence details included, so the table row is only
            // a projection that verification can check against the log.
            payload,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ProbeEvidence {
            id,
            run_id: run_id.to_string(),
            element_id: result.element_id.to_string(),
            probe_line: result.probe_line,
            kind: result.kind.to_string(),
            outcome: result.outcome,
            summary: result.summary.to_string(),
            code: result.code.map(str::to_string),
            evidence: result.evidence.to_vec(),
            // As stored: times keep milliseconds.
            started_at: parse_time(&format_time(result.started_at))?,
            duration_ms: result.duration_ms,
            response_time_ms: result.response_time_ms,
            actor: actor.to_string(),
        })
    }

    /// Every probe result of a run, oldest first.
    pub async fn probe_evidence(&self, run_id: &str) -> StoreResult<Vec<ProbeEvidence>> {
        let rows = sqlx::query(
            "SELECT id, run_id, element_id, probe_line, kind, outcome, summary, code, evidence_json, started_at, duration_ms, response_time_ms, actor
             FROM probe_results WHERE run_id = ? ORDER BY id",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ProbeEvidence {
                    id: row.try_get("id")?,
                    run_id: row.try_get("run_id")?,
                    element_id: row.try_get("element_id")?,
                    probe_line: row.try_get::<i64, _>("probe_line")? as u32,
                    kind: row.try_get("kind")?,
                    outcome: ProbeOutcome::parse(&row.try_get::<String, _>("outcome")?)
                        .ok_or_else(|| StoreError::Decode("unknown probe outcome".into()))?,
                    summary: row.try_get("summary")?,
                    code: row.try_get("code")?,
                    evidence: serde_json::from_str(&row.try_get::<String, _>("evidence_json")?)?,
                    started_at: parse_time(&row.try_get::<String, _>("started_at")?)?,
                    duration_ms: row.try_get::<i64, _>("duration_ms")?.max(0) as u64,
                    response_time_ms: row
                        .try_get::<Option<i64>, _>("response_time_ms")?
                        .map(|ms| ms.max(0) as u64),
                    actor: row.try_get("actor")?,
                })
            })
            .collect()
    }
}
