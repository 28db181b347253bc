//! Checking a PDF record on any machine: every signature (field, byte range, digest, signer,
//! times), the attached files, and what changed after each signature. Only reads; never panics
//! on hostile input.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};

use crate::byte_range;
use crate::certificate::{self, CertificateInfo};
use crate::document::{self, MAX_DEPTH};
use crate::embed::{self, EmbeddedFile};
use crate::{SealError, cms, pdf_date, timestamp};

/// What [`inspect_pdf`] found in a PDF.
#[derive(Debug, Clone)]
pub struct PdfInspection {
    /// Every signature, in the order they were added (by the end of their byte range).
    pub signatures: Vec<SignatureReport>,
    /// Files attached to the latest revision.
    pub embedded_files: Vec<EmbeddedFile>,
    /// Length of the inspected file in bytes.
    pub file_len: usize,
}

/// One attached file as it was in a signed revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAttachment {
    /// File name.
    pub name: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256_hex: String,
}

/// What was appended to the file after a signature's revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangesAfter {
    /// Nothing: the signature covers the whole file.
    None,
    /// Only revisions that end in further signatures (counter-signatures).
    OnlySignatures,
    /// Other revisions: the document (content, attachments, ...) may have changed.
    Other,
}

/// One signature and what checking it found.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// Fully qualified field name (`Signature1`), or empty for a signature without a field.
    pub field_name: String,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: Option<String>,
    /// `/ByteRange` as written in the file.
    pub byte_range: Vec<i64>,
    /// Four numbers from 0, inside the file, the gap being exactly the `/Contents` hex string.
    pub range_well_formed: bool,
    /// The range ends where a revision ends: it covers everything but `/Contents` up to then.
    pub covers_its_revision: bool,
    /// The range ends at the current end of the file.
    pub covers_whole_document: bool,
    /// SHA-256 of the ranges equals the signed messageDigest attribute.
    pub digest_matches: bool,
    /// The signed attributes verify with the embedded certificate's public key.
    pub signature_valid: bool,
    /// The signer's certificate, as embedded in the signature.
    pub signer: Option<CertificateInfo>,
    /// The signer's certificate, DER.
    pub signer_certificate_der: Option<Vec<u8>>,
    /// From the signingTime attribute, else the `/M` entry.
    pub signing_time: Option<DateTime<Utc>>,
    /// Time of an RFC 3161 signature time-stamp token, if present.
    pub timestamp: Option<DateTime<Utc>>,
    /// The time-stamp token's imprint is the hash of this signature's value.
    pub timestamp_matches_signature: bool,
    /// Attached files in the signed revision (empty if the range was unusable).
    pub signed_attachments: Vec<SignedAttachment>,
    /// What was appended after this signature.
    pub changes_after: ChangesAfter,
    /// Why the signature could not be read, if it could not.
    pub problem: Option<String>,
}

impl SignatureReport {
    /// Range well formed and covering its revision, digest matching, signature verifying.
    pub fn is_intact(&self) -> bool {
        self.range_well_formed
            && self.covers_its_revision
            && self.digest_matches
            && self.signature_valid
    }

    /// The named attachment as it was when this signature was made.
    pub fn signed_attachment(&self, name: &str) -> Option<&SignedAttachment> {
        self.signed_attachments.iter().find(|a| a.name == name)
    }
}

impl PdfInspection {
    /// The named attachment in the latest revision.
    pub fn embedded_file(&self, name: &str) -> Option<&EmbeddedFile> {
        self.embedded_files.iter().find(|f| f.name == name)
    }

    /// The named attachment as signed by signature `index`.
    pub fn signed_revision_embedded(&self, index: usize, name: &str) -> Option<&SignedAttachment> {
        self.signatures.get(index)?.signed_attachment(name)
    }

    /// True when the named attachment differs now from what signature `index` signed (replaced,
    /// added or removed later).
    pub fn attachment_changed_since(&self, index: usize, name: &str) -> bool {
        let now = self.embedded_file(name).map(|f| sha256_hex(&f.bytes));
        let signed = self
            .signed_revision_embedded(index, name)
            .map(|a| a.sha256_hex.clone());
        now != signed
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Inspects a PDF: signatures, attachments, later changes. A non-PDF gives
/// [`SealError::NotAPdf`], a truncated or broken one [`SealError::Damaged`].
pub fn inspect_pdf(pdf: &[u8]) -> Result<PdfInspection, SealError> {
    let doc = document::load(pdf)?;
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    if let Ok(catalog) = document::catalog(&doc)
        && let Some(form) = document::get_dict(&doc, catalog, b"AcroForm")
        && let Some(fields) = document::get_array(&doc, form, b"Fields")
    {
        collect_signature_fields(&doc, fields, "", false, 0, &mut seen, &mut found);
    }
    // Signature dictionaries no field points at (unusual, but still signatures in the file).
    for (id, object) in &doc.objects {
        if let Object::Dictionary(dict) = object
            && dict.has(b"ByteRange")
            && dict.has(b"Contents")
            && !seen.contains(id)
        {
            found.push((String::new(), dict.clone()));
        }
    }

    let mut signatures: Vec<SignatureReport> = found
        .iter()
        .map(|(name, dict)| check_signature(pdf, name, dict))
        .collect();
    signatures.sort_by_key(range_end);

    let signature_ends: BTreeSet<usize> = signatures
        .iter()
        .filter(|s| s.range_well_formed && s.covers_its_revision)
        .map(range_end)
        .collect();
    let revision_ends = byte_range::revision_ends(pdf);
    let mut revisions: BTreeMap<usize, Vec<SignedAttachment>> = BTreeMap::new();
    for report in &mut signatures {
        let end = range_end(report);
        report.changes_after = changes_after(end, pdf.len(), &revision_ends, &signature_ends);
        if report.range_well_formed && report.covers_its_revision {
            let attachments = revisions
                .entry(end)
                .or_insert_with(|| signed_attachments(&pdf[..end]));
            report.signed_attachments = attachments.clone();
        }
    }

    Ok(PdfInspection {
        signatures,
        embedded_files: embed::embedded_files(&doc),
        file_len: pdf.len(),
    })
}

fn range_end(report: &SignatureReport) -> usize {
    match report.byte_range.as_slice() {
        [_, _, c, d] => usize::try_from(c.saturating_add(*d)).unwrap_or(0),
        _ => 0,
    }
}

fn changes_after(
    end: usize,
    len: usize,
    revision_ends: &[usize],
    signature_ends: &BTreeSet<usize>,
) -> ChangesAfter {
    if end >= len {
        return ChangesAfter::None;
    }
    let later_revisions_are_signatures = revision_ends
        .iter()
        .filter(|e| **e > end)
        .all(|e| signature_ends.contains(e));
    if later_revisions_are_signatures && signature_ends.contains(&len) {
        ChangesAfter::OnlySignatures
    } else {
        ChangesAfter::Other
    }
}

fn signed_attachments(prefix: &[u8]) -> Vec<SignedAttachment> {
    let Ok(doc) = document::load(prefix) else {
        return Vec::new();
    };
    embed::embedded_files(&doc)
        .into_iter()
        .map(|f| SignedAttachment {
            sha256_hex: sha256_hex(&f.bytes),
            name: f.name,
        })
        .collect()
}

/// Walks the form's field tree, collecting terminal fields of type `/Sig` that have a value.
fn collect_signature_fields(
    doc: &Document,
    fields: &[Object],
    parent_name: &str,
    parent_is_sig: bool,
    depth: usize,
    seen: &mut BTreeSet<ObjectId>,
    out: &mut Vec<(String, Dictionary)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for field in fields {
        let Some(Ok(dict)) = document::resolve(doc, field).map(Object::as_dict) else {
            continue;
        };
        let partial = dict.get(b"T").ok().and_then(document::text);
        let name = match (&partial, parent_name.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{parent_name}.{p}"),
            (None, _) => parent_name.to_string(),
        };
        let is_sig = match dict.get(b"FT").and_then(Object::as_name) {
            Ok(ft) => ft == b"Sig",
            Err(_) => parent_is_sig,
        };
        if let Some(kids) = document::get_array(doc, dict, b"Kids")
            && kids.iter().any(|k| {
                document::resolve(doc, k).is_some_and(|k| k.as_dict().is_ok_and(|d| d.has(b"T")))
            })
        {
            collect_signature_fields(doc, kids, &name, is_sig, depth + 1, seen, out);
            continue;
        }
        if !is_sig {
            continue;
        }
        let Ok(value) = dict.get(b"V") else {
            continue;
        };
        if let Ok(id) = value.as_reference()
            && !seen.insert(id)
        {
            continue;
        }
        if let Some(Ok(sig)) = document::resolve(doc, value).map(Object::as_dict) {
            out.push((name, sig.clone()));
        }
    }
}

fn check_signature(pdf: &[u8], field_name: &str, sig: &Dictionary) -> SignatureReport {
    let byte_range: Vec<i64> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map(|items| items.iter().filter_map(|o| o.as_i64().ok()).collect())
        .unwrap_or_default();
    let sub_filter = sig
        .get(b"SubFilter")
        .and_then(Object::as_name)
        .ok()
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let claimed_time = sig
        .get(b"M")
        .and_then(Object::as_str)
        .ok()
        .and_then(pdf_date::parse);
    let checked = byte_range::check(pdf, &byte_range);
    let mut report = SignatureReport {
        field_name: field_name.to_string(),
        sub_filter,
        byte_range: byte_range.clone(),
        range_well_formed: checked.is_some(),
        covers_its_revision: checked.as_ref().is_some_and(|c| c.ends_a_revision),
        covers_whole_document: false,
        digest_matches: false,
        signature_valid: false,
        signer: None,
        signer_certificate_der: None,
        signing_time: claimed_time,
        timestamp: None,
        timestamp_matches_signature: false,
        signed_attachments: Vec::new(),
        changes_after: ChangesAfter::Other,
        problem: None,
    };
    report.covers_whole_document = report.range_well_formed && range_end(&report) == pdf.len();
    let contents = match &checked {
        Some(c) => c.contents.clone(),
        None => match sig.get(b"Contents").and_then(Object::as_str) {
            Ok(bytes) => bytes.to_vec(),
            Err(_) => {
                report.problem = Some("the signature has no /Contents".into());
                return report;
            }
        },
    };
    let parsed = match cms::parse(&contents) {
        Ok(parsed) => parsed,
        Err(e) => {
            report.problem = Some(format!("the signature cannot be read: {e}"));
            return report;
        }
    };
    if let Some(c) = &checked {
        let [first, second] = byte_range::signed_parts(pdf, c.range);
        let digest = cms::digest(&parsed.digest_algorithm, &[first, second]);
        report.digest_matches = digest.is_some() && digest == parsed.message_digest;
        if digest.is_none() {
            report.problem = Some(format!(
                "unsupported digest algorithm {}",
                parsed.digest_algorithm
            ));
        }
    }
    report.signature_valid = parsed.signature_valid;
    if let Some(der) = &parsed.certificate_der {
        report.signer = certificate::certificate_info(der).ok();
    }
    report.signer_certificate_der = parsed.certificate_der;
    report.signing_time = parsed.signing_time.or(claimed_time);
    if let Some(token) = &parsed.timestamp_token
        && let Ok((time, matches)) = timestamp::token_time(token, &parsed.signature_value)
    {
        report.timestamp = Some(time);
        report.timestamp_matches_signature = matches;
    }
    report
}
