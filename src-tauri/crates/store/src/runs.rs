//! Run use-cases: start a run of a template, record item states, values and notes, finish it,
//! and read it back. Each change is one transaction: state tables + one audit event.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::{
    ElementRef, ItemState, RuleViolation, RunStatus, check_finish, check_state_change,
    find_element, progress,
};
use serde_json::json;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::Store;
use crate::audit::{self, run_stream};
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_optional_time, parse_time};
use crate::types::{
    AuditEvent, ChainReport, Entry, NewRun, Note, NoteKind, RunDetail, RunState, RunSummary,
};

/// The run's columns for a summary, with its overrides in force: per gate the newest decision
/// (highest id, as the UI's `decisionsInForce`) counts when it carries a justification. The
/// subqueries read `gate_decisions_by_run (run_id, id)`, a handful of rows per run.
const RUN_COLUMNS: &str =
    "runs.id, runs.template_id, templates.title AS template_title, runs.template_hash,
     runs.release_name, runs.version, runs.environment, runs.window_start, runs.window_end,
     runs.status, runs.created_at, runs.created_by, runs.finished_at,
     (SELECT COUNT(*) FROM gate_decisions AS d
       WHERE d.run_id = runs.id
         AND TRIM(COALESCE(d.override_justification, '')) <> ''
         AND d.id = (SELECT MAX(newer.id) FROM gate_decisions AS newer
                      WHERE newer.run_id = d.run_id AND newer.gate_id = d.gate_id)) AS overrides";

fn status_from_text(text: &str) -> StoreResult<RunStatus> {
    RunStatus::parse(text).ok_or_else(|| StoreError::Decode(format!("unknown run status {text:?}")))
}

fn required(text: &str, what: &str) -> StoreResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(format!("{what} cannot be empty")));
    }
    Ok(text.to_string())
}

impl Store {
    /// Starts a run of a stored template, pinning the template's content hash.
    pub async fn start_run(
        &self,
        new_run: &NewRun,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunSummary> {
        let release_name = required(&new_run.release_name, "the release name")?;
        let version = required(&new_run.version, "the version")?;
        let environment = required(&new_run.environment, "the environment")?;
        if let (Some(start), Some(end)) = (new_run.window_start, new_run.window_end)
            && end <= start
        {
            return Err(StoreError::Invalid(
                "the window must end after it starts".into(),
            ));
        }
        let summary = self.template_summary(&new_run.template_id).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO runs (id, template_id, template_hash, release_name, version, environment,
                               window_start, window_end, status, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
        )
        .bind(&id)
        .bind(&summary.id)
        .bind(&summary.content_hash)
        .bind(&release_name)
        .bind(&version)
        .bind(&environment)
        .bind(new_run.window_start.map(format_time))
        .bind(new_run.window_end.map(format_time))
        .bind(format_time(now))
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        audit::append_to_run(
            &mut tx,
            &id,
            "run_started",
            None,
            json!({
                "template_id": summary.id, "template_hash": summary.content_hash,
                "release_name": release_name, "version": version, "environment": environment,
                "window_start": new_run.window_start.map(format_time),
                "window_end": new_run.window_end.map(format_time),
            }),
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(run = %id, template = %summary.id, "run started");
        self.run_summary(&id).await
    }

    /// Every run, newest first.
    pub async fn list_runs(&self) -> StoreResult<Vec<RunSummary>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs JOIN templates ON templates.id = runs.template_id
             ORDER BY runs.created_at DESC, runs.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        // One query for every run's item states, rather than one per run.
        let mut states_by_run = all_item_states(&mut *self.pool.acquire().await?).await?;
        let mut runs = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let states = states_by_run.remove(&id).unwrap_or_default();
            runs.push(self.summary_from_row(row, &states).await?);
        }
        Ok(runs)
    }

    pub async fn run_summary(&self, run_id: &str) -> StoreResult<RunSummary> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs JOIN templates ON templates.id = runs.template_id
             WHERE runs.id = ?"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("run", run_id))?;
        let states = item_states(&mut *self.pool.acquire().await?, run_id).await?;
        self.summary_from_row(&row, &states).await
    }

    async fn summary_from_row(
        &self,
        row: &SqliteRow,
        states: &HashMap<String, ItemState>,
    ) -> StoreResult<RunSummary> {
        let id: String = row.try_get("id")?;
        let template_id: String = row.try_get("template_id")?;
        let template = self.cached_template(&template_id).await?;
        let (overall, _) = progress(&template, states);
        Ok(RunSummary {
            id,
            template_id,
            template_title: row.try_get("template_title")?,
            template_hash: row.try_get("template_hash")?,
            release_name: row.try_get("release_name")?,
            version: row.try_get("version")?,
            environment: row.try_get("environment")?,
            window_start: parse_optional_time(row.try_get("window_start")?)?,
            window_end: parse_optional_time(row.try_get("window_end")?)?,
            status: status_from_text(&row.try_get::<String, _>("status")?)?,
            created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
            created_by: row.try_get("created_by")?,
            finished_at: parse_optional_time(row.try_get("finished_at")?)?,
            progress: overall,
            overrides: row.try_get("overrides")?,
        })
    }

    /// The run, its pinned template and its current state.
    pub async fn run_detail(&self, run_id: &str) -> StoreResult<RunDetail> {
        let run = self.run_summary(run_id).await?;
        let template = self.cached_template(&run.template_id).await?;
        let state = self.run_state(run_id).await?;
        Ok(RunDetail {
            run,
            template: (*template).clone(),
            state,
        })
    }

    /// Current entries, notes, progress and audit head of a run.
    pub async fn run_state(&self, run_id: &str) -> StoreResult<RunState> {
        let mut conn = self.pool.acquire().await?;
        let (template_id, status, finished_at) = run_header(&mut conn, run_id).await?;
        let template = self.cached_template(&template_id).await?;
        let entries = entries(&mut conn, run_id).await?;
        let notes = notes(&mut conn, run_id).await?;
        let states: HashMap<String, ItemState> = entries
            .iter()
            .filter_map(|e| e.state.map(|state| (e.element_id.clone(), state)))
            .collect();
        let (overall, sections) = progress(&template, &states);
        let (event_count, head_hash) = audit::head(&mut conn, &run_stream(run_id)).await?;
        let signatures = crate::signoffs::signatures(&mut conn, run_id).await?;
        let gate_decisions = crate::signoffs::gate_decisions(&mut conn, run_id).await?;
        let retain_until = crate::signoffs::retain_until_of(&mut conn, run_id).await?;
        drop(conn);
        let evidence = self.probe_evidence(run_id).await?;
        Ok(RunState {
            run_id: run_id.to_string(),
            status,
            finished_at,
            entries,
            notes,
            progress: overall,
            sections,
            event_count,
            head_hash,
            signatures,
            gate_decisions,
            retain_until,
            evidence,
        })
    }

    /// Templates are immutable once stored, so their parsed models are cached.
    pub(crate) async fn cached_template(&self, template_id: &str) -> StoreResult<Arc<Template>> {
        if let Some(template) = self.template_cache().get(template_id) {
            return Ok(template);
        }
        let template = self.template_model(template_id).await?;
        let template = Arc::new(template);
        self.template_cache().insert(template_id, template.clone());
        Ok(template)
    }

    /// Records pass / fail / n/a / skipped (or back to pending) for an item, with an optional note.
    pub async fn set_item_state(
        &self,
        run_id: &str,
        item_id: &str,
        state: ItemState,
        note: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let mut tx = self.write().await?;
        let (template_id, status, _) = run_header(&mut tx, run_id).await?;
        let template = self.cached_template(&template_id).await?;
        if !matches!(find_element(&template, item_id), Some(ElementRef::Item(_))) {
            return Err(RuleViolation::UnknownElement(item_id.to_string()).into());
        }
        let has_note: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM notes WHERE run_id = ? AND element_id = ?)",
        )
        .bind(run_id)
        .bind(item_id)
        .fetch_one(&mut *tx)
        .await?;
        check_state_change(status, state, note, has_note)?;
        if let Some(body) = note {
            insert_note(
                &mut tx,
                run_id,
                Some(item_id),
                NoteKind::Note,
                body,
                actor,
                now,
            )
            .await?;
        }
        record_item_state(&mut tx, run_id, item_id, state, actor, now).await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Records the value of a write-in field or choice (an empty value clears it).
    pub async fn set_value(
        &self,
        run_id: &str,
        element_id: &str,
        value: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let mut tx = self.write().await?;
        let (template_id, status, _) = run_header(&mut tx, run_id).await?;
        if !status.is_editable() {
            return Err(RuleViolation::RunNotEditable(status.as_str()).into());
        }
        let template = self.cached_template(&template_id).await?;
        match find_element(&template, element_id) {
            Some(ElementRef::Field(field)) => {
                greenlight_core::values::check_value(field, value).map_err(StoreError::Invalid)?;
            }
            Some(ElementRef::Choice(choice)) => {
                if !value.is_empty() && !choice.options.iter().any(|o| o == value) {
                    return Err(StoreError::Invalid(format!(
                        "{value:?} is not one of the choices ({})",
                        choice.options.join(", ")
                    )));
                }
            }
            _ => return Err(RuleViolation::UnknownElement(element_id.to_string()).into()),
        }
        let stored = (!value.is_empty()).then_some(value);
        sqlx::query(
            "INSERT INTO entries (run_id, element_id, value, actor, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (run_id, element_id) DO UPDATE
             SET value = excluded.value, actor = excluded.actor, at = excluded.at",
        )
        .bind(run_id)
        .bind(element_id)
        .bind(stored)
        .bind(actor)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        audit::append_to_run(
            &mut tx,
            run_id,
            "value_set",
            Some(element_id),
            json!({ "value": stored }),
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Adds a note to an item or (element_id None) to the run. On a finished run the note is
    /// recorded as a correction: the record is amended by addition, never overwritten.
    pub async fn add_note(
        &self,
        run_id: &str,
        element_id: Option<&str>,
        body: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let body = body.trim();
        if body.is_empty() {
            return Err(RuleViolation::EmptyNote.into());
        }
        let mut tx = self.write().await?;
        let (template_id, status, _) = run_header(&mut tx, run_id).await?;
        if let Some(id) = element_id {
            let template = self.cached_template(&template_id).await?;
            if find_element(&template, id).is_none() {
                return Err(RuleViolation::UnknownElement(id.to_string()).into());
            }
        }
        let kind = if status.is_editable() {
            NoteKind::Note
        } else {
            NoteKind::Correction
        };
        insert_note(&mut tx, run_id, element_id, kind, body, actor, now).await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    /// Completes an active run; it is read-only afterwards.
    pub async fn complete_run(
        &self,
        run_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        self.finish_run(run_id, RunStatus::Completed, actor, now)
            .await
    }

    /// Abandons an active run; it is read-only afterwards.
    pub async fn abandon_run(
        &self,
        run_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        self.finish_run(run_id, RunStatus::Abandoned, actor, now)
            .await
    }

    /// Moves a completed or abandoned run to the archive.
    pub async fn archive_run(
        &self,
        run_id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let mut tx = self.write().await?;
        let (_, status, _) = run_header(&mut tx, run_id).await?;
        if !matches!(status, RunStatus::Completed | RunStatus::Abandoned) {
            return Err(StoreError::Invalid(
                "only a completed or abandoned run can be archived".into(),
            ));
        }
        set_status(&mut tx, run_id, RunStatus::Archived, None).await?;
        audit::append_to_run(&mut tx, run_id, "run_archived", None, json!({}), actor, now).await?;
        tx.commit().await?;
        self.run_state(run_id).await
    }

    async fn finish_run(
        &self,
        run_id: &str,
        to: RunStatus,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<RunState> {
        let mut tx = self.write().await?;
        let (_, status, _) = run_header(&mut tx, run_id).await?;
        check_finish(status, to.as_str())?;
        set_status(&mut tx, run_id, to, Some(now)).await?;
        let kind = if to == RunStatus::Completed {
            "run_completed"
        } else {
            "run_abandoned"
        };
        audit::append_to_run(&mut tx, run_id, kind, None, json!({}), actor, now).await?;
        tx.commit().await?;
        tracing::info!(run = %run_id, status = to.as_str(), "run finished");
        self.run_state(run_id).await
    }

    /// The run's audit events in stored order.
    pub async fn run_events(&self, run_id: &str) -> StoreResult<Vec<AuditEvent>> {
        let mut conn = self.pool.acquire().await?;
        run_header(&mut conn, run_id).await?;
        audit::events(&mut conn, &run_stream(run_id)).await
    }

    /// Recomputes the run's hash chain from the stored events, then replays the events and
    /// compares what they record with every current-state row of the run (entries, notes,
    /// signatures and their strokes, gate decisions, probe evidence, the run itself): a row
    /// that disagrees with the log is named, and the run is not intact.
    pub async fn verify_run(&self, run_id: &str) -> StoreResult<ChainReport> {
        let events = self.run_events(run_id).await?;
        let detail = self.run_detail(run_id).await?;
        let (report, _) = crate::projection_check::check_against_log(
            run_id,
            &events,
            &detail.run,
            &detail.state,
            &detail.template,
        );
        Ok(report)
    }
}

/// Item states recorded in a run, by item id.
/// Stores an item's outcome and appends its `item_state` event, inside the caller's transaction.
pub(crate) async fn record_item_state(
    conn: &mut SqliteConnection,
    run_id: &str,
    item_id: &str,
    state: ItemState,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO entries (run_id, element_id, state, actor, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, element_id) DO UPDATE
         SET state = excluded.state, actor = excluded.actor, at = excluded.at",
    )
    .bind(run_id)
    .bind(item_id)
    .bind(state.as_str())
    .bind(actor)
    .bind(format_time(now))
    .execute(&mut *conn)
    .await?;
    audit::append_to_run(
        conn,
        run_id,
        "item_state",
        Some(item_id),
        json!({ "state": state.as_str() }),
        actor,
        now,
    )
    .await?;
    Ok(())
}

pub(crate) async fn item_states(
    conn: &mut SqliteConnection,
    run_id: &str,
) -> StoreResult<HashMap<String, ItemState>> {
    let rows =
        sqlx::query("SELECT element_id, state FROM entries WHERE run_id = ? AND state IS NOT NULL")
            .bind(run_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut states = HashMap::new();
    for row in rows {
        if let Some(state) = ItemState::parse(&row.try_get::<String, _>("state")?) {
            states.insert(row.try_get("element_id")?, state);
        }
    }
    Ok(states)
}

/// Item states of every run, keyed by run id (for the run list).
async fn all_item_states(
    conn: &mut SqliteConnection,
) -> StoreResult<HashMap<String, HashMap<String, ItemState>>> {
    let rows = sqlx::query("SELECT run_id, element_id, state FROM entries WHERE state IS NOT NULL")
        .fetch_all(&mut *conn)
        .await?;
    let mut by_run: HashMap<String, HashMap<String, ItemState>> = HashMap::new();
    for row in rows {
        if let Some(state) = ItemState::parse(&row.try_get::<String, _>("state")?) {
            by_run
                .entry(row.try_get("run_id")?)
                .or_default()
                .insert(row.try_get("element_id")?, state);
        }
    }
    Ok(by_run)
}

pub(crate) async fn run_header(
    conn: &mut SqliteConnection,
    run_id: &str,
) -> StoreResult<(String, RunStatus, Option<DateTime<Utc>>)> {
    let row = sqlx::query("SELECT template_id, status, finished_at FROM runs WHERE id = ?")
        .bind(run_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("run", run_id))?;
    Ok((
        row.try_get("template_id")?,
        status_from_text(&row.try_get::<String, _>("status")?)?,
        parse_optional_time(row.try_get("finished_at")?)?,
    ))
}

async fn entries(conn: &mut SqliteConnection, run_id: &str) -> StoreResult<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT element_id, state, value, actor, at FROM entries WHERE run_id = ? ORDER BY at, element_id",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let state: Option<String> = row.try_get("state")?;
            Ok(Entry {
                element_id: row.try_get("element_id")?,
                state: state.as_deref().and_then(ItemState::parse),
                value: row.try_get("value")?,
                actor: row.try_get("actor")?,
                at: parse_time(&row.try_get::<String, _>("at")?)?,
            })
        })
        .collect()
}

async fn notes(conn: &mut SqliteConnection, run_id: &str) -> StoreResult<Vec<Note>> {
    let rows = sqlx::query(
        "SELECT id, element_id, kind, body, actor, at FROM notes WHERE run_id = ? ORDER BY id",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(Note {
                id: row.try_get("id")?,
                element_id: row.try_get("element_id")?,
                kind: if kind == "correction" {
                    NoteKind::Correction
                } else {
                    NoteKind::Note
                },
                body: row.try_get("body")?,
                actor: row.try_get("actor")?,
                at: parse_time(&row.try_get::<String, _>("at")?)?,
            })
        })
        .collect()
}

async fn insert_note(
    conn: &mut SqliteConnection,
    run_id: &str,
    element_id: Option<&str>,
    kind: NoteKind,
    body: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let kind_text = if kind == NoteKind::Correction {
        "correction"
    } else {
        "note"
    };
    sqlx::query(
        "INSERT INTO notes (run_id, element_id, kind, body, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(run_id)
    .bind(element_id)
    .bind(kind_text)
    .bind(body)
    .bind(actor)
    .bind(format_time(now))
    .execute(&mut *conn)
    .await?;
    let event = if kind == NoteKind::Correction {
        "correction_added"
    } else {
        "note_added"
    };
    audit::append_to_run(
        conn,
        run_id,
        event,
        element_id,
        json!({ "body": body }),
        actor,
        now,
    )
    .await?;
    Ok(())
}

async fn set_status(
    conn: &mut SqliteConnection,
    run_id: &str,
    status: RunStatus,
    finished_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE runs SET status = ?, finished_at = COALESCE(?, finished_at),
                         retain_until = COALESCE(retain_until, ?)
         WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(finished_at.map(format_time))
    .bind(finished_at.map(|at| format_time(crate::signoffs::default_retention(at))))
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
