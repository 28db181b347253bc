//! Integration tests of the store against real SQLite files in temporary folders.

mod audit_chain;
mod durability;
mod faults;
mod preflight;
mod projections;
mod runs;
mod schema;
mod signoffs;
mod templates;

use chrono::{DateTime, Duration, TimeZone, Utc};
use greenlight_store::{NewRun, RunSummary, Store, TemplateOrigin, TemplateSummary};

/// A small template exercising items, nested items, a field and a choice.
pub const SMALL_TEMPLATE: &str = "# Small release\n\n\
## Before\n\n\
- [ ] Backups verified\n\
- [ ] Health check green\n  - [ ] API responds\n\
- [ ] Response time P95: ____ ms\n\n\
## After\n\n\
- [ ] Smoke tests: PASS / FAIL\n\
- [ ] Announce the release\n";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 22, 0, 0).unwrap()
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("greenlight.sqlite3"))
            .await
            .unwrap();
        Fixture { dir, store }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("greenlight.sqlite3")
    }

    pub async fn template(&self, source: &str) -> TemplateSummary {
        self.store
            .import_template(
                source.as_bytes(),
                Some("small.md"),
                TemplateOrigin::Imported,
                "ann",
                t0(),
            )
            .await
            .unwrap()
    }

    pub async fn run(&self) -> (RunSummary, greenlight_core::Template) {
        let template = self.template(SMALL_TEMPLATE).await;
        let run = self
            .store
            .start_run(
                &NewRun {
                    window_start: Some(at(0)),
                    window_end: Some(at(90)),
                    ..new_run(&template.id)
                },
                "ann",
                at(1),
            )
            .await
            .unwrap();
        let model = self
            .store
            .template_detail(&template.id)
            .await
            .unwrap()
            .template;
        (run, model)
    }
}

/// A run of `template_id` for release "payments" 2.1.0 in production, with no planned window.
pub fn new_run(template_id: &str) -> NewRun {
    NewRun {
        template_id: template_id.to_string(),
        release_name: "payments".into(),
        version: "2.1.0".into(),
        environment: "production".into(),
        window_start: None,
        window_end: None,
    }
}

/// Item ids in walkthrough order.
pub fn item_ids(template: &greenlight_core::Template) -> Vec<String> {
    greenlight_core::run::items_in_order(template)
        .iter()
        .map(|i| i.id.clone())
        .collect()
}
