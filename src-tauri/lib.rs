//! Greenlight's desktop shell: starts the window (Tauri) or, with a subcommand, the headless
//! CLI. Everything it does is delegated to the `App` use-cases over the domain crates.

pub mod api_error;
pub mod app;
pub mod bundled;
pub mod cli;
mod commands;
pub mod export;
pub mod logging;
pub mod paths;
pub mod probing;
pub mod record_verify;
pub mod recovery;
pub mod sealing;
pub mod suggestions;

include!("commands_list.rs");

use std::sync::Arc;

use crate::app::App;
use crate::paths::AppPaths;
use crate::recovery::describe_startup_problem;

/// Why the app could not open its data, shown by the window instead of the app (None: all well).
pub struct StartupProblem(pub Option<api_error::ApiError>);

/// Opens the main window. If the data cannot be opened, the window still opens and explains why.
pub fn run_window(paths: AppPaths) -> Result<(), String> {
    let clock: app::Clock = Arc::new(chrono::Utc::now);
    let opened = tauri::async_runtime::block_on(App::open(paths.clone(), clock));
    let mut builder = tauri::Builder::default();
    builder = match opened {
        Ok(app) => builder
            .manage(app)
            .manage(StartupProblem(None))
            .manage(paths),
        Err(error) => {
            let problem = describe_startup_problem(&paths, error);
            tracing::error!(code = %problem.code, "{}", problem.message);
            builder.manage(StartupProblem(Some(problem))).manage(paths)
        }
    };
    builder
        .invoke_handler(tauri::generate_handler![
            commands::startup_problem,
            commands::save_data_copy,
            commands::app_info,
            commands::set_actor,
            commands::set_identity,
            commands::verify_record_file,
            commands::signing_certificate,
            commands::export_signing_certificate,
            commands::timestamp_authority,
            commands::set_timestamp_authority,
            commands::use_company_certificate,
            commands::schema_problems,
            commands::restore_schema,
            commands::list_templates,
            commands::get_template,
            commands::preview_import,
            commands::import_template,
            commands::list_runs,
            commands::start_run,
            commands::get_run,
            commands::set_item_state,
            commands::set_value,
            commands::add_note,
            commands::complete_run,
            commands::abandon_run,
            commands::archive_run,
            commands::run_events,
            commands::verify_run,
            commands::check_record,
            commands::sign,
            commands::decide_gate,
            commands::set_retention,
            commands::delete_run,
            commands::export_blank,
            commands::export_run,
            commands::open_export,
            commands::set_export_settings,
            commands::list_environments,
            commands::save_environment,
            commands::delete_environment,
            commands::keychain_status,
            commands::list_credentials,
            commands::save_credential,
            commands::delete_credential,
            commands::template_probes,
            commands::probe_suggestions,
            commands::approve_command,
            commands::add_suggested_probe,
            commands::run_probes,
            commands::cancel_probes,
            commands::auto_accept_passes,
            commands::set_auto_accept_passes,
            commands::cancel_item_probes,
        ])
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not start: {e}"))
}
