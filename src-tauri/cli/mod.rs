//! The headless command-line face of the same binary, for scripting and CI. No window opens.
//! Every command prints a human summary, or JSON with `--json`; failures print
//! `error [code]: message` on stderr and exit 1 (`verify --record`: 0 intact, 1 tampered, 2 not
//! a record; `probe`, `run probes`, `preflight`: 0 all well, 1 a failure, 2 could not run).
//! This module holds the clap types and one-line dispatch; each subcommand lives in its own
//! module.

mod approve;
mod credential;
mod env;
mod export;
mod identity;
mod preflight;
mod probe;
mod run;
mod template;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App, Clock};
use crate::paths::AppPaths;

pub use template::describe_template;

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
    Template(template::TemplateCommand),
    /// Start, inspect and record runs.
    #[command(subcommand)]
    Run(run::RunCommand),
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
    Identity(identity::IdentityCommand),
    /// Export a run's record (PDF + JSON) or a blank printable checklist of a template file.
    Export(export::ExportArgs),
    /// Run a template's probes from this machine without a run (nothing recorded): exit 0 all
    /// passed, 1 any failed, 2 any could not run.
    Probe(probe::ProbeArgs),
    /// Check a template's (or a run's) probes before the window without contacting targets:
    /// variables, credentials, approvals, blocks, certificate and key files.
    Preflight(preflight::PreflightArgs),
    /// Credentials in the OS keychain (the secret is read from standard input only).
    #[command(subcommand)]
    Credential(credential::CredentialCommand),
    /// Environments: the variables probes fill in.
    #[command(subcommand)]
    Env(env::EnvCommand),
    /// Approve a template's command probes (prints each exact command text and asks, or
    /// `--yes`), recorded as the window records it; `--list` shows the approved texts.
    Approve(approve::ApproveArgs),
}

/// What a command prints and the code it exits with.
pub struct CliOutput {
    pub text: String,
    pub code: u8,
}

impl From<String> for CliOutput {
    fn from(text: String) -> Self {
        CliOutput { text, code: 0 }
    }
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
        return verify::verify_record_anywhere(record, signer_fingerprint.as_deref(), *json);
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
            if !output.text.is_empty() {
                println!("{}", output.text);
            }
            ExitCode::from(output.code)
        }
        Err(error) => fail(&error),
    }
}

fn fail(error: &ApiError) -> ExitCode {
    eprintln!("error [{}]: {}", error.code, error.message);
    ExitCode::FAILURE
}

pub(crate) fn read_file(path: &Path) -> ApiResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        ApiError::new(
            Code::FileUnreadable,
            format!("could not read {}: {e}", path.display()),
        )
    })
}

pub(crate) fn file_name(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string_pretty(value).map_err(|e| ApiError::new(Code::Serialise, e.to_string()))
}

pub(crate) async fn open_app(paths: AppPaths) -> ApiResult<App> {
    let clock: Clock = Arc::new(Utc::now);
    App::open(paths, clock).await
}

async fn execute(command: Command, paths: AppPaths) -> ApiResult<CliOutput> {
    let text = match command {
        Command::Template(command) => template::execute(command, paths).await,
        Command::Run(run::RunCommand::Probes(args)) => {
            return run::probes(args, open_app(paths).await?).await;
        }
        Command::Run(command) => run::execute(command, open_app(paths).await?).await,
        Command::Verify {
            run,
            record,
            signer_fingerprint,
            json,
        } => verify::execute(run, record, signer_fingerprint, json, paths).await,
        Command::Identity(command) => identity::execute(command, paths).await,
        Command::Export(args) => export::execute(args, paths).await,
        Command::Probe(args) => return probe::execute(args, open_app(paths).await?).await,
        Command::Preflight(args) => {
            return preflight::execute(args, open_app(paths).await?).await;
        }
        Command::Credential(command) => credential::execute(command, open_app(paths).await?).await,
        Command::Env(command) => env::execute(command, open_app(paths).await?).await,
        Command::Approve(args) => return approve::execute(args, open_app(paths).await?).await,
    };
    text.map(CliOutput::from)
}
