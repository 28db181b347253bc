//! The real OS keychain: set/get/delete against a running gnome-keyring (run these inside
//! `tests/with-keyring.sh`), and a quick, clear "unavailable" when there is no session bus.

use std::process::Command;
use std::time::{Duration, Instant};

use greenlight_secrets::{KeychainStore, Secret, SecretStore};

/// A keychain to test against, or the reason there is none (then the test is skipped).
fn real_keychain() -> Result<KeychainStore, String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Err("DBUS_SESSION_BUS_ADDRESS is not set (run under tests/with-keyring.sh)".into());
    }
    let store = KeychainStore::new();
    store
        .available()
        .map_err(|e| format!("the keychain is not usable: {e}"))?;
    Ok(store)
}

fn skip(test: &str, reason: &str) {
    println!("SKIPPED {test}: {reason}");
}

fn unique(name: &str) -> String {
    format!("gl-test-{}-{name}", std::process::id())
}

fn secret_tool_lookup(name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "greenlight", "username", name])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_secret_set_in_the_real_keychain_is_read_back_and_deleted() {
    let store = match real_keychain() {
        Ok(s) => s,
        Err(reason) => return skip("real keychain round trip", &reason),
    };
    let name = unique("api-token");
    store.set(&name, &Secret::new("tok-123")).unwrap();
    assert_eq!(store.get(&name).unwrap().expose(), "tok-123");
    store.set(&name, &Secret::new("tok-456")).unwrap();
    assert_eq!(
        store.get(&name).unwrap().expose(),
        "tok-456",
        "set replaces"
    );
    store.delete(&name).unwrap();
    assert_eq!(store.get(&name).unwrap_err().code(), "secret_not_found");
    assert_eq!(store.delete(&name).unwrap_err().code(), "secret_not_found");
}

#[test]
fn a_non_ascii_secret_is_stored_under_service_greenlight_and_seen_by_secret_tool() {
    let store = match real_keychain() {
        Ok(s) => s,
        Err(reason) => return skip("non-ASCII secret", &reason),
    };
    let name = unique("clé-prod");
    let value = "pässwörd ✓ 密码 🔑";
    store.set(&name, &Secret::new(value)).unwrap();
    assert_eq!(store.get(&name).unwrap().expose(), value);
    match secret_tool_lookup(&name) {
        Some(found) => assert_eq!(found.trim_end_matches('\n'), value),
        None => println!("secret-tool not installed or found nothing: skipped that check"),
    }
    store.delete(&name).unwrap();
    assert_eq!(secret_tool_lookup(&name).unwrap_or_default(), "");
}

/// Child half of the next test: runs in a process whose session bus address points nowhere.
#[test]
#[ignore = "run by no_session_bus_means_unavailable_quickly_not_a_hang in a child process"]
fn child_reports_unavailable_without_a_session_bus() {
    let started = Instant::now();
    let err = KeychainStore::new().available().unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable", "{err}");
    let msg = err.to_string();
    #[cfg(target_os = "linux")]
    assert!(msg.contains("gnome-keyring"), "{msg}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    println!("CHILD-OK: {msg}");
}

#[cfg(target_os = "linux")]
#[test]
fn no_session_bus_means_unavailable_quickly_not_a_hang() {
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_reports_unavailable_without_a_session_bus"])
        .args(["--include-ignored", "--nocapture", "--test-threads=1"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/greenlight-test-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("CHILD-OK"),
        "the child test did not run:\n{stdout}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
