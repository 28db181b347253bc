//! Greenlight's desktop shell: starts the window (Tauri) or, with a subcommand, the headless
//! CLI. Everything it does is delegated to the `App` use-cases over the domain crates.

pub mod app;
pub mod bundled;
pub mod cli;
mod commands;
pub mod export;
pub mod logging;
pub mod paths;
pub mod probing;

include!("commands_list.rs");

use std::sync::Arc;

use crate::app::App;
use crate::paths::AppPaths;

/// Why the app could not open its data, shown by the window instead of the app (None: all well).
pub struct StartupProblem(pub Option<greenlight_store::ApiError>);

/// Explains a failure to open the data folder: what failed, that nothing was changed, and how
/// to recover (the backups found beside the database, or moving the file aside).
pub fn describe_startup_problem(
    paths: &AppPaths,
    error: greenlight_store::ApiError,
) -> greenlight_store::ApiError {
    let mut backups: Vec<String> = std::fs::read_dir(&paths.data_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".backup.sqlite3"))
        .map(|p| p.display().to_string())
        .collect();
    backups.sort();
    let recovery = if backups.is_empty() {
        format!(
            "To start again with an empty library, quit Greenlight and move {} aside (keep it: \
             what it holds may still be recoverable).",
            paths.database.display()
        )
    } else {
        format!(
            "Backups made before earlier upgrades: {}. To use one, quit Greenlight and copy it \
             over {} (keep the damaged file).",
            backups.join(", "),
            paths.database.display()
        )
    };
    greenlight_store::ApiError {
        code: error.code,
        message: format!(
            "Greenlight could not open its data: {} Nothing was changed. {recovery} Logs: {}.",
            error.message.trim_end_matches('.').to_string() + ".",
            paths.log_dir.display()
        ),
    }
}

/// Opens the main window. If the data cannot be opened, the window still opens and explains why.
pub fn run_window(paths: AppPaths) -> Result<(), String> {
    let clock: app::Clock = Arc::new(chrono::Utc::now);
    let opened = tauri::async_runtime::block_on(App::open(paths.clone(), clock));
    let mut builder = tauri::Builder::default();
    builder = match opened {
        Ok(app) => builder.manage(app).manage(StartupProblem(None)),
        Err(error) => {
            let problem = describe_startup_problem(&paths, error);
            tracing::error!(code = %problem.code, "{}", problem.message);
            builder.manage(StartupProblem(Some(problem)))
        }
    };
    builder
        .invoke_handler(tauri::generate_handler![
            commands::startup_problem,
            commands::app_info,
            commands::set_actor,
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
            commands::run_probes,
            commands::cancel_probes,
            commands::auto_accept_passes,
            commands::set_auto_accept_passes,
            commands::cancel_item_probes,
        ])
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not start: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_startup_problem_names_the_file_and_the_backups_to_recover_from() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let error = greenlight_store::ApiError {
            code: "database_corrupt".into(),
            message: "the database file is damaged (file is not a database)".into(),
        };
        let without = describe_startup_problem(&paths, error.clone());
        assert_eq!(without.code, "database_corrupt");
        assert!(
            without.message.contains("Nothing was changed"),
            "{}",
            without.message
        );
        assert!(
            without
                .message
                .contains(&paths.database.display().to_string())
        );
        assert!(without.message.contains("move"), "{}", without.message);

        let backup = dir.path().join("greenlight.schema1.backup.sqlite3");
        std::fs::write(&backup, b"x").unwrap();
        let with = describe_startup_problem(&paths, error);
        assert!(
            with.message.contains(&backup.display().to_string()),
            "{}",
            with.message
        );
    }
}
