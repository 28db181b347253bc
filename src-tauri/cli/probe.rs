//! `greenlight probe --template FILE|ID [--env NAME] [--section S] [--item ID] [--json]`: runs a
//! template's probes from this machine without a run (nothing is recorded) and prints a table
//! or JSON. Exit 0 all passed, 1 any failed, 2 any could not run, 130 interrupted (Ctrl+C
//! cancels the probes still running). Also the helpers `preflight` and `run probes` share:
//! finding the template, choosing items, Ctrl+C, the progress line.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::Args;
use greenlight_core::Template;
use greenlight_probes::{
    Outcome, ProbeContext, ProbeDuration, ProbeResult, RunControl, SystemClock,
};
use serde::Serialize;

use super::{CliOutput, to_json};
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};
use crate::probing::{self, PlannedProbe, StoredApprovals, item_title};

/// Exit code after Ctrl+C (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// A template file (Markdown) or the id of a template in the library.
    #[arg(long, value_name = "FILE|ID")]
    template: String,
    /// The environment whose variables fill `{{variables}}` (see `greenlight env list`).
    #[arg(long = "env", value_name = "NAME")]
    environment: Option<String>,
    /// Only the items under this section (its id or title).
    #[arg(long, value_name = "SECTION")]
    section: Option<String>,
    /// Only this item (repeatable).
    #[arg(long = "item", value_name = "ID")]
    items: Vec<String>,
    #[arg(long)]
    json: bool,
}

/// One probe's line in the output.
#[derive(Debug, Serialize)]
struct ProbeLine<'a> {
    item_id: &'a str,
    item_title: String,
    line: u32,
    kind: &'a str,
    target: String,
    outcome: Outcome,
    reason: Option<&'a str>,
    summary: &'a str,
    /// The probe's one duration, `{"label": "response time" | "check time", "ms": N}`.
    duration: ProbeDuration,
    evidence: &'a [greenlight_probes::EvidenceLine],
}

pub(super) async fn execute(args: ProbeArgs, app: App) -> ApiResult<CliOutput> {
    let (template, template_id) = resolve_template(&app, &args.template).await?;
    let items = chosen_items(&template, args.section.as_deref(), &args.items)?;
    let variables = match &args.environment {
        Some(name) => app.store().environment_variables(name).await?,
        None => Default::default(),
    };
    let planned = probing::plan(&template, &items, &variables);
    if planned.is_empty() {
        return Err(ApiError::invalid("these items declare no probes"));
    }
    let approvals = StoredApprovals(app.approvals(&template_id).await?);
    let context = Arc::new(ProbeContext::new(
        app.secrets(),
        Arc::new(approvals),
        Arc::new(SystemClock),
        template_id,
    ));
    let control = Arc::new(RunControl::new());
    let progress = Progress::new(planned.len());
    let on_result = {
        let progress = progress.clone();
        move |_: usize, _: &ProbeResult| progress.tick()
    };
    let cancel = control.clone();
    let (results, interrupted) = until_interrupted(
        probing::run_planned(&planned, context, control, on_result),
        move || cancel.cancel_all(),
    )
    .await;
    progress.done();
    let lines = lines(&template, &planned, &results);
    let code = if interrupted {
        INTERRUPTED
    } else {
        exit_code(results.iter().map(|r| r.outcome))
    };
    let text = if args.json {
        to_json(&lines)?
    } else {
        table(&lines)
    };
    Ok(CliOutput { text, code })
}

/// 0 all passed, 1 any failed, 2 any could not run.
pub(super) fn exit_code(outcomes: impl Iterator<Item = Outcome>) -> u8 {
    outcomes.fold(0, |code, outcome| match outcome {
        Outcome::Pass => code,
        Outcome::Fail => code.max(1),
        Outcome::Error => 2,
    })
}

fn lines<'a>(
    template: &Template,
    planned: &'a [PlannedProbe],
    results: &'a [ProbeResult],
) -> Vec<ProbeLine<'a>> {
    planned
        .iter()
        .zip(results)
        .map(|(probe, result)| ProbeLine {
            item_id: &probe.item_id,
            item_title: item_title(template, &probe.item_id),
            line: probe.line,
            kind: &result.kind,
            target: probe
                .resolved
                .as_ref()
                .map(|r| greenlight_probes::describe_target(r.spec()))
                .unwrap_or_default(),
            outcome: result.outcome,
            reason: result.code.as_deref(),
            summary: &result.summary,
            duration: result.duration(),
            evidence: &result.evidence,
        })
        .collect()
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Error => "could not run",
    }
}

/// Columns: item, kind, target, outcome, reason (the summary when not passed), the duration with
/// what it measures.
fn table(lines: &[ProbeLine<'_>]) -> String {
    let rows: Vec<[String; 6]> = lines
        .iter()
        .map(|l| {
            [
                l.item_title.clone(),
                l.kind.to_string(),
                l.target.clone(),
                outcome_word(l.outcome).to_string(),
                if l.outcome == Outcome::Pass {
                    String::new()
                } else {
                    l.summary.to_string()
                },
                l.duration.to_string(),
            ]
        })
        .collect();
    render_table(
        ["ITEM", "KIND", "TARGET", "OUTCOME", "REASON", "DURATION"],
        &rows,
    )
}

/// Plain text columns padded to their widest cell; the last column is not padded.
pub(super) fn render_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.trim_end().to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n")
}

/// A template file (parsed, not stored; its library id when the library holds the same
/// content, so command approvals apply) or a library template by id.
pub(super) async fn resolve_template(app: &App, arg: &str) -> ApiResult<(Template, String)> {
    let path = Path::new(arg);
    if path.is_file() {
        let template = super::template::parse_template(path)?;
        let stored = app
            .list_templates()
            .await?
            .into_iter()
            .find(|t| t.content_hash == template.content_hash)
            .map(|t| t.id)
            .unwrap_or_default();
        return Ok((template, stored));
    }
    let detail = app.get_template(arg).await?;
    Ok((detail.template, arg.to_string()))
}

/// The items chosen by `--section` and `--item` (empty: every item).
pub(super) fn chosen_items(
    template: &Template,
    section: Option<&str>,
    items: &[String],
) -> ApiResult<Vec<String>> {
    let mut chosen = items.to_vec();
    if let Some(section) = section {
        let ids = probing::section_item_ids(template, section).ok_or_else(|| {
            ApiError::new(
                Code::InvalidInput,
                format!("no section “{section}” in this template"),
            )
        })?;
        if chosen.is_empty() {
            chosen = ids;
        } else {
            chosen.retain(|id| ids.contains(id));
        }
    }
    Ok(chosen)
}

/// Runs `work`; on Ctrl+C calls `cancel` once and lets `work` finish (its probes then end as
/// cancelled). Also says whether it was interrupted.
pub(super) async fn until_interrupted<T>(
    work: impl Future<Output = T>,
    cancel: impl FnOnce(),
) -> (T, bool) {
    tokio::pin!(work);
    tokio::select! {
        out = &mut work => (out, false),
        _ = tokio::signal::ctrl_c() => {
            eprintln!("interrupted: cancelling the probes still running");
            cancel();
            (work.await, true)
        }
    }
}

/// "3/10 probes done" on stderr, only when it is a terminal (pipelines get plain output).
#[derive(Clone)]
pub(super) struct Progress {
    total: usize,
    done: Arc<AtomicUsize>,
    show: bool,
}

impl Progress {
    pub(super) fn new(total: usize) -> Self {
        Progress {
            total,
            done: Arc::default(),
            show: std::io::stderr().is_terminal(),
        }
    }

    pub(super) fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if self.show {
            eprint!("\r{done}/{} probes done", self.total);
        }
    }

    pub(super) fn done(&self) {
        if self.show {
            eprintln!();
        }
    }
}
