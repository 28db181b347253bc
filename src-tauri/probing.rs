//! Probes from the user's machine, as the app runs them: finds the probe blocks of a run's items,
//! fills `{{variables}}` from the run's environment, checks command approvals, reads credentials
//! from the OS keychain, runs the probes concurrently (bounded, cancellable) and keeps every
//! result as evidence with the run. Tauri-free.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use greenlight_core::Template;
use greenlight_core::run::items_in_order;
use greenlight_probes::{
    ApprovalCheck, CommandApproval, Outcome, ProbeContext, ProbeResult, ProbeSpec, RunControl,
    Suggestion, command_text, item_probes, substitute, suggest_probes,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
