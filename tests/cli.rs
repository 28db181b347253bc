//! The headless CLI of the real binary: template checks, a scripted run, verification, and
//! clear failures. No window opens in this mode (these tests run without a display).

mod support;

use std::path::Path;

use std::process::{Command, Output};
use support::greenlight;

fn greenlight_without_os_user(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("USER")
        .env_remove("USERNAME")
        .output()
        .expect("the greenlight binary runs")
}

#[test]
fn with_no_identity_and_no_os_user_a_change_is_refused_instead_of_recorded_as_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let file = checklist("blue-green-release.md");
    let refused = greenlight_without_os_user(dir.path(), &["template", "import", &file]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("identity_required"), "{stderr}");

    ok(greenlight_without_os_user(
        dir.path(),
        &[
            "identity",
            "set",
            "--name",
            "Ann Lee",
            "--email",
            "ann@example.com",
            "--role",
            "Release manager",
        ],
    ));
    let out = ok(greenlight_without_os_user(
        dir.path(),
        &["template", "import", &file, "--json"],
    ));
    assert!(out.contains("\"id\""), "{out}");
    let shown = ok(greenlight_without_os_user(
        dir.path(),
        &["identity", "show"],
    ));
    assert!(shown.contains("Ann Lee <ann@example.com>"), "{shown}");
    let database = std::fs::read(dir.path().join("greenlight.sqlite3")).unwrap();
    let wal = std::fs::read(dir.path().join("greenlight.sqlite3-wal")).unwrap_or_default();
    for bytes in [database, wal] {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("\"unknown\""),
            "nothing may be recorded as unknown"
        );
    }
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

fn start_run(dir: &Path) -> (String, serde_json::Value) {
    let templates: serde_json::Value =
        serde_json::from_str(&ok(greenlight(dir, &["template", "list", "--json"]))).unwrap();
    let template_id = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["file_name"] == "blue-green-release.md")
        .and_then(|t| t["id"].as_str())
        .unwrap()
        .to_string();
    let run_id = ok(greenlight(
        dir,
        &[
            "run",
            "start",
            "--template",
            &template_id,
            "--release",
            "orders",
            "--release-version",
            "5.0",
            "--env",
            "production",
        ],
    ))
    .trim()
    .to_string();
    let detail =
        serde_json::from_str(&ok(greenlight(dir, &["run", "show", &run_id, "--json"]))).unwrap();
    (run_id, detail)
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_blank_checklist_prints_from_a_template_file_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("blank.pdf");
    ok(greenlight(
        dir.path(),
        &[
            "export",
            "--template",
            &checklist("database-migration.md"),
            "--blank",
            "--pdf",
            pdf.to_str().unwrap(),
            "--paper",
            "letter",
        ],
    ));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(!dir.path().join("greenlight.sqlite3").exists());
    match pdftotext(&pdf) {
        Some(text) => assert!(text.contains("Page 1 of"), "{text}"),
        None => eprintln!("skipping the text check: pdftotext (poppler-utils) is not installed"),
    }
}

#[test]
fn a_run_record_exports_as_pdf_and_json_and_verifies_against_the_log_until_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let (run_id, detail) = start_run(dir.path());
    let item = first_item_id(&detail["template"]["sections"]).unwrap();
    ok(greenlight(
        dir.path(),
        &["run", "mark", &run_id, &item, "pass"],
    ));
    ok(greenlight(
        dir.path(),
        &["run", "note", &run_id, "exported for the audit file"],
    ));
    ok(greenlight(dir.path(), &["run", "complete", &run_id]));

    let pdf = dir.path().join("record.pdf");
    let out = ok(greenlight(
        dir.path(),
        &["export", "--run", &run_id, "--pdf", pdf.to_str().unwrap()],
    ));
    let json = dir.path().join("record.json");
    assert!(out.contains("record.json"), "{out}");
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let head = record["chain"]["head_hash"].as_str().unwrap().to_string();
    assert_eq!(record["format"], "greenlight-run-record/2");
    assert_eq!(record["run"]["state"]["head_hash"], head.as_str());
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains(&head[..12]),
            "the audit page names the chain head"
        );
        assert!(text.contains("exported for the audit file"));
    }

    let verified = ok(greenlight(
        dir.path(),
        &[
            "verify",
            "--run",
            &run_id,
            "--record",
            json.to_str().unwrap(),
        ],
    ));
    assert!(verified.starts_with("Intact"), "{verified}");
    assert!(
        verified.contains("this computer's log: the record matches the log"),
        "{verified}"
    );

    // Someone rewrites an event's payload in the database (dropping the guard triggers first).
    let db = dir.path().join("greenlight.sqlite3");
    let tamper = "DROP TRIGGER audit_events_are_append_only_update; \
                  UPDATE audit_events SET payload = '{\"state\":\"fail\"}' WHERE kind = 'item_state';";
    let sqlite = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"])
        .arg(&db)
        .arg(tamper)
        .status()
        .expect("python3 runs");
    assert!(sqlite.success());
    let broken = greenlight(
        dir.path(),
        &[
            "verify",
            "--run",
            &run_id,
            "--record",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("Tampered") && stderr.contains("event 2"),
        "{stderr}"
    );
    let chain = greenlight(dir.path(), &["verify", "--run", &run_id]);
    assert!(String::from_utf8_lossy(&chain.stderr).contains("BROKEN"));
}

#[test]
fn a_gate_go_over_pending_items_needs_an_override_from_the_cli_too() {
    let dir = tempfile::tempdir().unwrap();
    let (run_id, detail) = start_run(dir.path());
    let gate = find_block_id(&detail["template"]["sections"], "gate")
        .expect("the bundled template has a gate");
    let refused = greenlight(dir.path(), &["run", "decide", &run_id, &gate, "GO"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("gate_needs_override"));
    ok(greenlight(
        dir.path(),
        &[
            "run",
            "decide",
            &run_id,
            &gate,
            "GO",
            "--override",
            "CAB accepted",
        ],
    ));
    let detail: serde_json::Value = serde_json::from_str(&ok(greenlight(
        dir.path(),
        &["run", "show", &run_id, "--json"],
    )))
    .unwrap();
    assert_eq!(
        detail["state"]["gate_decisions"][0]["override_justification"],
        "CAB accepted"
    );
}

fn find_block_id(sections: &serde_json::Value, kind: &str) -> Option<String> {
    for section in sections.as_array()? {
        for block in section["blocks"].as_array()? {
            if block["kind"] == kind {
                return block["id"].as_str().map(String::from);
            }
        }
        if let Some(id) = find_block_id(&section["children"], kind) {
            return Some(id);
        }
    }
    None
}

#[tokio::test]
async fn with_data_dir_exports_default_to_that_folder_and_paper_applies_to_one_export_only() {
    let dir = tempfile::tempdir().unwrap();
    let (run_id, _) = start_run(dir.path());
    ok(greenlight(dir.path(), &["run", "complete", &run_id]));
    let pdf = dir.path().join("letter.pdf");
    ok(greenlight(
        dir.path(),
        &[
            "export",
            "--run",
            &run_id,
            "--pdf",
            pdf.to_str().unwrap(),
            "--paper",
            "letter",
        ],
    ));
    if let Ok(info) = Command::new("pdfinfo").arg(&pdf).output() {
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("612 x 792"), "printed on US Letter: {info}");
    }
    // The data folder given on the command line is where everything goes by default, and the
    // one-off paper did not change Settings.
    let clock: greenlight_app::app::Clock = std::sync::Arc::new(chrono::Utc::now);
    let app = greenlight_app::app::App::open_with_secrets(
        greenlight_app::paths::AppPaths::under(dir.path()),
        clock,
        std::sync::Arc::new(greenlight_secrets::MemoryStore::new()),
    )
    .await
    .unwrap();
    assert_eq!(app.export_dir().await.unwrap(), dir.path().join("exports"));
    assert_eq!(
        app.paper().await.unwrap(),
        greenlight_app::app::PaperSize::A4
    );
    assert_eq!(app.setting("export_dir").await.unwrap(), None);
}
