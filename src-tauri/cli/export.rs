//! `greenlight export`: a run's sealed record (PDF with the JSON attached, signed) or a blank
//! printable checklist of a template file (no database needed).

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;

use super::open_app;
use super::template::parse_template;
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, PaperSize};
use crate::paths::AppPaths;

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

pub(super) async fn execute(args: ExportArgs, paths: AppPaths) -> ApiResult<String> {
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
