//! The one error type of the crate: every failure has a stable `code()` and a plain-words message.

/// Why sealing, signing or inspecting a record failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// The bytes do not start like a PDF file at all.
    #[error("this file is not a PDF document")]
    NotAPdf,
    /// The bytes start like a PDF but its structure cannot be read (truncated, corrupted).
    #[error("the PDF document is damaged or incomplete: {0}")]
    Damaged(String),
    /// Password-protected PDFs cannot be sealed or checked.
    #[error("the PDF document is encrypted; encrypted records are not supported")]
    Encrypted,
    /// The PDF uses a structure this crate cannot update safely.
    #[error("the PDF document cannot be updated: {0}")]
    Unsupported(String),
    /// A caller-supplied value is unusable (empty name, zero validity, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The private key could not be read.
    #[error("the private key cannot be read: {0}")]
    InvalidKey(String),
    /// The certificate could not be read or built.
    #[error("the certificate cannot be read: {0}")]
    InvalidCertificate(String),
    /// The private key does not belong to the certificate.
    #[error("the private key does not belong to the certificate")]
    KeyMismatch,
    /// Creating the signature itself failed.
    #[error("creating the signature failed: {0}")]
    Signing(String),
    /// The signature does not fit into the space reserved for it in the PDF.
    #[error("the signature needs {needed} bytes but only {available} are reserved")]
    SignatureTooLarge {
        /// Bytes the DER signature needs.
        needed: usize,
        /// Bytes reserved in the placeholder.
        available: usize,
    },
    /// A time-stamp response or token could not be used.
    #[error("the time-stamp token cannot be used: {0}")]
    InvalidTimestamp(String),
    /// A PKCS#12 (.p12/.pfx) file could not be opened.
    #[error("the certificate file cannot be opened: {0}")]
    Pkcs12(String),
}

impl SealError {
    /// A stable, machine-readable code for this error (for the UI and the CLI).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAPdf => "not_a_pdf",
            Self::Damaged(_) => "damaged",
            Self::Encrypted => "encrypted",
            Self::Unsupported(_) => "unsupported",
            Self::InvalidInput(_) => "invalid_input",
            Self::InvalidKey(_) => "invalid_key",
            Self::InvalidCertificate(_) => "invalid_certificate",
            Self::KeyMismatch => "key_mismatch",
            Self::Signing(_) => "signing_failed",
            Self::SignatureTooLarge { .. } => "signature_too_large",
            Self::InvalidTimestamp(_) => "invalid_timestamp",
            Self::Pkcs12(_) => "pkcs12",
        }
    }
}
