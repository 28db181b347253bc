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

#[tokio::test]
async fn an_older_database_is_backed_up_before_new_migrations_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greenlight.sqlite3");
    // Build a database at the first schema version only, with a row in it.
    let first_only = dir.path().join("migrations");
    std::fs::create_dir(&first_only).unwrap();
    let migrations = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/0001_initial.sql");
    std::fs::copy(migrations, first_only.join("0001_initial.sql")).unwrap();
    {
        let mut conn = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(first_only.as_path())
            .await
            .unwrap()
            .run(&mut conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO settings (key, value) VALUES ('actor', 'old data')")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.actor().await.unwrap().as_deref(), Some("old data"));
    let backup = dir.path().join("greenlight.schema1.backup.sqlite3");
    assert!(
        backup.exists(),
        "a backup of the schema-1 file is written before migrating"
    );
    let mut old = SqliteConnectOptions::new()
        .filename(&backup)
        .connect()
        .await
        .unwrap();
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('runs')")
        .fetch_all(&mut old)
        .await
        .unwrap();
    assert!(
        !columns.iter().any(|c| c == "retain_until"),
        "the backup has the old schema"
    );
}

#[tokio::test]
async fn a_database_locked_by_another_program_gives_a_clear_error_and_works_once_released() {
    let fixture = Fixture::new().await;
    fixture.store.set_actor("before").await.unwrap();
    let mut other = SqliteConnectOptions::new()
        .filename(fixture.db_path())
        .connect()
        .await
        .unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('other', 'program')")
        .execute(&mut other)
        .await
        .unwrap();
    let error = fixture.store.set_actor("during").await.unwrap_err();
    assert_eq!(error.code(), "database_locked", "{error}");
    assert!(error.to_string().contains("busy or locked"), "{error}");
    sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    fixture.store.set_actor("after").await.unwrap();
    assert_eq!(
        fixture.store.actor().await.unwrap().as_deref(),
        Some("after")
    );
    assert_eq!(
        fixture.store.setting("other").await.unwrap().as_deref(),
        Some("program")
    );
}
