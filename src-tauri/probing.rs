//! Probes from the user's machine, as the app runs them: finds the probe blocks of a run's items,
//! fills `{{variables}}` from the run's environment, checks command approvals, reads credentials
//! from the OS keychain, runs the probes concurrently (bounded, cancellable) and keeps every
//! result as evidence with the run (streamed to the caller as each finishes), keeps the runs in
//! progress so they can be cancelled, and marks items Pass when the template auto-accepts.
//! Tauri-free.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use greenlight_core::Template;
use greenlight_core::run::ItemState;
use greenlight_core::run::items_in_order;
use greenlight_probes::SystemClock;
use greenlight_probes::{
    ApprovalCheck, CommandApproval, Outcome, ProbeContext, ProbeResult, ProbeSpec, RunControl,
    Suggestion, command_text, item_probes, substitute, suggest_probes,
};
use greenlight_store::{EvidenceItem, NewEvidence, ProbeEvidence, ProbeOutcome, RunState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};

/// At most this many probes run at once (the loopback bench's sweet spot on two cores).
pub const PROBE_CONCURRENCY: usize = 32;

/// A probe declared in a template (a fenced `probe` block under an item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemProbe {
    pub item_id: String,
    /// Source line of the probe block.
    pub line: u32,
    /// `http`, `tls`, ... or empty when the block does not parse.
    pub kind: String,
    /// Why the block cannot be used, with its line.
    pub error: Option<String>,
    /// For command probes: the exact text a person approves.
    pub command_text: Option<String>,
    /// For command probes: whether that exact text is approved for this template.
    pub approved: bool,
}

/// A probe suggested from an item's shell snippet (never applied without the user).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProbeSuggestion {
    pub item_id: String,
    pub kind: String,
    /// The suggested probe block body (TOML), for the user to copy, edit or reject.
    pub spec_toml: String,
    pub reason: String,
    pub source_line: u32,
    /// Secrets written inline in the snippet: (line, suggested credential name). Never the value.
    pub inline_credentials: Vec<InlineCredentialNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InlineCredentialNote {
    pub line: u32,
    pub suggested_name: String,
}

/// Runs the probes of the given items (every item when empty) from this machine, keeps each
/// result as evidence with the run, and reports each as it finishes.
pub async fn run_probes(
    app: &App,
    run_id: &str,
    item_ids: &[String],
    on_result: impl Fn(ProbeEvidence) + Send + Sync + 'static,
) -> ApiResult<RunState> {
    run_probes_accepting(app, run_id, item_ids, None, on_result).await
}

/// [`run_probes`], with passes accepted (`Some(true)`), only proposed (`Some(false)`) or as the
/// template's setting says (`None`, what the window does). The CLI's `run probes` comes here.
pub async fn run_probes_accepting(
    app: &App,
    run_id: &str,
    item_ids: &[String],
    accept_passes: Option<bool>,
    on_result: impl Fn(ProbeEvidence) + Send + Sync + 'static,
) -> ApiResult<RunState> {
    let detail = app.get_run(run_id).await?;
    if !detail.state.status.is_editable() {
        return Err(ApiError::new(
            Code::RunReadOnly,
            "probes run only in an active run",
        ));
    }
    let variables = app
        .store()
        .environment_variables(&detail.run.environment)
        .await?;
    let planned = plan(&detail.template, item_ids, &variables);
    if planned.is_empty() {
        return Err(ApiError::invalid("these items declare no probes"));
    }
    let approvals = StoredApprovals(app.approvals(&detail.run.template_id).await?);
    let context = Arc::new(ProbeContext::new(
        app.secrets(),
        Arc::new(approvals),
        Arc::new(SystemClock),
        detail.run.template_id.clone(),
    ));
    let control = Arc::new(RunControl::new());
    let items = planned.iter().map(|p| p.item_id.clone()).collect();
    app.probe_runs().start(run_id, control.clone(), items);
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let results = run_planned(&planned, context, control, move |index, result| {
        let _ = sender.send((index, result.clone()));
    });
    let actor = app.actor().await?;
    let record = async {
        while let Some((index, result)) = receiver.recv().await {
            let probe = &planned[index];
            let evidence: Vec<EvidenceItem> = result
                .evidence
                .iter()
                .map(|line| EvidenceItem {
                    label: line.label.clone(),
                    value: line.value.clone(),
                })
                .collect();
            let outcome = match result.outcome {
                greenlight_probes::Outcome::Pass => ProbeOutcome::Pass,
                greenlight_probes::Outcome::Fail => ProbeOutcome::Fail,
                greenlight_probes::Outcome::Error => ProbeOutcome::Error,
            };
            let new = NewEvidence {
                element_id: &probe.item_id,
                probe_line: probe.line,
                kind: &result.kind,
                outcome,
                summary: &result.summary,
                code: result.code.as_deref(),
                evidence: &evidence,
                started_at: result.started_at,
                duration_ms: result.duration_ms,
                response_time_ms: result.response_time_ms,
            };
            let stored = app
                .store()
                .record_probe_result(run_id, &new, &actor, app.now())
                .await?;
            on_result(stored);
        }
        Ok::<(), ApiError>(())
    };
    let (_, recorded) = tokio::join!(results, record);
    app.probe_runs().finish(run_id);
    recorded?;
    let accept = match accept_passes {
        Some(accept) => accept,
        None => auto_accept_passes(app, &detail.run.template_id).await?,
    };
    if accept {
        accept_passing_items(app, run_id, &planned).await?;
    }
    Ok(app.store().run_state(run_id).await?)
}

/// Whether passing probes mark their items Pass without asking (per template; off by default).
pub async fn auto_accept_passes(app: &App, template_id: &str) -> ApiResult<bool> {
    let key = format!("auto_accept_passes:{template_id}");
    Ok(app.store().setting(&key).await?.as_deref() == Some("true"))
}

pub async fn set_auto_accept_passes(app: &App, template_id: &str, on: bool) -> ApiResult<bool> {
    app.get_template(template_id).await?;
    let key = format!("auto_accept_passes:{template_id}");
    app.store()
        .set_setting(&key, if on { "true" } else { "false" })
        .await?;
    Ok(on)
}

/// Marks Pass every still-pending item whose probes in this batch all passed.
async fn accept_passing_items(app: &App, run_id: &str, planned: &[PlannedProbe]) -> ApiResult<()> {
    let state = app.store().run_state(run_id).await?;
    let mut items: Vec<&str> = planned.iter().map(|p| p.item_id.as_str()).collect();
    items.dedup();
    for item_id in items {
        let count = planned.iter().filter(|p| p.item_id == item_id).count();
        let latest: Vec<_> = state
            .evidence
            .iter()
            .rev()
            .filter(|e| e.element_id == item_id)
            .take(count)
            .collect();
        let all_passed =
            latest.len() == count && latest.iter().all(|e| e.outcome == ProbeOutcome::Pass);
        let pending = !state
            .entries
            .iter()
            .any(|e| e.element_id == item_id && e.state.is_some_and(ItemState::is_done));
        if all_passed && pending {
            app.set_item_state(run_id, item_id, ItemState::Pass, None)
                .await?;
        }
    }
    Ok(())
}

/// Probe runs in progress, by run id, so they can be cancelled: each run's cancel control and,
/// by probe index, the item each probe belongs to.
#[derive(Clone, Default)]
pub struct ProbeRuns(Arc<Mutex<HashMap<String, ProbeRun>>>);

/// A probe run in progress: its cancel control and, by probe index, the item each belongs to.
type ProbeRun = (Arc<RunControl>, Vec<String>);

impl ProbeRuns {
    fn start(&self, run_id: &str, control: Arc<RunControl>, items: Vec<String>) {
        if let Ok(mut runs) = self.0.lock() {
            runs.insert(run_id.to_string(), (control, items));
        }
    }

    fn finish(&self, run_id: &str) {
        if let Ok(mut runs) = self.0.lock() {
            runs.remove(run_id);
        }
    }

    fn get(&self, run_id: &str) -> Option<ProbeRun> {
        self.0
            .lock()
            .ok()
            .and_then(|runs| runs.get(run_id).cloned())
    }

    /// Cancels the probes still running for a run; they report `cancelled`.
    pub fn cancel(&self, run_id: &str) -> bool {
        self.get(run_id)
            .map(|(control, _)| control.cancel_all())
            .is_some()
    }

    /// Cancels only the probes of one item in a run's probe run; the others go on.
    pub fn cancel_item(&self, run_id: &str, item_id: &str) -> bool {
        let Some((control, items)) = self.get(run_id) else {
            return false;
        };
        let mut cancelled = false;
        for (index, _) in items.iter().enumerate().filter(|(_, id)| *id == item_id) {
            control.cancel(index);
            cancelled = true;
        }
        cancelled
    }
}

/// The ids of the items under the section whose id or title (any case) is `section`, its
/// sub-sections included; `None` when no section matches.
pub fn section_item_ids(template: &Template, section: &str) -> Option<Vec<String>> {
    fn find<'a>(
        sections: &'a [greenlight_core::Section],
        wanted: &str,
    ) -> Option<&'a greenlight_core::Section> {
        sections.iter().find_map(|s| {
            if s.id == wanted || s.title.eq_ignore_ascii_case(wanted) {
                Some(s)
            } else {
                find(&s.children, wanted)
            }
        })
    }
    let section = find(&template.sections, section.trim())?;
    let one = Template {
        sections: vec![section.clone()],
        ..template.clone()
    };
    Some(items_in_order(&one).iter().map(|i| i.id.clone()).collect())
}

/// An item's title as displayed (its id when the template has no such item).
pub fn item_title(template: &Template, item_id: &str) -> String {
    items_in_order(template)
        .into_iter()
        .find(|i| i.id == item_id)
        .map(|i| {
            if i.display_title.is_empty() {
                i.title.clone()
            } else {
                i.display_title.clone()
            }
        })
        .unwrap_or_else(|| item_id.to_string())
}

/// Approved command digests, as the probe engine asks for them.
pub struct StoredApprovals(pub HashSet<String>);

impl ApprovalCheck for StoredApprovals {
    fn is_approved(&self, approval: &CommandApproval) -> bool {
        self.0.contains(&approval.digest)
    }
}

/// Every probe block of every item, with parse errors and approval state.
pub fn template_probes(
    template: &Template,
    template_id: &str,
    approved: &HashSet<String>,
) -> Vec<ItemProbe> {
    let mut out = Vec::new();
    for item in items_in_order(template) {
        for (line, parsed) in item_probes(item) {
            let (kind, error, command, is_approved) = match &parsed {
                Ok(spec) => {
                    let command = match spec {
                        ProbeSpec::Command(p) => Some(command_text(p)),
                        _ => None,
                    };
                    let is_approved = match spec {
                        ProbeSpec::Command(p) => {
                            approved.contains(&CommandApproval::for_command(template_id, p).digest)
                        }
                        _ => false,
                    };
                    (spec.kind().to_string(), None, command, is_approved)
                }
                Err(e) => (
                    String::new(),
                    Some(format!("line {line}: {e}")),
                    None,
                    false,
                ),
            };
            out.push(ItemProbe {
                item_id: item.id.clone(),
                line,
                kind,
                error,
                command_text: command,
                approved: is_approved,
            });
        }
    }
    out
}

/// Suggestions for every item of a template.
pub fn template_suggestions(template: &Template) -> Vec<ProbeSuggestion> {
    let mut out = Vec::new();
    for item in items_in_order(template) {
        // A suggestion the item already declares, block for block, is not offered again (so
        // "Add to template" cannot add it twice); an edited block no longer counts as the same.
        let declared: Vec<ProbeSpec> = item_probes(item)
            .into_iter()
            .filter_map(|(_, spec)| spec.ok())
            .collect();
        for Suggestion {
            spec,
            reason,
            source_line,
            inline_credentials,
        } in suggest_probes(item)
        {
            if declared.contains(&spec) {
                continue;
            }
            out.push(ProbeSuggestion {
                item_id: item.id.clone(),
                kind: spec.kind().to_string(),
                spec_toml: spec.to_toml(),
                reason,
                source_line,
                inline_credentials: inline_credentials
                    .into_iter()
                    .map(|c| InlineCredentialNote {
                        line: c.line,
                        suggested_name: c.suggested_name,
                    })
                    .collect(),
            });
        }
    }
    out
}

/// One probe to run: which item and block it came from, and the spec with variables filled in
/// (or why it cannot run).
pub struct PlannedProbe {
    pub item_id: String,
    pub line: u32,
    pub kind: String,
    pub resolved: Result<greenlight_probes::ResolvedProbe, String>,
}

/// The probes of `item_ids` (all items when empty), with the environment's variables filled in.
pub fn plan(
    template: &Template,
    item_ids: &[String],
    variables: &BTreeMap<String, String>,
) -> Vec<PlannedProbe> {
    let wanted: HashSet<&str> = item_ids.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for item in items_in_order(template) {
        if !wanted.is_empty() && !wanted.contains(item.id.as_str()) {
            continue;
        }
        for (line, parsed) in item_probes(item) {
            let (kind, resolved) = match parsed {
                Ok(spec) => (
                    spec.kind().to_string(),
                    substitute(&spec, variables).map_err(|e| e.to_string()),
                ),
                Err(e) => (String::new(), Err(format!("line {line}: {e}"))),
            };
            out.push(PlannedProbe {
                item_id: item.id.clone(),
                line,
                kind,
                resolved,
            });
        }
    }
    out
}

/// Runs the planned probes (bounded, cancellable through `control`); `on_result` sees each result
/// as it finishes. Probes that could not be resolved report an Error without running.
pub async fn run_planned(
    planned: &[PlannedProbe],
    context: Arc<ProbeContext>,
    control: Arc<RunControl>,
    on_result: impl Fn(usize, &ProbeResult) + Send + Sync + 'static,
) -> Vec<ProbeResult> {
    let now = context.clock.now();
    let mut runnable = Vec::new();
    let mut positions = Vec::new();
    let mut results: Vec<Option<ProbeResult>> = vec![None; planned.len()];
    for (index, probe) in planned.iter().enumerate() {
        match &probe.resolved {
            Ok(resolved) => {
                positions.push(index);
                runnable.push(resolved.clone());
            }
            Err(reason) => {
                let result = ProbeResult {
                    kind: probe.kind.clone(),
                    outcome: Outcome::Error,
                    summary: format!("the probe could not run: {reason}"),
                    code: Some("invalid_probe".into()),
                    evidence: Vec::new(),
                    started_at: now,
                    duration_ms: 0,
                    response_time_ms: None,
                };
                on_result(index, &result);
                results[index] = Some(result);
            }
        }
    }
    let map = positions.clone();
    let ran = greenlight_probes::run_many(
        runnable,
        context,
        PROBE_CONCURRENCY,
        control,
        move |i, r| on_result(map[i], r),
    )
    .await;
    for (result, index) in ran.into_iter().zip(positions) {
        results[index] = Some(result);
    }
    results.into_iter().flatten().collect()
}
