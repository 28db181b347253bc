//! Entry point: `greenlight` opens the window; `greenlight <command> ...` runs headless.

use clap::Parser;
use greenlight_app::cli::Cli;
use greenlight_app::paths::AppPaths;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let paths = match cli.paths() {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("greenlight: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    // Verifying a record file touches nothing on this machine: not even the log folder.
    let _log_guard = cli
        .command
        .as_ref()
        .is_none_or(|command| command.uses_data_folder())
        .then(|| greenlight_app::logging::init(&paths.log_dir));
    match cli.command {
        Some(command) => greenlight_app::cli::run(command, paths),
        None => {
            // Before the webview exists: may restart this process with WebKit's environment set.
            greenlight_app::rendering::apply_before_window();
            match greenlight_app::run_window(AppPaths::clone(&paths)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(message) => {
                    tracing::error!("{message}");
                    eprintln!("greenlight: {message}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}
