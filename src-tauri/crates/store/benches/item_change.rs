//! Bench: latency of one acknowledged item change (BEGIN IMMEDIATE, state + audit event, COMMIT
//! with WAL and synchronous = FULL), on a real file in a temporary folder. Prints p50/p99/max.
//! Run: `cargo bench -p greenlight-store`.

use std::time::Instant;

use chrono::Utc;
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_store::{NewRun, Store, TemplateOrigin};

const ITEMS: usize = 200;
const CHANGES: usize = 2_000;

fn synthetic_template() -> String {
    let mut text = String::from("# Bench release\n\n");
    for section in 0..ITEMS / 20 {
        text.push_str(&format!("## Section {section}\n\n"));
        for item in 0..20 {
            text.push_str(&format!("- [ ] Check number {item} of section {section}\n"));
        }
        text.push('\n');
    }
    text
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bench.sqlite3")).await.unwrap();
        let template = store
            .import_template(synthetic_template().as_bytes(), None, TemplateOrigin::Imported, "b", Utc::now())
            .await
            .unwrap();
        let new_run = NewRun {
            template_id: template.id.clone(),
            release_name: "bench".into(),
            version: "1".into(),
            environment: "bench".into(),
            window_start: None,
            window_end: None,
        };
        let run = store.start_run(&new_run, "b", Utc::now()).await.unwrap();
        let model = store.template_detail(&template.id).await.unwrap().template;
        let ids: Vec<String> = items_in_order(&model).iter().map(|i| i.id.clone()).collect();
        let states = [ItemState::Pass, ItemState::Skipped, ItemState::NotApplicable];
        let mut millis = Vec::with_capacity(CHANGES);
        for n in 0..CHANGES {
            let started = Instant::now();
            store
                .set_item_state(&run.id, &ids[n % ids.len()], states[n % 3], None, "b", Utc::now())
                .await
                .unwrap();
            millis.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        millis.sort_by(f64::total_cmp);
        println!("store: one acknowledged item change ({CHANGES} changes, {ITEMS}-item run, WAL, synchronous=FULL)");
        println!("| p50 ms | p99 ms | max ms |");
        println!("|---|---|---|");
        println!(
            "| {:.2} | {:.2} | {:.2} |",
            percentile(&millis, 0.5),
            percentile(&millis, 0.99),
            millis.last().copied().unwrap_or_default()
        );
    });
}
