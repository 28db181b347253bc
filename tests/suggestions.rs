//! Adding a probe suggestion to its template through the app's use-cases: the next version carries
//! the block under the item with every item id kept, the old version stays as it was, and stale
//! ids, superseded versions and snippets with an inline secret are refused with their codes.

mod support;

use std::path::Path;
use std::sync::Arc;

use greenlight_app::api_error::Code;
use greenlight_app::app::{App, CredentialInput};
use greenlight_core::run::items_in_order;
use greenlight_secrets::MemoryStore;
use greenlight_store::{CredentialKind, TemplateSummary};

const TEMPLATE: &str = "# Suggest drill\n\n## Checks\n\n\
- [ ] API healthy\n  ```bash\n  curl -s https://api.example.test/health\n  # Expected: HTTP 200\n  ```\n\
- [ ] Admin reachable\n  ```bash\n  curl -u admin:hunter2 https://admin.example.test/status\n  ```\n\
- [ ] Caches warm\n";

async fn open_app(dir: &Path) -> App {
    support::open_app(dir, Arc::new(MemoryStore::new())).await
}

/// An app on a fresh data folder with `source` imported as `file_name`: the folder (kept alive),
/// the app and the imported template.
async fn app_with(source: &str, file_name: &str) -> (tempfile::TempDir, App, TemplateSummary) {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let template = app
        .import_template(source.as_bytes(), Some(file_name))
        .await
        .unwrap();
    (dir, app, template)
}

/// Every item's (id, title) in order.
async fn item_ids(app: &App, template_id: &str) -> Vec<(String, String)> {
    let detail = app.get_template(template_id).await.unwrap();
    items_in_order(&detail.template)
        .into_iter()
        .map(|i| (i.id.clone(), i.title.clone()))
        .collect()
}

#[tokio::test]
async fn adding_a_curl_suggestion_makes_the_next_version_with_the_probe_under_that_item() {
    let (_dir, app, old) = app_with(TEMPLATE, "drill.md").await;
    let old_detail = app.get_template(&old.id).await.unwrap();
    let suggestions = app.probe_suggestions(&old.id).await.unwrap();
    let health = suggestions
        .iter()
        .find(|s| s.spec_toml.contains("api.example.test/health"))
        .expect("a suggestion from the curl snippet")
        .clone();
    assert_eq!(health.kind, "http");
    assert_eq!(health.source_line, 7);

    let new = app
        .add_suggested_probe(&old.id, &health.item_id, health.source_line, &health.kind)
        .await
        .unwrap();
    assert_ne!(new.id, old.id);
    assert_eq!(new.key, old.key);
    assert_eq!(new.version, old.version + 1);
    assert_eq!(new.file_name.as_deref(), Some("drill.md"));

    // Same items, same ids; the probe block sits under the health item.
    assert_eq!(item_ids(&app, &new.id).await, item_ids(&app, &old.id).await);
    let probes = app.template_probes(&new.id).await.unwrap();
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0].item_id, health.item_id);
    assert_eq!(probes[0].kind, "http");
    assert_eq!(probes[0].error, None);
    let new_detail = app.get_template(&new.id).await.unwrap();
    assert!(new_detail.source.contains(
        "  # Expected: HTTP 200\n  ```\n  ```probe\n  kind = \"http\"\n  url = \"https://api.example.test/health\"\n"
    ));
    assert!(new_detail.template.report.warnings.is_empty());

    // The old version is untouched and now superseded.
    let old_again = app.get_template(&old.id).await.unwrap();
    assert_eq!(old_again.source, old_detail.source);
    assert_eq!(old_again.template, old_detail.template);
    assert!(old_again.summary.superseded);
    assert!(app.template_probes(&old.id).await.unwrap().is_empty());

    // The new version declares that very block, so the suggestion is not offered again there
    // (one click cannot add it twice).
    let again = app.probe_suggestions(&new.id).await.unwrap();
    assert!(
        !again
            .iter()
            .any(|s| s.item_id == health.item_id && s.kind == "http"),
        "{again:?}"
    );
    let err = app
        .add_suggested_probe(&new.id, &health.item_id, health.source_line, &health.kind)
        .await
        .unwrap_err();
    assert_eq!(err.code, Code::SuggestionNotFound);

    // The old version's suggestion now refers to a superseded version: add it on the newest one.
    let err = app
        .add_suggested_probe(&old.id, &health.item_id, health.source_line, &health.kind)
        .await
        .unwrap_err();
    assert_eq!(err.code, Code::TemplateSuperseded);
}

#[tokio::test]
async fn a_suggestion_that_is_not_offered_is_not_found() {
    let (_dir, app, template) = app_with(TEMPLATE, "drill.md").await;
    let health = app.probe_suggestions(&template.id).await.unwrap()[0].clone();
    for (item, line, kind) in [
        ("no-such-item", health.source_line, "http"),
        (health.item_id.as_str(), health.source_line + 1, "http"),
        (health.item_id.as_str(), health.source_line, "redis"),
    ] {
        let err = app
            .add_suggested_probe(&template.id, item, line, kind)
            .await
            .unwrap_err();
        assert_eq!(err.code, Code::SuggestionNotFound, "{item} {line} {kind}");
        assert!(!err.message.is_empty());
    }
    let versions: Vec<i64> = app
        .list_templates()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.key == template.key)
        .map(|t| t.version)
        .collect();
    assert_eq!(versions, [1]);
}

#[tokio::test]
async fn a_snippet_with_an_inline_secret_is_added_only_once_its_credential_is_stored() {
    let (_dir, app, template) = app_with(TEMPLATE, "drill.md").await;
    let admin = app
        .probe_suggestions(&template.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.inline_credentials.is_empty())
        .expect("the admin snippet spells out a password");
    // The suggested block names the credential and never carries the secret.
    let name = admin.inline_credentials[0].suggested_name.clone();
    assert!(admin.spec_toml.contains(&name));
    assert!(!admin.spec_toml.contains("hunter2"));

    let err = app
        .add_suggested_probe(&template.id, &admin.item_id, admin.source_line, &admin.kind)
        .await
        .unwrap_err();
    assert_eq!(err.code, Code::SuggestionHasInlineSecret);
    assert!(err.message.contains("keychain") && err.message.contains(&name));
    assert!(!err.message.contains("hunter2"));

    app.save_credential(&CredentialInput {
        name: name.clone(),
        kind: CredentialKind::Password,
        username: Some("admin".into()),
        secret: "hunter2".into(),
    })
    .await
    .unwrap();
    let new = app
        .add_suggested_probe(&template.id, &admin.item_id, admin.source_line, &admin.kind)
        .await
        .unwrap();
    let probes = app.template_probes(&new.id).await.unwrap();
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0].item_id, admin.item_id);
    assert_eq!(
        item_ids(&app, &new.id).await,
        item_ids(&app, &template.id).await
    );
}

#[tokio::test]
async fn a_suggestion_from_the_items_wording_goes_under_the_item_text() {
    let source = "# Cert drill\n\n## Checks\n\n- [ ] Certificates valid for more than 30 days\n  - ask the platform team\n- [ ] Next\n";
    let (_dir, app, template) = app_with(source, "cert.md").await;
    let tls = app.probe_suggestions(&template.id).await.unwrap()[0].clone();
    assert_eq!((tls.kind.as_str(), tls.source_line), ("tls", 5));
    let new = app
        .add_suggested_probe(&template.id, &tls.item_id, tls.source_line, &tls.kind)
        .await
        .unwrap();
    let probes = app.template_probes(&new.id).await.unwrap();
    assert_eq!(probes.len(), 1);
    assert_eq!(
        (probes[0].item_id.as_str(), probes[0].kind.as_str()),
        (tls.item_id.as_str(), "tls")
    );
    assert_eq!(probes[0].error, None);
    assert_eq!(
        item_ids(&app, &new.id).await,
        item_ids(&app, &template.id).await
    );
    let new_detail = app.get_template(&new.id).await.unwrap();
    let old_detail = app.get_template(&template.id).await.unwrap();
    assert_eq!(
        new_detail.template.sections[0].blocks.len(),
        old_detail.template.sections[0].blocks.len()
    );
}

#[tokio::test]
async fn every_suggestion_of_the_bundled_templates_lands_as_a_valid_block_under_its_own_item() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path()).await;
    let mut added = 0;
    for bundled in app.list_templates().await.unwrap() {
        // One after another, each on the newest version (adding one shifts the lines below it,
        // and an added suggestion is no longer offered). Those flagging an inline secret are
        // refused, once each.
        let mut latest = bundled.clone();
        let mut refused: Vec<(String, u32, String)> = Vec::new();
        loop {
            let offered = app.probe_suggestions(&latest.id).await.unwrap();
            let Some(s) = offered
                .iter()
                .find(|s| !refused.contains(&(s.item_id.clone(), s.source_line, s.kind.clone())))
                .cloned()
            else {
                break;
            };
            let result = app
                .add_suggested_probe(&latest.id, &s.item_id, s.source_line, &s.kind)
                .await;
            if !s.inline_credentials.is_empty() {
                assert_eq!(result.unwrap_err().code, Code::SuggestionHasInlineSecret);
                refused.push((s.item_id.clone(), s.source_line, s.kind.clone()));
                continue;
            }
            let where_ = format!("{} line {}", bundled.title, s.source_line);
            let new = result.unwrap_or_else(|e| panic!("{where_}: {e:?}"));
            assert_eq!(new.version, latest.version + 1, "{where_}");
            assert_eq!(
                item_ids(&app, &new.id).await,
                item_ids(&app, &latest.id).await,
                "{where_}"
            );
            let before = app.template_probes(&latest.id).await.unwrap();
            let after = app.template_probes(&new.id).await.unwrap();
            assert_eq!(after.len(), before.len() + 1, "{where_}");
            assert!(after.iter().all(|p| p.error.is_none()), "{where_}");
            let on_item = |probes: &[greenlight_app::probing::ItemProbe]| {
                probes
                    .iter()
                    .filter(|p| p.item_id == s.item_id && p.kind == s.kind)
                    .count()
            };
            assert_eq!(on_item(&after), on_item(&before) + 1, "{where_}");
            assert_eq!(
                app.probe_suggestions(&new.id).await.unwrap().len(),
                offered.len() - 1,
                "{where_}: the added suggestion is no longer offered"
            );
            latest = new;
            added += 1;
        }
    }
    assert!(added > 0);
}
