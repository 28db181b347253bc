//! What the probe engine needs from the store and leaves in it: environments (variable sets),
//! credential references (never the secret), approved command digests, and probe evidence.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::audit::{self, NewEvent};
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_time};
use crate::types::{
    Credential, CredentialKind, Environment, EvidenceItem, ProbeEvidence, ProbeOutcome,
};

fn valid_name(name: &str, what: &str) -> StoreResult<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(StoreError::Invalid(format!(
            "{what} names use letters, digits, '-', '_' and '.' (at most 64)"
        )))
    }
}

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
    pub duration_ms: u64,
}

impl Store {
    pub async fn environments(&self) -> StoreResult<Vec<Environment>> {
        let rows = sqlx::query("SELECT name, variables_json FROM environments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Environment {
                    name: row.try_get("name")?,
                    variables: serde_json::from_str(&row.try_get::<String, _>("variables_json")?)?,
                })
            })
            .collect()
    }

    /// The variables of an environment (empty when none is defined under that name).
    pub async fn environment_variables(&self, name: &str) -> StoreResult<BTreeMap<String, String>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT variables_json FROM environments WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(json
            .map(|j| serde_json::from_str(&j))
            .transpose()?
            .unwrap_or_default())
    }

    pub async fn save_environment(&self, env: &Environment, now: DateTime<Utc>) -> StoreResult<()> {
        let name = valid_name(&env.name, "environment")?;
        for key in env.variables.keys() {
            valid_name(key, "variable")?;
        }
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO environments (name, variables_json, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET variables_json = excluded.variables_json, updated_at = excluded.updated_at",
        )
        .bind(&name)
        .bind(serde_json::to_string(&env.variables)?)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_environment(&self, name: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM environments WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn credentials(&self) -> StoreResult<Vec<Credential>> {
        let rows =
            sqlx::query("SELECT name, kind, username, created_at FROM credentials ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Credential {
                    name: row.try_get("name")?,
                    kind: CredentialKind::parse(&row.try_get::<String, _>("kind")?)
                        .ok_or_else(|| StoreError::Decode("unknown credential kind".into()))?,
                    username: row.try_get("username")?,
                    created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }

    /// Records that a credential exists (its secret is in the OS keychain, never here).
    pub async fn save_credential_reference(
        &self,
        name: &str,
        kind: CredentialKind,
        username: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<String> {
        let name = valid_name(name, "credential")?;
        let username = username.map(str::trim).filter(|u| !u.is_empty());
        if kind == CredentialKind::UserPassword && username.is_none() {
            return Err(StoreError::Invalid(
                "a user-and-password credential needs a user name".into(),
            ));
        }
        sqlx::query(
            "INSERT INTO credentials (name, kind, username, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, username = excluded.username",
        )
        .bind(&name)
        .bind(kind.as_str())
        .bind(username)
        .bind(format_time(now))
        .execute(&self.pool)
        .await?;
        Ok(name)
    }

    pub async fn delete_credential_reference(&self, name: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM credentials WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Approved command digests of a template.
    pub async fn command_approvals(&self, template_id: &str) -> StoreResult<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT digest FROM command_approvals WHERE template_id = ?")
                .bind(template_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Records a person's approval of one exact command text for one template.
    pub async fn approve_command(
        &self,
        template_id: &str,
        digest: &str,
        command_text: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT OR IGNORE INTO command_approvals (template_id, digest, command_text, approved_by, approved_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(template_id)
        .bind(digest)
        .bind(command_text)
        .bind(actor)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            NewEvent {
                stream: audit::LIBRARY_STREAM,
                kind: "command_approved",
                element_id: None,
                payload: json!({ "template_id": template_id, "digest": digest, "command": command_text }),
                actor,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

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
        let id = sqlx::query(
            "INSERT INTO probe_results (run_id, element_id, probe_line, kind, outcome, summary, code, evidence_json, started_at, duration_ms, actor)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            json!({
                "kind": result.kind, "outcome": result.outcome.as_str(), "summary": result.summary,
                "code": result.code, "duration_ms": result.duration_ms,
                "probe_line": result.probe_line, "started_at": format_time(result.started_at),
                "evidence": result.evidence,
            }),
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
            actor: actor.to_string(),
        })
    }

    /// Every probe result of a run, oldest first.
    pub async fn probe_evidence(&self, run_id: &str) -> StoreResult<Vec<ProbeEvidence>> {
        let rows = sqlx::query(
            "SELECT id, run_id, element_id, probe_line, kind, outcome, summary, code, evidence_json, started_at, duration_ms, actor
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
                    actor: row.try_get("actor")?,
                })
            })
            .collect()
    }
}
