//! The Markdown importer: checklist Markdown in, a `Template` out (placeholder until the parser lands).

use crate::model::Template;

/// Largest template source accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 5 * 1024 * 1024;

/// Why a template could not be imported. Nothing is stored when import fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the template is empty")]
    Empty,
    #[error("the template is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("line {line}: the file looks binary (a NUL or control byte), not Markdown text")]
    Binary { line: u32 },
    #[error("line {line}: the file is not valid UTF-8 text (byte {byte_offset})")]
    NotUtf8 { line: u32, byte_offset: usize },
    #[error("no checklist items (`- [ ]` lines) were found")]
    NoItems,
}

/// Parses checklist Markdown. `fallback_title` names the template when it has no H1.
pub fn import_markdown(bytes: &[u8], fallback_title: &str) -> Result<Template, ImportError> {
    let _ = (bytes, fallback_title);
    Err(ImportError::Empty)
}
