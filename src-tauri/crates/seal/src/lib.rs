//! Sealing exported records: PDF digital signatures, embedded record files, signing identities,
//! and checking all of them in a PDF from any machine. No Tauri, no store.

mod document;
mod embed;
mod error;
mod pdf_date;
mod writer;

pub use embed::{EmbeddedFile, embed_file};
pub use error::SealError;
mod inspect;
pub use inspect::{ChangesAfter, PdfInspection, SignatureReport, SignedAttachment, inspect_pdf};
mod certificate;
mod identity;
mod keys;
pub use certificate::{CertificateInfo, certificate_info, certificate_pem};
pub use identity::{IdentitySubject, SigningIdentity, new_self_signed_identity};
mod byte_range;
mod cms;
mod sign;
mod timestamp;
pub use sign::{PreparedSignature, SignOptions, prepare_signature, sign_pdf};
pub use timestamp::timestamp_request;
mod pkcs12;
pub use pkcs12::identity_from_pkcs12;
