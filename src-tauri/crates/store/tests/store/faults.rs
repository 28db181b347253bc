//! A full disk: the store reports `disk_full` with a clear message, keeps everything committed
//! before, and works again once space is freed. Runs on a small tmpfs mounted by the test (needs
//! root, as in CI; otherwise it prints why it skips).

use std::io::Write;
use std::path::Path;
use std::process::Command;

use greenlight_core::run::ItemState;
use greenlight_store::Store;

use crate::{SMALL_TEMPLATE, at, item_ids, new_run};

struct Tmpfs<'a>(&'a Path);

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

fn mount_small_tmpfs(dir: &Path) -> Option<Tmpfs<'_>> {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(dir)
        .output()
        .ok()?;
    if mounted.status.success() {
        Some(Tmpfs(dir))
    } else {
        eprintln!(
            "skipping the full-disk test: cannot mount a tmpfs here ({})",
            String::from_utf8_lossy(&mounted.stderr).trim()
        );
        None
    }
}

#[tokio::test]
async fn a_full_disk_is_reported_clearly_loses_nothing_and_recovers_when_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_mount) = mount_small_tmpfs(dir.path()) else {
        return;
    };
    let store = Store::open(&dir.path().join("greenlight.sqlite3"))
        .await
        .unwrap();
    let template = store
        .import_template(
            SMALL_TEMPLATE.as_bytes(),
            None,
            greenlight_store::TemplateOrigin::Imported,
            "a",
            at(0),
        )
        .await
        .unwrap();
    let run = store
        .start_run(&new_run(&template.id), "a", at(0))
        .await
        .unwrap();
    let ids = item_ids(&store.template_detail(&template.id).await.unwrap().template);
    store
        .set_item_state(&run.id, &ids[0], ItemState::Pass, None, "a", at(1))
        .await
        .unwrap();

    // Fill the disk.
    let filler_path = dir.path().join("filler");
    let mut filler = std::fs::File::create(&filler_path).unwrap();
    let chunk = vec![0_u8; 64 * 1024];
    while filler
        .write_all(&chunk)
        .and_then(|()| filler.sync_all())
        .is_ok()
    {}
    drop(filler);

    let mut refused = None;
    for (n, note) in (0..200).map(|n| (n, format!("note {n} {}", "x".repeat(2_000)))) {
        if let Err(error) = store.add_note(&run.id, None, &note, "a", at(2 + n)).await {
            refused = Some(error);
            break;
        }
    }
    let error = refused.expect("a write fails once the disk is full");
    assert_eq!(error.code(), "disk_full", "{error}");
    assert!(error.to_string().contains("disk is full"), "{error}");

    std::fs::remove_file(&filler_path).unwrap();
    let state = store
        .set_item_state(&run.id, &ids[1], ItemState::Pass, None, "a", at(300))
        .await
        .unwrap();
    assert_eq!(
        state.progress.passed, 2,
        "the earlier change is still there and a new one lands"
    );
    assert!(store.verify_run(&run.id).await.unwrap().intact);
    store.close().await;
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_database_on_a_read_only_disk_gives_a_clear_error_and_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("greenlight.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_actor("kept").await.unwrap();
    store.close().await;
    drop(store);
    let before = std::fs::read(&path).unwrap();

    let bind = Command::new("mount")
        .arg("--bind")
        .arg(dir.path())
        .arg(dir.path())
        .output()
        .unwrap();
    if !bind.status.success() {
        eprintln!(
            "skipping the read-only test: cannot bind-mount here ({})",
            String::from_utf8_lossy(&bind.stderr).trim()
        );
        return;
    }
    let _unmount = Unmount(dir.path().to_path_buf());
    let remount = Command::new("mount")
        .args(["-o", "remount,ro,bind"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(remount.success());

    let error = Store::open(&path).await.unwrap_err();
    assert!(
        matches!(error.code(), "database_read_only" | "database_open_failed"),
        "{}: {error}",
        error.code()
    );
    assert!(
        error.to_string().to_lowercase().contains("read-only")
            || error.to_string().contains("readonly"),
        "{error}"
    );
    drop(_unmount);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
    let reopened = Store::open(&path).await.unwrap();
    assert_eq!(reopened.actor().await.unwrap().as_deref(), Some("kept"));
}
