//! Shared test helpers: a tiny one-page PDF built with lopdf, external tool checks, temp files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use greenlight_seal::EmbeddedFile;
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

/// A small, valid one-page PDF with a fixed trailer /ID (deterministic), saved by lopdf.
pub fn one_page_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = b"BT /F1 18 Tf 72 720 Td (Deployment record) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let id = Object::String(b"greenlight-test-0001".to_vec(), StringFormat::Literal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save test pdf");
    bytes
}

pub fn time(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
        .single()
        .expect("valid time")
}

pub fn record_json(text: &str) -> EmbeddedFile {
    EmbeddedFile {
        name: "record.json".into(),
        mime: "application/json".into(),
        description: "Machine-readable deployment record".into(),
        bytes: format!("{{\"run\":\"{text}\"}}").into_bytes(),
        modified: time(2025, 3, 1, 12),
    }
}

/// True when `tool` can be run; otherwise prints why the test is skipped.
pub fn have(tool: &str, package: &str) -> bool {
    let found = Command::new(tool)
        .arg(if tool == "openssl" { "version" } else { "-v" })
        .output()
        .is_ok();
    if !found {
        eprintln!("skipped: {tool} not installed (apt-get install {package})");
    }
    found
}

pub fn run(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().expect("run tool")
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

pub fn qpdf_is_clean(path: &Path) {
    let out = run("qpdf", &["--check", path.to_str().expect("utf-8 path")]);
    let t = text(&out);
    assert!(out.status.success(), "qpdf --check failed: {t}");
    assert!(!t.contains("WARNING"), "qpdf --check warned: {t}");
}

pub fn ann() -> greenlight_seal::IdentitySubject {
    greenlight_seal::IdentitySubject {
        name: "Ann Lee".into(),
        email: Some("ann@example.com".into()),
        organisation: Some("Example Ltd".into()),
        role: Some("Release manager".into()),
    }
}

pub fn identity() -> greenlight_seal::SigningIdentity {
    greenlight_seal::new_self_signed_identity(&ann(), time(2025, 1, 1, 9), 365).expect("identity")
}

pub fn options() -> greenlight_seal::SignOptions {
    greenlight_seal::SignOptions {
        signing_time: time(2025, 3, 1, 12),
        signer_name: "Ann Lee".into(),
        reason: "Release approved".into(),
        location: Some("Berlin".into()),
    }
}

/// A record with the JSON attached and signed by Ann.
pub fn signed_record() -> Vec<u8> {
    let with_json =
        greenlight_seal::embed_file(&one_page_pdf(), &record_json("r-42")).expect("embed");
    greenlight_seal::sign_pdf(&with_json, &identity(), &options()).expect("sign")
}

pub fn pdfsig(dir: &Path, bytes: &[u8]) -> String {
    let path = write(dir, "check.pdf", bytes);
    text(&run("pdfsig", &[path.to_str().expect("path")]))
}
