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
pub mod preflight;
pub mod probing;
pub mod record_verify;
pub mod recovery;
pub mod rendering;
pub mod sealing;
pub mod suggestions;

include!("commands_list.rs");

/// `generate_handler!` over the commands of `commands_list.rs`, so the list is written once.
macro_rules! app_handler {
    ($($name:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

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
        .invoke_handler(with_app_commands!(app_handler))
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not start: {e}"))
}
