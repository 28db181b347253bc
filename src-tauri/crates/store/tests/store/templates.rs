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
