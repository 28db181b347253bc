//! The database file: created on first open, WAL, foreign keys, FULL sync, reopenable.

use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::Fixture;
use greenlight_store::Store;

#[tokio::test]
async fn opening_creates_one_database_file_in_wal_mode_with_full_sync() {
    let fixture = Fixture::new().await;
    assert!(fixture.db_path().exists());
    let mut conn = SqliteConnectOptions::new()
        .filename(fixture.db_path())
        .connect()
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    for table in [
        "audit_events",
        "entries",
        "notes",
        "runs",
        "settings",
        "templates",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "missing table {table}: {tables:?}"
        );
    }
}

#[tokio::test]
async fn reopening_an_existing_file_keeps_its_data_and_applies_no_migration_twice() {
    let fixture = Fixture::new().await;
    fixture.template(crate::SMALL_TEMPLATE).await;
    fixture.store.close().await;
    let reopened = Store::open(&fixture.db_path()).await.unwrap();
    assert_eq!(reopened.list_templates().await.unwrap().len(), 1);
    let backups: Vec<_> = std::fs::read_dir(fixture.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("backup"))
        .collect();
    assert!(
        backups.is_empty(),
        "no migration was pending, so no backup is made"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_database_gives_a_clear_error_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greenlight.sqlite3");
    let junk = b"this is not a database, it is a text file someone saved here".repeat(100);
    std::fs::write(&path, &junk).unwrap();
    let error = Store::open(&path).await.unwrap_err();
    assert!(
        matches!(error.code(), "database_corrupt" | "database_open_failed"),
        "code {} message {error}",
        error.code()
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        junk,
        "the damaged file must not be overwritten"
    );
}

#[tokio::test]
async fn the_actor_setting_persists_and_rejects_blank_names() {
    let fixture = Fixture::new().await;
    assert_eq!(fixture.store.actor().await.unwrap(), None);
    fixture.store.set_actor("  Dana Release  ").await.unwrap();
    assert_eq!(
        fixture.store.actor().await.unwrap().as_deref(),
        Some("Dana Release")
    );
    assert_eq!(
        fixture.store.set_actor("   ").await.unwrap_err().code(),
        "invalid_input"
    );
}
