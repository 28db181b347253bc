//! Reading PDFs safely with lopdf: header check, panic-proof loading, and small lookup helpers.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::SealError;

/// How deep nested structures (name trees, field trees) are followed before giving up.
pub(crate) const MAX_DEPTH: usize = 32;

/// Loads a PDF from memory. Anything that is not a PDF gives [`SealError::NotAPdf`], a broken
/// one [`SealError::Damaged`]; a parser panic on hostile input is turned into `Damaged` too.
pub(crate) fn load(pdf: &[u8]) -> Result<Document, SealError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(SealError::NotAPdf);
    }
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(SealError::Damaged(
            "the file is truncated: it does not end with %%EOF".into(),
        ));
    }
    let loaded = catch_unwind(AssertUnwindSafe(|| Document::load_mem(pdf)))
        .map_err(|_| SealError::Damaged("the PDF structure could not be parsed".into()))?;
    let doc = loaded.map_err(|e| SealError::Damaged(e.to_string()))?;
    if doc.trailer.get(b"Encrypt").is_ok() || doc.encryption_state.is_some() {
        return Err(SealError::Encrypted);
    }
    if doc.trailer.get(b"Root").is_err() {
        return Err(SealError::Damaged(
            "the document has no catalog (/Root)".into(),
        ));
    }
    Ok(doc)
}

/// The object id of the document catalog.
pub(crate) fn catalog_id(doc: &Document) -> Result<ObjectId, SealError> {
    doc.trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| SealError::Damaged("the catalog (/Root) is not an indirect object".into()))
}

/// The catalog dictionary.
pub(crate) fn catalog(doc: &Document) -> Result<&Dictionary, SealError> {
    let id = catalog_id(doc)?;
    doc.get_dictionary(id)
        .map_err(|_| SealError::Damaged("the catalog (/Root) is missing".into()))
}

/// Follows a reference (if it is one) to the object it points at.
pub(crate) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

/// `dict[key]`, following a reference.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().and_then(|o| resolve(doc, o))
}

/// `dict[key]` as a dictionary (streams give their dictionary), following a reference.
pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// `dict[key]` as an array, following a reference.
pub(crate) fn get_array<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Vec<Object>> {
    get(doc, dict, key)?.as_array().ok()
}

/// A text string (PDFDocEncoding or UTF-16BE with BOM) as Rust text.
pub(crate) fn text(object: &Object) -> Option<String> {
    lopdf::decode_text_string(object).ok()
}

/// Encodes Rust text as a PDF text string: plain ASCII stays literal, anything else is UTF-16BE.
pub(crate) fn text_string(value: &str) -> Object {
    lopdf::text_string(value)
}
