//! `greenlight approve` through the built binary: a pipeline on a fresh data folder approves a
//! template's command probe (printed first; `--yes` required without a terminal), after which
//! `greenlight probe` runs it; the approval is the same `command_approved` library event the
//! window's path (`App::approve_command`) records.

mod support;

use std::path::Path;
use std::sync::Arc;

use greenlight_secrets::MemoryStore;
use support::{greenlight, greenlight_ok};

const CHECKLIST: &str = "# Command drill\n\n## Host\n\n\
- [ ] Host answers\n  ```probe\n  kind = \"command\"\n  program = \"true\"\n  ```\n\
- [ ] Host answers the window\n  ```probe\n  kind = \"command\"\n  program = \"true\"\n  args = [\"window\"]\n  ```\n";

fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(out: &std::process::Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The library's `command_approved` events: (payload, actor), in log order.
async fn approvals_logged(data: &Path) -> Vec<(serde_json::Value, String)> {
    let app = greenlight_app::app::App::open_with_secrets(
        greenlight_app::paths::AppPaths::under(data),
        Arc::new(chrono::Utc::now),
        Arc::new(MemoryStore::new()),
    )
    .await
    .unwrap();
    app.library_events()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "command_approved")
        .map(|e| (serde_json::from_str(&e.payload).unwrap(), e.actor))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_approves_a_command_probe_and_then_runs_it_as_the_window_would() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("drill.md");
    std::fs::write(&file, CHECKLIST).unwrap();
    let file = file.to_str().unwrap();
    greenlight_ok(&data, &["identity", "set", "--name", "Dana Release"]);
    let template: serde_json::Value =
        serde_json::from_str(&greenlight_ok(&data, &["template", "show", file, "--json"])).unwrap();
    let items: Vec<String> = template["sections"][0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(items.len(), 2, "{template:#}");
    let (first, second) = (&items[0], &items[1]);

    // Not approved: the probe cannot run.
    let out = greenlight(&data, &["probe", "--template", file]);
    assert_eq!(code(&out), 2, "{}", text(&out));

    // Without a terminal and without --yes, the commands are printed and nothing is approved.
    let out = greenlight(&data, &["approve", "--template", file, "--item", first]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().any(|l| l == "    true"), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--yes"),
        "{}",
        text(&out)
    );
    assert!(approvals_logged(&data).await.is_empty());
    let out = greenlight(&data, &["probe", "--template", file, "--item", first]);
    assert_eq!(code(&out), 2, "{}", text(&out));

    // --yes: printed, imported (the file is now a library template) and approved.
    let out = greenlight_ok(
        &data,
        &["approve", "--template", file, "--item", first, "--yes"],
    );
    assert!(out.lines().any(|l| l == "    true"), "{out}");
    assert!(out.contains("approved 1 command(s)"), "{out}");
    let listed: serde_json::Value = serde_json::from_str(&greenlight_ok(
        &data,
        &["approve", "--list", "--template", file, "--json"],
    ))
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed:#}");
    assert_eq!(listed[0]["command_text"], "true");
    assert_eq!(listed[0]["approved_by"], "Dana Release");
    let template_id = listed[0]["template_id"].as_str().unwrap().to_string();
    let plain = greenlight_ok(&data, &["approve", "--list", "--template", &template_id]);
    assert!(plain.starts_with("true\tDana Release\t"), "{plain}");

    // The approved probe runs (against `true`); the other one still waits for approval.
    let out = greenlight(&data, &["probe", "--template", file, "--item", first]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = greenlight(&data, &["probe", "--template", &template_id]);
    assert_eq!(code(&out), 2, "{}", text(&out));

    // The window approves the other one through its own path; both events are alike.
    let app = greenlight_app::app::App::open_with_secrets(
        greenlight_app::paths::AppPaths::under(&data),
        Arc::new(chrono::Utc::now),
        Arc::new(MemoryStore::new()),
    )
    .await
    .unwrap();
    let probes = app.template_probes(&template_id).await.unwrap();
    let line = probes.iter().find(|p| &p.item_id == second).unwrap().line;
    app.approve_command(&template_id, second, line)
        .await
        .unwrap();
    drop(app);
    let logged = approvals_logged(&data).await;
    assert_eq!(logged.len(), 2, "{logged:#?}");
    let (cli, window) = (&logged[0], &logged[1]);
    assert_eq!(cli.1, window.1, "the same person is recorded");
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&cli.0), keys(&window.0));
    assert_eq!(cli.0["template_id"], template_id.as_str());
    assert_eq!(window.0["template_id"], template_id.as_str());
    assert_eq!(cli.0["command"], "true");
    assert_eq!(window.0["command"], "true window");
    assert_eq!(cli.0["digest"], listed[0]["digest"]);

    let out = greenlight(&data, &["probe", "--template", &template_id]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let again = greenlight_ok(&data, &["approve", "--template", file, "--yes"]);
    assert!(again.contains("nothing to approve"), "{again}");
    assert_eq!(approvals_logged(&data).await.len(), 2);
}
