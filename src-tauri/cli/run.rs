//! `greenlight run list|start|show|mark|set|note|complete|abandon|decide|probes`: a run driven
//! from the command line, recorded exactly as the window records it (`run probes` goes through
//! the window's own probe path: same evidence, same audit events).

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use greenlight_core::run::ItemState;
use greenlight_store::NewRun;

use std::sync::{Arc, Mutex};

use greenlight_probes::{Outcome, ProbeDuration};
use greenlight_store::{ProbeEvidence, ProbeOutcome};
use serde::Serialize;

use super::probe::{
    INTERRUPTED, Progress, chosen_items, exit_code, render_table, until_interrupted,
};
use super::{CliOutput, to_json};
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};
use crate::probing::{self, item_title};

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Template id (see `greenlight template list`).
    #[arg(long)]
    template: String,
    #[arg(long)]
    release: String,
    #[arg(long = "release-version")]
    release_version: String,
    #[arg(long = "env")]
    environment: String,
    /// Planned window start, RFC 3339 (e.g. 2026-11-23T22:00:00Z).
    #[arg(long)]
    window_start: Option<DateTime<Utc>>,
    #[arg(long)]
    window_end: Option<DateTime<Utc>>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ProbesArgs {
    run: String,
    /// Only the items under this section (its id or title).
    #[arg(long, value_name = "SECTION")]
    section: Option<String>,
    /// Only this item (repeatable).
    #[arg(long = "item", value_name = "ID")]
    items: Vec<String>,
    /// Mark Pass every still-pending item whose probes all passed (as the template's
    /// "accept passes" setting does); without it, results only propose states unless the
    /// template has that setting on.
    #[arg(long)]
    accept_passes: bool,
    #[arg(long)]
    json: bool,
}

/// `run probes`: the window's path (`probing::run_probes_accepting`), Ctrl+C cancelling through
/// the same registry as the window's Cancel button.
pub(super) async fn probes(args: ProbesArgs, app: App) -> ApiResult<CliOutput> {
    let detail = app.get_run(&args.run).await?;
    let items = chosen_items(&detail.template, args.section.as_deref(), &args.items)?;
    let count = probing::plan(&detail.template, &items, &Default::default()).len();
    let progress = Progress::new(count);
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let on_result = {
        let (progress, recorded) = (progress.clone(), recorded.clone());
        move |evidence: ProbeEvidence| {
            progress.tick();
            if let Ok(mut all) = recorded.lock() {
                all.push(evidence);
            }
        }
    };
    let accept = args.accept_passes.then_some(true);
    let canceller = app.clone();
    let run_id = args.run.clone();
    let (state, interrupted) = until_interrupted(
        probing::run_probes_accepting(&app, &args.run, &items, accept, on_result),
        move || {
            canceller.cancel_probes(&run_id);
        },
    )
    .await;
    progress.done();
    let state = state?;
    let evidence = recorded.lock().map(|e| e.clone()).unwrap_or_default();
    let outcomes = evidence.iter().map(|e| match e.outcome {
        ProbeOutcome::Pass => Outcome::Pass,
        ProbeOutcome::Fail => Outcome::Fail,
        ProbeOutcome::Error => Outcome::Error,
    });
    let code = if interrupted {
        INTERRUPTED
    } else {
        exit_code(outcomes)
    };
    let text = if args.json {
        let recorded: Vec<RecordedProbe<'_>> = evidence
            .iter()
            .map(|e| RecordedProbe {
                duration: ProbeDuration::of(e.duration_ms, e.response_time_ms),
                evidence: e,
            })
            .collect();
        to_json(&recorded)?
    } else {
        let rows: Vec<[String; 5]> = evidence
            .iter()
            .map(|e| {
                [
                    item_title(&detail.template, &e.element_id),
                    e.kind.clone(),
                    e.outcome.as_str().to_string(),
                    e.code.clone().unwrap_or_default(),
                    ProbeDuration::of(e.duration_ms, e.response_time_ms).to_string(),
                ]
            })
            .collect();
        format!(
            "{}\n{} results recorded; {}/{} items done",
            render_table(["ITEM", "KIND", "OUTCOME", "REASON", "DURATION"], &rows),
            evidence.len(),
            state.progress.done,
            state.progress.total
        )
    };
    Ok(CliOutput { text, code })
}

/// A recorded probe result as `run probes --json` prints it: the stored evidence plus its one
/// duration with what it measures (as `greenlight probe --json` prints it).
#[derive(Serialize)]
struct RecordedProbe<'a> {
    #[serde(flatten)]
    evidence: &'a ProbeEvidence,
    duration: ProbeDuration,
}

#[derive(Debug, Subcommand)]
pub enum RunCommand {
    /// List runs.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Start a run of a template.
    Start(StartArgs),
    /// Show a run with its state.
    Show {
        run: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark an item: pass, fail, not_applicable, skipped or pending.
    Mark {
        run: String,
        item: String,
        state: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Set a write-in field or choice value.
    Set {
        run: String,
        element: String,
        value: String,
    },
    /// Add a note to the run, or to one item with --item.
    Note {
        run: String,
        #[arg(long)]
        item: Option<String>,
        body: String,
    },
    /// Complete an active run (it becomes read-only).
    Complete { run: String },
    /// Abandon an active run (it becomes read-only).
    Abandon { run: String },
    /// Run a run's probes and keep their evidence with it, as the window does. Exit 0 all
    /// passed, 1 any failed, 2 any could not run, 130 interrupted (Ctrl+C cancels cleanly).
    Probes(ProbesArgs),
    /// Decide a gate: GO, NO-GO or another of its options.
    Decide {
        run: String,
        gate: String,
        option: String,
        #[arg(long)]
        reason: Option<String>,
        /// Justification, required to choose GO over failed or pending items.
        #[arg(long = "override")]
        override_justification: Option<String>,
    },
}

pub(super) async fn execute(command: RunCommand, app: App) -> ApiResult<String> {
    match command {
        RunCommand::List { json } => {
            let runs = app.list_runs().await?;
            if json {
                return to_json(&runs);
            }
            Ok(runs
                .iter()
                .map(|r| {
                    format!(
                        "{}\t{} {}\t{}\t{:?}\t{}/{}",
                        r.id,
                        r.release_name,
                        r.version,
                        r.environment,
                        r.status,
                        r.progress.done,
                        r.progress.total
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        RunCommand::Start(args) => {
            let new_run = NewRun {
                template_id: args.template,
                release_name: args.release,
                version: args.release_version,
                environment: args.environment,
                window_start: args.window_start,
                window_end: args.window_end,
            };
            let run = app.start_run(&new_run).await?;
            if args.json { to_json(&run) } else { Ok(run.id) }
        }
        RunCommand::Show { run, json } => {
            let detail = app.get_run(&run).await?;
            if json {
                return to_json(&detail);
            }
            let p = detail.state.progress;
            Ok(format!(
                "{} {} ({}) — {}\n  status {:?}; {}/{} done: {} pass, {} fail, {} n/a, {} skipped\n  {} audit events, head {}",
                detail.run.release_name,
                detail.run.version,
                detail.run.environment,
                detail.run.template_title,
                detail.state.status,
                p.done,
                p.total,
                p.passed,
                p.failed,
                p.not_applicable,
                p.skipped,
                detail.state.event_count,
                detail.state.head_hash
            ))
        }
        RunCommand::Mark {
            run,
            item,
            state,
            note,
        } => {
            let state = ItemState::parse(&state).ok_or_else(|| ApiError::new(Code::InvalidInput, format!(
                    "unknown state {state:?}: use pass, fail, not_applicable, skipped or pending"
                )))?;
            let result = app
                .set_item_state(&run, &item, state, note.as_deref())
                .await?;
            Ok(format!("saved ({} events)", result.event_count))
        }
        RunCommand::Set {
            run,
            element,
            value,
        } => {
            let result = app.set_value(&run, &element, &value).await?;
            Ok(format!("saved ({} events)", result.event_count))
        }
        RunCommand::Note { run, item, body } => {
            let result = app.add_note(&run, item.as_deref(), &body).await?;
            Ok(format!("saved ({} events)", result.event_count))
        }
        RunCommand::Complete { run } => {
            let result = app.complete_run(&run).await?;
            Ok(format!("completed ({} events)", result.event_count))
        }
        RunCommand::Decide {
            run,
            gate,
            option,
            reason,
            override_justification,
        } => {
            let input = greenlight_store::GateDecisionInput {
                gate_id: gate,
                option,
                reason,
                override_justification,
            };
            let result = app.decide_gate(&run, &input).await?;
            Ok(format!("decided ({} events)", result.event_count))
        }
        // `cli::execute` sends `run probes` to `probes` directly, for its exit code.
        RunCommand::Probes(args) => probes(args, app).await.map(|out| out.text),
        RunCommand::Abandon { run } => {
            let result = app.abandon_run(&run).await?;
            Ok(format!("abandoned ({} events)", result.event_count))
        }
    }
}
