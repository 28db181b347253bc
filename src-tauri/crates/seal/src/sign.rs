//! Signing a PDF: appends an incremental update with an invisible signature field on page 1 and
//! a `/Sig` dictionary (PAdES, `/ETSI.CAdES.detached`), then fills the reserved `/Contents`
//! with a CMS signature over the `/ByteRange`. Two steps, so a caller can fetch an RFC 3161
//! time-stamp over HTTP in between; this crate does no network I/O.

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object};

use crate::byte_range::{self, CONTENTS_BYTES, RANGE_PLACEHOLDER};
use crate::document::{self, MAX_DEPTH};
use crate::writer::{self, Update};
use crate::{SealError, SigningIdentity, cms, pdf_date, timestamp};

/// What the signature says besides the cryptography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// Claimed signing time (`/M` and the signingTime attribute).
    pub signing_time: DateTime<Utc>,
    /// Signer's name (`/Name`).
    pub signer_name: String,
    /// Why the document is signed (`/Reason`), e.g. "Release approved".
    pub reason: String,
    /// Where (`/Location`).
    pub location: Option<String>,
}

/// A signed PDF waiting for an optional time-stamp token before it is finished.
#[derive(Debug, Clone)]
pub struct PreparedSignature {
    pdf: Vec<u8>,
    contents_at: usize,
    cms: Vec<u8>,
    tsa_request: Vec<u8>,
}

impl PreparedSignature {
    /// The RFC 3161 TimeStampReq (DER) to POST to a time-stamp authority
    /// (`Content-Type: application/timestamp-query`).
    pub fn tsa_request(&self) -> &[u8] {
        &self.tsa_request
    }

    /// Writes the signature into the PDF. `timestamp_reply` is the authority's answer (a
    /// TimeStampResp, or a bare token); it becomes the signatureTimeStampToken attribute.
    pub fn finish(self, timestamp_reply: Option<&[u8]>) -> Result<Vec<u8>, SealError> {
        let cms = match timestamp_reply {
            Some(reply) => {
                let token = timestamp::token_from_reply(reply)?;
                let value = cms::signature_value(&self.cms)?;
                let (_, imprint_matches) = timestamp::token_time(&token, &value)?;
                if !imprint_matches {
                    return Err(SealError::InvalidTimestamp(
                        "the token does not time-stamp this signature".into(),
                    ));
                }
                cms::add_timestamp(&self.cms, &token)?
            }
            None => self.cms,
        };
        let encoded = hex::encode(&cms);
        if encoded.len() > CONTENTS_BYTES * 2 {
            return Err(SealError::SignatureTooLarge {
                needed: cms.len(),
                available: CONTENTS_BYTES,
            });
        }
        let mut pdf = self.pdf;
        pdf[self.contents_at..self.contents_at + encoded.len()].copy_from_slice(encoded.as_bytes());
        Ok(pdf)
    }
}

/// Signs `pdf` in one step, without a time-stamp.
pub fn sign_pdf(
    pdf: &[u8],
    identity: &SigningIdentity,
    options: &SignOptions,
) -> Result<Vec<u8>, SealError> {
    prepare_signature(pdf, identity, options)?.finish(None)
}

/// Appends the signature field and `/Sig` dictionary, computes the byte range and the CMS
/// signature; [`PreparedSignature::finish`] then writes it into the file.
pub fn prepare_signature(
    pdf: &[u8],
    identity: &SigningIdentity,
    options: &SignOptions,
) -> Result<PreparedSignature, SealError> {
    let doc = document::load(pdf)?;
    let catalog_id = document::catalog_id(&doc)?;
    let mut catalog = document::catalog(&doc)?.clone();
    let page_id = doc
        .get_pages()
        .get(&1)
        .copied()
        .ok_or_else(|| SealError::Unsupported("the document has no pages".into()))?;
    let mut update = Update::new(&doc)?;

    let sig_id = update.reserve();
    let (sig_body, range_at, contents_at) = sig_dictionary(options);
    update.set_raw(sig_id, sig_body);

    // The AcroForm: existing fields plus ours, SigFlags 3 (signatures exist, append only).
    let acroform_ref = catalog.get(b"AcroForm").and_then(Object::as_reference).ok();
    let mut acroform = document::get_dict(&doc, &catalog, b"AcroForm")
        .cloned()
        .unwrap_or_default();
    let mut fields = document::get_array(&doc, &acroform, b"Fields")
        .cloned()
        .unwrap_or_default();
    let field_name = unused_field_name(&doc, &fields);

    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", document::text_string(&field_name));
    field.set("V", Object::Reference(sig_id));
    field.set("F", Object::Integer(132)); // Print + Locked
    field.set(
        "Rect",
        Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
    );
    field.set("P", Object::Reference(page_id));
    let field_id = update.add(Object::Dictionary(field));

    fields.push(Object::Reference(field_id));
    acroform.set("Fields", Object::Array(fields));
    acroform.set("SigFlags", Object::Integer(3));
    match acroform_ref {
        Some(id) => update.set(id, Object::Dictionary(acroform)),
        None => {
            catalog.set("AcroForm", Object::Dictionary(acroform));
            update.set(catalog_id, Object::Dictionary(catalog));
        }
    }

    // The widget goes into page 1's /Annots.
    let mut page = doc
        .get_dictionary(page_id)
        .map_err(|_| SealError::Damaged("page 1 cannot be read".into()))?
        .clone();
    match page.get(b"Annots") {
        Ok(Object::Reference(annots_id)) => {
            let mut annots = doc
                .get_object(*annots_id)
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default();
            annots.push(Object::Reference(field_id));
            update.set(*annots_id, Object::Array(annots));
        }
        _ => {
            let mut annots = page
                .get(b"Annots")
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default();
            annots.push(Object::Reference(field_id));
            page.set("Annots", Object::Array(annots));
            update.set(page_id, Object::Dictionary(page));
        }
    }

    let written = update.write(pdf);
    let mut out = written.bytes;
    let body_at = written
        .body_offsets
        .get(&sig_id)
        .copied()
        .ok_or_else(|| SealError::Signing("the signature dictionary was not written".into()))?;
    let range_at = body_at + range_at;
    let contents_start = body_at + contents_at;
    let contents_end = contents_start + CONTENTS_BYTES * 2 + 2;
    let range = [0, contents_start, contents_end, out.len() - contents_end];
    let text = byte_range::range_text(range)
        .ok_or_else(|| SealError::Unsupported("the document is too large to sign".into()))?;
    out[range_at..range_at + text.len()].copy_from_slice(&text);

    let [first, second] = byte_range::signed_parts(&out, range);
    let digest = cms::digest(&cms::SHA256, &[first, second])
        .ok_or_else(|| SealError::Signing("SHA-256 unavailable".into()))?;
    let cms = cms::sign_digest(identity, &digest, options.signing_time)?;
    let tsa_request = timestamp::timestamp_request(&cms::signature_value(&cms)?)?;
    Ok(PreparedSignature {
        pdf: out,
        contents_at: contents_start + 1,
        cms,
        tsa_request,
    })
}

/// The serialised `/Sig` dictionary and the offsets of its `/ByteRange` array and `/Contents`
/// hex string inside it.
fn sig_dictionary(options: &SignOptions) -> (Vec<u8>, usize, usize) {
    let mut out = Vec::new();
    out.extend_from_slice(
        b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ",
    );
    let range_at = out.len();
    out.extend_from_slice(RANGE_PLACEHOLDER);
    out.extend_from_slice(b" /Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.resize(out.len() + CONTENTS_BYTES * 2, b'0');
    out.push(b'>');
    out.extend_from_slice(b" /M ");
    writer::write_literal(&mut out, pdf_date::format(options.signing_time).as_bytes());
    let mut text_entry = |key: &[u8], value: &str| {
        out.push(b' ');
        writer::write_name(&mut out, key);
        out.push(b' ');
        writer::write_object(&mut out, &document::text_string(value));
    };
    text_entry(b"Name", &options.signer_name);
    text_entry(b"Reason", &options.reason);
    if let Some(location) = &options.location {
        text_entry(b"Location", location);
    }
    out.extend_from_slice(b">>");
    (out, range_at, contents_at)
}

/// `Signature1`, `Signature2`, ... : the first name no field in the form uses yet.
fn unused_field_name(doc: &Document, fields: &[Object]) -> String {
    let mut used = Vec::new();
    collect_names(doc, fields, 0, &mut used);
    (1..)
        .map(|n| format!("Signature{n}"))
        .find(|name| !used.contains(name))
        .unwrap_or_else(|| "Signature".into())
}

fn collect_names(doc: &Document, fields: &[Object], depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    for field in fields {
        let Some(Ok(dict)) = document::resolve(doc, field).map(Object::as_dict) else {
            continue;
        };
        if let Some(name) = dict.get(b"T").ok().and_then(document::text) {
            out.push(name);
        }
        if let Some(kids) = document::get_array(doc, dict, b"Kids") {
            collect_names(doc, kids, depth + 1, out);
        }
    }
}
