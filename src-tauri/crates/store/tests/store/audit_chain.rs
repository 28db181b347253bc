//! The audit log as stored: append-only by trigger, and tampering with rows (by someone who
//! drops the triggers) is found by `verify_run` at the right position.

use greenlight_core::run::ItemState;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

use crate::{Fixture, at, item_ids};

async fn run_with_events(fixture: &Fixture) -> String {
    let (run, template) = fixture.run().await;
    for (minute, id) in item_ids(&template).iter().enumerate().take(4) {
        fixture
            .store
            .set_item_state(
                &run.id,
                id,
                ItemState::Pass,
                None,
                "ann",
                at(minute as i64 + 2),
            )
            .await
            .unwrap();
    }
    run.id
}

async fn raw(fixture: &Fixture) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(fixture.db_path())
        .connect()
        .await
        .unwrap()
}

async fn drop_triggers(conn: &mut SqliteConnection) {
    for trigger in [
        "audit_events_are_append_only_update",
        "audit_events_are_append_only_delete",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {trigger}")))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_untouched_run_verifies_with_the_state_head_hash() {
    let fixture = Fixture::new().await;
    let run_id = run_with_events(&fixture).await;
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.event_count, 5);
    let state = fixture.store.run_state(&run_id).await.unwrap();
    assert_eq!(report.head_hash, state.head_hash);
}

#[tokio::test]
async fn the_database_refuses_updates_and_deletes_of_audit_events() {
    let fixture = Fixture::new().await;
    run_with_events(&fixture).await;
    let mut conn = raw(&fixture).await;
    let update = sqlx::query("UPDATE audit_events SET actor = 'mallory'")
        .execute(&mut conn)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_events")
        .execute(&mut conn)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn modifying_any_event_is_detected_at_its_position() {
    for position in 1..=5_i64 {
        let fixture = Fixture::new().await;
        let run_id = run_with_events(&fixture).await;
        let mut conn = raw(&fixture).await;
        drop_triggers(&mut conn).await;
        sqlx::query("UPDATE audit_events SET payload = '{\"state\":\"fail\"}' WHERE stream = ? AND position = ?")
            .bind(format!("run:{run_id}"))
            .bind(position)
            .execute(&mut conn)
            .await
            .unwrap();
        let report = fixture.store.verify_run(&run_id).await.unwrap();
        assert!(!report.intact);
        assert_eq!(
            report.first_bad_position,
            Some(position),
            "{}",
            report.message
        );
    }
}

#[tokio::test]
async fn deleting_an_event_is_detected_at_the_gap() {
    let fixture = Fixture::new().await;
    let run_id = run_with_events(&fixture).await;
    let mut conn = raw(&fixture).await;
    drop_triggers(&mut conn).await;
    sqlx::query("DELETE FROM audit_events WHERE stream = ? AND position = 3")
        .bind(format!("run:{run_id}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert_eq!(report.first_bad_position, Some(3));
}

#[tokio::test]
async fn reordering_events_is_detected() {
    let fixture = Fixture::new().await;
    let run_id = run_with_events(&fixture).await;
    let mut conn = raw(&fixture).await;
    drop_triggers(&mut conn).await;
    let stream = format!("run:{run_id}");
    // Swap the stored contents of positions 2 and 4 (positions stay in place).
    for (from, to) in [(2, -2), (4, 2), (-2, 4)] {
        sqlx::query("UPDATE audit_events SET position = ? WHERE stream = ? AND position = ?")
            .bind(to)
            .bind(&stream)
            .bind(from)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let report = fixture.store.verify_run(&run_id).await.unwrap();
    assert!(!report.intact);
    assert_eq!(report.first_bad_position, Some(2), "{}", report.message);
}
