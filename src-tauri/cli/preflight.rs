//! `greenlight preflight --template FILE|ID --env NAME` or `--run RUN`: the checks made before a
//! deployment window (variables, credentials, approvals, blocks, certificate and key files)
//! without contacting any target unless `--contact-targets`; a run's preflight is recorded in
//! its log. Exit 0 no problem, 1 a target did not answer, 2 a probe could not run.

use clap::Args;

use super::probe::resolve_template;
use super::{CliOutput, to_json};
use crate::api_error::ApiError;
use crate::app::{ApiResult, App};
use crate::preflight::{PreflightReport, Subject, check};

#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// A template file (Markdown) or the id of a template in the library.
    #[arg(
        long,
        value_name = "FILE|ID",
        conflicts_with = "run",
        requires = "environment"
    )]
    template: Option<String>,
    /// The environment to check the template in.
    #[arg(long = "env", value_name = "NAME")]
    environment: Option<String>,
    /// A run: its template in its environment; the result is recorded in the run's log.
    #[arg(long, value_name = "RUN", required_unless_present = "template")]
    run: Option<String>,
    /// Also check that the targets' names resolve and their ports answer (nothing else is sent).
    #[arg(long)]
    contact_targets: bool,
    #[arg(long)]
    json: bool,
}

pub(super) async fn execute(args: PreflightArgs, app: App) -> ApiResult<CliOutput> {
    let report = match (&args.run, &args.template, &args.environment) {
        (Some(run), _, _) => app.preflight_run(run, args.contact_targets).await?,
        (None, Some(template), Some(environment)) => {
            let (template, template_id) = resolve_template(&app, template).await?;
            let subject = Subject {
                template: &template,
                template_id: &template_id,
                environment,
                item_ids: &[],
            };
            check(&app, &subject, args.contact_targets).await?
        }
        _ => return Err(ApiError::invalid("give --run RUN, or --template and --env")),
    };
    let text = if args.json {
        to_json(&report)?
    } else {
        describe(&report)
    };
    Ok(CliOutput {
        text,
        code: report.exit_code(),
    })
}

/// The report in words: a heading per kind of problem, then item, line, message and fix.
pub fn describe(report: &PreflightReport) -> String {
    let mut out = format!(
        "Preflight of {} in {}: {} probes checked{}",
        report.template_title,
        report.environment,
        report.probes_checked,
        if report.contacted_targets {
            ", targets contacted"
        } else {
            ", no target contacted"
        }
    );
    if report.recorded {
        out.push_str(" (recorded in the run's log)");
    }
    if report.problems.is_empty() {
        out.push_str("\nno problems");
        return out;
    }
    let mut kinds: Vec<_> = report.problems.iter().map(|p| p.kind).collect();
    kinds.dedup();
    for kind in kinds {
        let problems: Vec<_> = report.problems.iter().filter(|p| p.kind == kind).collect();
        let heading = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default();
        out.push_str(&format!("\n\n{heading} ({}):", problems.len()));
        for p in problems {
            out.push_str(&format!(
                "\n  {} [{}], line {}: {}\n    fix: {}",
                p.item_title, p.item_id, p.line, p.message, p.fix
            ));
        }
    }
    out
}
