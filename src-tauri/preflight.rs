//! Preflight: before the deployment window, checks every probe of a template (or a run) in an
//! environment without contacting any target — variables defined, credentials in an unlocked
//! keychain, commands approved, blocks valid, certificate and key files usable — and, only when
//! asked, whether the targets' names resolve and ports answer. For a run, the result is recorded
//! in its audit log (`preflight_checked`). Secrets are looked up to see that they exist and are
//! dropped at once: never printed, never stored. Tauri-free.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::items_in_order;
use greenlight_probes::{
    BlockPlace, FixTarget, ProblemKind, Target, TargetCheck, check_block, item_probes,
};
use greenlight_secrets::SecretError;
use greenlight_store::{PreflightLine, PreflightOutcome};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{ApiResult, App};
use crate::probing::StoredApprovals;

/// One problem found by a preflight, with the item it belongs to and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreflightProblem {
    pub kind: ProblemKind,
    pub item_id: String,
    /// The item's title as displayed.
    pub item_title: String,
    /// Source line of the probe block.
    pub line: u32,
    /// `http`, `tls`, ... or empty when the block does not parse.
    pub probe_kind: String,
    pub message: String,
    /// What to do, in plain words ("store the credential `pg-readonly`").
    pub fix: String,
    /// Where the fix is made (the window's button goes there).
    pub target: FixTarget,
}

/// A preflight's whole result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreflightReport {
    pub template_id: String,
    pub template_title: String,
    pub environment: String,
    /// The run it was made for, when it was.
    pub run_id: Option<String>,
    #[ts(type = "string")]
    pub checked_at: DateTime<Utc>,
    pub checked_by: String,
    pub probes_checked: u32,
    pub contacted_targets: bool,
    /// Every problem, grouped by kind (in [`ProblemKind`] order), then in template order.
    pub problems: Vec<PreflightProblem>,
    /// Each target contacted (empty unless `contacted_targets`).
    pub targets: Vec<TargetCheck>,
    /// Whether the result was recorded in the run's audit log.
    pub recorded: bool,
}

impl PreflightReport {
    /// The CLI's exit code: 0 no problem, 1 a target did not answer, 2 a probe could not run.
    pub fn exit_code(&self) -> u8 {
        if self
            .problems
            .iter()
            .any(|p| p.kind != ProblemKind::TargetUnreachable)
        {
            2
        } else if self.problems.is_empty() {
            0
        } else {
            1
        }
    }
}

/// What to check: a template's probes in an environment.
pub struct Subject<'a> {
    pub template: &'a Template,
    pub template_id: &'a str,
    pub environment: &'a str,
    pub item_ids: &'a [String],
}

/// Checks every probe of `subject`; contacts targets only when `contact_targets`.
pub async fn check(
    app: &App,
    subject: &Subject<'_>,
    contact_targets: bool,
) -> ApiResult<PreflightReport> {
    let variables = app
        .store()
        .environment_variables(subject.environment)
        .await?;
    let approvals = StoredApprovals(app.approvals(subject.template_id).await?);
    let now = app.now();
    let wanted: HashSet<&str> = subject.item_ids.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    let mut needs: Vec<(usize, Vec<String>, Vec<Target>)> = Vec::new();
    let mut blocks: Vec<(String, String, u32, String)> = Vec::new();
    for item in items_in_order(subject.template) {
        if !wanted.is_empty() && !wanted.contains(item.id.as_str()) {
            continue;
        }
        for (line, parsed) in item_probes(item) {
            let place = BlockPlace {
                item_id: &item.id,
                line,
                environment: subject.environment,
                template_id: subject.template_id,
            };
            let found = check_block(&parsed, &variables, &approvals, &place, now);
            let kind = parsed.as_ref().map(|s| s.kind()).unwrap_or("").to_string();
            let title = display_title(item);
            for p in found.problems {
                problems.push(problem(&item.id, &title, line, &kind, p));
            }
            needs.push((blocks.len(), found.credentials, found.targets));
            blocks.push((item.id.clone(), title, line, kind));
        }
    }
    problems.extend(credential_problems(app, &needs, &blocks).await);
    let mut targets = Vec::new();
    if contact_targets {
        let (found, unreachable) = contact(&needs, &blocks).await;
        targets = found;
        problems.extend(unreachable);
    }
    problems.sort_by_key(|p| p.kind);
    Ok(PreflightReport {
        template_id: subject.template_id.to_string(),
        template_title: subject.template.title.clone(),
        environment: subject.environment.to_string(),
        run_id: None,
        checked_at: now,
        checked_by: app.actor().await.unwrap_or_default(),
        probes_checked: blocks.len() as u32,
        contacted_targets: contact_targets,
        problems,
        targets,
        recorded: false,
    })
}

fn display_title(item: &greenlight_core::Item) -> String {
    if item.display_title.is_empty() {
        item.title.clone()
    } else {
        item.display_title.clone()
    }
}

fn problem(
    item_id: &str,
    title: &str,
    line: u32,
    kind: &str,
    p: greenlight_probes::BlockProblem,
) -> PreflightProblem {
    PreflightProblem {
        kind: p.kind,
        item_id: item_id.to_string(),
        item_title: title.to_string(),
        line,
        probe_kind: kind.to_string(),
        message: p.message,
        fix: p.fix,
        target: p.target,
    }
}

/// How one credential looked in the keychain.
enum Lookup {
    Present,
    Missing,
    Locked(String),
    Unavailable(String),
}

/// Looks every credential up once (existence only: the secret is dropped at once). After the
/// keychain says it is locked or absent, it is not asked again (each call may take seconds).
async fn credential_problems(
    app: &App,
    needs: &[(usize, Vec<String>, Vec<Target>)],
    blocks: &[(String, String, u32, String)],
) -> Vec<PreflightProblem> {
    let names: BTreeSet<&String> = needs.iter().flat_map(|(_, c, _)| c).collect();
    let mut looked: BTreeMap<&String, Lookup> = BTreeMap::new();
    let mut keychain_down: Option<Lookup> = None;
    for name in names {
        if let Some(down) = &keychain_down {
            looked.insert(name, clone_lookup(down));
            continue;
        }
        let key = name.clone();
        let lookup = match app.keychain(move |s| s.get(&key).map(drop)).await {
            Ok(()) => Lookup::Present,
            Err(SecretError::NotFound { .. }) => Lookup::Missing,
            Err(e @ (SecretError::Locked { .. } | SecretError::Timeout)) => {
                Lookup::Locked(e.to_string())
            }
            Err(e) => Lookup::Unavailable(e.to_string()),
        };
        if matches!(lookup, Lookup::Locked(_) | Lookup::Unavailable(_)) {
            keychain_down = Some(clone_lookup(&lookup));
        }
        looked.insert(name, lookup);
    }
    let mut out = Vec::new();
    for (index, credentials, _) in needs {
        let (item_id, title, line, kind) = &blocks[*index];
        for name in credentials {
            let Some((kind_found, message, fix, target)) = credential_problem(name, &looked[name])
            else {
                continue;
            };
            out.push(PreflightProblem {
                kind: kind_found,
                item_id: item_id.clone(),
                item_title: title.clone(),
                line: *line,
                probe_kind: kind.clone(),
                message,
                fix,
                target,
            });
        }
    }
    out
}

fn clone_lookup(l: &Lookup) -> Lookup {
    match l {
        Lookup::Present => Lookup::Present,
        Lookup::Missing => Lookup::Missing,
        Lookup::Locked(m) => Lookup::Locked(m.clone()),
        Lookup::Unavailable(m) => Lookup::Unavailable(m.clone()),
    }
}

fn credential_problem(
    name: &str,
    lookup: &Lookup,
) -> Option<(ProblemKind, String, String, FixTarget)> {
    match lookup {
        Lookup::Present => None,
        Lookup::Missing => Some((
            ProblemKind::MissingCredential,
            format!("the credential `{name}` is not in the keychain"),
            format!("store the credential `{name}`"),
            FixTarget::Credential {
                name: name.to_string(),
            },
        )),
        Lookup::Locked(why) => Some((
            ProblemKind::KeychainLocked,
            format!("the credential `{name}` cannot be read: {why}"),
            "unlock the keychain, then run preflight again".into(),
            FixTarget::Keychain,
        )),
        Lookup::Unavailable(why) => Some((
            ProblemKind::KeychainUnavailable,
            format!("the credential `{name}` cannot be read: {why}"),
            "set up the OS keychain (see Credentials), then store the credential".into(),
            FixTarget::Keychain,
        )),
    }
}

/// Contacts every distinct target once, concurrently; each unreachable one is a problem of
/// every block that would contact it.
async fn contact(
    needs: &[(usize, Vec<String>, Vec<Target>)],
    blocks: &[(String, String, u32, String)],
) -> (Vec<TargetCheck>, Vec<PreflightProblem>) {
    let distinct: BTreeSet<Target> = needs.iter().flat_map(|(_, _, t)| t.clone()).collect();
    let checks = greenlight_probes::contact(
        distinct.into_iter().collect(),
        greenlight_probes::CONTACT_TIMEOUT,
    )
    .await;
    let mut problems = Vec::new();
    for check in checks.iter().filter(|c| !c.reachable) {
        for (index, _, targets) in needs {
            if !targets.contains(&check.target) {
                continue;
            }
            let (item_id, title, line, kind) = &blocks[*index];
            let host = &check.target.host;
            let at = match check.target.port {
                Some(port) => format!("{host}:{port}"),
                None => host.clone(),
            };
            problems.push(PreflightProblem {
                kind: ProblemKind::TargetUnreachable,
                item_id: item_id.clone(),
                item_title: title.clone(),
                line: *line,
                probe_kind: kind.clone(),
                message: format!("{at}: {}", check.detail),
                fix: format!("check that {host} is reachable from this machine (VPN, firewall)"),
                target: FixTarget::Network { host: host.clone() },
            });
        }
    }
    (checks, problems)
}

/// Preflight of a template in an environment (by name); nothing is recorded.
pub async fn preflight_template(
    app: &App,
    template_id: &str,
    environment: &str,
    contact_targets: bool,
) -> ApiResult<PreflightReport> {
    let detail = app.get_template(template_id).await?;
    let subject = Subject {
        template: &detail.template,
        template_id,
        environment,
        item_ids: &[],
    };
    check(app, &subject, contact_targets).await
}

/// Preflight of a run's probes in its environment, recorded in its audit log while the run is
/// active (a finished run is only checked).
pub async fn preflight_run(
    app: &App,
    run_id: &str,
    contact_targets: bool,
) -> ApiResult<PreflightReport> {
    let detail = app.get_run(run_id).await?;
    let subject = Subject {
        template: &detail.template,
        template_id: &detail.run.template_id,
        environment: &detail.run.environment,
        item_ids: &[],
    };
    let mut report = check(app, &subject, contact_targets).await?;
    report.run_id = Some(run_id.to_string());
    if detail.state.status.is_editable() {
        let actor = app.actor().await?;
        app.store()
            .record_preflight(run_id, &outcome(&report), &actor, report.checked_at)
            .await?;
        report.checked_by = actor;
        report.recorded = true;
    }
    Ok(report)
}

/// What the log keeps of a report: each problem's kind, item, line and message.
pub fn outcome(report: &PreflightReport) -> PreflightOutcome {
    PreflightOutcome {
        environment: report.environment.clone(),
        probes_checked: report.probes_checked,
        contacted_targets: report.contacted_targets,
        problems: report
            .problems
            .iter()
            .map(|p| PreflightLine {
                kind: serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                item_id: p.item_id.clone(),
                line: p.line,
                message: p.message.clone(),
            })
            .collect(),
    }
}
