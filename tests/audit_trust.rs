//! Evidence an auditor can trust, tried the way it would be broken: a record exported on one
//! machine verifies on another with no database; every tamper (the database behind the app's
//! back, the JSON, an event re-hashed by an attacker, a byte of the signed PDF, the attachment,
//! a truncated file) is found and named; the signing key never leaves the keychain.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use greenlight_app::api_error::Code;
use greenlight_app::app::App;
use greenlight_app::paths::AppPaths;
use greenlight_app::record_verify::{RecordVerdict, verify_record_file};
use greenlight_core::run::{ItemState, items_in_order};
use greenlight_secrets::{MemoryStore, SecretStore};
use greenlight_store::audit::event_hash;
use greenlight_store::{EvidenceItem, NewEvidence};
use serde_json::Value;

struct Exported {
    _dir: tempfile::TempDir,
    app: App,
    secrets: Arc<MemoryStore>,
    run_id: String,
    pdf: PathBuf,
    json: PathBuf,
}

/// A completed run (a failed item with its note, a passed item with a probe result) exported
/// as a signed record by "Ann Lee".
async fn exported() -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::new());
    let app = support::open_app_as(
        dir.path(),
        secrets.clone(),
        "Ann Lee",
        Some("ann@example.com"),
    )
    .await;
    let run = support::start_bundled_run(&app, "payments").await;
    let detail = app.get_run(&run.id).await.unwrap();
    let items = items_in_order(&detail.template);
    app.set_item_state(
        &run.id,
        &items[0].id,
        ItemState::Fail,
        Some("restore failed"),
    )
    .await
    .unwrap();
    app.set_item_state(&run.id, &items[1].id, ItemState::Pass, None)
        .await
        .unwrap();
    let evidence = [EvidenceItem {
        label: "certificate".into(),
        value: "CN=api.example.com, expires 2027-02-01".into(),
    }];
    app.store()
        .record_probe_result(
            &run.id,
            &NewEvidence {
                element_id: &items[1].id,
                probe_line: 3,
                kind: "tls",
                outcome: greenlight_store::ProbeOutcome::Pass,
                summary: "certificate valid for 62 days",
                code: None,
                evidence: &evidence,
                started_at: Utc.with_ymd_and_hms(2026, 11, 23, 22, 0, 0).unwrap(),
                duration_ms: 40,
                response_time_ms: None,
            },
            "Ann Lee <ann@example.com>",
            Utc.with_ymd_and_hms(2026, 11, 23, 22, 0, 0).unwrap(),
        )
        .await
        .unwrap();
    app.complete_run(&run.id).await.unwrap();
    let pdf = dir.path().join("record.pdf");
    let result = app
        .export_run(&run.id, Some(pdf.clone()), None)
        .await
        .unwrap();
    assert!(result.signed, "{}", result.signing);
    let json = PathBuf::from(result.json_path.unwrap());
    Exported {
        _dir: dir,
        app,
        secrets,
        run_id: run.id,
        pdf,
        json,
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn json_of(path: &Path) -> Value {
    serde_json::from_slice(&read(path)).unwrap()
}

fn verdict_of(bytes: &[u8]) -> (RecordVerdict, String) {
    let report = verify_record_file(bytes, None);
    (report.verdict, report.headline)
}

#[tokio::test]
async fn a_signed_record_is_intact_and_names_its_signer() {
    let exported = exported().await;
    let report = verify_record_file(&read(&exported.pdf), None);
    assert_eq!(
        report.verdict,
        RecordVerdict::Intact,
        "{:?}",
        report.problems
    );
    assert_eq!(report.signatures.len(), 1);
    let signature = &report.signatures[0];
    assert!(signature.valid && signature.covers_whole_document && signature.self_signed);
    assert!(signature.signer.contains("Ann Lee"), "{}", signature.signer);
    assert!(report.headline.starts_with("Intact"), "{}", report.headline);
    assert!(
        report.headline.contains("no trusted timestamp"),
        "{}",
        report.headline
    );
    // The JSON beside the PDF is the attached one, byte for byte.
    let json = verify_record_file(&read(&exported.json), None);
    assert_eq!(json.verdict, RecordVerdict::Intact, "{:?}", json.problems);
    assert_eq!(json.head_hash, report.head_hash);
}

#[tokio::test]
async fn editing_the_database_behind_the_apps_back_is_named_and_blocks_the_export() {
    let exported = exported().await;
    let db = exported.app.store().path().to_path_buf();
    // As an auditor (or anyone) with the file would: the sqlite3 command-line shell.
    let Ok(edit) = Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE entries SET state = 'pass' WHERE state = 'fail';")
        .output()
    else {
        eprintln!("skipped: sqlite3 is not installed (apt-get install sqlite3)");
        return;
    };
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    let report = exported.app.verify_run(&exported.run_id).await.unwrap();
    assert!(!report.intact);
    assert!(
        report.message.contains("shows pass, the log says fail"),
        "{}",
        report.message
    );
    // The command line names it too, and warns of a dropped safeguard.
    let drop = Command::new("sqlite3")
        .arg(&db)
        .arg("DROP TRIGGER audit_events_are_append_only_delete;")
        .output()
        .unwrap();
    assert!(drop.status.success());
    let cli = support::greenlight(db.parent().unwrap(), &["verify", "--run", &exported.run_id]);
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert_eq!(cli.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("[state_differs_from_log]"), "{stderr}");
    assert!(stderr.contains("shows pass, the log says fail"), "{stderr}");
    assert!(
        stderr.contains("warning: the trigger audit_events_are_append_only_delete"),
        "{stderr}"
    );
    let refused = exported
        .app
        .export_run(
            &exported.run_id,
            Some(exported.pdf.with_extension("2.pdf")),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code, Code::StateDiffersFromLog);
    assert!(!exported.pdf.with_extension("2.pdf").exists());
    // The record exported before the edit still says what the log says, and it no longer
    // matches this database's (edited) state only where the edit was.
    let (verdict, _) = verdict_of(&read(&exported.pdf));
    assert_eq!(verdict, RecordVerdict::Intact);
}

/// One way to edit a JSON record.
type Edit = Box<dyn FnOnce(&mut Value)>;

fn edited_json(exported: &Exported, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut record = json_of(&exported.json);
    edit(&mut record);
    serde_json::to_vec_pretty(&record).unwrap()
}

#[tokio::test]
async fn an_edited_state_evidence_or_environment_in_the_json_is_named() {
    let exported = exported().await;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "shows pass, the log says fail",
            Box::new(|r: &mut Value| {
                for entry in r["run"]["state"]["entries"].as_array_mut().unwrap() {
                    if entry["state"] == "fail" {
                        entry["state"] = "pass".into();
                    }
                }
            }),
        ),
        (
            "evidence details",
            Box::new(|r: &mut Value| {
                r["run"]["state"]["evidence"][0]["evidence"][0]["value"] = "CN=evil".into();
            }),
        ),
        (
            "environment shows staging, the log says production",
            Box::new(|r: &mut Value| r["run"]["run"]["environment"] = "staging".into()),
        ),
        (
            "template source was changed",
            Box::new(|r: &mut Value| {
                let source = r["template"]["source"]
                    .as_str()
                    .unwrap()
                    .replace("- [ ]", "- [x]");
                r["template"]["source"] = source.into();
            }),
        ),
    ];
    for (expected, edit) in cases {
        let (verdict, headline) = verdict_of(&edited_json(&exported, edit));
        assert_eq!(verdict, RecordVerdict::Tampered, "{expected}: {headline}");
        assert!(headline.contains(expected), "{expected}: {headline}");
    }
}

/// Rewrites the note of event `position` and recomputes every hash after it, as an attacker
/// who understands the chain would.
fn rehashed_record(exported: &Exported, position: usize) -> Vec<u8> {
    edited_json(exported, |record| {
        let stream = format!("run:{}", record["run_id"].as_str().unwrap());
        let events = record["events"].as_array_mut().unwrap();
        events[position - 1]["payload"] = "{\"body\":\"all good\"}".into();
        let mut prev = "0".repeat(64);
        for event in events.iter_mut() {
            let hash = event_hash(
                &prev,
                &stream,
                event["position"].as_i64().unwrap(),
                event["kind"].as_str().unwrap(),
                event["element_id"].as_str(),
                event["payload"].as_str().unwrap(),
                event["actor"].as_str().unwrap(),
                event["at"].as_str().unwrap(),
            );
            event["prev_hash"] = prev.clone().into();
            event["hash"] = hash.clone().into();
            prev = hash;
        }
        record["head_hash"] = prev.clone().into();
        record["run"]["state"]["head_hash"] = prev.into();
        for note in record["run"]["state"]["notes"].as_array_mut().unwrap() {
            note["body"] = "all good".into();
        }
    })
}

fn note_position(exported: &Exported) -> usize {
    let record = json_of(&exported.json);
    record["events"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["kind"] == "note_added")
        .unwrap()
        + 1
}

#[tokio::test]
async fn an_event_rehashed_by_an_attacker_is_caught_by_the_signature() {
    let exported = exported().await;
    let forged = rehashed_record(&exported, note_position(&exported));
    // The JSON alone is self-consistent: only a signature can catch this.
    let (verdict, headline) = verdict_of(&forged);
    assert_eq!(verdict, RecordVerdict::Intact, "{headline}");

    // Attached to the signed PDF in place of the genuine record: "attachment replaced".
    let replaced = greenlight_seal::embed_file(
        &read(&exported.pdf),
        &greenlight_seal::EmbeddedFile {
            name: "greenlight-record.json".into(),
            mime: "application/json".into(),
            description: "forged".into(),
            bytes: forged.clone(),
            modified: Utc::now(),
        },
    )
    .unwrap();
    let report = verify_record_file(&replaced, None);
    assert_eq!(
        report.verdict,
        RecordVerdict::Tampered,
        "{}",
        report.headline
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("attachment was replaced")),
        "{:?}",
        report.problems
    );

    // Someone with a copy of the database but not the keychain exports it again: the new
    // record is signed by another key, which the expected fingerprint tells apart.
    let genuine = verify_record_file(&read(&exported.pdf), None);
    let fingerprint = genuine.signatures[0].fingerprint_sha256.clone();
    assert_eq!(
        verify_record_file(&read(&exported.pdf), Some(&fingerprint)).verdict,
        RecordVerdict::Intact
    );
    let copy = tempfile::tempdir().unwrap();
    exported.app.store().close().await;
    let database = exported.app.store().path().to_path_buf();
    for suffix in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{suffix}", database.display()));
        if from.exists() {
            let name = from.file_name().unwrap().to_owned();
            std::fs::copy(&from, copy.path().join(name)).unwrap();
        }
    }
    let other = App::open_with_secrets(
        AppPaths::under(copy.path()),
        support::fixed_clock(),
        Arc::new(MemoryStore::new()),
    )
    .await
    .unwrap();
    let pdf = copy.path().join("again.pdf");
    other
        .export_run(&exported.run_id, Some(pdf.clone()), None)
        .await
        .unwrap();
    let again = verify_record_file(&read(&pdf), None);
    assert_eq!(again.verdict, RecordVerdict::Intact, "{}", again.headline);
    assert_ne!(again.signatures[0].fingerprint_sha256, fingerprint);
    let report = verify_record_file(&read(&pdf), Some(&fingerprint));
    assert_eq!(
        report.verdict,
        RecordVerdict::Tampered,
        "{}",
        report.headline
    );
    assert!(
        report.headline.contains("expected signer"),
        "{}",
        report.headline
    );
}

#[tokio::test]
async fn a_byte_flipped_in_the_signed_pdf_a_truncated_file_and_other_files_are_refused() {
    let exported = exported().await;
    let bytes = read(&exported.pdf);
    // A byte of page content, well inside the first signed range.
    let mut flipped = bytes.clone();
    let at = flipped
        .windows(6)
        .position(|w| w == b"stream")
        .expect("a content stream")
        + 40;
    flipped[at] ^= 0x01;
    let report = verify_record_file(&flipped, None);
    assert_ne!(report.verdict, RecordVerdict::Intact, "{}", report.headline);

    let truncated = &bytes[..bytes.len() / 2];
    let (verdict, headline) = verdict_of(truncated);
    assert_ne!(verdict, RecordVerdict::Intact, "{headline}");

    let (verdict, headline) = verdict_of(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    assert_eq!(verdict, RecordVerdict::NotARecord, "{headline}");
    let (verdict, _) = verdict_of(b"{\"hello\": 1}");
    assert_eq!(verdict, RecordVerdict::NotARecord);
    let (verdict, _) = verdict_of(&[0xff, 0xfe, 0x00, 0x42]);
    assert_eq!(verdict, RecordVerdict::NotARecord);
}

#[tokio::test]
async fn the_signing_key_is_only_in_the_keychain_never_in_the_database_logs_or_exports() {
    let exported = exported().await;
    let key = exported
        .secrets
        .get(greenlight_app::sealing::SIGNING_KEY_NAME)
        .expect("the signing key is in the keychain");
    let key = key.expose().to_string();
    assert!(key.len() > 40);
    let folder = exported.app.store().path().parent().unwrap().to_path_buf();
    exported.app.store().close().await;
    let mut checked = 0;
    for entry in walk(&folder) {
        let bytes = read(&entry);
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&key),
            "{} holds the signing key",
            entry.display()
        );
        checked += 1;
    }
    assert!(checked >= 3, "database, PDF and JSON at least ({checked})");
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn the_cli_verifies_a_record_in_an_empty_folder_without_creating_a_database() {
    let exported = exported().await;
    let elsewhere = tempfile::tempdir().unwrap();
    let pdf = exported.pdf.display().to_string();
    let out = support::greenlight(elsewhere.path(), &["verify", "--record", &pdf]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("Intact"), "{stdout}");
    assert!(stdout.contains("Ann Lee"), "{stdout}");
    assert!(
        std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none(),
        "verify --record must not create anything in the data folder"
    );

    let json = support::greenlight(elsewhere.path(), &["verify", "--record", &pdf, "--json"]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["verdict"], "intact");

    let forged = elsewhere.path().join("forged.json");
    let edited = edited_json(&exported, |r| r["run"]["run"]["version"] = "9.9.9".into());
    std::fs::write(&forged, edited).unwrap();
    let out = support::greenlight(
        elsewhere.path(),
        &["verify", "--record", &forged.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(1));
    let other = elsewhere.path().join("other.pdf");
    std::fs::write(&other, b"%PDF-1.4\n%%EOF\n").unwrap();
    let out = support::greenlight(
        elsewhere.path(),
        &["verify", "--record", &other.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The real keychain (gnome-keyring inside the test's D-Bus session), locked over D-Bus as a
/// screen lock does: the export still happens, unsigned, and says so everywhere.
#[test]
fn with_the_keychain_locked_a_record_is_exported_unsigned_and_says_so() {
    let Ok(password) = std::env::var("GREENLIGHT_TEST_KEYRING_PASSWORD") else {
        eprintln!(
            "skipped: no test keyring (run under src-tauri/crates/secrets/tests/with-keyring.sh)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    support::greenlight_ok(dir.path(), &["identity", "set", "--name", "Lee Locked"]);
    let run = support::completed_bundled_run_cli(dir.path());

    let lock = Command::new("busctl")
        .args([
            "--user",
            "call",
            "org.freedesktop.secrets",
            "/org/freedesktop/secrets",
        ])
        .args(["org.freedesktop.Secret.Service", "Lock", "ao", "1"])
        .arg("/org/freedesktop/secrets/collection/login")
        .output()
        .expect("busctl runs");
    assert!(
        lock.status.success(),
        "{}",
        String::from_utf8_lossy(&lock.stderr)
    );
    let pdf = dir.path().join("locked.pdf");
    let started = std::time::Instant::now();
    let exported = support::greenlight(
        dir.path(),
        &["export", "--run", &run, "--pdf", pdf.to_str().unwrap()],
    );
    let waited = started.elapsed();
    // Unlock again for whatever runs next, as a login would.
    let mut unlock = Command::new("gnome-keyring-daemon")
        .args(["--replace", "--unlock", "--components=secrets"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(unlock.stdin.as_mut().unwrap(), password.as_bytes()).unwrap();
    drop(unlock.stdin.take());
    unlock.wait().unwrap();

    let stdout = String::from_utf8_lossy(&exported.stdout);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(
        stdout.contains("not signed: the keychain holding the signing key is locked"),
        "{stdout}"
    );
    assert!(
        waited < std::time::Duration::from_secs(15),
        "the export waited {waited:?}"
    );
    let report = verify_record_file(&read(&pdf), None);
    assert_eq!(report.verdict, RecordVerdict::Intact, "{}", report.headline);
    assert!(report.signatures.is_empty());
    assert!(report.headline.contains("UNSIGNED"), "{}", report.headline);
    assert!(
        report.warnings.iter().any(|w| w.contains("not signed")),
        "{:?}",
        report.warnings
    );
    if let Ok(text) = Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("UNSIGNED: the keychain"),
            "the audit page says it is unsigned"
        );
    }
}

/// poppler's own verifier agrees: valid and whole; one changed byte makes it invalid; a
/// counter-signature added later is reported beside the first, both valid.
#[tokio::test]
async fn pdfsig_reports_the_record_valid_and_a_counter_signature_is_reported_too() {
    let exported = exported().await;
    let Ok(out) = Command::new("pdfsig").arg(&exported.pdf).output() else {
        eprintln!("skipped: pdfsig is not installed (apt-get install poppler-utils)");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Signature is Valid."), "{text}");
    assert!(text.contains("Total document signed"), "{text}");
    assert!(text.contains("Ann Lee"), "{text}");
    let listed = Command::new("pdfdetach")
        .arg("-list")
        .arg(&exported.pdf)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("greenlight-record.json"));

    let mut flipped = read(&exported.pdf);
    let at = flipped.windows(6).position(|w| w == b"stream").unwrap() + 40;
    flipped[at] ^= 0x01;
    let bad = exported.pdf.with_extension("flipped.pdf");
    std::fs::write(&bad, &flipped).unwrap();
    let out = Command::new("pdfsig").arg(&bad).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Signature is Valid."), "{text}");

    let reviewer = greenlight_seal::new_self_signed_identity(
        &greenlight_seal::IdentitySubject {
            name: "Quinn Auditor".into(),
            email: None,
            organisation: None,
            role: Some("Change advisory board".into()),
        },
        Utc::now(),
        30,
    )
    .unwrap();
    let countersigned = greenlight_seal::sign_pdf(
        &read(&exported.pdf),
        &reviewer,
        &greenlight_seal::SignOptions {
            signing_time: Utc::now(),
            signer_name: "Quinn Auditor".into(),
            reason: "Reviewed".into(),
            location: None,
        },
    )
    .unwrap();
    let report = verify_record_file(&countersigned, None);
    assert_eq!(
        report.verdict,
        RecordVerdict::Intact,
        "{:?}",
        report.problems
    );
    let signers: Vec<&str> = report
        .signatures
        .iter()
        .map(|s| s.signer.as_str())
        .collect();
    assert_eq!(signers.len(), 2, "{signers:?}");
    assert!(
        signers[0].contains("Ann Lee") && signers[1].contains("Quinn Auditor"),
        "{signers:?}"
    );
    assert!(
        report
            .signatures
            .iter()
            .all(|s| s.valid && s.covers_whole_document)
    );
    let both = exported.pdf.with_extension("countersigned.pdf");
    std::fs::write(&both, &countersigned).unwrap();
    let out = Command::new("pdfsig").arg(&both).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("Signature is Valid.").count(), 2, "{text}");
}
