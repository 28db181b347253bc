//! `greenlight probe`, `preflight`, `env` and `run probes` through the built binary against a
//! real HTTP server on loopback: exit codes 0/1/2, a pipeline setting up an environment on a
//! fresh data folder, `run probes` recording the same evidence and audit events as the
//! window's path, and Ctrl+C (SIGINT) cancelling probes against a target that never answers
//! with nothing half-recorded. No credential is involved here (see `cli_keychain.rs`).

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use greenlight_secrets::MemoryStore;
use support::{greenlight, greenlight_ok};

/// Answers `/ok` with 200 `{"status":"ok"}` and anything else with 503, on a thread.
fn http_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut socket in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buffer = [0_u8; 4096];
                let n = socket.read(&mut buffer).unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]);
                let (status, body) = if request.starts_with("GET /ok ") {
                    ("200 OK", "{\"status\":\"ok\"}")
                } else {
                    ("503 Service Unavailable", "{\"status\":\"down\"}")
                };
                let _ = write!(
                    socket,
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

/// Accepts connections and never answers (kept open until the test ends).
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for socket in listener.incoming().flatten() {
            held.push(socket);
        }
    });
    port
}

fn checklist(paths: &[&str], timeout_ms: u32) -> String {
    let mut out = String::from("# CLI drill\n\n## Web\n\n");
    for (i, path) in paths.iter().enumerate() {
        out.push_str(&format!(
            "- [ ] Endpoint {i} answers\n  ```probe\n  kind = \"http\"\n  url = \"{{{{api_base}}}}{path}\"\n  timeout_ms = {timeout_ms}\n  expect = {{ status = 200 }}\n  ```\n"
        ));
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

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

#[test]
fn probe_exits_0_when_all_pass_1_when_one_fails_and_2_when_one_could_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = http_server();
    let base = format!("http://127.0.0.1:{port}");
    // A pipeline on a fresh data folder sets up its environment first.
    greenlight_ok(&data, &["env", "set", "staging", "api_base", &base]);
    assert_eq!(
        greenlight_ok(&data, &["env", "show", "staging"]),
        format!("api_base={base}")
    );
    assert!(greenlight_ok(&data, &["env", "list"]).starts_with("staging\t1 variables"));

    let passing = write(dir.path(), "pass.md", &checklist(&["/ok", "/ok"], 5000));
    let out = greenlight(
        &data,
        &["probe", "--template", &passing, "--env", "staging"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("ITEM"), "{table}");
    assert!(
        table.contains("Endpoint 0 answers") && table.contains("pass"),
        "{table}"
    );
    assert!(table.contains(&format!("127.0.0.1:{port}")), "{table}");

    let failing = write(dir.path(), "fail.md", &checklist(&["/ok", "/down"], 5000));
    let out = greenlight(
        &data,
        &[
            "probe",
            "--template",
            &failing,
            "--env",
            "staging",
            "--json",
        ],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(lines[1]["outcome"], "fail");
    assert_eq!(lines[1]["reason"], "assertion_failed");

    // One item only: the passing one.
    let item = lines[0]["item_id"].as_str().unwrap();
    let out = greenlight(
        &data,
        &[
            "probe",
            "--template",
            &failing,
            "--env",
            "staging",
            "--item",
            item,
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));

    // Without the environment the variable is missing: the probe could not run.
    let out = greenlight(&data, &["probe", "--template", &passing]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("could not run"));
}

#[test]
fn preflight_from_the_cli_names_the_missing_variable_and_passes_once_it_is_defined() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write(dir.path(), "t.md", &checklist(&["/ok"], 5000));
    let out = greenlight(
        &data,
        &["preflight", "--template", &file, "--env", "production"],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(words.contains("missing variable (1):"), "{words}");
    assert!(words.contains("Endpoint 0 answers"), "{words}");
    assert!(
        words.contains("fix: define `api_base` in production"),
        "{words}"
    );

    greenlight_ok(
        &data,
        &["env", "set", "production", "api_base", "http://127.0.0.1:9"],
    );
    let out = greenlight(
        &data,
        &["preflight", "--template", &file, "--env", "production"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no problems"));
    // Asked to contact targets, the closed port is a failure (1), not "could not run".
    let out = greenlight(
        &data,
        &[
            "preflight",
            "--template",
            &file,
            "--env",
            "production",
            "--contact-targets",
        ],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
}

/// A run of the imported `file` in `env`, through the CLI; (template id, run id).
fn cli_run(data: &Path, file: &str, env: &str) -> (String, String) {
    let imported = greenlight_ok(data, &["template", "import", file, "--json"]);
    let template: serde_json::Value = serde_json::from_str(&imported).unwrap();
    let id = template["id"].as_str().unwrap().to_string();
    let run = greenlight_ok(
        data,
        &[
            "run",
            "start",
            "--template",
            &id,
            "--release",
            "api",
            "--release-version",
            "1.0",
            "--env",
            env,
        ],
    );
    (id, run)
}

/// What must be equal between two recordings of the same probe: everything but timings (and
/// finishing order), by item and line.
fn comparable(evidence: &serde_json::Value) -> Vec<String> {
    let mut all: Vec<String> = evidence
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            // No evidence line is a timing (the one duration is `duration_ms`), so the lines
            // of two recordings are equal.
            let lines = e["evidence"].clone();
            serde_json::json!([
                e["element_id"],
                e["probe_line"],
                e["kind"],
                e["outcome"],
                e["summary"],
                e["code"],
                lines,
                e["actor"]
            ])
            .to_string()
        })
        .collect();
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_probes_records_the_same_evidence_and_events_as_the_window_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = http_server();
    // One identity for both paths, so both record the same actor.
    greenlight_ok(&data, &["identity", "set", "--name", "Dana Release"]);
    greenlight_ok(
        &data,
        &[
            "env",
            "set",
            "staging",
            "api_base",
            &format!("http://127.0.0.1:{port}"),
        ],
    );
    let file = write(dir.path(), "t.md", &checklist(&["/ok", "/down"], 5000));
    let (_, cli_run_id) = cli_run(&data, &file, "staging");
    let (_, window_run_id) = cli_run(&data, &file, "staging");

    let out = greenlight(&data, &["run", "probes", &cli_run_id, "--json"]);
    assert_eq!(code(&out), 1, "{}", text(&out));

    // The window's path (`App::run_probes`, what the `run_probes` command calls), in-process
    // on the same data folder.
    let app = greenlight_app::app::App::open_with_secrets(
        greenlight_app::paths::AppPaths::under(&data),
        Arc::new(chrono::Utc::now),
        Arc::new(MemoryStore::new()),
    )
    .await
    .unwrap();
    app.run_probes(&window_run_id, &[], |_| {}).await.unwrap();

    let evidence = |run: &str| -> serde_json::Value {
        let shown: serde_json::Value =
            serde_json::from_str(&greenlight_ok(&data, &["run", "show", run, "--json"])).unwrap();
        shown["state"]["evidence"].clone()
    };
    let (cli, window) = (evidence(&cli_run_id), evidence(&window_run_id));
    assert_eq!(cli.as_array().unwrap().len(), 2);
    assert_eq!(comparable(&cli), comparable(&window));
    let kinds = |events: Vec<greenlight_store::AuditEvent>| -> Vec<String> {
        let mut kinds: Vec<String> = events
            .into_iter()
            .map(|e| format!("{} {:?} {}", e.kind, e.element_id, e.actor))
            .collect();
        kinds.sort();
        kinds
    };
    assert_eq!(
        kinds(app.run_events(&cli_run_id).await.unwrap()),
        kinds(app.run_events(&window_run_id).await.unwrap())
    );
    greenlight_ok(&data, &["verify", "--run", &cli_run_id]);
}

/// Whether an evidence line is a duration (a figure in ms, or labelled as a time).
fn is_duration_line(line: &serde_json::Value) -> bool {
    let (label, value) = (
        line["label"].as_str().unwrap(),
        line["value"].as_str().unwrap(),
    );
    value.ends_with(" ms")
        || ["latency", "time", "took", "round trip"]
            .iter()
            .any(|word| label.contains(word))
}

/// Every duration figure ("12 ms", "3.4 ms") in `text`, with the two words before it.
fn duration_figures(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        let number = pair[0].trim_start_matches('(');
        if pair[1].trim_end_matches([')', '.', ',', ';']) == "ms" && number.parse::<f64>().is_ok() {
            let before: Vec<&str> = words[i.saturating_sub(2)..i]
                .iter()
                .map(|w| w.trim_start_matches('('))
                .collect();
            let before = before.join(" ");
            found.push(format!("{before} {number} ms"));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_result_has_one_duration_in_its_evidence_the_cli_json_and_the_record_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = http_server();
    greenlight_ok(&data, &["identity", "set", "--name", "Dana Release"]);
    greenlight_ok(
        &data,
        &[
            "env",
            "set",
            "staging",
            "api_base",
            &format!("http://127.0.0.1:{port}"),
        ],
    );
    let file = write(
        dir.path(),
        "t.md",
        &format!(
            "# Durations\n\n## Web\n\n- [ ] API answers fast\n  ```probe\n  kind = \"http\"\n  url = \"{{{{api_base}}}}/ok\"\n  expect = {{ status = 200, max_latency_ms = 5000 }}\n  ```\n- [ ] API port is open\n  ```probe\n  kind = \"tcp\"\n  host = \"127.0.0.1\"\n  port = {port}\n  ```\n"
        ),
    );

    // `greenlight probe --json`: one labelled duration per line, none among the evidence.
    let out = greenlight(
        &data,
        &["probe", "--template", &file, "--env", "staging", "--json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let labels: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["duration"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["response time", "check time"], "{lines:#}");
    for line in lines.as_array().unwrap() {
        assert!(line["duration"]["ms"].is_u64(), "{line:#}");
        assert!(line.get("duration_ms").is_none(), "{line:#}");
        let evidence = line["evidence"].as_array().unwrap();
        assert!(!evidence.iter().any(is_duration_line), "{line:#}");
    }
    let table = greenlight_ok(&data, &["probe", "--template", &file, "--env", "staging"]);
    assert_eq!(duration_figures(&table).len(), 2, "{table}");
    assert!(table.contains("DURATION"), "{table}");

    // The same results recorded with a run: the stored evidence, `run probes --json` and the
    // record's PDF all show one duration per result, the same figure under the same label.
    let (_, run_id) = cli_run(&data, &file, "staging");
    let out = greenlight(&data, &["run", "probes", &run_id, "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown: serde_json::Value =
        serde_json::from_str(&greenlight_ok(&data, &["run", "show", &run_id, "--json"])).unwrap();
    let stored = shown["state"]["evidence"].as_array().unwrap();
    assert_eq!(stored.len(), 2);
    let mut expected = Vec::new();
    for e in stored {
        assert!(
            !e["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .any(is_duration_line),
            "{e:#}"
        );
        let (label, ms) = match e["kind"].as_str().unwrap() {
            "http" => ("response time", e["response_time_ms"].as_u64().unwrap()),
            _ => {
                assert!(e["response_time_ms"].is_null(), "{e:#}");
                ("check time", e["duration_ms"].as_u64().unwrap())
            }
        };
        let cli = printed
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == e["id"])
            .unwrap();
        assert_eq!(
            cli["duration"],
            serde_json::json!({"label": label, "ms": ms})
        );
        expected.push(format!("{label} {ms} ms"));
    }

    let pdf = dir.path().join("record.pdf");
    greenlight_ok(
        &data,
        &["export", "--run", &run_id, "--pdf", pdf.to_str().unwrap()],
    );
    let Ok(out) = Command::new("pdftotext").arg(&pdf).arg("-").output() else {
        eprintln!("skipping the PDF check: pdftotext (poppler-utils) is not installed");
        return;
    };
    let pdf_text = String::from_utf8_lossy(&out.stdout);
    let mut figures = duration_figures(&pdf_text);
    figures.sort();
    expected.sort();
    assert_eq!(figures, expected, "{pdf_text}");
    // (The template's own `max_latency_ms` is printed, so "latency" itself may appear.)
    assert!(!pdf_text.contains("probe took"), "{pdf_text}");
}

#[test]
fn ctrl_c_cancels_probes_against_a_silent_target_and_leaves_nothing_half_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = silent_server();
    greenlight_ok(
        &data,
        &[
            "env",
            "set",
            "staging",
            "api_base",
            &format!("http://127.0.0.1:{port}"),
        ],
    );
    let file = write(dir.path(), "t.md", &checklist(&["/a", "/b"], 60_000));
    let (_, run) = cli_run(&data, &file, "staging");
    let child = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("--data-dir")
        .arg(&data)
        .args(["run", "probes", &run])
        .env("USER", "dana")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code(&out), 130, "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("interrupted"),
        "{}",
        text(&out)
    );

    let shown: serde_json::Value =
        serde_json::from_str(&greenlight_ok(&data, &["run", "show", &run, "--json"])).unwrap();
    let evidence = shown["state"]["evidence"].as_array().unwrap();
    assert_eq!(
        evidence.len(),
        2,
        "one whole result per probe, no more, no less"
    );
    assert!(
        evidence.iter().all(|e| e["code"] == "cancelled"),
        "{evidence:?}"
    );
    greenlight_ok(&data, &["verify", "--run", &run]);
}
