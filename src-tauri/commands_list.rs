// The app's IPC commands, shared by build.rs (which declares them to Tauri's permission
// system) and lib.rs (which registers them). Capabilities grant each one explicitly.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "set_actor",
    "list_templates",
    "get_template",
    "preview_import",
    "import_template",
    "list_runs",
    "start_run",
    "get_run",
    "set_item_state",
    "set_value",
    "add_note",
    "complete_run",
    "abandon_run",
    "archive_run",
    "run_events",
    "verify_run",
];
