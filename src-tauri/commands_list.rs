// The app's IPC commands: the one list. `build.rs` declares them to Tauri's permission system
// (so capabilities must grant each one), `lib.rs` registers them with `generate_handler!` from
// this same list, and `tests/ipc_manifest.rs` holds `commands.rs`, the capability and `api.ts`
// to it. Adding a command: its adapter in `commands.rs`, its name here, `allow-<name>` in
// `capabilities/default.json`, its caller in `ui/src/lib/api.ts`; the test names what is missing.

/// Calls `$callback! { name, name, ... }` with every command name.
macro_rules! with_app_commands {
    ($callback:ident) => {
        $callback! {
            startup_problem,
            save_data_copy,
            app_info,
            set_actor,
            set_identity,
            verify_record_file,
            signing_certificate,
            export_signing_certificate,
            timestamp_authority,
            set_timestamp_authority,
            use_company_certificate,
            schema_problems,
            restore_schema,
            list_templates,
            get_template,
            preview_import,
            import_template,
            list_runs,
            start_run,
            get_run,
            set_item_state,
            set_value,
            add_note,
            complete_run,
            abandon_run,
            archive_run,
            run_events,
            verify_run,
            sign,
            decide_gate,
            set_retention,
            delete_run,
            export_blank,
            export_run,
            open_export,
            set_export_settings,
            list_environments,
            save_environment,
            delete_environment,
            keychain_status,
            list_credentials,
            save_credential,
            delete_credential,
            template_probes,
            probe_suggestions,
            approve_command,
            add_suggested_probe,
            run_probes,
            cancel_probes,
            auto_accept_passes,
            set_auto_accept_passes,
            cancel_item_probes,
            preflight_run,
            preflight_template
        }
    };
}

macro_rules! command_names {
    ($($name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

pub const COMMANDS: &[&str] = with_app_commands!(command_names);
