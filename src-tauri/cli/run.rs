//! `greenlight run list|start|show|mark|set|note|complete|abandon|decide`: a run driven from
//! the command line, recorded exactly as the window records it.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use greenlight_core::run::ItemState;
use greenlight_store::NewRun;

use super::to_json;
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};

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
        RunCommand::Abandon { run } => {
            let result = app.abandon_run(&run).await?;
            Ok(format!("abandoned ({} events)", result.event_count))
        }
    }
}
