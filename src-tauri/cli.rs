//! The headless command-line face of the same binary, for scripting and CI. No window opens.
//! Every command prints a human summary, or JSON with `--json`; failures print
//! `error [code]: message` on stderr and exit 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use greenlight_core::run::ItemState;
use greenlight_core::{Template, import_markdown};
use greenlight_store::NewRun;
use serde::Serialize;

use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App, Clock, PaperSize};
use crate::paths::AppPaths;

#[derive(Debug, Parser)]
#[command(
    name = "greenlight",
    version,
    about = "Release checklists you can run, sign and file"
)]
pub struct Cli {
    /// Keep all data and logs in this folder (default: $GREENLIGHT_HOME or the platform folders).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    pub fn paths(&self) -> Result<AppPaths, String> {
        match &self.data_dir {
            Some(dir) => Ok(AppPaths::under(dir)),
            None => AppPaths::resolve(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check, preview or import Markdown checklist templates.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Start, inspect and record runs.
    #[command(subcommand)]
    Run(RunCommand),
    /// Verify a run's audit log (--run), or a record file on any machine (--record FILE.pdf or
    /// .json, no database needed): exit 0 intact, 1 tampered, 2 not a record.
    Verify {
        /// A run in this database: recompute its chain and compare its shown state with the log.
        #[arg(long, required_unless_present = "record")]
        run: Option<String>,
        /// A record PDF (or its JSON) written by `greenlight export --run`.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// The SHA-256 fingerprint the signer's certificate must have (as your organisation
        /// recorded it); without it any valid signature is reported with its signer.
        #[arg(long, value_name = "FINGERPRINT")]
        signer_fingerprint: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who is using Greenlight: every change records it and record signatures name it.
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// Export a run's record (PDF + JSON) or a blank printable checklist of a template file.
    Export(ExportArgs),
}

impl Command {
    /// False for commands that must leave the data folder alone (verifying a record file).
    pub fn uses_data_folder(&self) -> bool {
        !matches!(
            self,
            Command::Verify {
                run: None,
                record: Some(_),
                ..
            }
        )
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The run to export as an audit record.
    #[arg(long, conflicts_with_all = ["template", "blank"])]
    run: Option<String>,
    /// A Markdown template file to print blank.
    #[arg(long, value_name = "FILE", requires = "blank")]
    template: Option<PathBuf>,
    /// Print the template blank, to fill in by hand.
    #[arg(long)]
    blank: bool,
    #[arg(long, value_name = "FILE")]
    pdf: PathBuf,
    /// Where to write the machine-readable record (default: beside the PDF).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// a4 or letter (default: the paper chosen in Settings).
    #[arg(long)]
    paper: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Say who you are.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        role: Option<String>,
    },
    /// Show who changes are recorded as, and the record signing certificate.
    Show,
    /// Sign records with a company certificate from a PKCS#12 (.p12/.pfx) file; its password
    /// is read from standard input (never an argument). The key goes to the OS keychain.
    UseCertificate { file: PathBuf },
    /// Ask this RFC 3161 time-stamp authority for a trusted time on every record signature
    /// (`--off` to stop); offline, records are signed without one and say so.
    TimestampAuthority {
        #[arg(required_unless_present = "off")]
        url: Option<String>,
        #[arg(long, conflicts_with = "url")]
        off: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Parse a template and report what was recognised (nothing is stored).
    Check { file: PathBuf },
    /// Print the parsed template model.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import a template into the library.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List the templates in the library.
    List {
        #[arg(long)]
        json: bool,
    },
}

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

/// Runs one CLI command to completion.
pub fn run(command: Command, paths: AppPaths) -> ExitCode {
    if let Command::Verify {
        run: None,
        record: Some(record),
        signer_fingerprint,
        json,
    } = &command
    {
        // A record is verified from its own bytes: no database is opened (or created).
        return verify_record_anywhere(record, signer_fingerprint.as_deref(), *json);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return fail(&ApiError::new(Code::Runtime, e.to_string()));
        }
    };
    match runtime.block_on(execute(command, paths)) {
        Ok(output) => {
            if !output.is_empty() {
                println!("{output}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn verify_record_anywhere(path: &Path, signer: Option<&str>, json: bool) -> ExitCode {
    let bytes = match read_file(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error [{}]: {}", error.code, error.message);
            return ExitCode::from(2);
        }
    };
    let report = crate::record_verify::verify_record_file(&bytes, signer);
    print_verification(&report, json);
    ExitCode::from(report.verdict.exit_code())
}

fn print_verification(report: &crate::record_verify::RecordVerification, json: bool) {
    if json {
        println!("{}", to_json(report).unwrap_or_default());
        return;
    }
    println!("{}", report.headline);
    if let Some(describes) = &report.describes {
        println!("  record of {describes}");
    }
    for signature in &report.signatures {
        println!(
            "  signature: {} by {} (SHA-256 {}){}{}",
            if signature.valid { "valid" } else { "INVALID" },
            signature.signer,
            signature.fingerprint_sha256,
            if signature.self_signed {
                ", self-signed"
            } else {
                ""
            },
            signature.timestamp.map_or_else(
                || ", no trusted timestamp".to_string(),
                |t| format!(", timestamp {}", t.to_rfc3339())
            ),
        );
    }
    for problem in report.problems.iter().skip(1) {
        println!("  also: {problem}");
    }
    for warning in &report.warnings {
        println!("  note: {warning}");
    }
    if let Some(local) = &report.local_log {
        println!("  this computer's log: {}", local.message);
    }
}

fn fail(error: &ApiError) -> ExitCode {
    eprintln!("error [{}]: {}", error.code, error.message);
    ExitCode::FAILURE
}

fn read_file(path: &Path) -> ApiResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        ApiError::new(
            Code::FileUnreadable,
            format!("could not read {}: {e}", path.display()),
        )
    })
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

fn to_json<T: Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string_pretty(value).map_err(|e| ApiError::new(Code::Serialise, e.to_string()))
}

fn parse_template(path: &Path) -> ApiResult<Template> {
    let bytes = read_file(path)?;
    let fallback = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_markdown(&bytes, &fallback)
        .map_err(|e| ApiError::new(Code::ImportFailed, format!("{}: {e}", path.display())))
}

/// A short human account of what an import recognised.
pub fn describe_template(template: &Template) -> String {
    let report = &template.report;
    let mut out = format!(
        "{}\n  hash {}\n  {} sections, {} items, {} fields, {} choices, {} signatures, {} gates, {} code blocks\n  {} lines kept as prose/code or ignored",
        template.title,
        template.content_hash,
        report.sections,
        report.items,
        report.fields,
        report.choices,
        report.signatures,
        report.gates,
        report.code_blocks,
        report.unstructured.len(),
    );
    for warning in &report.warnings {
        out.push_str(&format!("\n  warning: {warning}"));
    }
    out
}

async fn open_app(paths: AppPaths) -> ApiResult<App> {
    let clock: Clock = Arc::new(Utc::now);
    App::open(paths, clock).await
}

async fn execute(command: Command, paths: AppPaths) -> ApiResult<String> {
    match command {
        Command::Template(TemplateCommand::Check { file }) => {
            Ok(describe_template(&parse_template(&file)?))
        }
        Command::Template(TemplateCommand::Show { file, json }) => {
            let template = parse_template(&file)?;
            if json {
                to_json(&template)
            } else {
                Ok(describe_template(&template))
            }
        }
        Command::Template(TemplateCommand::Import { file, json }) => {
            let bytes = read_file(&file)?;
            let app = open_app(paths).await?;
            let summary = app
                .import_template(&bytes, file_name(&file).as_deref())
                .await?;
            if json {
                to_json(&summary)
            } else {
                Ok(format!(
                    "{}\t{} v{} ({} items)",
                    summary.id, summary.title, summary.version, summary.item_count
                ))
            }
        }
        Command::Template(TemplateCommand::List { json }) => {
            let templates = open_app(paths).await?.list_templates().await?;
            if json {
                return to_json(&templates);
            }
            Ok(templates
                .iter()
                .map(|t| {
                    format!(
                        "{}\t{} v{}\t{} items",
                        t.id, t.title, t.version, t.item_count
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        Command::Run(command) => run_command(command, open_app(paths).await?).await,
        Command::Verify {
            run: Some(run),
            record: Some(record),
            signer_fingerprint,
            json,
        } => {
            let bytes = read_file(&record)?;
            let app = open_app(paths).await?;
            let report = app
                .check_record_file(&bytes, signer_fingerprint.as_deref())
                .await?;
            if report.run_id.as_deref().is_some_and(|id| id != run) {
                return Err(ApiError::new(
                    Code::RecordMismatch,
                    format!(
                        "{} is the record of run {}, not {run}",
                        record.display(),
                        report.run_id.clone().unwrap_or_default()
                    ),
                ));
            }
            print_verification(&report, json);
            match report.verdict {
                crate::record_verify::RecordVerdict::Intact => Ok(String::new()),
                _ => Err(ApiError::new(Code::RecordMismatch, report.headline)),
            }
        }
        Command::Verify { run: None, .. } => Err(ApiError::new(
            Code::InvalidInput,
            "say what to verify: --run ID, or --record FILE",
        )),
        Command::Identity(IdentityCommand::Set { name, email, role }) => {
            let info = open_app(paths)
                .await?
                .set_identity(&greenlight_store::Identity { name, email, role })
                .await?;
            Ok(format!("changes are now recorded as {}", info.actor))
        }
        Command::Identity(IdentityCommand::UseCertificate { file }) => {
            let bytes = read_file(&file)?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| {
                ApiError::new(
                    Code::InvalidInput,
                    format!("could not read the password from standard input: {e}"),
                )
            })?;
            let password = zeroize::Zeroizing::new(password);
            let password = password.trim_end_matches(['\r', '\n']);
            let app = open_app(paths).await?;
            let certificate =
                crate::sealing::use_company_certificate(&app, &bytes, password).await?;
            Ok(format!(
                "records are now signed as {}\n  SHA-256 {}\n  issued by {}",
                certificate.subject, certificate.fingerprint_sha256, certificate.issuer
            ))
        }
        Command::Identity(IdentityCommand::TimestampAuthority { url, off }) => {
            let app = open_app(paths).await?;
            let url = if off { None } else { url };
            Ok(
                match crate::sealing::set_timestamp_authority(&app, url.as_deref()).await? {
                    Some(url) => format!("record signatures ask {url} for a trusted time"),
                    None => "record signatures carry no trusted time".into(),
                },
            )
        }
        Command::Identity(IdentityCommand::Show) => {
            let app = open_app(paths).await?;
            let actor = app.actor().await?;
            let certificate = crate::sealing::signing_certificate(&app).await?;
            Ok(match certificate {
                Some(c) => format!(
                    "changes are recorded as {actor}\nrecord signing certificate: {}\n  SHA-256 {}\n  valid {} to {}{}\n{}",
                    c.subject,
                    c.fingerprint_sha256,
                    c.not_before.to_rfc3339(),
                    c.not_after.to_rfc3339(),
                    if c.self_signed { " (self-signed)" } else { "" },
                    c.pem.trim_end()
                ),
                None => format!(
                    "changes are recorded as {actor}\nno record signing certificate yet (one is made at the first export)"
                ),
            })
        }
        Command::Export(args) => export_command(args, paths).await,
        Command::Verify {
            run: Some(run),
            record: None,
            json,
            ..
        } => {
            let app = open_app(paths).await?;
            let report = app.verify_run(&run).await?;
            if json {
                return to_json(&report);
            }
            let verdict = if report.intact { "INTACT" } else { "BROKEN" };
            let mut text = format!(
                "{verdict}: {} ({} events, head {})",
                report.message, report.event_count, report.head_hash
            );
            for discrepancy in report.discrepancies.iter().skip(1) {
                text.push_str(&format!("\n  also: {}", discrepancy.message));
            }
            for problem in app.schema_problems().await? {
                text.push_str(&format!("\n  warning: {}", problem.message));
            }
            if report.intact {
                Ok(text)
            } else {
                let code = if report.discrepancies.is_empty() {
                    Code::AuditChainBroken
                } else {
                    Code::StateDiffersFromLog
                };
                Err(ApiError::new(code, text))
            }
        }
    }
}

async fn run_command(command: RunCommand, app: App) -> ApiResult<String> {
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

async fn export_command(args: ExportArgs, paths: AppPaths) -> ApiResult<String> {
    let paper = match args.paper.as_deref() {
        Some(text) => Some(PaperSize::parse(text).ok_or_else(|| {
            ApiError::new(
                Code::InvalidInput,
                format!("unknown paper {text:?}: use a4 or letter"),
            )
        })?),
        None => None,
    };
    if let Some(file) = args.template {
        // A blank printout needs no database: parse the file and print it.
        let template = parse_template(&file)?;
        let pdf = crate::export::blank_pdf(&template, paper.unwrap_or_default(), "", Utc::now())?;
        crate::export::write_atomically(&args.pdf, &pdf)?;
        return Ok(format!("{}", args.pdf.display()));
    }
    let Some(run) = args.run else {
        return Err(ApiError::new(
            Code::InvalidInput,
            "say what to export: --run ID, or --template FILE --blank",
        ));
    };
    let app = open_app(paths).await?;
    // --paper applies to this export only; Settings keep their paper.
    let result = app
        .export_run_on(&run, Some(args.pdf), args.json, paper)
        .await?;
    Ok(format!(
        "{}\n{}\nsha256 {}\n{}",
        result.pdf_path,
        result.json_path.unwrap_or_default(),
        result.pdf_sha256,
        result.signing
    ))
}
