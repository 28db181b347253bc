//! Helpers shared by the app-level tests: the `App` facade on a fresh folder with a fixed clock
//! and someone using it, a run of the first bundled template, and the real binary's CLI.
//! Each test file uses some of them.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use greenlight_app::app::{App, Clock};
use greenlight_app::paths::AppPaths;
use greenlight_secrets::SecretStore;
use greenlight_store::{Identity, NewRun, RunSummary};

/// 2026-11-23 22:00 UTC, the time every fixed-clock test lives at.
pub fn fixed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 22, 0, 0).unwrap()
}

pub fn fixed_clock() -> Clock {
    Arc::new(fixed_time)
}

/// The app on `dir` with a fixed clock and `secrets`, used by "Dana Release".
pub async fn open_app(dir: &Path, secrets: Arc<dyn SecretStore>) -> App {
    open_app_as(dir, secrets, "Dana Release", None).await
}

/// The app on `dir` with a fixed clock and `secrets`, used by `name` (`email` optional).
pub async fn open_app_as(
    dir: &Path,
    secrets: Arc<dyn SecretStore>,
    name: &str,
    email: Option<&str>,
) -> App {
    let app = App::open_with_secrets(AppPaths::under(dir), fixed_clock(), secrets)
        .await
        .unwrap();
    app.set_identity(&Identity {
        name: name.into(),
        email: email.map(str::to_string),
        role: None,
    })
    .await
    .unwrap();
    app
}

/// A run of the first bundled template: release `release` 2.1.0 in production, no window.
pub async fn start_bundled_run(app: &App, release: &str) -> RunSummary {
    let templates = app.list_templates().await.unwrap();
    app.start_run(&NewRun {
        template_id: templates[0].id.clone(),
        release_name: release.into(),
        version: "2.1.0".into(),
        environment: "production".into(),
        window_start: None,
        window_end: None,
    })
    .await
    .unwrap()
}

/// The real binary on `data_dir`, headless, with "dana" as the OS login name.
pub fn greenlight(data_dir: &Path, args: &[&str]) -> Output {
    greenlight_with_input(data_dir, args, "")
}

/// [`greenlight`] with `input` on its standard input (a password, say).
pub fn greenlight_with_input(data_dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("USER", "dana")
        .env_remove("USERNAME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the greenlight binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("stdin");
    }
    child
        .wait_with_output()
        .expect("the greenlight binary ends")
}

/// [`greenlight`] that must succeed; its standard output, trimmed.
pub fn greenlight_ok(data_dir: &Path, args: &[&str]) -> String {
    let out = greenlight(data_dir, args);
    assert!(
        out.status.success(),
        "{args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Through the CLI: a run of the first bundled template (payments 2.1.0 in production),
/// completed; its id.
pub fn completed_bundled_run_cli(data_dir: &Path) -> String {
    let list = greenlight_ok(data_dir, &["template", "list"]);
    let template = list
        .lines()
        .next()
        .and_then(|line| line.split('\t').next())
        .expect("a bundled template")
        .to_string();
    let run = greenlight_ok(
        data_dir,
        &[
            "run",
            "start",
            "--template",
            &template,
            "--release",
            "payments",
            "--release-version",
            "2.1.0",
            "--env",
            "production",
        ],
    );
    greenlight_ok(data_dir, &["run", "complete", &run]);
    run
}
