//! Preflight results kept with a run: a `preflight_checked` event in the run's audit log (when,
//! by whom, in which environment, and each problem found by kind, item and line). It has no
//! projection table: the log is where it lives, and replay reads it from there.

use chrono::{DateTime, Utc};
use greenlight_core::run::RuleViolation;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::Store;
use crate::audit;
use crate::error::StoreResult;

/// One problem of a preflight as the log keeps it (no secret is ever part of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreflightLine {
    /// `missing_variable`, `missing_credential`, ...
    pub kind: String,
    pub item_id: String,
    pub line: u32,
    pub message: String,
}

/// What a preflight of a run found, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreflightOutcome {
    pub environment: String,
    pub probes_checked: u32,
    /// Whether the targets were contacted (DNS and TCP) as well.
    pub contacted_targets: bool,
    pub problems: Vec<PreflightLine>,
}

impl Store {
    /// Appends a `preflight_checked` event to an active run's log; returns its hash.
    pub async fn record_preflight(
        &self,
        run_id: &str,
        outcome: &PreflightOutcome,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        let (_, status, _) = crate::runs::run_header(&mut tx, run_id).await?;
        if !status.is_editable() {
            return Err(RuleViolation::RunNotEditable(status.as_str()).into());
        }
        let hash = audit::append_to_run(
            &mut tx,
            run_id,
            "preflight_checked",
            None,
            json!({
                "environment": outcome.environment,
                "probes_checked": outcome.probes_checked,
                "contacted_targets": outcome.contacted_targets,
                "problems": outcome.problems,
            }),
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(hash)
    }
}
