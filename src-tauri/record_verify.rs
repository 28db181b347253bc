//! Verifying a record file anywhere: a record PDF (its signatures, its embedded JSON record) or
//! the JSON record alone, with no database. Replays every event, recomputes the hash chain and
//! the derived state, checks the template source against its hash and the signatures against
//! the bytes, and says in plain words that it is intact or the first thing that failed.
//! Pure over bytes; Tauri-free and store-free (it uses the store crate's pure replay only).

use chrono::{DateTime, Utc};
use greenlight_store::audit::sha256_hex;
use greenlight_store::projection_check::check_against_log;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use greenlight_seal::ChangesAfter;

use crate::export::{EMBEDDED_RECORD_NAME, RECORD_FORMAT, RecordCheck, RunRecord, parse_record};

/// The outcome of checking a record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordVerdict {
    /// Every check passed (warnings may still apply: unsigned, self-signed).
    Intact,
    /// Something in the record does not hold: `problems` says what, first failure first.
    Tampered,
    /// The file is not a Greenlight record at all.
    NotARecord,
}

impl RecordVerdict {
    /// The CLI's exit code: 0 intact, 1 tampered, 2 not a record.
    pub fn exit_code(self) -> u8 {
        match self {
            RecordVerdict::Intact => 0,
            RecordVerdict::Tampered => 1,
            RecordVerdict::NotARecord => 2,
        }
    }
}

/// One PDF signature found on a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordSignature {
    pub signer: String,
    pub fingerprint_sha256: String,
    pub signed_at: Option<DateTime<Utc>>,
    /// Trusted time from a timestamp authority (RFC 3161), when the signature carries one.
    pub timestamp: Option<DateTime<Utc>>,
    /// The certificate vouches only for itself (no authority checked who holds it).
    pub self_signed: bool,
    /// The signature matches the bytes it covers.
    pub valid: bool,
    /// Nothing but later signatures was added after it.
    pub covers_whole_document: bool,
}

/// What checking a record file found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordVerification {
    pub verdict: RecordVerdict,
    /// One sentence: intact (and by whom) or the first thing that failed.
    pub headline: String,
    /// Every check that failed, first failure first.
    pub problems: Vec<String>,
    /// What holds but deserves attention: unsigned, self-signed, an older record format.
    pub warnings: Vec<String>,
    pub run_id: Option<String>,
    /// `payments 2.1.0 in production — Blue/green release`.
    pub describes: Option<String>,
    #[ts(type = "number")]
    pub event_count: i64,
    pub head_hash: String,
    pub signatures: Vec<RecordSignature>,
    /// When the record is of a run this database holds: the comparison with its log.
    pub local_log: Option<RecordCheck>,
}

impl RecordVerification {
    fn not_a_record(why: String) -> RecordVerification {
        RecordVerification {
            verdict: RecordVerdict::NotARecord,
            headline: format!("Not a Greenlight record: {why}"),
            problems: vec![why],
            warnings: Vec::new(),
            run_id: None,
            describes: None,
            event_count: 0,
            head_hash: String::new(),
            signatures: Vec::new(),
            local_log: None,
        }
    }

    /// Adds the comparison with the local log; a mismatch there makes the record tampered.
    pub fn with_local_log(mut self, check: RecordCheck) -> RecordVerification {
        if !check.matches && self.verdict == RecordVerdict::Intact {
            self.verdict = RecordVerdict::Tampered;
            self.problems.push(format!(
                "it differs from this computer's log: {}",
                check.message
            ));
            self.headline = format!("Tampered: {}", check.message);
        }
        self.local_log = Some(check);
        self
    }
}

/// Checks a record file's bytes (a record PDF or a JSON record). `expected_signer`, when given,
/// is the SHA-256 fingerprint the signer's certificate must have (as the organisation recorded).
pub fn verify_record_file(bytes: &[u8], expected_signer: Option<&str>) -> RecordVerification {
    read_and_verify_record_file(bytes, expected_signer).0
}

/// [`verify_record_file`], also handing back the record it read (from the PDF's attachment or
/// the JSON itself), so a caller comparing it with a local log reads the file only once.
pub fn read_and_verify_record_file(
    bytes: &[u8],
    expected_signer: Option<&str>,
) -> (RecordVerification, Option<RunRecord>) {
    if bytes.starts_with(b"%PDF-") {
        return verify_pdf(bytes, expected_signer);
    }
    match parse_record(bytes) {
        Ok(record) => {
            let mut report = verify_json(&record);
            report.warnings.push(
                "this is the JSON record alone: it carries no signature; check the signed PDF to know who exported it"
                    .into(),
            );
            if expected_signer.is_some() {
                report
                    .fail("a JSON record carries no signature to match the expected signer".into());
            }
            (report.finish(), Some(record))
        }
        Err(error) => (RecordVerification::not_a_record(error.message), None),
    }
}

fn normalised_fingerprint(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn verify_pdf(
    bytes: &[u8],
    expected_signer: Option<&str>,
) -> (RecordVerification, Option<RunRecord>) {
    let not_a_record = |why: String| (RecordVerification::not_a_record(why), None);
    let inspection = match greenlight_seal::inspect_pdf(bytes) {
        Ok(inspection) => inspection,
        Err(error) => return not_a_record(format!("the PDF cannot be read: {error}")),
    };
    let Some(embedded) = inspection
        .embedded_files
        .iter()
        .find(|file| file.name == EMBEDDED_RECORD_NAME)
    else {
        return not_a_record(format!("the PDF has no attached {EMBEDDED_RECORD_NAME}"));
    };
    let record = match parse_record(&embedded.bytes) {
        Ok(record) => record,
        Err(error) => {
            return not_a_record(format!(
                "the attached record cannot be read: {}",
                error.message
            ));
        }
    };
    let mut report = verify_json(&record);
    let embedded_hash = sha256_hex(&embedded.bytes);
    for (index, signature) in inspection.signatures.iter().enumerate() {
        let ordinal = index + 1;
        let signer = signature.signer.as_ref();
        let signer_name = signer.map_or_else(
            || "an unreadable certificate".to_string(),
            |c| c.subject.clone(),
        );
        report.signatures.push(RecordSignature {
            signer: signer_name.clone(),
            fingerprint_sha256: signer
                .map(|c| c.fingerprint_sha256.clone())
                .unwrap_or_default(),
            signed_at: signature.signing_time,
            timestamp: signature
                .timestamp
                .filter(|_| signature.timestamp_matches_signature),
            self_signed: signer.is_some_and(|c| c.self_signed),
            valid: signature.is_intact(),
            covers_whole_document: signature.changes_after != ChangesAfter::Other,
        });
        if let Some(problem) = &signature.problem {
            report.fail(format!("signature {ordinal} cannot be read: {problem}"));
        } else if !signature.range_well_formed || !signature.covers_its_revision {
            report.fail(format!(
                "signature {ordinal} (by {signer_name}) does not cover its whole revision: its byte range was altered"
            ));
        } else if !signature.digest_matches {
            report.fail(format!(
                "the document was changed after signing: signature {ordinal} (by {signer_name}) no longer matches the bytes it covers"
            ));
        } else if !signature.signature_valid {
            report.fail(format!(
                "signature {ordinal} (by {signer_name}) is not a valid signature by its certificate"
            ));
        }
        if signature.changes_after == ChangesAfter::Other {
            report.fail(format!(
                "the document was changed after signing: something other than a signature was added after signature {ordinal} (by {signer_name})"
            ));
        }
        match signature.signed_attachment(EMBEDDED_RECORD_NAME) {
            Some(signed) if signed.sha256_hex == embedded_hash => {}
            Some(_) => report.fail(format!(
                "the attachment was replaced after signing: the attached record is not the one signature {ordinal} covers"
            )),
            None if index == 0 => report.fail(
                "the attached record was added after signing: the first signature does not cover it".into(),
            ),
            None => {}
        }
    }
    if inspection.signatures.is_empty() {
        report.warnings.push(
            "the PDF is not signed: it proves nothing about who exported it (the keychain may have been locked at export)"
                .into(),
        );
    }
    if report.signatures.iter().any(|s| s.self_signed) {
        report.warnings.push(
            "the signing certificate is self-signed: compare its fingerprint with the one your organisation recorded for the signer"
                .into(),
        );
    }
    if let Some(expected) = expected_signer {
        let expected = normalised_fingerprint(expected);
        let matched = report
            .signatures
            .iter()
            .any(|s| normalised_fingerprint(&s.fingerprint_sha256) == expected && s.valid);
        if !matched {
            report.fail(format!(
                "no valid signature is by the expected signer (SHA-256 {expected})"
            ));
        }
    }
    (report.finish(), Some(record))
}

impl RecordVerification {
    fn fail(&mut self, problem: String) {
        self.verdict = RecordVerdict::Tampered;
        self.problems.push(problem);
    }

    fn finish(mut self) -> RecordVerification {
        self.headline = match self.verdict {
            RecordVerdict::Intact => {
                let signed = match self.signatures.iter().find(|s| s.valid) {
                    Some(s) => format!(
                        "signed by {} (SHA-256 {}){} at {}{}",
                        s.signer,
                        s.fingerprint_sha256,
                        if s.self_signed { ", self-signed" } else { "" },
                        s.signed_at
                            .map_or_else(|| "an unknown time".into(), |t| t.to_rfc3339()),
                        match s.timestamp {
                            Some(t) => format!(", trusted timestamp {}", t.to_rfc3339()),
                            None => ", no trusted timestamp".into(),
                        }
                    ),
                    None => "UNSIGNED".into(),
                };
                format!(
                    "Intact: {} events, chain head {}; {signed}",
                    self.event_count, self.head_hash
                )
            }
            RecordVerdict::Tampered => format!(
                "Tampered: {}",
                self.problems.first().map_or("", String::as_str)
            ),
            RecordVerdict::NotARecord => self.headline.clone(),
        };
        self
    }
}

/// Checks the JSON record itself: format, template source, chain, head, derived state.
fn verify_json(record: &RunRecord) -> RecordVerification {
    let run = &record.run.run;
    let run_id = if record.run_id.is_empty() {
        run.id.clone()
    } else {
        record.run_id.clone()
    };
    let mut report = RecordVerification {
        verdict: RecordVerdict::Intact,
        headline: String::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        run_id: Some(run_id.clone()),
        describes: Some(format!(
            "{} {} in {} — {}",
            run.release_name, run.version, run.environment, run.template_title
        )),
        event_count: record.events.len() as i64,
        head_hash: record
            .events
            .last()
            .map(|e| e.hash.clone())
            .unwrap_or_default(),
        signatures: Vec::new(),
        local_log: None,
    };
    if run.id != run_id {
        report.fail(format!(
            "the record says it is of run {run_id} but its state is of run {}",
            run.id
        ));
    }
    let (chain, replayed) = check_against_log(
        &run_id,
        &record.events,
        run,
        &record.run.state,
        &record.run.template,
    );
    let Some(replayed) = replayed else {
        report.fail(format!(
            "the audit chain does not verify: {}",
            chain.message
        ));
        return report;
    };
    if record.format == RECORD_FORMAT && record.head_hash != chain.head_hash {
        report.fail(format!(
            "the record names chain head {} but its events end at {}",
            record.head_hash, chain.head_hash
        ));
    }
    match (&record.template, &replayed.run) {
        (Some(template), Some(started)) => {
            let source_hash = sha256_hex(template.source.as_bytes());
            if source_hash != template.content_hash || source_hash != started.template_hash {
                report.fail(format!(
                    "the template source was changed: its SHA-256 is {source_hash}, the log pinned {}",
                    started.template_hash
                ));
            }
        }
        (None, _) => report.warnings.push(
            "this record was written by an older Greenlight (format 1) and does not carry its template source"
                .into(),
        ),
        (_, None) => {}
    }
    if let Some(first) = chain.discrepancies.first() {
        report.fail(format!(
            "the state differs from the log: {}{}",
            first.message,
            match chain.discrepancies.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        ));
    }
    if record.run.state.head_hash != chain.head_hash && record.format == RECORD_FORMAT {
        report.fail(format!(
            "the state says chain head {} but the events end at {}",
            record.run.state.head_hash, chain.head_hash
        ));
    }
    report
}
