//! A locked keychain, for real: gnome-keyring's login collection is locked over D-Bus (as a
//! desktop does when the screen locks), every call then ends quickly in an error that says to
//! unlock it, and once the keyring is unlocked the same store works again without a restart.
//!
//! Its own test binary, so locking the keyring never races the other keychain tests. Run inside
//! `tests/with-keyring.sh`, which sets the keyring password this test unlocks with. Without a
//! display the unlock prompt is dismissed at once (`keychain_locked`); under Xvfb gcr's prompt
//! opens and nobody answers it (`keychain_timeout`): both are accepted, both say "unlock".

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use greenlight_secrets::{KeychainStore, Secret, SecretStore};

const TIMEOUT: Duration = Duration::from_secs(2);

/// Locks gnome-keyring's login collection through the Secret Service `Lock` method.
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
        "Lock failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Unlocks the keyring the way a login does: a daemon started with the password replaces the
/// running one and opens the same keyring file.
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
        .expect("stdin")
        .write_all(password.as_bytes())
        .expect("password written");
    assert!(child.wait().expect("daemon forks").success());
}

fn assert_says_unlock(result: Result<(), greenlight_secrets::SecretError>, started: Instant) {
    let err = result.expect_err("a locked keychain must refuse");
    assert!(
        matches!(err.code(), "keychain_locked" | "keychain_timeout"),
        "{}: {err}",
        err.code()
    );
    assert!(err.to_string().contains("unlock"), "{err}");
    assert!(
        started.elapsed() < TIMEOUT + Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_locked_keychain_refuses_with_an_unlock_message_and_works_again_once_unlocked() {
    let Some(password) = std::env::var("GREENLIGHT_TEST_KEYRING_PASSWORD").ok() else {
        println!(
            "SKIPPED locked keychain: GREENLIGHT_TEST_KEYRING_PASSWORD is not set (run under tests/with-keyring.sh)"
        );
        return;
    };
    let store = KeychainStore::with_timeout(TIMEOUT);
    if let Err(e) = store.available() {
        println!("SKIPPED locked keychain: the keychain is not usable: {e}");
        return;
    }
    let name = format!("gl-test-{}-locked", std::process::id());
    store.set(&name, &Secret::new("before-lock")).unwrap();

    lock_login_collection();
    let started = Instant::now();
    assert_says_unlock(store.get(&name).map(|_| ()), started);
    let started = Instant::now();
    let written = Secret::new("while-locked-value");
    let refused = store.set(&format!("{name}-new"), &written);
    if let Err(e) = &refused {
        assert!(!e.to_string().contains(written.expose()), "{e}");
    }
    assert_says_unlock(refused, started);

    unlock_with_password(&password);
    let deadline = Instant::now() + Duration::from_secs(10);
    let value = loop {
        match store.get(&name) {
            Ok(secret) => break secret,
            Err(e) if Instant::now() < deadline => {
                println!("not yet readable after unlocking: {e}");
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("still unreadable after unlocking: {e}"),
        }
    };
    assert_eq!(value.expose(), "before-lock", "the same store reads again");
    store.delete(&name).unwrap();
}
