//! Trusted time on record signatures: with a time-stamp authority configured and answering (a
//! real `openssl ts -reply` behind a loopback HTTP server), the signature carries its RFC 3161
//! token and the verifier reports the authority's time; with the authority unreachable, the
//! record is signed without one, promptly, and says so.

mod support;
#[path = "../src-tauri/crates/seal/tests/common/tsa.rs"]
mod tsa;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::Utc;
use greenlight_app::api_error::Code;
use greenlight_app::app::App;
use greenlight_app::record_verify::{RecordVerdict, verify_record_file};
use greenlight_secrets::MemoryStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves RFC 3161 over HTTP on loopback: each POSTed query is answered by `openssl ts -reply`.
async fn serve_tsa(dir: PathBuf, config: PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tsr", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for n in 0.. {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut request = Vec::new();
            let mut buffer = [0u8; 8192];
            let body = loop {
                let read = stream.read(&mut buffer).await.unwrap_or(0);
                if read == 0 {
                    break None;
                }
                request.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break Some(request[end + 4..end + 4 + length].to_vec());
                    }
                }
            };
            let Some(body) = body else { continue };
            let reply = tsa::tsa_reply(&dir, &config, &body, &format!("q{n}"));
            let ok = reply.is_some();
            let answer = reply.unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                if ok {
                    "200 OK"
                } else {
                    "500 Internal Server Error"
                },
                answer.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&answer).await;
        }
    });
    url
}

async fn app_with_completed_run(dir: &Path) -> (App, String) {
    let app = support::open_app_as(dir, Arc::new(MemoryStore::new()), "Tess Time", None).await;
    let run = support::start_bundled_run(&app, "payments").await;
    app.complete_run(&run.id).await.unwrap();
    (app, run.id)
}

#[tokio::test]
async fn a_reachable_time_stamp_authority_puts_its_trusted_time_on_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let Some(config) = tsa::test_tsa(dir.path()) else {
        eprintln!("skipped: openssl is not installed (apt-get install openssl)");
        return;
    };
    let url = serve_tsa(dir.path().to_path_buf(), config).await;
    let (app, run_id) = app_with_completed_run(dir.path()).await;
    greenlight_app::sealing::set_timestamp_authority(&app, Some(&url))
        .await
        .unwrap();
    let pdf = dir.path().join("stamped.pdf");
    let result = app
        .export_run(&run_id, Some(pdf.clone()), None)
        .await
        .unwrap();
    assert!(
        result.signing.contains("trusted timestamp from"),
        "{}",
        result.signing
    );
    let report = verify_record_file(&std::fs::read(&pdf).unwrap(), None);
    assert_eq!(
        report.verdict,
        RecordVerdict::Intact,
        "{:?}",
        report.problems
    );
    let stamped = report.signatures[0].timestamp.expect("a trusted time");
    assert!((Utc::now() - stamped).num_minutes().abs() < 5, "{stamped}");
    assert!(
        report.headline.contains("trusted timestamp"),
        "{}",
        report.headline
    );
    if let Ok(out) = Command::new("pdfsig").arg(&pdf).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Signature is Valid."), "{text}");
    }
}

#[tokio::test]
async fn an_unreachable_authority_gives_a_signed_record_without_trusted_time_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (app, run_id) = app_with_completed_run(dir.path()).await;
    let url = format!("http://127.0.0.1:{port}/tsr");
    greenlight_app::sealing::set_timestamp_authority(&app, Some(&url))
        .await
        .unwrap();
    let pdf = dir.path().join("offline.pdf");
    let result = app
        .export_run(&run_id, Some(pdf.clone()), None)
        .await
        .unwrap();
    assert!(result.signed);
    assert!(
        result.signing.contains("no trusted timestamp"),
        "{}",
        result.signing
    );
    let report = verify_record_file(&std::fs::read(&pdf).unwrap(), None);
    assert_eq!(report.verdict, RecordVerdict::Intact);
    assert!(report.signatures[0].timestamp.is_none());
}

#[tokio::test]
async fn a_time_stamp_url_with_credentials_or_another_scheme_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_with_completed_run(dir.path()).await;
    for bad in [
        "https://user:secret@tsa.example.com/",
        "ftp://tsa.example.com/",
        "not a url",
    ] {
        let error = greenlight_app::sealing::set_timestamp_authority(&app, Some(bad))
            .await
            .unwrap_err();
        assert_eq!(error.code, Code::InvalidInput);
        assert!(!error.message.contains("secret"), "{}", error.message);
    }
    let cleared = greenlight_app::sealing::set_timestamp_authority(&app, None)
        .await
        .unwrap();
    assert_eq!(cleared, None);
}
