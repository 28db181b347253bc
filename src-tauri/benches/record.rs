//! What sealing and verifying records cost, through the same `App` use-cases the window and the
//! CLI call, on a real SQLite file: exporting the largest template's completed record signed
//! against unsigned (a keychain that is unavailable), verifying that record PDF from its bytes
//! alone (`greenlight verify --record`), and verifying a 2,000-event run against its log
//! (chain + replay + every projection row). Prints p50 / p99 / max against the targets: signing
//! adds < 50 ms to an export, replay verification of 2,000 events < 100 ms.
//! Plain `main` (harness = false), std `Instant`, bounded in count.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use greenlight_app::app::{App, Clock};
use greenlight_app::paths::AppPaths;
use greenlight_app::record_verify::{RecordVerdict, verify_record_file};
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_secrets::MemoryStore;
use greenlight_store::{Identity, NewRun};

const EXPORTS: usize = 15;
const VERIFIES: usize = 30;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pick(times: &[Duration], q: f64) -> Duration {
    times[((times.len() - 1) as f64 * q).round() as usize]
}

fn row(name: &str, times: &mut [Duration], target: &str) {
    times.sort();
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} | {target} |",
        times.len(),
        ms(pick(times, 0.5)),
        ms(pick(times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
    );
}

fn largest_template() -> (Vec<u8>, String) {
    let seeds = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    let seed = std::fs::read_dir(&seeds).ok().and_then(|dir| {
        dir.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("002_"))
        })
    });
    if let Some(path) = seed {
        return (std::fs::read(&path).expect("seed"), "seed 002".into());
    }
    eprintln!("note: ../shared/seeds is absent; using the largest bundled checklist");
    let folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/checklists"));
    let largest = std::fs::read_dir(folder)
        .expect("checklists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a bundled checklist");
    (
        std::fs::read(&largest).expect("checklist"),
        largest.display().to_string(),
    )
}

async fn open(dir: &Path, secrets: MemoryStore) -> App {
    let clock: Clock = Arc::new(Utc::now);
    let app = App::open_with_secrets(AppPaths::under(dir), clock, Arc::new(secrets))
        .await
        .expect("app opens");
    app.set_identity(&Identity {
        name: "Bench Runner".into(),
        email: Some("bench@example.com".into()),
        role: None,
    })
    .await
    .expect("identity");
    app
}

/// A run of `template_id` with every item marked `rounds` times (the last round: pass, with a
/// note on every tenth item), completed when `complete`.
async fn walked_run(
    app: &App,
    template_id: &str,
    rounds: usize,
    complete: bool,
) -> (String, usize) {
    let run = app
        .start_run(&NewRun {
            template_id: template_id.into(),
            release_name: "payments".into(),
            version: "2.1.0".into(),
            environment: "production".into(),
            window_start: None,
            window_end: None,
        })
        .await
        .expect("run");
    let detail = app.get_run(&run.id).await.expect("detail");
    let items: Vec<String> = items_in_order(&detail.template)
        .iter()
        .map(|i| i.id.clone())
        .collect();
    for round in 0..rounds {
        for (index, item) in items.iter().enumerate() {
            let state = if round + 1 == rounds {
                ItemState::Pass
            } else {
                ItemState::Skipped
            };
            let note =
                (round + 1 == rounds && index % 10 == 0).then_some("checked on the dashboard");
            app.set_item_state(&run.id, item, state, note)
                .await
                .expect("mark");
        }
    }
    if complete {
        app.complete_run(&run.id).await.expect("complete");
    }
    let events = app.run_events(&run.id).await.expect("events").len();
    (run.id, events)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (bytes, source) = largest_template();
    let signing = open(dir.path(), MemoryStore::new()).await;
    let template = signing
        .import_template(&bytes, Some("largest.md"))
        .await
        .expect("import");
    let (run_id, events) = walked_run(&signing, &template.id, 1, true).await;
    // A second face on the same data with no keychain: its exports are unsigned.
    let unsigned = open(dir.path(), MemoryStore::unavailable()).await;

    println!(
        "Records of {source} ({} items, {events} events)\n",
        template.item_count
    );
    println!("| operation | n | p50 ms | p99 ms | max ms | target |");
    println!("|---|---|---|---|---|---|");

    let out = dir.path().join("out");
    let first = signing
        .export_run(&run_id, Some(out.join("warm.pdf")), None)
        .await
        .expect("first export makes the key");
    assert!(first.signed, "{}", first.signing);
    let mut signed_times = Vec::new();
    let mut unsigned_times = Vec::new();
    for n in 0..EXPORTS {
        let started = Instant::now();
        let result = signing
            .export_run(&run_id, Some(out.join(format!("s{n}.pdf"))), None)
            .await
            .expect("signed export");
        signed_times.push(started.elapsed());
        assert!(result.signed);
        let started = Instant::now();
        let result = unsigned
            .export_run(&run_id, Some(out.join(format!("u{n}.pdf"))), None)
            .await
            .expect("unsigned export");
        unsigned_times.push(started.elapsed());
        assert!(!result.signed);
    }
    row(
        "export record, signed (PDF + JSON, written)",
        &mut signed_times,
        "—",
    );
    row(
        "export record, unsigned (no keychain)",
        &mut unsigned_times,
        "—",
    );
    let added = ms(pick(&signed_times, 0.5)) - ms(pick(&unsigned_times, 0.5));
    println!("| signing adds (p50 difference) | | {added:.1} | | | < 50 |");

    let pdf = std::fs::read(out.join("s0.pdf")).expect("pdf");
    let mut verify_times = Vec::new();
    for _ in 0..VERIFIES {
        let started = Instant::now();
        let report = verify_record_file(&pdf, None);
        verify_times.push(started.elapsed());
        assert_eq!(report.verdict, RecordVerdict::Intact, "{}", report.headline);
    }
    row(
        &format!(
            "verify --record (signed PDF, {} KB, no database)",
            pdf.len() / 1024
        ),
        &mut verify_times,
        "—",
    );

    let rounds = 2000 / template.item_count.max(1) as usize + 1;
    let (long_run, long_events) = walked_run(&signing, &template.id, rounds, false).await;
    let mut replay_times = Vec::new();
    for _ in 0..VERIFIES {
        let started = Instant::now();
        let report = signing.verify_run(&long_run).await.expect("verify");
        replay_times.push(started.elapsed());
        assert!(report.intact, "{}", report.message);
    }
    row(
        &format!("verify a {long_events}-event run (chain + replay + projections)"),
        &mut replay_times,
        "< 100",
    );
}
