//! `greenlight verify`: a run's log on this machine (`--run`), or a record file anywhere
//! (`--record FILE`, no database opened or created), or both (the record against the log).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{open_app, read_file, to_json};
use crate::api_error::{ApiError, Code};
use crate::app::ApiResult;
use crate::paths::AppPaths;

/// `verify --record FILE` alone: from the file's bytes, touching nothing on this machine.
pub(super) fn verify_record_anywhere(path: &Path, signer: Option<&str>, json: bool) -> ExitCode {
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

/// `verify --run ID` (and `--record FILE` with it).
pub(super) async fn execute(
    run: Option<String>,
    record: Option<PathBuf>,
    signer_fingerprint: Option<String>,
    json: bool,
    paths: AppPaths,
) -> ApiResult<String> {
    let Some(run) = run else {
        return Err(ApiError::new(
            Code::InvalidInput,
            "say what to verify: --run ID, or --record FILE",
        ));
    };
    if let Some(record) = record {
        return record_against_log(&run, &record, signer_fingerprint.as_deref(), json, paths).await;
    }
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

/// `verify --run ID --record FILE`: everything the record proves, and the record against the log.
async fn record_against_log(
    run: &str,
    record: &Path,
    signer_fingerprint: Option<&str>,
    json: bool,
    paths: AppPaths,
) -> ApiResult<String> {
    let bytes = read_file(record)?;
    let app = open_app(paths).await?;
    let report = app.check_record_file(&bytes, signer_fingerprint).await?;
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
