//! Printable PDF checklists: a blank template to fill in by hand, or the record of a finished run.
//!
//! * [`render_blank`] prints a [`Template`] with checkboxes, write-in lines, choice boxes, gate and
//!   signature boxes and a notes area.
//! * [`render_record`] prints the same layout filled from a [`RecordInput`]: item states, values,
//!   notes, evidence, gate decisions (overrides highlighted), drawn signatures and an audit page.
//!
//! Both take the print time and a document id from the caller, so the same input gives the same
//! bytes (records can be hashed). Text is set in the bundled DejaVu fonts (see `fonts/LICENSE`);
//! characters they lack are replaced by [`printable`]. The output is plain PDF (no PDF/A claim).
//!
//! This crate knows only `greenlight-core`'s model: no store, no Tauri.

mod audit_page;
mod blank;
mod checklist;
mod fallback;
mod fonts;
mod footer;
mod header;
mod input;
mod layout;
mod pdf;
mod record;
mod signature;
mod style;
mod table;
mod widgets;

use chrono::{DateTime, Utc};
use greenlight_core::Template;

pub use fallback::{fallback_name, printable};
pub use fonts::{Face, FontCoverage};
pub use input::{
    AuditLine, AuditSummary, EntryView, EvidenceView, GateDecisionView, NoteView, PreflightView,
    RecordInput, RunHeader, SignatureView,
};

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font {0} could not be parsed")]
    Font(&'static str),
    #[error("invalid export option: {0}")]
    InvalidOption(String),
    #[error("the PDF could not be written: {0}")]
    Write(#[from] std::io::Error),
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

/// Options for a blank checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankOptions {
    pub paper: Paper,
    /// Printed in every footer and used as the creation date.
    pub printed_at: DateTime<Utc>,
    /// Written as the PDF's `/ID` and identifier; same id + input + time gives identical bytes.
    pub document_id: String,
    /// Document author (the app user printing it); "Greenlight" when empty.
    pub author: String,
}

/// Options for a run record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOptions {
    pub paper: Paper,
    /// Printed in every footer and used as the creation date.
    pub printed_at: DateTime<Utc>,
    /// Written as the PDF's `/ID` and identifier; same id + input + time gives identical bytes.
    pub document_id: String,
    /// Document author (who exported the record); "Greenlight" when empty.
    pub author: String,
}

/// Renders a blank, printable checklist of `template`.
pub fn render_blank(template: &Template, options: &BlankOptions) -> Result<Vec<u8>, PdfError> {
    blank::render(template, options)
}

/// Renders the record of a run: the checklist filled in, then an audit page.
pub fn render_record(
    record: &RecordInput<'_>,
    options: &RecordOptions,
) -> Result<Vec<u8>, PdfError> {
    record::render(record, options)
}

/// `author`, or the app's name when empty.
fn author_or_app(author: &str) -> &str {
    if author.trim().is_empty() {
        "Greenlight"
    } else {
        author
    }
}

/// A time as printed everywhere in the document: `2026-11-23 14:05 UTC`.
fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The first 12 hex digits of a hash, for footers and tables.
fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn check_document_id(id: &str) -> Result<(), PdfError> {
    if id.trim().is_empty() {
        return Err(PdfError::InvalidOption(
            "document_id must not be empty".into(),
        ));
    }
    Ok(())
}
