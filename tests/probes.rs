//! Probes through the app's use-cases: a real HTTP server on loopback, a credential from a secret
//! store, variables from the run's environment, command approval, evidence kept with the run —
//! and the secret nowhere in the database, its WAL, the logs or the exports.
//! (The secret store here is the in-memory one; the real OS keychain is tested in
//! greenlight-secrets against gnome-keyring.)

mod support;

use std::path::Path;
use std::sync::Arc;

use greenlight_app::api_error::Code;
use greenlight_app::app::{App, CredentialInput};
use greenlight_secrets::MemoryStore;
use greenlight_store::{CredentialKind, Environment, NewRun};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "s3cr3t-Tok€n-4242";

const TEMPLATE: &str = r#"# Probe drill

## Checks

- [ ] API healthy
  ```probe
  kind = "http"
  url = "{{api_base}}/health"
  auth = { credential = "api-token", scheme = "bearer" }
  expect = { status = 200, json = [{ path = "status", equals = "ok" }] }
  ```
- [ ] Deploy marker written
  ```probe
  kind = "command"
  program = "sh"
  args = ["-c", "echo deployed"]
  expect = { exit_code = 0, stdout_contains = "deployed" }
  ```
"#;

/// Answers 200 with a JSON body that also echoes the token (to prove redaction) when the bearer
/// token is right, 401 otherwise.
async fn serve(listener: tokio::net::TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buffer = vec![0_u8; 8192];
            let n = socket.read(&mut buffer).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..n]).to_lowercase();
            let authorised =
                request.contains(&format!("authorization: bearer {}", SECRET.to_lowercase()));
            let (status, body) = if authorised {
                (
                    "200 OK",
                    format!("{{\"status\":\"ok\",\"echo\":\"{SECRET}\"}}"),
                )
            } else {
                ("401 Unauthorized", "{\"status\":\"denied\"}".to_string())
            };
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        });
    }
}

/// A run of `template_id` in `environment` (release "api" 1.0, no window).
fn new_run(template_id: &str, environment: &str) -> NewRun {
    NewRun {
        template_id: template_id.to_string(),
        release_name: "api".into(),
        version: "1.0".into(),
        environment: environment.into(),
        window_start: None,
        window_end: None,
    }
}

/// The app on a fresh folder with a fixed clock and the given secret store.
async fn open_app(dir: &Path, secrets: MemoryStore) -> App {
    support::open_app(dir, Arc::new(secrets)).await
}

/// Saves the "staging" environment with `api_base` set to `base`.
async fn save_staging(app: &App, base: &str) {
    let variables = [("api_base".to_string(), base.to_string())]
        .into_iter()
        .collect();
    app.save_environment(&Environment {
        name: "staging".into(),
        variables,
    })
    .await
    .unwrap();
}

fn grep_tree(root: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_run_with_keychain_credentials_keep_evidence_and_never_leak_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let guard =
        greenlight_app::logging::init(&greenlight_app::paths::AppPaths::under(dir.path()).log_dir);
    let app = open_app(dir.path(), MemoryStore::new()).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener));

    save_staging(&app, &base).await;
    let credentials = app
        .save_credential(&CredentialInput {
            name: "api-token".into(),
            kind: CredentialKind::Token,
            username: None,
            secret: SECRET.into(),
        })
        .await
        .unwrap();
    assert_eq!(credentials[0].name, "api-token");

    let template = app
        .import_template(TEMPLATE.as_bytes(), Some("drill.md"))
        .await
        .unwrap();
    let probes = app.template_probes(&template.id).await.unwrap();
    assert_eq!(probes.len(), 2);
    let command = probes.iter().find(|p| p.kind == "command").unwrap();
    assert!(!command.approved);
    assert!(
        command
            .command_text
            .as_deref()
            .is_some_and(|t| t.contains("echo deployed"))
    );

    let run = app
        .start_run(&new_run(&template.id, "staging"))
        .await
        .unwrap();

    // Unapproved: the command probe refuses to run; the HTTP probe passes.
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let state = app
        .run_probes(&run.id, &[], move |evidence| {
            sink.lock().unwrap().push(evidence)
        })
        .await
        .unwrap();
    let mut reported = seen.lock().unwrap().clone();
    reported.sort_by_key(|e| e.id);
    assert_eq!(
        reported, state.evidence,
        "each result is reported, as stored, when it finishes"
    );
    let outcome_of = |kind: &str| {
        state
            .evidence
            .iter()
            .rev()
            .find(|e| e.kind == kind)
            .map(|e| (e.outcome.as_str().to_string(), e.code.clone()))
    };
    assert_eq!(
        outcome_of("http").map(|o| o.0).as_deref(),
        Some("pass"),
        "{:?}",
        state.evidence
    );
    assert_eq!(
        outcome_of("command"),
        Some(("error".into(), Some("command_not_approved".into())))
    );

    // Approved: it runs.
    let item_id = command.item_id.clone();
    let probes = app
        .approve_command(&template.id, &item_id, command.line)
        .await
        .unwrap();
    assert!(
        probes
            .iter()
            .find(|p| p.kind == "command")
            .unwrap()
            .approved
    );
    let state = app.run_probes(&run.id, &[item_id], |_| {}).await.unwrap();
    assert_eq!(outcome_of_state(&state, "command").as_deref(), Some("pass"));

    // The record export carries the evidence; the secret is nowhere on disk.
    let export = app.export_run(&run.id, None, None).await.unwrap();
    assert!(Path::new(&export.pdf_path).exists());
    app.store().close().await;
    drop(guard);
    let hits = grep_tree(dir.path(), SECRET.as_bytes());
    assert!(hits.is_empty(), "the secret leaked into {hits:?}");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(export.json_path.unwrap()).unwrap()).unwrap();
    let evidence = record["run"]["state"]["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3, "every probe run is kept as evidence");
    if let Ok(output) = std::process::Command::new("pdftotext")
        .arg(&export.pdf_path)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("http probe"),
            "the record prints probe evidence: {text}"
        );
    }
}

/// The first stored probe result of `item`: its outcome and code.
fn outcome_and_code(
    state: &greenlight_store::RunState,
    item: &str,
) -> Option<(String, Option<String>)> {
    state
        .evidence
        .iter()
        .find(|e| e.element_id == item)
        .map(|e| (e.outcome.as_str().to_string(), e.code.clone()))
}

fn outcome_of_state(state: &greenlight_store::RunState, kind: &str) -> Option<String> {
    state
        .evidence
        .iter()
        .rev()
        .find(|e| e.kind == kind)
        .map(|e| e.outcome.as_str().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_probes_needing_a_credential_fail_with_the_reason_and_nothing_else_breaks()
 {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), MemoryStore::unavailable()).await;
    let status = app.keychain_status();
    assert!(!status.available);
    assert!(
        status.message.to_lowercase().contains("keychain")
            || status.message.contains("Secret Service"),
        "{}",
        status.message
    );
    let refused = app
        .save_credential(&CredentialInput {
            name: "api-token".into(),
            kind: CredentialKind::Token,
            username: None,
            secret: SECRET.into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code, Code::KeychainUnavailable, "{refused:?}");
    assert!(!refused.message.contains(SECRET));
    assert!(
        app.list_credentials().await.unwrap().is_empty(),
        "no reference without a stored secret"
    );

    save_staging(&app, "http://127.0.0.1:9").await;
    let template = app
        .import_template(TEMPLATE.as_bytes(), Some("drill.md"))
        .await
        .unwrap();
    let run = app
        .start_run(&new_run(&template.id, "staging"))
        .await
        .unwrap();
    let state = app.run_probes(&run.id, &[], |_| {}).await.unwrap();
    let http = state.evidence.iter().find(|e| e.kind == "http").unwrap();
    assert_eq!(http.outcome.as_str(), "error");
    // It fails because the credential cannot be read, and says so.
    assert!(
        http.summary.to_lowercase().contains("keychain"),
        "{}",
        http.summary
    );
    // The rest of the app works.
    let items = greenlight_core::run::items_in_order(&app.get_run(&run.id).await.unwrap().template)
        .iter()
        .map(|i| i.id.clone())
        .collect::<Vec<_>>();
    app.set_item_state(
        &run.id,
        &items[0],
        greenlight_core::run::ItemState::Pass,
        None,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_auto_accept_on_a_passing_probe_marks_its_item_pass() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), MemoryStore::new()).await;
    let template = app
        .import_template(TEMPLATE.as_bytes(), Some("drill.md"))
        .await
        .unwrap();
    let probes = app.template_probes(&template.id).await.unwrap();
    let command = probes.iter().find(|p| p.kind == "command").unwrap().clone();
    app.approve_command(&template.id, &command.item_id, command.line)
        .await
        .unwrap();
    let run = app
        .start_run(&new_run(&template.id, "staging"))
        .await
        .unwrap();
    let state = app
        .run_probes(&run.id, std::slice::from_ref(&command.item_id), |_| {})
        .await
        .unwrap();
    assert!(
        state
            .entries
            .iter()
            .all(|e| e.element_id != command.item_id),
        "off: only proposed"
    );
    assert!(
        app.set_auto_accept_passes(&template.id, true)
            .await
            .unwrap()
    );
    let state = app
        .run_probes(&run.id, std::slice::from_ref(&command.item_id), |_| {})
        .await
        .unwrap();
    let entry = state
        .entries
        .iter()
        .find(|e| e.element_id == command.item_id)
        .unwrap();
    assert_eq!(entry.state, Some(greenlight_core::run::ItemState::Pass));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_one_items_probes_leaves_the_others_running() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), MemoryStore::new()).await;
    let slow = "# Slow drill\n\n## Waits\n\n\
- [ ] First wait\n  ```probe\n  kind = \"command\"\n  program = \"sleep\"\n  args = [\"2\"]\n  ```\n\
- [ ] Second wait\n  ```probe\n  kind = \"command\"\n  program = \"sleep\"\n  args = [\"1\"]\n  ```\n";
    let template = app
        .import_template(slow.as_bytes(), Some("slow.md"))
        .await
        .unwrap();
    for probe in app.template_probes(&template.id).await.unwrap() {
        app.approve_command(&template.id, &probe.item_id, probe.line)
            .await
            .unwrap();
    }
    let probes = app.template_probes(&template.id).await.unwrap();
    let (first, second) = (probes[0].item_id.clone(), probes[1].item_id.clone());
    let run = app.start_run(&new_run(&template.id, "e")).await.unwrap();
    let runner = app.clone();
    let run_id = run.id.clone();
    let task = tokio::spawn(async move { runner.run_probes(&run_id, &[], |_| {}).await });
    // Wait until the probe run is registered, then cancel only the first item's probe.
    let mut cancelled = false;
    for _ in 0..100 {
        if app.cancel_item_probes(&run.id, &first) {
            cancelled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(cancelled);
    let state = task.await.unwrap().unwrap();
    let code = |item: &str| outcome_and_code(&state, item);
    assert_eq!(
        code(&first),
        Some(("error".into(), Some("cancelled".into()))),
        "{:?}",
        state.evidence
    );
    assert_eq!(code(&second).map(|c| c.0).as_deref(), Some("pass"));
    assert!(
        !app.cancel_item_probes(&run.id, &first),
        "nothing left to cancel once the run is over"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_blocks_with_bad_toml_import_name_their_line_and_report_an_error_without_running() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), MemoryStore::new()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve(listener));
    let markdown = format!(
        "# Broken probes\n\n## Checks\n\n\
         - [ ] Syntax error\n  ```probe\n  kind = \"tcp\"\n  port = = 5\n  ```\n\
         - [ ] Unknown kind\n  ```probe\n  kind = \"ftp\"\n  host = \"x\"\n  ```\n\
         - [ ] Not TOML at all\n  ```probe\n  <script>alert(1)</script>\n  ```\n\
         - [ ] Healthy\n  ```probe\n  kind = \"tcp\"\n  host = \"127.0.0.1\"\n  port = {port}\n  ```\n"
    );
    let template = app
        .import_template(markdown.as_bytes(), Some("broken.md"))
        .await
        .expect("a template with bad probe blocks still imports: the blocks are its text");
    let probes = app.template_probes(&template.id).await.unwrap();
    assert_eq!(probes.len(), 4, "{probes:?}");
    let broken: Vec<_> = probes.iter().filter(|p| p.error.is_some()).collect();
    assert_eq!(broken.len(), 3, "{probes:?}");
    for probe in &broken {
        let error = probe.error.as_deref().unwrap();
        assert!(error.contains("line"), "names the line: {error}");
    }
    assert!(broken[1].error.as_deref().unwrap().contains("ftp"));

    let run = app
        .start_run(&new_run(&template.id, "staging"))
        .await
        .unwrap();
    let state = app.run_probes(&run.id, &[], |_| {}).await.unwrap();
    assert_eq!(state.evidence.len(), 4);
    let errors = state
        .evidence
        .iter()
        .filter(|e| e.code.as_deref() == Some("invalid_probe"))
        .count();
    assert_eq!(errors, 3, "the bad blocks report an error without running");
    assert!(
        state
            .evidence
            .iter()
            .any(|e| e.kind == "tcp" && e.outcome.as_str() == "pass"),
        "the good block still runs: {:?}",
        state.evidence
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_waiting_on_a_silent_target_is_cancelled_after_another_has_timed_out() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), MemoryStore::new()).await;
    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let markdown = format!(
        "# Silent drill\n\n## Waits\n\n\
         - [ ] Short timeout\n  ```probe\n  kind = \"http\"\n  url = \"http://127.0.0.1:{port}/a\"\n  timeout_ms = 300\n  ```\n\
         - [ ] Long timeout\n  ```probe\n  kind = \"http\"\n  url = \"http://127.0.0.1:{port}/b\"\n  timeout_ms = 120000\n  ```\n"
    );
    let template = app
        .import_template(markdown.as_bytes(), Some("silent.md"))
        .await
        .unwrap();
    let probes = app.template_probes(&template.id).await.unwrap();
    let (short, long) = (probes[0].item_id.clone(), probes[1].item_id.clone());
    let run = app
        .start_run(&new_run(&template.id, "staging"))
        .await
        .unwrap();
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = app.clone();
    let run_id = run.id.clone();
    let task = tokio::spawn(async move {
        runner
            .run_probes(&run_id, &[], move |e| {
                let _ = seen_tx.send(e.element_id.clone());
            })
            .await
    });
    // The short one reports its timeout first; the long one is still waiting.
    assert_eq!(seen_rx.recv().await.as_deref(), Some(short.as_str()));
    assert!(
        app.cancel_item_probes(&run.id, &long),
        "the waiting probe can be cancelled"
    );
    let state = tokio::time::timeout(std::time::Duration::from_secs(10), task)
        .await
        .expect("cancelling ends the run promptly")
        .unwrap()
        .unwrap();
    let outcome = |item: &str| outcome_and_code(&state, item);
    assert_eq!(
        outcome(&short),
        Some(("fail".into(), Some("timeout".into())))
    );
    assert_eq!(
        outcome(&long),
        Some(("error".into(), Some("cancelled".into())))
    );
}
