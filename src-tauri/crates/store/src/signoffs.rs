//! Sign-offs and decisions: drawn signatures bound to the audit head at signing (stale once a
//! covered change follows), GO/NO-GO gate decisions with overrides, and run retention.

use chrono::{DateTime, Duration, Utc};
use greenlight_core::run::{
    ElementRef, ItemState, RuleViolation, RunStatus, check_gate_decision, find_element,
};
use serde_json::json;
use sqlx::{Row, SqliteConnection};

use crate::Store;
use crate::audit::{self, NewEvent, run_stream};
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_optional_time, parse_time};
use crate::types::{GateDecision, GateDecisionInput, RunState, SignatureInput, SignatureRecord};

/// Audit event kinds that change what a signature covers.
const COVERED_CHANGES: &str = "'item_state', 'value_set', 'gate_decided'";

/// Default retention of a finished run (the seed checklists ask for at least a year).
pub const DEFAULT_RETENTION_DAYS: i64 = 365;

fn valid_strokes(input: &SignatureInput) -> bool {
    let points: usize = input.strokes.iter().map(Vec::len).sum();
    let in_range = input
        .strokes
        .iter()
        .flatten()
        .all(|[x, y]| (0.0..=1.0).contains(x) && (0.0..=1.0).contains(y));
    points >= 2 && in_range && input.strokes.len() <= 500 && points <= 20_000
}

/// The checklist item whose signature line `slot_id` names (by the item's id or the slot's own).
fn signed_item(template: &greenlight_core::Template, slot_id: &str) -> Option<String> {
    greenlight_core::run::items_in_order(template)
        .into_iter()
        .find(|item| {
            item.signature
                .as_ref()
                .is_some_and(|slot| item.id == slot_id || slot.id == slot_id)
        })
        .map(|item| item.id.clone())
}

impl Store {
    /// Records a drawn signature on an active run.
    pub async fn sign(
        &self,
        run_id: &str,
        input: &SignatureInput,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("type the signer's name".into()));
        }
        if !valid_strokes(input) {
            return Err(StoreError::Invalid("draw a signature first".into()));
        }
        let mut tx = self.write().await?;
        let template_id = self.editable_run(&mut tx, run_id).await?;
        let template = self.cached_template(&template_id).await?;
        let role = match input.slot_id.as_deref() {
            Some(slot_id) => match find_element(&template, slot_id) {
                Some(ElementRef::Signature(slot)) => slot.role.clone(),
                Some(ElementRef::Item(item)) if item.signature.is_some() => item
                    .signature
                    .as_ref()
                    .map(|s| s.role.clone())
                    .unwrap_or_default(),
                _ => return Err(RuleViolation::UnknownElement(slot_id.to_string()).into()),
            },
            None => input
                .role
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .ok_or_else(|| StoreError::Invalid("say in which role this person signs".into()))?
                .to_string(),
        };
        // Signing an item's signature line is that item's outcome: a pending item passes, in the
        // same transaction and as its own audit event just before the signature (which then
        // covers it, and is not stale by its own doing), exactly as if it had been marked.
        if let Some(item_id) = input
            .slot_id
            .as_deref()
            .and_then(|id| signed_item(&template, id))
        {
            let states = crate::runs::item_states(&mut tx, run_id).await?;
            if states
                .get(&item_id)
                .is_none_or(|s| *s == ItemState::Pending)
            {
                crate::runs::record_item_state(
                    &mut tx,
                    run_id,
                    &item_id,
                    ItemState::Pass,
                    actor,
                    now,
                )
                .await?;
            }
        }
        let (last_position, bound_head) = audit::head(&mut tx, &run_stream(run_id)).await?;
        let strokes_json = serde_json::to_string(&input.strokes)?;
        let payload = json!({
            "role": role, "name": name, "bound_head": bound_head,
            "strokes_sha256": crate::audit::sha256_hex(strokes_json.as_bytes()),
        });
        let slot = input.slot_id.as_deref();
        audit::append_to_run(&mut tx, run_id, "signed", slot, payload, actor, now).await?;
        sqlx::query(
            "INSERT INTO signatures (run_id, slot_id, role, name, signed_at, strokes_json, bound_head, event_position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id)
        .bind(input.slot_id.as_deref())
        .bind(&role)
        .bind(name)
        .bind(format_time(now))
        .bind(&strokes_json)
        .bind(&bound_head)
        .bind(last_position + 1)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Records a decision at a gate; GO over failed or pending items needs a justification and
    /// is stored (and shown everywhere) as an override.
    pub async fn decide_gate(
        &self,
        run_id: &str,
        input: &GateDecisionInput,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let mut tx = self.write().await?;
        let template_id = self.editable_run(&mut tx, run_id).await?;
        let template = self.cached_template(&template_id).await?;
        let Some(ElementRef::Gate(gate)) = find_element(&template, &input.gate_id) else {
            return Err(RuleViolation::UnknownElement(input.gate_id.clone()).into());
        };
        let states = crate::runs::item_states(&mut tx, run_id).await?;
        let justification = input.override_justification.as_deref().map(str::trim);
        let is_override = check_gate_decision(gate, &input.option, &states, justification)?;
        let justification = if is_override { justification } else { None };
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        sqlx::query(
            "INSERT INTO gate_decisions (run_id, gate_id, option, decided_by, at, reason, override_justification)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id)
        .bind(&input.gate_id)
        .bind(&input.option)
        .bind(actor)
        .bind(format_time(now))
        .bind(reason)
        .bind(justification)
        .execute(&mut *tx)
        .await?;
        audit::append_to_run(
            &mut tx,
            run_id,
            "gate_decided",
            Some(&input.gate_id),
            json!({
                "option": input.option, "reason": reason,
                "override": is_override, "override_justification": justification,
            }),
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Sets how long a finished run must be kept. It can be extended, never shortened.
    pub async fn set_retention(
        &self,
        run_id: &str,
        retain_until: DateTime<Utc>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let mut tx = self.write().await?;
        let current = retain_until_of(&mut tx, run_id).await?;
        if current.is_some_and(|current| retain_until < current) {
            return Err(StoreError::Invalid(
                "retention can be extended but not shortened".into(),
            ));
        }
        sqlx::query("UPDATE runs SET retain_until = ? WHERE id = ?")
            .bind(format_time(retain_until))
            .bind(run_id)
            .execute(&mut *tx)
            .await?;
        audit::append_to_run(
            &mut tx,
            run_id,
            "retention_set",
            None,
            json!({ "retain_until": format_time(retain_until) }),
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Deletes a finished run whose retention has passed. Its audit events stay (they are
    /// append-only); the deletion itself is recorded in the library log.
    pub async fn delete_run(
        &self,
        run_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let (_, status, _) = crate::runs::run_header(&mut tx, run_id).await?;
        if status == RunStatus::Active {
            return Err(StoreError::Invalid(
                "finish or abandon the run before deleting it".into(),
            ));
        }
        match retain_until_of(&mut tx, run_id).await? {
            Some(until) if until > now => return Err(StoreError::Retained(format_time(until))),
            _ => {}
        }
        for sql in [
            "DELETE FROM signatures WHERE run_id = ?",
            "DELETE FROM gate_decisions WHERE run_id = ?",
            "DELETE FROM notes WHERE run_id = ?",
            "DELETE FROM entries WHERE run_id = ?",
            "DELETE FROM runs WHERE id = ?",
        ] {
            sqlx::query(sql).bind(run_id).execute(&mut *tx).await?;
        }
        audit::append(
            &mut tx,
            NewEvent {
                stream: audit::LIBRARY_STREAM,
                kind: "run_deleted",
                element_id: None,
                payload: json!({ "run_id": run_id }),
                actor,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The template id of an active run; finished runs refuse changes.
    async fn editable_run(&self, conn: &mut SqliteConnection, run_id: &str) -> StoreResult<String> {
        let (template_id, status, _) = crate::runs::run_header(conn, run_id).await?;
        if !status.is_editable() {
            return Err(RuleViolation::RunNotEditable(status.as_str()).into());
        }
        Ok(template_id)
    }
}

pub(crate) async fn retain_until_of(
    conn: &mut SqliteConnection,
    run_id: &str,
) -> StoreResult<Option<DateTime<Utc>>> {
    let value: Option<Option<String>> =
        sqlx::query_scalar("SELECT retain_until FROM runs WHERE id = ?")
            .bind(run_id)
            .fetch_optional(&mut *conn)
            .await?;
    match value {
        None => Err(StoreError::not_found("run", run_id)),
        Some(text) => parse_optional_time(text),
    }
}

/// The default retention for a run finished at `finished_at`.
pub(crate) fn default_retention(finished_at: DateTime<Utc>) -> DateTime<Utc> {
    finished_at + Duration::days(DEFAULT_RETENTION_DAYS)
}

pub(crate) async fn signatures(
    conn: &mut SqliteConnection,
    run_id: &str,
) -> StoreResult<Vec<SignatureRecord>> {
    let last_change: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(position) FROM audit_events WHERE stream = ? AND kind IN ({COVERED_CHANGES})"
    )))
    .bind(run_stream(run_id))
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT id, slot_id, role, name, signed_at, strokes_json, bound_head, event_position
         FROM signatures WHERE run_id = ? ORDER BY id",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let position: i64 = row.try_get("event_position")?;
            Ok(SignatureRecord {
                id: row.try_get("id")?,
                slot_id: row.try_get("slot_id")?,
                role: row.try_get("role")?,
                name: row.try_get("name")?,
                signed_at: parse_time(&row.try_get::<String, _>("signed_at")?)?,
                strokes: serde_json::from_str(&row.try_get::<String, _>("strokes_json")?)?,
                bound_head: row.try_get("bound_head")?,
                stale: last_change.is_some_and(|change| change > position),
            })
        })
        .collect()
}

pub(crate) async fn gate_decisions(
    conn: &mut SqliteConnection,
    run_id: &str,
) -> StoreResult<Vec<GateDecision>> {
    let rows = sqlx::query(
        "SELECT id, gate_id, option, decided_by, at, reason, override_justification
         FROM gate_decisions WHERE run_id = ? ORDER BY id",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(GateDecision {
                id: row.try_get("id")?,
                gate_id: row.try_get("gate_id")?,
                option: row.try_get("option")?,
                decided_by: row.try_get("decided_by")?,
                at: parse_time(&row.try_get::<String, _>("at")?)?,
                reason: row.try_get("reason")?,
                override_justification: row.try_get("override_justification")?,
            })
        })
        .collect()
}
