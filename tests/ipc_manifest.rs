//! The IPC manifest: `commands_list.rs::COMMANDS` is the one list of commands, and every other
//! place that names them (the adapters, the handler, the capability, the UI's callers) must say
//! the same. The sources are read as text, as a reviewer would.

use std::collections::BTreeSet;

/// Commands the window does not call, each with the reason it stays. Empty: every command is used.
const NOT_CALLED_BY_THE_UI: &[(&str, &str)] = &[];

fn source(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn listed() -> BTreeSet<String> {
    greenlight_app::COMMANDS
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// The names of the `pub async fn`s marked `#[tauri::command]` in `commands.rs`.
fn adapters() -> BTreeSet<String> {
    let text = source("src-tauri/commands.rs");
    let mut names = BTreeSet::new();
    let mut marked = false;
    for line in text.lines().map(str::trim) {
        if line == "#[tauri::command]" {
            marked = true;
        } else if marked && let Some(rest) = line.strip_prefix("pub async fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
            marked = false;
        } else if marked && !line.starts_with("//") && !line.starts_with("#[") {
            panic!("#[tauri::command] is followed by {line:?}, not `pub async fn NAME`");
        }
    }
    names
}

/// The command names `api.ts` passes to `call("name"` or `call<T>("name"`.
fn called_from_the_ui() -> BTreeSet<String> {
    let text = source("ui/src/lib/api.ts");
    let mut names = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("call") {
        rest = &rest[start + 4..];
        let mut after = rest;
        if after.starts_with('<') {
            // Skip the type argument, which may nest (`call<Array<X>>`).
            let mut depth = 0;
            let mut end = None;
            for (i, c) in after.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    '\n' | ';' => break,
                    _ => {}
                }
            }
            let Some(end) = end else { continue };
            after = &after[end..];
        }
        if let Some(quoted) = after.strip_prefix("(\"") {
            let name: String = quoted.chars().take_while(|c| *c != '"').collect();
            names.insert(name);
        }
    }
    names
}

#[test]
fn the_command_list_names_each_command_once() {
    assert_eq!(
        listed().len(),
        greenlight_app::COMMANDS.len(),
        "a name is listed twice"
    );
}

#[test]
fn every_command_adapter_is_listed_and_every_listed_command_has_an_adapter() {
    assert_eq!(adapters(), listed());
}

#[test]
fn the_window_registers_the_handler_from_the_command_list() {
    let lib = source("src-tauri/lib.rs");
    assert!(lib.contains(".invoke_handler(with_app_commands!(app_handler))"));
    assert_eq!(
        lib.matches("generate_handler![").count(),
        1,
        "only the macro over the command list calls generate_handler!"
    );
}

#[test]
fn the_ui_calls_exactly_the_listed_commands() {
    let called = called_from_the_ui();
    let listed = listed();
    let unknown: Vec<_> = called.difference(&listed).collect();
    assert!(
        unknown.is_empty(),
        "api.ts calls commands that are not listed: {unknown:?}"
    );
    let allowed: BTreeSet<String> = NOT_CALLED_BY_THE_UI
        .iter()
        .map(|(name, _reason)| name.to_string())
        .collect();
    let uncalled: BTreeSet<String> = listed.difference(&called).cloned().collect();
    assert_eq!(
        uncalled, allowed,
        "commands nobody calls must be removed, or kept in NOT_CALLED_BY_THE_UI with a reason"
    );
}

#[test]
fn only_api_ts_calls_invoke() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte")
                && !path.to_string_lossy().contains(".test.")
                && !path.ends_with("api.ts")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("@tauri-apps/api/core") || text.contains("invoke(") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "only ui/src/lib/api.ts may call invoke: {found:?}"
    );
}
