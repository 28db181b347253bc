//! Credentials from the command line in the real OS keychain (run inside
//! `src-tauri/crates/secrets/tests/with-keyring.sh`; skipped without a session bus): `credential
//! add` reads the secret from standard input into the same entry the window uses (found by
//! `secret-tool`), never prints it; `list` shows names and kinds only; `preflight` sees a
//! missing credential, then a stored one, then a locked keychain (locked over D-Bus as a screen
//! lock does), told apart; `remove` deletes the entry. One test: locking the keyring must not
//! race another test in this binary.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{greenlight, greenlight_ok, greenlight_with_input};

const SECRET: &str = "cli-s3cr3t-Tok€n-777";

const TEMPLATE: &str = r#"# Keychain drill

## Checks

- [ ] Cache answers
  ```probe
  kind = "redis"
  host = "127.0.0.1"
  port = 1
  credential = "{{cache_credential}}"
  ```
"#;

fn secret_tool_lookup(name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "greenlight", "username", name])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn lock_login_collection() {
    let out = Command::new("busctl")
        .args(["--user", "call", "org.freedesktop.secrets"])
        .args(["/org/freedesktop/secrets", "org.freedesktop.Secret.Service"])
        .args([
            "Lock",
            "ao",
            "1",
            "/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("busctl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn unlock_with_password(password: &str) {
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--replace", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(password.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn preflight(data: &Path, file: &str) -> (i32, String) {
    let out = greenlight(data, &["preflight", "--template", file, "--env", "prod"]);
    (out.status.code().unwrap_or(-1), all_output(&out))
}

#[test]
fn credentials_added_from_stdin_reach_the_keychain_and_preflight_tells_missing_from_locked() {
    let Ok(password) = std::env::var("GREENLIGHT_TEST_KEYRING_PASSWORD") else {
        println!("SKIPPED cli keychain: run under with-keyring.sh");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("t.md");
    std::fs::write(&file, TEMPLATE).unwrap();
    let file = file.display().to_string();
    let name = format!("gl-cli-{}", std::process::id());
    greenlight_ok(&data, &["env", "set", "prod", "cache_credential", &name]);

    let (code, words) = preflight(&data, &file);
    assert_eq!(code, 2, "{words}");
    assert!(
        words.contains(&format!("fix: store the credential `{name}`")),
        "{words}"
    );

    let out = greenlight_with_input(
        &data,
        &["credential", "add", &name, "--kind", "token"],
        &format!("{SECRET}\n"),
    );
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(
        !all_output(&out).contains(SECRET),
        "the secret is never printed"
    );
    assert_eq!(
        secret_tool_lookup(&name).as_deref(),
        Some(SECRET),
        "the window's entry"
    );
    let listed = greenlight_ok(&data, &["credential", "list"]);
    assert_eq!(listed, format!("{name}\ttoken"));

    let (code, words) = preflight(&data, &file);
    assert_eq!(code, 0, "{words}");
    assert!(words.contains("no problems"), "{words}");
    assert!(!words.contains(SECRET));

    lock_login_collection();
    let started = Instant::now();
    let (code, words) = preflight(&data, &file);
    unlock_with_password(&password);
    assert_eq!(code, 2, "{words}");
    assert!(words.contains("keychain locked (1):"), "{words}");
    assert!(words.contains("unlock"), "{words}");
    assert!(
        !words.contains("store the credential"),
        "locked is not missing: {words}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    while secret_tool_lookup(&name).is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    greenlight_ok(&data, &["credential", "remove", &name]);
    assert_eq!(secret_tool_lookup(&name), None);
    assert_eq!(greenlight_ok(&data, &["credential", "list"]), "");
}
