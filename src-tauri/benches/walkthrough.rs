//! Backend latency of every walkthrough interaction, through the same `App` use-cases the window's
//! commands call (no webview): open a run, mark items, fill a field, add a note, sign, decide a
//! gate, verify the audit log, list runs. On a real SQLite file (WAL, synchronous = FULL) of the
//! largest template available: seed 002 from `../shared/seeds` when present, else the largest
//! bundled checklist. Prints p50 / p99 / max per interaction against its target: one 16 ms frame
//! for every walkthrough interaction, 100 ms for checking the whole audit log.
//! Plain `main` (harness = false), std `Instant`, bounded in count.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use greenlight_app::app::{App, Clock};
use greenlight_app::paths::AppPaths;
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_secrets::MemoryStore;
use greenlight_store::{GateDecisionInput, NewRun, SignatureInput};

const ROUNDS: usize = 300;
/// One frame: every interaction of the walkthrough should answer within it.
const FRAME_MS: f64 = 16.0;
/// Checking the whole audit log is an explicit action with its own result panel: a tenth of a second.
const VERIFY_MS: f64 = 100.0;

/// Times `op` `rounds` times (each call sees its round number); returns sorted durations.
async fn measure<F, Fut>(rounds: usize, mut op: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let started = Instant::now();
        op(round).await;
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn row(name: &str, times: &[Duration], target_ms: f64) {
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let p99 = ms(pick(0.99));
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | < {target_ms} | {} |",
        times.len(),
        ms(pick(0.5)),
        p99,
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        if p99 < target_ms { "yes" } else { "NO" }
    );
}

/// Every object in the template's JSON that has all of `keys` (fields, gates, ...).
fn objects_with<'a>(
    value: &'a serde_json::Value,
    keys: &[&str],
    out: &mut Vec<&'a serde_json::Map<String, serde_json::Value>>,
) {
    match value {
        serde_json::Value::Object(map) => {
            if keys.iter().all(|k| map.contains_key(*k)) {
                out.push(map);
            }
            map.values().for_each(|v| objects_with(v, keys, out));
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| objects_with(v, keys, out)),
        _ => {}
    }
}

fn text(map: &serde_json::Map<String, serde_json::Value>, key: &str) -> String {
    map.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn seed_002() -> Option<Vec<u8>> {
    let seeds = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    let path = std::fs::read_dir(&seeds)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("002_"))
        })?;
    std::fs::read(path).ok()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock: Clock = Arc::new(Utc::now);
    let app = App::open_with_secrets(
        AppPaths::under(dir.path()),
        clock,
        Arc::new(MemoryStore::new()),
    )
    .await
    .expect("app opens");
    app.set_actor("Bench Runner").await.expect("actor");

    let template_id = match seed_002() {
        Some(bytes) => {
            app.import_template(&bytes, Some("seed-002.md"))
                .await
                .expect("seed 002 imports")
                .id
        }
        None => {
            println!("seeds not found (../shared/seeds): using the largest bundled checklist");
            let mut best = (0, String::new());
            for t in app.list_templates().await.expect("templates") {
                let detail = app.get_template(&t.id).await.expect("template");
                let items = items_in_order(&detail.template).len();
                if items > best.0 {
                    best = (items, t.id.clone());
                }
            }
            best.1
        }
    };
    let new_run = |n: usize| NewRun {
        template_id: template_id.clone(),
        release_name: format!("bench-{n}"),
        version: "1.0.0".into(),
        environment: "production".into(),
        window_start: None,
        window_end: None,
    };
    // Earlier runs, so the run list and the database have some history.
    for n in 0..49 {
        app.start_run(&new_run(n)).await.expect("run starts");
    }
    let run = app.start_run(&new_run(49)).await.expect("run starts");
    let detail = app.get_run(&run.id).await.expect("run");
    let items: Vec<String> = items_in_order(&detail.template)
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let json = serde_json::to_value(&detail.template).expect("template json");
    let mut found = Vec::new();
    objects_with(&json, &["value_kind", "label", "id"], &mut found);
    let fields: Vec<String> = found.iter().map(|m| text(m, "id")).collect();
    let mut found = Vec::new();
    objects_with(&json, &["options", "covers", "id"], &mut found);
    // Each gate with its last option (the "no-go" side), which needs no override.
    let gates: Vec<(String, String)> = found
        .iter()
        .filter_map(|m| {
            let last = m.get("options")?.as_array()?.last()?.as_str()?.to_string();
            Some((text(m, "id"), last))
        })
        .collect();
    println!(
        "template: {} items, {} fields, {} gates; {} runs in the database",
        items.len(),
        fields.len(),
        gates.len(),
        50
    );
    println!();
    println!("| interaction | n | p50 ms | p99 ms | max ms | target p99 ms | met |");
    println!("|---|---|---|---|---|---|---|");

    let (a, r) = (&app, &run.id);
    let times = measure(ROUNDS, |_| async move {
        a.get_run(r).await.expect("get_run");
    })
    .await;
    row("open the run (template + state)", &times, FRAME_MS);

    let states = [
        ItemState::Pass,
        ItemState::NotApplicable,
        ItemState::Skipped,
    ];
    let its = &items;
    let times = measure(ROUNDS, |n| async move {
        let item = &its[n % its.len()];
        a.set_item_state(r, item, states[n % states.len()], None)
            .await
            .expect("mark");
    })
    .await;
    row("mark an item", &times, FRAME_MS);

    let times = measure(ROUNDS, |n| async move {
        let item = &its[(n * 7) % its.len()];
        a.set_item_state(r, item, ItemState::Fail, Some("p95 over budget"))
            .await
            .expect("fail with note");
    })
    .await;
    row("fail an item with a note", &times, FRAME_MS);

    if fields.is_empty() {
        println!("| fill in a field | — | no fields in this template | | | | |");
    } else {
        let fs = &fields;
        let times = measure(ROUNDS, |n| async move {
            a.set_value(r, &fs[n % fs.len()], &format!("{}", 100 + n))
                .await
                .expect("value");
        })
        .await;
        row("fill in a field", &times, FRAME_MS);
    }

    let times = measure(ROUNDS, |n| async move {
        let item = &its[(n * 3) % its.len()];
        a.add_note(r, Some(item), "checked with the on-call engineer")
            .await
            .expect("note");
    })
    .await;
    row("add a note", &times, FRAME_MS);

    let stroke: Vec<[f32; 2]> = (0..60)
        .map(|i| [i as f32 / 60.0, 0.5 + 0.3 * (i as f32 / 5.0).sin()])
        .collect();
    let strokes = vec![stroke.clone(), stroke];
    let sg = &strokes;
    let times = measure(50, |n| async move {
        a.sign(
            r,
            &SignatureInput {
                slot_id: None,
                role: Some("Witness".into()),
                name: format!("Signer {n}"),
                strokes: sg.clone(),
            },
        )
        .await
        .expect("sign");
    })
    .await;
    row("sign (2 strokes, 120 points)", &times, FRAME_MS);

    if gates.is_empty() {
        println!("| decide a gate | — | no gates in this template | | | | |");
    } else {
        let gs = &gates;
        let times = measure(50, |n| async move {
            let (gate_id, option) = &gs[n % gs.len()];
            a.decide_gate(
                r,
                &GateDecisionInput {
                    gate_id: gate_id.clone(),
                    option: option.clone(),
                    reason: Some("bench".into()),
                    override_justification: None,
                },
            )
            .await
            .expect("decide");
        })
        .await;
        row("decide a gate", &times, FRAME_MS);
    }

    let events = app.run_events(&run.id).await.expect("events").len();
    let times = measure(20, |_| async move {
        a.verify_run(r).await.expect("verify");
    })
    .await;
    row(
        &format!("verify the audit log ({events} events)"),
        &times,
        VERIFY_MS,
    );

    let times = measure(50, |_| async move {
        a.list_runs().await.expect("runs");
    })
    .await;
    row("list runs (50 runs)", &times, FRAME_MS);
}
