//! Greenlight's domain: the template model, the Markdown importer and the run rules.
//!
//! **Invariant:** this crate performs no I/O and knows nothing of Tauri, SQLite or the network;
//! every effect (the clock, files) is passed in by the caller.

pub mod import;
pub mod model;
pub mod run;
pub mod values;

pub use import::{ImportError, MAX_TEMPLATE_BYTES, display_lines, import_markdown};
pub use model::*;
