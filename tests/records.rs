//! Checking a record file from the window, through the app's use-case (no window): an exported
//! JSON record checks as matching, an edited event is named by its position, a record of another
//! run is refused, and anything that is not a record is `record_invalid` — never a panic.

mod support;

use std::path::Path;
use std::sync::Arc;

use greenlight_app::api_error::Code;
use greenlight_app::app::App;
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_secrets::MemoryStore;
use greenlight_store::NewRun;

/// The app on a fresh folder with a fixed clock and an in-memory keychain.
async fn open_app(dir: &Path) -> App {
    support::open_app(dir, Arc::new(MemoryStore::new())).await
}

/// A completed run of the first bundled template: one item passed, one note; returns its id.
async fn completed_run(app: &App, release: &str) -> String {
    let templates = app.list_templates().await.unwrap();
    let run = app
        .start_run(&NewRun {
            template_id: templates[0].id.clone(),
            release_name: release.into(),
            version: "2.1.0".into(),
            environment: "production".into(),
            window_start: None,
            window_end: None,
        })
        .await
        .unwrap();
    let detail = app.get_run(&run.id).await.unwrap();
    let item = items_in_order(&detail.template)[0].id.clone();
    app.set_item_state(&run.id, &item, ItemState::Pass, None)
        .await
        .unwrap();
    app.add_note(&run.id, None, "Window closed on time")
        .await
        .unwrap();
    app.complete_run(&run.id).await.unwrap();
    run.id
}

/// Exports the run's record into `dir` and returns the JSON file's text.
async fn exported_json(app: &App, run_id: &str, dir: &Path) -> String {
    let pdf = dir.join(format!("{run_id}.pdf"));
    let result = app.export_run(run_id, Some(pdf), None).await.unwrap();
    std::fs::read_to_string(result.json_path.unwrap()).unwrap()
}

#[tokio::test]
async fn an_exported_record_checks_as_matching_until_more_events_are_added_and_still_matches() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let run_id = completed_run(&app, "payments").await;
    let json = exported_json(&app, &run_id, dir.path()).await;

    let check = app
        .compare_record_json_with_log(&run_id, &json)
        .await
        .unwrap();
    assert!(check.matches, "{}", check.message);
    assert_eq!(check.run_id, run_id);
    assert_eq!(check.record_events, check.log_events);
    assert!(check.record_events >= 4, "start, mark, note, complete");
    assert!(check.first_difference.is_none());

    // A correction after the export: the record still matches the log's first events.
    app.add_note(&run_id, None, "Late correction")
        .await
        .unwrap();
    let later = app
        .compare_record_json_with_log(&run_id, &json)
        .await
        .unwrap();
    assert!(later.matches, "{}", later.message);
    assert_eq!(later.log_events, later.record_events + 1);
    assert!(
        later.message.contains("1 later events"),
        "{}",
        later.message
    );
}

#[tokio::test]
async fn a_record_with_one_events_text_edited_is_reported_with_that_events_position() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let run_id = completed_run(&app, "payments").await;
    let json = exported_json(&app, &run_id, dir.path()).await;

    let mut record: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = record["events"].as_array_mut().unwrap();
    let index = events
        .iter()
        .position(|e| e["kind"] == "note_added")
        .expect("the note is in the record");
    let payload = events[index]["payload"].as_str().unwrap().to_string();
    let edited = payload.replace("Window closed on time", "Window closed late");
    assert_ne!(payload, edited);
    events[index]["payload"] = serde_json::Value::String(edited.clone());
    let tampered = serde_json::to_string_pretty(&record).unwrap();

    let check = app
        .compare_record_json_with_log(&run_id, &tampered)
        .await
        .unwrap();
    assert!(!check.matches);
    assert!(check.chain.intact, "the local log itself is fine");
    let difference = check.first_difference.expect("the differing event");
    assert_eq!(difference.position, index as i64 + 1);
    assert_eq!(difference.fields, vec!["payload".to_string()]);
    assert_eq!(difference.in_record.payload, edited);
    assert_eq!(difference.in_log.unwrap().payload, payload);
    assert!(
        check
            .message
            .contains(&format!("event {} differs", index + 1)),
        "{}",
        check.message
    );

    // An event the log never had: named by position, with nothing in the log to show.
    let mut longer: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = longer["events"].as_array_mut().unwrap();
    let mut extra = events.last().unwrap().clone();
    extra["position"] = serde_json::json!(events.len() + 1);
    events.push(extra);
    let count = events.len();
    let check = app
        .compare_record_json_with_log(&run_id, &longer.to_string())
        .await
        .unwrap();
    assert!(!check.matches);
    let difference = check.first_difference.unwrap();
    assert_eq!(difference.position, count as i64);
    assert!(difference.in_log.is_none());
}

#[tokio::test]
async fn anything_that_is_not_a_run_record_is_refused_as_record_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let run_id = completed_run(&app, "payments").await;
    let json = exported_json(&app, &run_id, dir.path()).await;
    let mut incomplete: serde_json::Value = serde_json::from_str(&json).unwrap();
    incomplete.as_object_mut().unwrap().remove("events");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let garbage = [
        String::new(),
        "not json at all".into(),
        "{\"format\": \"greenlight-run-record/1\"".into(),
        "[1, 2, 3]".into(),
        "{\"format\": \"someone-elses-format/2\"}".into(),
        "\u{0}\u{1}binary\u{fffd}".into(),
        incomplete.to_string(),
        deep,
        json.replace("greenlight-run-record/2", "greenlight-run-record/9"),
    ];
    for text in garbage {
        let error = app
            .compare_record_json_with_log(&run_id, &text)
            .await
            .unwrap_err();
        assert_eq!(
            error.code,
            Code::RecordInvalid,
            "{:?}: {}",
            text.get(..40),
            error.message
        );
        assert!(!error.message.is_empty());
    }
    let huge = " ".repeat(greenlight_app::export::MAX_RECORD_BYTES + 1);
    let error = app
        .compare_record_json_with_log(&run_id, &huge)
        .await
        .unwrap_err();
    assert_eq!(error.code, Code::RecordTooLarge, "{}", error.message);
}

#[tokio::test]
async fn the_record_of_another_run_is_refused_and_says_which_run_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let first = completed_run(&app, "payments").await;
    let second = completed_run(&app, "ledger").await;
    let json = exported_json(&app, &first, dir.path()).await;

    let error = app
        .compare_record_json_with_log(&second, &json)
        .await
        .unwrap_err();
    assert_eq!(error.code, Code::RecordOtherRun);
    assert!(
        error.message.contains("payments") && error.message.contains(&first),
        "{}",
        error.message
    );
}
