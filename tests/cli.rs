//! The headless CLI of the real binary: template checks, a scripted run, verification, and
//! clear failures. No window opens in this mode (these tests run without a display).

use std::path::Path;
use std::process::{Command, Output};

fn greenlight(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the greenlight binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn checklist(name: &str) -> String {
    format!("{}/checklists/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn template_check_summarises_a_bundled_checklist_without_storing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(greenlight(
        dir.path(),
        &["template", "check", &checklist("blue-green-release.md")],
    ));
    assert!(out.contains("items"), "{out}");
    assert!(out.contains("gates"), "{out}");
    assert!(
        !dir.path().join("greenlight.sqlite3").exists(),
        "check must not create a database"
    );
}

#[test]
fn template_show_json_prints_the_parsed_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(greenlight(
        dir.path(),
        &[
            "template",
            "show",
            &checklist("database-migration.md"),
            "--json",
        ],
    ));
    let model: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(model["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(model["sections"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(model["content_hash"].as_str().map(str::len), Some(64));
}

#[test]
fn a_broken_template_fails_with_a_clear_message_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("binary.md");
    std::fs::write(&file, b"# T\n- [ ] a\n\x00\x00\x00").unwrap();
    let output = greenlight(dir.path(), &["template", "check", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error [import_failed]"), "{stderr}");
    assert!(
        stderr.contains("line 3"),
        "the message names the line: {stderr}"
    );

    let missing = greenlight(dir.path(), &["template", "check", "/no/such/file.md"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("could not read"));
}

#[test]
fn a_scripted_run_is_recorded_survives_reopening_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let templates: serde_json::Value =
        serde_json::from_str(&ok(greenlight(dir.path(), &["template", "list", "--json"]))).unwrap();
    assert_eq!(
        templates.as_array().unwrap().len(),
        4,
        "the bundled templates load on first start"
    );
    let template_id = templates[0]["id"].as_str().unwrap().to_string();

    let run_id = ok(greenlight(
        dir.path(),
        &[
            "run",
            "start",
            "--template",
            &template_id,
            "--release",
            "payments",
            "--release-version",
            "2.1.0",
            "--env",
            "staging",
        ],
    ))
    .trim()
    .to_string();
    let detail: serde_json::Value = serde_json::from_str(&ok(greenlight(
        dir.path(),
        &["run", "show", &run_id, "--json"],
    )))
    .unwrap();
    let first_item = first_item_id(&detail["template"]["sections"]).expect("an item");

    let refused = greenlight(dir.path(), &["run", "mark", &run_id, &first_item, "fail"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("fail_needs_note"));

    ok(greenlight(
        dir.path(),
        &[
            "run",
            "mark",
            &run_id,
            &first_item,
            "fail",
            "--note",
            "503 from /health",
        ],
    ));
    ok(greenlight(
        dir.path(),
        &["run", "note", &run_id, "rolled forward after the fix"],
    ));
    ok(greenlight(dir.path(), &["run", "complete", &run_id]));

    let detail: serde_json::Value = serde_json::from_str(&ok(greenlight(
        dir.path(),
        &["run", "show", &run_id, "--json"],
    )))
    .unwrap();
    assert_eq!(detail["state"]["status"], "completed");
    assert_eq!(detail["state"]["progress"]["failed"], 1);
    let notes: Vec<&str> = detail["state"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["body"].as_str())
        .collect();
    assert_eq!(notes, ["503 from /health", "rolled forward after the fix"]);

    let verified = ok(greenlight(dir.path(), &["verify", "--run", &run_id]));
    assert!(verified.starts_with("INTACT"), "{verified}");
}

fn first_item_id(sections: &serde_json::Value) -> Option<String> {
    for section in sections.as_array()? {
        for block in section["blocks"].as_array()? {
            if block["kind"] == "item" {
                return block["id"].as_str().map(String::from);
            }
        }
        if let Some(id) = first_item_id(&section["children"]) {
            return Some(id);
        }
    }
    None
}
