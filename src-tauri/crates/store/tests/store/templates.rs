//! Template library: import, versions, deduplication, refusal of bad input.

use crate::{Fixture, SMALL_TEMPLATE, t0};
use greenlight_store::{BundledTemplate, TemplateOrigin};

#[tokio::test]
async fn importing_the_same_text_twice_returns_the_stored_version() {
    let fixture = Fixture::new().await;
    let first = fixture.template(SMALL_TEMPLATE).await;
    let second = fixture.template(SMALL_TEMPLATE).await;
    assert_eq!(first.id, second.id);
    assert_eq!(fixture.store.list_templates().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_edited_template_becomes_the_next_version_and_supersedes_the_old_one() {
    let fixture = Fixture::new().await;
    let first = fixture.template(SMALL_TEMPLATE).await;
    let edited = format!("{SMALL_TEMPLATE}- [ ] Close the change ticket\n");
    let second = fixture.template(&edited).await;
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!(first.key, second.key);
    assert_ne!(first.content_hash, second.content_hash);
    let listed = fixture.store.list_templates().await.unwrap();
    let old = listed.iter().find(|t| t.id == first.id).unwrap();
    assert!(old.superseded);
    assert!(
        !listed
            .iter()
            .find(|t| t.id == second.id)
            .unwrap()
            .superseded
    );
}

#[tokio::test]
async fn the_stored_template_keeps_its_source_hash_and_parsed_model() {
    let fixture = Fixture::new().await;
    let summary = fixture.template(SMALL_TEMPLATE).await;
    let detail = fixture.store.template_detail(&summary.id).await.unwrap();
    assert_eq!(detail.source, SMALL_TEMPLATE);
    assert_eq!(detail.template.title, "Small release");
    assert_eq!(detail.template.content_hash, summary.content_hash);
    assert_eq!(summary.item_count, 6);
}

#[tokio::test]
async fn bad_input_is_refused_with_its_reason_and_nothing_is_stored() {
    let fixture = Fixture::new().await;
    let cases: [(&[u8], &str); 4] = [
        (b"", "empty"),
        (b"# Title\n\x00\x01\x02binary", "binary"),
        (b"# Title\n\n- [ ] ok\n- [ ] caf\xe9\n", "UTF-8"),
        (b"# Only prose\n\nNo checklist here.\n", "checklist items"),
    ];
    for (bytes, expected) in cases {
        let error = fixture
            .store
            .import_template(bytes, Some("bad.md"), TemplateOrigin::Imported, "ann", t0())
            .await
            .unwrap_err();
        assert_eq!(error.code(), "import_failed");
        assert!(
            error.to_string().contains(expected),
            "{error} should mention {expected}"
        );
    }
    assert!(fixture.store.list_templates().await.unwrap().is_empty());
}

#[tokio::test]
async fn bundled_templates_load_once() {
    let fixture = Fixture::new().await;
    let bundled = [BundledTemplate {
        file_name: "small.md",
        source: SMALL_TEMPLATE,
    }];
    assert_eq!(
        fixture
            .store
            .ensure_bundled_templates(&bundled, t0())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        fixture
            .store
            .ensure_bundled_templates(&bundled, t0())
            .await
            .unwrap(),
        0
    );
    let listed = fixture.store.list_templates().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].origin, TemplateOrigin::Bundled);
}

/// Removes every display field from a stored model, as templates stored by an older version lack them.
fn strip_display(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| {
                !key.starts_with("display_")
                    && key != "description_lines"
                    && key != "note_lines"
                    && key != "lines"
            });
            map.values_mut().for_each(strip_display);
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(strip_display),
        _ => {}
    }
}

#[tokio::test]
async fn a_template_stored_before_display_text_shows_display_text_with_the_same_ids() {
    use sqlx::ConnectOptions;
    let fixture = Fixture::new().await;
    let source = "# Old\n\n## Steps\n\n- [ ] Backups *verified* with `pg_dump`\n- [ ] Announce\n";
    let stored = fixture.template(source).await;
    let fresh = fixture
        .store
        .template_detail(&stored.id)
        .await
        .unwrap()
        .template;

    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(fixture.db_path())
        .connect()
        .await
        .unwrap();
    let model: String = sqlx::query_scalar("SELECT model_json FROM templates WHERE id = ?")
        .bind(&stored.id)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let mut old: serde_json::Value = serde_json::from_str(&model).unwrap();
    strip_display(&mut old);
    assert!(!old.to_string().contains("display_title"));
    sqlx::query("UPDATE templates SET model_json = ? WHERE id = ?")
        .bind(old.to_string())
        .bind(&stored.id)
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    fixture.store.close().await;

    let reopened = greenlight_store::Store::open(&fixture.db_path())
        .await
        .unwrap();
    let shown = reopened.template_detail(&stored.id).await.unwrap().template;
    let titles = |t: &greenlight_core::Template| {
        greenlight_core::run::items_in_order(t)
            .iter()
            .map(|i| (i.id.clone(), i.display_title.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&shown), titles(&fresh));
    assert_eq!(titles(&shown)[0].1, "Backups verified with pg_dump");
}
