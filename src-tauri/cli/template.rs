//! `greenlight template check|show|import|list`: what the importer recognised, the parsed
//! model, importing into the library, and the library's list.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use greenlight_core::{Template, import_markdown};

use super::{file_name, open_app, read_file, to_json};
use crate::api_error::{ApiError, Code};
use crate::app::ApiResult;
use crate::paths::AppPaths;

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

pub(super) fn parse_template(path: &Path) -> ApiResult<Template> {
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

pub(super) async fn execute(command: TemplateCommand, paths: AppPaths) -> ApiResult<String> {
    match command {
        TemplateCommand::Check { file } => Ok(describe_template(&parse_template(&file)?)),
        TemplateCommand::Show { file, json } => {
            let template = parse_template(&file)?;
            if json {
                to_json(&template)
            } else {
                Ok(describe_template(&template))
            }
        }
        TemplateCommand::Import { file, json } => {
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
        TemplateCommand::List { json } => {
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
    }
}
