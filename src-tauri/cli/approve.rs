//! `greenlight approve --template ID|FILE [--item ITEM] [--yes]`: approves a template's command
//! probes from the command line, so a pipeline on a fresh data folder can run them. Prints each
//! command's exact text first and asks on a terminal; without a terminal it requires `--yes`.
//! Each approval goes through `App::approve_command`, the window's own path (same store call,
//! same `command_approved` event in the library log). A FILE is imported into the library
//! first (importing the same text again keeps its existing version), since approvals belong to a
//! library template. `--list` prints the approved texts and changes nothing.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use clap::Args;
use serde::Serialize;

use super::{CliOutput, file_name, read_file, to_json};
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};
use crate::probing::{ItemProbe, item_title};

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// A template file (Markdown; imported into the library first) or a library template's id.
    #[arg(long, value_name = "ID|FILE")]
    template: String,
    /// Only the command probes of this item (repeatable; default: every item).
    #[arg(long = "item", value_name = "ITEM", conflicts_with = "list")]
    items: Vec<String>,
    /// Approve without asking (required when standard input is not a terminal). The commands
    /// are still printed: read them in the pipeline's log.
    #[arg(long, conflicts_with = "list")]
    yes: bool,
    /// List the approved command texts instead.
    #[arg(long)]
    list: bool,
    #[arg(long, requires = "list")]
    json: bool,
}

/// A command probe waiting for approval.
struct Pending {
    item_id: String,
    item_title: String,
    line: u32,
    text: String,
}

#[derive(Serialize)]
struct Listed<'a> {
    template_id: &'a str,
    #[serde(flatten)]
    approval: &'a greenlight_store::ApprovedCommand,
}

pub(super) async fn execute(args: ApproveArgs, app: App) -> ApiResult<CliOutput> {
    let (template_id, imported) = library_template(&app, &args.template).await?;
    if args.list {
        return list(&app, &template_id, args.json).await;
    }
    let mut out = Vec::new();
    if let Some(note) = imported {
        out.push(note);
    }
    let detail = app.get_template(&template_id).await?;
    let probes = app.template_probes(&template_id).await?;
    let (pending, already) =
        command_probes(&probes, &args.items, |id| item_title(&detail.template, id))?;
    if pending.is_empty() {
        out.push(format!(
            "nothing to approve: {already} command probe(s) of template {template_id} already approved"
        ));
        return Ok(CliOutput::from(out.join("\n")));
    }
    let listing = describe(&pending, &template_id);
    if !args.yes {
        confirm(&out, &listing, pending.len())?;
        out.clear();
    } else {
        out.push(listing);
    }
    for p in &pending {
        app.approve_command(&template_id, &p.item_id, p.line)
            .await?;
    }
    out.push(format!(
        "approved {} command(s) for template {template_id}",
        pending.len()
    ));
    Ok(CliOutput::from(out.join("\n")))
}

/// The library id of `arg`: a file is imported (its existing version when the library already
/// holds the same text), with a line saying so; anything else must be a library id.
async fn library_template(app: &App, arg: &str) -> ApiResult<(String, Option<String>)> {
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = read_file(path)?;
        let summary = app
            .import_template(&bytes, file_name(path).as_deref())
            .await?;
        let note = format!(
            "{} is template {} ({} v{})",
            path.display(),
            summary.id,
            summary.title,
            summary.version
        );
        return Ok((summary.id, Some(note)));
    }
    app.get_template(arg).await?;
    Ok((arg.to_string(), None))
}

/// The chosen items' command probes not yet approved, and how many are approved already.
fn command_probes(
    probes: &[ItemProbe],
    items: &[String],
    title: impl Fn(&str) -> String,
) -> ApiResult<(Vec<Pending>, usize)> {
    let chosen = |p: &&ItemProbe| items.is_empty() || items.contains(&p.item_id);
    let commands: Vec<&ItemProbe> = probes
        .iter()
        .filter(chosen)
        .filter(|p| p.error.is_none() && p.command_text.is_some())
        .collect();
    for item in items {
        if !commands.iter().any(|p| &p.item_id == item) {
            return Err(ApiError::new(
                Code::InvalidInput,
                format!("item “{item}” has no valid command probe in this template"),
            ));
        }
    }
    if commands.is_empty() {
        return Err(ApiError::new(
            Code::InvalidInput,
            "this template has no valid command probes to approve",
        ));
    }
    let already = commands.iter().filter(|p| p.approved).count();
    let pending = commands
        .into_iter()
        .filter(|p| !p.approved)
        .map(|p| Pending {
            item_id: p.item_id.clone(),
            item_title: title(&p.item_id),
            line: p.line,
            text: p.command_text.clone().unwrap_or_default(),
        })
        .collect();
    Ok((pending, already))
}

/// Each command with its item and line, the exact text on a line of its own.
fn describe(pending: &[Pending], template_id: &str) -> String {
    let mut text = format!(
        "{} command probe(s) of template {template_id} to approve; each runs exactly as written:",
        pending.len()
    );
    for p in pending {
        text.push_str(&format!(
            "\n\n  {} (item {}, line {}):\n    {}",
            p.item_title, p.item_id, p.line, p.text
        ));
    }
    text
}

/// Shows `listing` and asks on the terminal; refuses without a terminal (use `--yes`).
fn confirm(before: &[String], listing: &str, count: usize) -> ApiResult<()> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut stdout = std::io::stdout();
        for line in before.iter().map(String::as_str).chain([listing]) {
            let _ = writeln!(stdout, "{line}");
        }
        return Err(ApiError::new(
            Code::InvalidInput,
            "standard input is not a terminal, so nothing was approved: read the commands \
             above and run again with --yes to approve them",
        ));
    }
    let mut stderr = std::io::stderr();
    for line in before.iter().map(String::as_str).chain([listing]) {
        let _ = writeln!(stderr, "{line}");
    }
    let _ = write!(stderr, "\nApprove these {count} command(s)? [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| ApiError::new(Code::InvalidInput, format!("no answer read: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::InvalidInput,
            "not approved: nothing was recorded",
        ))
    }
}

async fn list(app: &App, template_id: &str, json: bool) -> ApiResult<CliOutput> {
    let approved = app.approved_commands(template_id).await?;
    if json {
        let listed: Vec<Listed<'_>> = approved
            .iter()
            .map(|approval| Listed {
                template_id,
                approval,
            })
            .collect();
        return Ok(CliOutput::from(to_json(&listed)?));
    }
    if approved.is_empty() {
        return Ok(CliOutput::from(format!(
            "no command approved for template {template_id}"
        )));
    }
    let lines: Vec<String> = approved
        .iter()
        .map(|a| {
            format!(
                "{}\t{}\t{}",
                a.command_text,
                a.approved_by,
                a.approved_at.format("%Y-%m-%d %H:%M UTC")
            )
        })
        .collect();
    Ok(CliOutput::from(lines.join("\n")))
}
