//! The webview's permissions: the main window's capability grants exactly the app's commands.

use std::collections::BTreeSet;

#[test]
fn the_main_window_may_call_exactly_the_registered_commands() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json");
    let capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let mut expected: BTreeSet<String> = greenlight_app::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    // Listening for the app's own events (live probe results); nothing else from core.
    expected.extend([
        "core:event:allow-listen".to_string(),
        "core:event:allow-unlisten".to_string(),
    ]);
    assert_eq!(granted, expected);
}

#[test]
fn the_content_security_policy_allows_no_inline_script_and_no_remote_origin() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["default-src"], "'self'");
    for (directive, value) in csp.as_object().unwrap() {
        let value = value.as_str().unwrap();
        assert!(
            !value.contains("http:") && !value.contains("https:") || directive == "connect-src",
            "{directive}: {value}"
        );
        assert!(!value.contains("unsafe-eval"), "{directive}: {value}");
    }
}
