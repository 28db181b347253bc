//! Sealing exported records: PDF digital signatures, embedded record files, signing identities,
//! and checking all of them in a PDF from any machine. No Tauri, no store, no network I/O.
//!
//! Flow: [`embed_file`] attaches the machine-readable record, [`sign_pdf`] (or
//! [`prepare_signature`] + [`PreparedSignature::finish`] with an RFC 3161 token) appends a PAdES
//! signature as an incremental update, and [`inspect_pdf`] checks everything later.

mod byte_range;
mod certificate;
mod cms;
mod document;
mod embed;
mod error;
mod identity;
mod inspect;
mod keys;
mod pdf_date;
mod pkcs12;
mod sign;
mod timestamp;
mod writer;

pub use certificate::{CertificateInfo, certificate_info, certificate_pem};
pub use embed::{EmbeddedFile, embed_file};
pub use error::SealError;
pub use identity::{IdentitySubject, SigningIdentity, new_self_signed_identity};
pub use inspect::{ChangesAfter, PdfInspection, SignatureReport, SignedAttachment, inspect_pdf};
pub use pkcs12::identity_from_pkcs12;
pub use sign::{PreparedSignature, SignOptions, prepare_signature, sign_pdf};
pub use timestamp::timestamp_request;
