//! The log is the truth: someone who edits the current-state tables behind Greenlight's back
//! (no trigger guards them) is caught by `verify_run`, which replays the events and names every
//! row that disagrees. And the append-only triggers are checked on every open.

use greenlight_core::run::ItemState;
use greenlight_store::{EvidenceItem, NewEvidence, Store};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

use crate::{Fixture, at, item_ids};

async fn raw(fixture: &Fixture) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(fixture.db_path())
        .connect()
        .await
        .unwrap()
}

async fn exec(conn: &mut SqliteConnection, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// A run with a failed item (and its note), a passed one, a value and a probe result.
async fn walked_run(fixture: &Fixture) -> (String, Vec<String>) {
    let (run, template) = fixture.run().await;
    let ids = item_ids(&template);
    let store = &fixture.store;
    store
        .set_item_state(
            &run.id,
            &ids[0],
            ItemState::Fail,
            Some("restore test failed"),
            "ann",
            at(2),
        )
        .await
        .unwrap();
    store
        .set_item_state(&run.id, &ids[1], ItemState::Pass, None, "ann", at(3))
        .await
        .unwrap();
    let evidence = [EvidenceItem {
        label: "status".into(),
        value: "503".into(),
    }];
    store
        .record_probe_result(
            &run.id,
            &NewEvidence {
                element_id: &ids[1],
                probe_line: 7,
                kind: "http",
                outcome: greenlight_store::ProbeOutcome::Fail,
                summary: "HTTP 503",
                code: Some("status_mismatch"),
                evidence: &evidence,
                started_at: at(4),
                duration_ms: 84,
                response_time_ms: None,
            },
            "ann",
            at(4),
        )
        .await
        .unwrap();
    (run.id, ids)
}

#[tokio::test]
async fn an_untouched_walked_run_agrees_with_its_log() {
    let fixture = Fixture::new().await;
    let (run_id, _) = walked_run(&fixture).await;
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert!(report.intact, "{}", report.message);
    assert!(
        report.discrepancies.is_empty(),
        "{:?}",
        report.discrepancies
    );
}

#[tokio::test]
async fn a_failed_item_turned_into_a_pass_with_sqlite_is_named_with_its_title() {
    let fixture = Fixture::new().await;
    let (run_id, ids) = walked_run(&fixture).await;
    let mut conn = raw(&fixture).await;
    exec(
        &mut conn,
        &format!(
            "UPDATE entries SET state = 'pass' WHERE element_id = '{}'",
            ids[0]
        ),
    )
    .await;
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert!(!report.intact);
    assert_eq!(report.discrepancies.len(), 1, "{:?}", report.discrepancies);
    let found = &report.discrepancies[0];
    assert_eq!(found.element_id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(
        found.message,
        "item 'Backups verified' shows pass, the log says fail"
    );
    assert!(
        report.message.contains("Backups verified"),
        "{}",
        report.message
    );
}

#[tokio::test]
async fn a_rewritten_note_and_rewritten_probe_evidence_are_each_named() {
    let fixture = Fixture::new().await;
    let (run_id, _) = walked_run(&fixture).await;
    let mut conn = raw(&fixture).await;
    exec(&mut conn, "UPDATE notes SET body = 'all good'").await;
    exec(
        &mut conn,
        "UPDATE probe_results SET evidence_json = '[{\"label\":\"status\",\"value\":\"200\"}]'",
    )
    .await;
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert!(!report.intact);
    let fields: Vec<&str> = report
        .discrepancies
        .iter()
        .map(|d| d.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["note", "probe_result"],
        "{:?}",
        report.discrepancies
    );
    assert!(report.discrepancies[0].message.contains("\"all good\""));
    assert!(
        report.discrepancies[0]
            .message
            .contains("\"restore test failed\"")
    );
    assert!(report.discrepancies[1].message.contains("evidence details"));
}

#[tokio::test]
async fn a_deleted_note_an_inserted_entry_and_a_changed_status_are_named() {
    let fixture = Fixture::new().await;
    let (run_id, ids) = walked_run(&fixture).await;
    let mut conn = raw(&fixture).await;
    exec(&mut conn, "DELETE FROM notes").await;
    exec(
        &mut conn,
        &format!(
            "INSERT INTO entries (run_id, element_id, state, actor, at) VALUES ('{run_id}', '{}', 'pass', 'ann', '2026-11-23T22:09:00.000Z')",
            ids[2]
        ),
    )
    .await;
    exec(&mut conn, "UPDATE runs SET status = 'completed'").await;
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    let messages: Vec<&str> = report
        .discrepancies
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("status shows completed, the log says active")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("shows pass, the log says nothing was recorded")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the run shows 0 notes, the log holds 1"),
        "{messages:?}"
    );
}

#[tokio::test]
async fn a_probe_result_logs_its_full_evidence() {
    let fixture = Fixture::new().await;
    let (run_id, _) = walked_run(&fixture).await;
    let events = fixture.store.run_events(&run_id).await.unwrap();
    let probe = events.iter().find(|e| e.kind == "probe_result").unwrap();
    let payload: serde_json::Value = serde_json::from_str(&probe.payload).unwrap();
    assert_eq!(payload["evidence"][0]["value"], "503");
    assert_eq!(payload["probe_line"], 7);
    assert_eq!(payload["started_at"], "2026-11-23T22:04:00.000Z");
}

#[tokio::test]
async fn a_response_time_is_added_to_the_log_beside_the_unchanged_duration_and_checked() {
    let fixture = Fixture::new().await;
    let (run_id, ids) = walked_run(&fixture).await;
    let store = &fixture.store;
    store
        .record_probe_result(
            &run_id,
            &NewEvidence {
                element_id: &ids[2],
                probe_line: 9,
                kind: "http",
                outcome: greenlight_store::ProbeOutcome::Pass,
                summary: "GET /health: all checks passed",
                code: None,
                evidence: &[],
                started_at: at(5),
                duration_ms: 140,
                response_time_ms: Some(31),
            },
            "ann",
            at(5),
        )
        .await
        .unwrap();
    let events = store.run_events(&run_id).await.unwrap();
    let payloads: Vec<serde_json::Value> = events
        .iter()
        .filter(|e| e.kind == "probe_result")
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect();
    // The older result's event is as events always were; the new one adds a field.
    assert!(payloads[0].get("response_time_ms").is_none());
    assert_eq!(payloads[0]["duration_ms"], 84);
    assert_eq!(payloads[1]["duration_ms"], 140);
    assert_eq!(payloads[1]["response_time_ms"], 31);
    let shown = store.probe_evidence(&run_id).await.unwrap();
    let times: Vec<_> = shown
        .iter()
        .map(|e| (e.duration_ms, e.response_time_ms))
        .collect();
    assert_eq!(times, [(84, None), (140, Some(31))]);
    assert!(store.verify_run(&run_id).await.unwrap().intact);

    let mut conn = raw(&fixture).await;
    exec(
        &mut conn,
        "UPDATE probe_results SET response_time_ms = 12 WHERE probe_line = 9",
    )
    .await;
    let report = store.verify_run(&run_id).await.unwrap();
    assert!(!report.intact);
    assert!(
        report.discrepancies[0].message.contains("duration"),
        "{:?}",
        report.discrepancies
    );
}

#[tokio::test]
async fn a_fresh_database_has_every_safeguard() {
    let fixture = Fixture::new().await;
    assert!(fixture.store.schema_problems().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_dropped_or_altered_trigger_is_reported_on_open_and_restored_only_on_request() {
    let fixture = Fixture::new().await;
    walked_run(&fixture).await;
    let mut conn = raw(&fixture).await;
    exec(
        &mut conn,
        "DROP TRIGGER audit_events_are_append_only_update",
    )
    .await;
    exec(
        &mut conn,
        "DROP TRIGGER audit_events_are_append_only_delete",
    )
    .await;
    exec(
        &mut conn,
        "CREATE TRIGGER audit_events_are_append_only_delete BEFORE DELETE ON audit_events WHEN 0 BEGIN SELECT 1; END",
    )
    .await;
    drop(conn);
    fixture.store.close().await;

    let reopened = Store::open(&fixture.db_path()).await.unwrap();
    let problems = reopened.schema_problems().await.unwrap();
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.name.as_str(), p.problem.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("audit_events_are_append_only_update", "missing"),
            ("audit_events_are_append_only_delete", "altered"),
        ]
    );
    // Opening did not repair anything by itself.
    assert_eq!(reopened.schema_problems().await.unwrap().len(), 2);

    let restored = reopened.restore_schema("ann", at(30)).await.unwrap();
    assert_eq!(restored.len(), 2);
    assert!(reopened.schema_problems().await.unwrap().is_empty());
    let mut conn = raw(&fixture).await;
    let refused = sqlx::query("DELETE FROM audit_events")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    let logged: String = sqlx::query_scalar(
        "SELECT payload FROM audit_events WHERE stream = 'library' AND kind = 'schema_restored'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(
        logged.contains("audit_events_are_append_only_update"),
        "{logged}"
    );
}
